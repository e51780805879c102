"""What open pages wait for: a build counter, the files each build changed, the
current error, the running build's progress; and the long-poll answer (reload this
page or not, and the progress bar to draw)."""

from __future__ import annotations

import threading
import time

POLL_TIMEOUT = 25.0  # seconds a long-poll is held before it is answered "no change"
SHOW_AFTER = 0.5  # seconds a build runs before pages show its progress: a quick edit flashes no bar
PROGRESS_EVERY = 0.2  # seconds between progress answers: 10,000 articles are not 10,000 requests


def page_file(page: str) -> str:
    """The output file a page's URL path (below the site's base) is served from."""
    page = page.lstrip("/")
    if page == "" or page.endswith("/"):
        return page + "index.html"
    return page


class BuildState:
    """The builds' outcomes, and a condition to wake long-polls."""

    def __init__(self, clock=time.monotonic):
        self.version = 0
        self.changed: dict[int, set[str]] = {}
        self.error: str | None = None
        self.cond = threading.Condition()
        self.stopping = False
        self.clock = clock
        self.started: float | None = None  # when the running build began; None: no build runs
        self.latest: tuple[str, int, int] | None = None  # its last (phase, done, total)
        self.shown: dict | None = None  # the progress pages are told, with an id they send back
        self.shown_at = -1e9
        self.shown_ids = 0
        self.polls: dict[int, str] = {}  # waiting long-polls: token -> the file of their page
        self.tokens = 0
        self.told: set[int] = set()  # the waiting polls the last build answers "reload"
        self.reloading = 0  # pages told to reload that have not loaded since

    def begin(self) -> None:
        """A build starts: its progress shows once it has run SHOW_AFTER seconds."""
        with self.cond:
            self.started, self.latest = self.clock(), None

    def progress(self, phase: str, done: int, total: int) -> None:
        with self.cond:
            self.latest = (phase, done, total)
            self._publish()

    def end(self) -> None:
        """The build is over (its last commit is out): the bar goes."""
        with self.cond:
            self.started = self.latest = None
            if self.shown is not None:
                self.shown = None
                self.cond.notify_all()

    def _publish(self) -> float | None:
        """Show the latest progress when it is due (the build has run long enough, the
        last answer is old enough) and wake the pages; else the seconds until it is due
        (None: nothing new to show). Waiting polls call it, so no timer is needed."""
        if self.started is None or self.latest is None:
            return None
        if self.shown is not None and (self.shown["phase"], self.shown["done"], self.shown["total"]) == self.latest:
            return None
        now = self.clock()
        due = max(self.started + SHOW_AFTER, self.shown_at + PROGRESS_EVERY)
        if now < due:
            return due - now
        phase, done, total = self.latest
        self.shown_ids += 1
        self.shown = {"phase": phase, "done": done, "total": total, "id": self.shown_ids}
        self.shown_at = now
        self.cond.notify_all()
        return None

    def shown_progress(self) -> dict | None:
        """The progress a page drawn now shows (None: no bar)."""
        with self.cond:
            self._publish()
            return dict(self.shown) if self.shown else None

    def finished(self, changed, error: str | None) -> None:
        """A build (or one of its commits) is out: wake every waiting page."""
        with self.cond:
            self.version += 1
            self.changed[self.version] = set(changed or ())
            self.error = error
            self.told = {token for token, file in self.polls.items() if file in self.changed[self.version]}
            self.reloading = len(self.told)
            self.cond.notify_all()

    def loaded(self) -> None:
        """A page has loaded (its first poll): one reload fewer to wait for."""
        with self.cond:
            self.reloading = max(0, self.reloading - 1)
            self.cond.notify_all()

    def wait_reloaded(self, timeout: float) -> None:
        """Wait until the pages the last build told to reload have loaded again (at most
        ``timeout`` seconds): the next step of the build then leaves them the CPU."""
        deadline = self.clock() + timeout
        with self.cond:
            while self.reloading > 0 and not self.stopping and (left := deadline - self.clock()) > 0:
                self.cond.wait(timeout=left)
            self.reloading = 0  # a page closed meanwhile is not waited for again

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()

    def changed_since(self, version: int) -> set[str] | None:
        """Files changed after ``version``; None when that history is unknown (a
        page from before this preview started: it reloads)."""
        out: set[str] = set()
        for v in range(version + 1, self.version + 1):
            if v not in self.changed:
                return None
            out |= self.changed[v]
        return out

    def wait(self, since: int, page: str, timeout: float = POLL_TIMEOUT, bar: int | None = None) -> dict:
        """The long-poll: block until a build after ``since`` (or the timeout, or the
        preview stopping), then tell the page at ``page`` whether its file changed.
        ``bar``: the id of the progress the page shows (0: none); a page that sends it
        is also answered when the progress to show is another. The answer carries
        "progress" only while a bar shows."""
        deadline = self.clock() + timeout
        with self.cond:
            if since > self.version:  # a page from an earlier run of the preview
                return {"version": self.version, "reload": True, "error": self.error}
            self.tokens += 1
            token = self.tokens
            self.polls[token] = page_file(page)
            try:
                answer = self._wait(since, page, deadline, bar)
            finally:
                del self.polls[token]
            if answer["reload"] and token not in self.told:
                self.reloading += 1  # told after the build was announced: waited for too
            return answer

    def _wait(self, since: int, page: str, deadline: float, bar: int | None) -> dict:
        while self.version <= since and not self.stopping:
            due = self._publish()
            if bar is not None and (self.shown["id"] if self.shown else 0) != bar:
                break
            left = deadline - self.clock()
            if left <= 0:
                break
            self.cond.wait(timeout=min(1.0, left, 1.0 if due is None else due))
        version, error, shown = self.version, self.error, self.shown
        changed = self.changed_since(since)
        reload = version > since and (changed is None or page_file(page) in changed)
        answer: dict = {"version": version, "reload": reload, "error": error}
        if shown is not None:
            answer["progress"] = dict(shown)
        return answer
