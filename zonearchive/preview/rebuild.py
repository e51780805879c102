"""Debounced rebuilds on a thread of their own, through a plain ``builder()``
callback: the preview knows builds only by their progress, what each commit
changed and the errors it met."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..i18n import _
from .reload import BuildState

DEBOUNCE = 0.05  # seconds of quiet before a rebuild (a 100-file checkout lands well within it)


@dataclass
class Outcome:
    """One commit of a build: the output files it changed, the errors met (None:
    none), and the line to print when the build is over."""

    changed: set[str] = field(default_factory=set)
    error: str | None = None
    summary: str | None = None
    warnings: list[str] = field(default_factory=list)  # what the build left out, with file and line


@dataclass
class Progress:
    """Where a running build is: a phase (in the editor's language), done of total (0: unknown)."""

    phase: str
    done: int = 0
    total: int = 0


Builder = Callable[[], Iterable[Outcome | Progress]]


class Rebuilder:
    """Calls ``builder()`` once per burst of pokes. An edit during a build gives
    exactly one more build; a build that fails or raises leaves the last good
    site served, with the error shown, and the next edit builds again."""

    def __init__(
        self,
        builder: Builder,
        state: BuildState,
        log=print,
        debounce: float = DEBOUNCE,
        clock=time.monotonic,
        sleep=time.sleep,
    ):
        self.builder, self.state, self.log = builder, state, log
        self.debounce, self.clock, self.sleep = debounce, clock, sleep
        self.warned: set[str] = set()  # warnings already logged: each is said once, when it appears
        self.pending = threading.Event()
        self.last_event = 0.0
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True, name="zonearchive-rebuild")

    def poke(self) -> None:
        self.last_event = self.clock()
        self.pending.set()

    def rebuild_now(self) -> None:
        self.state.begin()
        try:
            for outcome in self.builder():
                if isinstance(outcome, Progress):
                    self.state.progress(outcome.phase, outcome.done, outcome.total)
                    continue
                self.state.finished(outcome.changed, outcome.error)
                if outcome.summary:
                    for warning in sorted(set(outcome.warnings) - self.warned):
                        self.log(_("warning: {warning}").format(warning=warning))
                    self.warned = set(outcome.warnings)
                    self.log(outcome.summary)
                if outcome.error:
                    self.log(_("error: {error} (the last good version stays served)").format(error=outcome.error))
        except Exception as error:
            self.state.finished(set(), f"{type(error).__name__}: {error}")
            self.log(traceback.format_exc().rstrip())
        finally:
            self.state.end()

    def run_once(self) -> bool:
        """Wait for a poke, then for a quiet spell, then build once. False when stopped."""
        self.pending.wait()
        if self.stopped:
            return False
        while self.clock() - self.last_event < self.debounce:
            self.sleep(self.debounce / 3)
        self.pending.clear()
        self.rebuild_now()
        return not self.stopped

    def _run(self) -> None:
        while self.run_once():
            pass

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped = True
        self.pending.set()
