"""The output folder's rules as the build applies them: checked before anything is
touched, locked while a build writes it, and cleaned only under the same rules."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

from ..config import Settings
from ..errors import ZoneArchiveError
from ..publish.guard import OutputLock, check_output, clean_stale_staging, shown
from ..publish.writer import SiteState
from .stamp import Stamp


def state_path(settings: Settings, out: Path) -> Path:
    """What the output folder holds, as the last build left it (see writer.SiteState)."""
    return settings.cache_dir / f"site-state-{hashlib.sha1(str(out).encode()).hexdigest()[:10]}.json"


def check(settings: Settings, out: Path) -> None:
    """Refuse, naming the folder, an output zonearchive may not replace."""

    def known():  # a site an older zonearchive made (no marker): the files its last build recorded
        state = SiteState.load(state_path(settings, out))
        return state.files if state.describes(out) else ()

    check_output(out, settings, known=known)


def lock(settings: Settings, out: Path, wait: float | None = None, on_wait=None) -> OutputLock:
    """Take the output's lock (making the folder it sits in first); ``wait``: at most
    that many seconds, else as long as the other build takes."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ZoneArchiveError(
            shown(out, settings.root), f"cannot create the folder it goes in ({error.strerror}); nothing was written"
        ) from None
    if on_wait is None:

        def on_wait(message):
            print(message, file=sys.stderr, flush=True)

    return OutputLock(out, settings.root).acquire(wait, on_wait)


def clean(settings: Settings, out: Path | None = None) -> list[str]:
    """Remove the output, the trees builds left beside it and its state in the cache;
    what it did, as lines for the user."""
    out = Path(out or settings.output_dir).resolve()
    check(settings, out)
    name = shown(out, settings.root)
    if not out.parent.is_dir():
        return [f"nothing to remove: {name} does not exist"]
    said = []
    with lock(settings, out):
        if out.exists():
            # Renamed first, in one step: a removal that fails half way leaves a
            # tree the next build or clean removes, never a half site without its marker.
            gone = out.parent / f".{out.name}.old-{os.getpid()}"
            try:
                os.rename(out, gone)
            except OSError as error:
                raise ZoneArchiveError(name, f"could not remove it ({error.strerror}); nothing was removed") from None
            shutil.rmtree(gone, ignore_errors=True)
            said.append(f"removed {name}")
        for tree in clean_stale_staging(out):
            said.append(f"kept {shown(tree, settings.root)}: the process that made it is still running")
        for path in (state_path(settings, out), Stamp(settings, out).path):
            path.unlink(missing_ok=True)
    return said or [f"nothing to remove: {name} does not exist"]
