"""The preview's builds run in a process of their own, started with ``spawn``: it
holds the session (what stays in memory between builds) and runs one thread, so
its own worker pools may fork safely. The server, which runs many threads, never
forks; it asks for a build over a pipe and gets back the build's Progress as it
goes and each commit's Outcome. A build process that dies (kill -9, out of
memory) is replaced, and the next edit builds again."""

from __future__ import annotations

import gc
import multiprocessing as mp
import signal
import time
import traceback
from pathlib import Path
from typing import Any

from .. import urls
from ..config import load_settings
from ..errors import Stopped, ZoneArchiveError
from ..i18n import _
from ..workers import die_with_parent
from .rebuild import Outcome, Progress


class SessionBuilder:
    """builder() for the Rebuilder: the pages in one commit, then the search files.
    ``progress(phase, done, total)`` is called as the build goes."""

    def __init__(self, root: Path, out: Path, progress=None):
        self.root, self.out, self.progress = root, out, progress
        self.session = _new_session()
        self.skipped = False  # the last build left its search files to the next one

    def __call__(self, go_on=lambda: True):
        """``go_on()``, asked once the pages are out and again as the search files are
        made: False when another edit is already waiting; its build makes the search
        files, so this one's are not made (or given up half-way)."""
        # The build's layers are loaded here, in the build process, never in the
        # server, which imports this module for BuildProcess (0.2 s of every start).
        from ..builder import build_pages, build_search

        self.skipped = False
        try:
            settings = load_settings(self.root)
            result = build_pages(settings, self.out, self.session, self.progress)
        except ZoneArchiveError as error:
            yield Outcome(error=str(error))
            return
        except Exception as error:
            yield self._crashed(error)
            return
        errors = "\n".join(str(e) for e in result.errors) or None
        yield Outcome(set(result.stats.changed), errors)  # open pages reload now
        skip = Outcome(set(), errors, summary=result.summary(), warnings=[str(w) for w in result.warnings])
        if not go_on():
            self.skipped = True
            self.session.pending = None  # the next build's pages carry the search files over
            yield skip
            return
        try:
            search = build_search(settings, self.session, go_on=_now_and_then(go_on))
        except Stopped:
            self.skipped = True  # nothing of it was written: as if skipped
            yield skip
            return
        except Exception as crash:
            yield self._crashed(crash)
            return
        changed = set(search.changed)
        if any(rel.startswith(urls.SEARCH_DATA) for rel in changed):
            changed.add(urls.output_path(urls.search_url()))  # an open search page asks the new index
        pages = result.stats
        result.stats = search
        search.written += pages.written
        search.removed += pages.removed
        search.unchanged += pages.unchanged
        yield Outcome(changed, errors, summary=result.summary(), warnings=[str(w) for w in result.warnings])

    def _crashed(self, error: Exception) -> Outcome:
        traceback.print_exc()
        self.session = _new_session()  # what it held may be half-updated: the next build starts afresh
        return Outcome(error=f"{type(error).__name__}: {error}")

    def idle(self) -> None:
        """While the editor reads: the next build's mirror, and the garbage
        collection builds run without."""
        self.session.settle()
        gc.collect()


def _new_session():
    from ..builder import Session

    return Session()


def _main(conn, root: Path, out: Path) -> None:
    # Ctrl-C reaches the whole process group: it is the server's to handle, and the
    # server ends this process. Killed with the server, even by kill -9.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    # Sent as the build goes (the pipeline reports a phase, or every 500 pages).
    builder = SessionBuilder(root, out, lambda phase, done, total: conn.send(Progress(phase, done, total)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the server is gone
        if request != "build":
            return
        for outcome in builder(go_on=lambda: _ask(conn)):
            conn.send(outcome)
        conn.send(None)
        if not builder.skipped:  # else the next build is on its way: tidy up after it
            builder.idle()


def _now_and_then(go_on, every: float = 0.1):
    """``go_on`` asked at most every ``every`` seconds (each ask is a round trip to
    the server); in between, the last answer."""
    asked_at, answer = -every, True  # the first time: asked

    def asked() -> bool:
        nonlocal asked_at, answer
        now = time.perf_counter()
        if now - asked_at >= every:
            asked_at, answer = now, go_on()
        return answer

    return asked


def _ask(conn) -> bool:
    """Whether the server wants the search files of this build (see BuildProcess)."""
    conn.send(SEARCH_OR_NOT)
    return conn.recv() == "search"


SEARCH_OR_NOT = "search?"


class BuildProcess:
    """The server's side: ``builder()`` runs one build in the build process and
    yields its Progress and Outcomes."""

    def __init__(self, root: Path, out: Path, log=print, wanted=lambda: True):
        """``wanted()``, asked when a build's pages are out: whether to make its search
        files too (False: another edit is waiting, whose build will make them)."""
        self.root, self.out, self.log, self.wanted = root, out, log, wanted
        self.proc: Any = None  # a spawn-context Process
        self.conn: Any = None  # our end of the pipe
        self.closed = False

    def start(self) -> None:
        context = mp.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.proc = context.Process(target=_main, args=(theirs, self.root, self.out), name="zonearchive-build")
        self.proc.start()
        theirs.close()  # ours closed in the child: its death is an EOF here

    def __call__(self):
        if self.proc is None:
            self.start()
        try:
            self.conn.send("build")
            while (outcome := self.conn.recv()) is not None:
                if outcome == SEARCH_OR_NOT:
                    self.conn.send("search" if self.wanted() else "skip")
                    continue
                yield outcome
        except (EOFError, OSError):
            if self.closed:
                return  # the preview is stopping: it ended the build process itself
            self.proc.join(timeout=5)
            code = self.proc.exitcode
            how = (
                _("killed by {signal}").format(signal=signal.Signals(-code).name)
                if code and code < 0
                else _("exit code {code}").format(code=code)
            )
            self.stop()
            self.start()  # ready for the next edit
            # Found dead while idle or killed mid-build alike: said once, and the
            # next edit builds in the new process.
            yield Outcome(
                error=_(
                    "the build process stopped ({how}); the last good site is still served; save a file to build again"
                ).format(how=how)
            )

    def close(self) -> None:
        """End the build process for good (the preview stops)."""
        self.closed = True
        self.stop()

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join(timeout=5)
                if self.proc.is_alive():
                    self.proc.kill()
                    self.proc.join()
            self.proc = None
