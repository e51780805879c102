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
from ..i18n import _
from ..publish.guard import OutputLock, check_output, clean_stale_staging, shown
from ..publish.writer import SiteState
from .stamp import Stamp


def state_path(settings: Settings, out: Path) -> Path:
    """What the output folder holds, as the last build left it (see writer.SiteState)."""
    return settings.cache_dir / f"site-state-{_tag(out)}.json"


def search_state_dir(settings: Settings, out: Path) -> Path:
    """The search index the last build of the output folder kept (see searchstate.py)."""
    return settings.cache_dir / f"search-{_tag(out)}"


def _tag(out: Path) -> str:
    """The output folder in the names of what the cache keeps of it."""
    return hashlib.sha1(str(out).encode()).hexdigest()[:10]


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
            shown(out, settings.root),
            _("cannot create the folder it goes in ({reason}); nothing was written").format(reason=error.strerror),
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
        return [_("nothing to remove: {path} does not exist").format(path=name)]
    said = []
    with lock(settings, out):
        if out.exists():
            # Renamed first, in one step: a removal that fails half way leaves a
            # tree the next build or clean removes, never a half site without its marker.
            gone = out.parent / f".{out.name}.old-{os.getpid()}"
            try:
                os.rename(out, gone)
            except OSError as error:
                raise ZoneArchiveError(
                    name, _("could not remove it ({reason}); nothing was removed").format(reason=error.strerror)
                ) from None
            shutil.rmtree(gone, ignore_errors=True)
            said.append(_("removed {path}").format(path=name))
        for tree in clean_stale_staging(out):
            said.append(
                _("kept {path}: the process that made it is still running").format(path=shown(tree, settings.root))
            )
        for path in (state_path(settings, out), Stamp(settings, out).path):
            path.unlink(missing_ok=True)
        shutil.rmtree(search_state_dir(settings, out), ignore_errors=True)
    return said or [_("nothing to remove: {path} does not exist").format(path=name)]
