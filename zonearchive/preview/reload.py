"""What open pages wait for: a build counter, the files each build changed, the
current error; and the long-poll answer (reload this page or not)."""

from __future__ import annotations

import threading
import time

POLL_TIMEOUT = 25.0  # seconds a long-poll is held before it is answered "no change"


def page_file(page: str) -> str:
    """The output file a page's URL path (below the site's base) is served from."""
    page = page.lstrip("/")
    if page == "" or page.endswith("/"):
        return page + "index.html"
    return page


class BuildState:
    """The builds' outcomes, and a condition to wake long-polls."""

    def __init__(self):
        self.version = 0
        self.changed: dict[int, set[str]] = {}
        self.error: str | None = None
        self.cond = threading.Condition()
        self.stopping = False

    def finished(self, changed, error: str | None) -> None:
        """A build (or one of its commits) is out: wake every waiting page."""
        with self.cond:
            self.version += 1
            self.changed[self.version] = set(changed or ())
            self.error = error
            self.cond.notify_all()

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

    def wait(self, since: int, page: str, timeout: float = POLL_TIMEOUT) -> dict:
        """The long-poll: block until a build after ``since`` (or the timeout, or the
        preview stopping), then tell the page at ``page`` whether its file changed."""
        deadline = time.monotonic() + timeout
        with self.cond:
            if since > self.version:  # a page from an earlier run of the preview
                return {"version": self.version, "reload": True, "error": self.error}
            while self.version <= since and not self.stopping:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(timeout=min(1.0, left))
            version, error = self.version, self.error
            changed = self.changed_since(since)
        reload = version > since and (changed is None or page_file(page) in changed)
        return {"version": version, "reload": reload, "error": error}
