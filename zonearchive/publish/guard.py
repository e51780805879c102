"""The output folder is the build's alone. A build (or `clean`, or the preview) may
replace a folder only when it does not exist, is empty, or carries the marker an
earlier build left; the project's own folders, the home folder and `/` never. One
build at a time per output folder: a lock file beside it, taken before anything is
touched. The staging and spare trees beside it belong to the process that made them."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Self

from ..config import Settings
from ..errors import ZoneArchiveError
from ..i18n import _

# Written into every build's output (constant bytes: builds stay byte-identical).
MARKER = ".zonearchive-output"
MARKER_TEXT = (
    b"This folder is made by zonearchive. Every build replaces all of it and `clean` deletes it:\n"
    b"keep nothing of your own here. zonearchive writes only to folders holding this file.\n"
)

# A write that fails for these reasons is the disk's or the folder's doing, not a bug.
WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT}


def shown(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the project root where possible."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) and path != root else str(path)


def check_output(out: Path, settings: Settings, known: Callable[[], Iterable[str]] | None = None) -> None:
    """Raise, naming ``out``, unless zonearchive may replace everything in it.
    ``known()``: the files a build of this folder recorded (a site made before the
    marker existed is accepted when it holds nothing else)."""
    out = Path(out).resolve()
    root = settings.root.resolve()
    name = shown(out, root)
    reason = _protected(out, settings, root)
    if reason:
        raise ZoneArchiveError(name, _("refused as output folder: {reason}; nothing was written").format(reason=reason))
    try:
        if not out.exists():
            return
        if not out.is_dir():
            raise ZoneArchiveError(name, _("refused as output folder: it is a file; nothing was written"))
        entries = sorted(os.listdir(out))
    except OSError as error:
        raise ZoneArchiveError(
            name, _("cannot read the output folder: {reason}").format(reason=error.strerror)
        ) from None
    if not entries or MARKER in entries:
        return
    if known is not None and _holds_only(out, set(known())):
        return
    listed = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
    raise ZoneArchiveError(
        name,
        _(
            "refused as output folder: it holds files zonearchive did not make ({listed}) "
            "and no {marker} marker; choose an empty or new folder; nothing was written"
        ).format(listed=listed, marker=MARKER),
    )


def _protected(out: Path, settings: Settings, root: Path) -> str | None:
    if out == Path(out.anchor):
        return _("it is the file-system root")
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        home = None
    if out == home:
        return _("it is the home folder")
    if out == root or out in root.parents:
        return _("it is the project folder") if out == root else _("it holds the project folder")
    folders = (
        ("seeds", settings.seeds_dir),
        ("templates", settings.templates_dir),
        ("static", settings.static_dir),
        ("cache", settings.cache_dir),
    )
    for label, folder in folders:
        folder = folder.resolve()
        if out == folder or folder in out.parents:
            return (_("it is the {name} folder") if out == folder else _("it is inside the {name} folder")).format(
                name=label
            )
        if out in folder.parents:
            return _("it holds the {name} folder ({path})").format(name=label, path=shown(folder, root))
    if out in settings.gazetteer_path.resolve().parents:
        return _("it holds the gazetteer ({path})").format(path=shown(settings.gazetteer_path, root))
    return None


def _holds_only(out: Path, known: set[str]) -> bool:
    for folder, _folders, files in os.walk(out):
        rel = os.path.relpath(folder, out)
        for name in files:
            if (name if rel == "." else f"{rel}/{name}") not in known:
                return False
    return bool(known)


class OutputLock:
    """One build at a time per output folder: an flock on ``.<name>.lock`` beside it,
    holding the pid of the build that has it (so a waiting build can name it). The
    kernel drops the lock when its holder dies, however it dies."""

    def __init__(self, out: Path, root: Path | None = None):
        out = Path(out)
        self.path = out.parent / f".{out.name}.lock"
        self.root = root or out.parent
        self.fd: int | None = None

    def acquire(self, timeout: float | None = None, on_wait: Callable[[str], None] | None = None) -> Self:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise ZoneArchiveError(
                shown(self.path, self.root),
                _("cannot take the build lock: {reason}; nothing was written").format(reason=error.strerror),
            ) from None
        try:
            if not _try_lock(fd):
                holder = _holder(fd)
                if on_wait:
                    on_wait(
                        _("waiting for build pid {pid} holding {lock}").format(
                            pid=holder, lock=shown(self.path, self.root)
                        )
                    )
                if timeout is None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                else:
                    deadline = time.monotonic() + timeout
                    while not _try_lock(fd):
                        if time.monotonic() >= deadline:
                            raise ZoneArchiveError(
                                shown(self.path, self.root),
                                _(
                                    "build pid {pid} is writing this output; gave up after "
                                    "{seconds:g} s; nothing was written"
                                ).format(pid=_holder(fd), seconds=timeout),
                            )
                        time.sleep(0.05)
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # a full disk: the lock holds all the same, only unnamed
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            # Unlocked explicitly: a forked worker still holding the descriptor must not keep it.
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> Self:
        return self if self.fd is not None else self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip() or "?"
    except (OSError, UnicodeDecodeError):
        return "?"


def write_failure(out: Path, error: OSError, root: Path) -> ZoneArchiveError | None:
    """The one-line error for a write into (or beside) the output that the disk or
    the folder refused; None when ``error`` is something else."""
    if error.errno not in WRITE_ERRNOS or (error.filename and not _ours(out, Path(os.fsdecode(error.filename)))):
        return None
    where = f": {shown(Path(error.filename), root)}" if error.filename else ""
    return ZoneArchiveError(
        shown(out, root),
        _("could not write the new site ({reason}{where}); the previous site is left as it was").format(
            reason=error.strerror, where=where
        ),
    )


def _ours(out: Path, path: Path) -> bool:
    """Is ``path`` the output, in it, or one of the trees and files a build keeps beside it?"""
    if path == out or out in path.parents:
        return True
    try:
        first = path.relative_to(out.parent).parts[0]
    except (ValueError, IndexError):
        return False
    return first.startswith(f".{out.name}.")


def clean_stale_staging(out_dir: Path, keep: Path | None = None) -> list[Path]:
    """Remove what killed or superseded builds left beside the output: trees whose
    maker is this process or no longer runs (the caller holds the output's lock). A
    live process's tree is kept (the preview's unsettled old site, a background
    clone): returned."""
    kept = []
    for pattern in (".staging-*", ".old-*", ".spare-*"):
        for stale in out_dir.parent.glob(f".{out_dir.name}{pattern}"):
            if stale == keep:
                continue
            pid = _maker(stale.name)
            if pid is not None and pid != os.getpid() and _running(pid):
                kept.append(stale)
            else:
                shutil.rmtree(stale, ignore_errors=True)
    return kept


def _maker(name: str) -> int | None:
    """The pid in a tree's name: .site.staging-PID, .site.old-PID,
    .site.spare-GENERATION-PID, .site.spare-GENERATION.part-PID."""
    tail = name.rsplit(".part-", 1)[1] if ".part-" in name else name.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OverflowError:
        return False
    return True
