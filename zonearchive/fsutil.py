"""File-system helpers every layer may use: atomic writes, and reading the user's
trees and files without ever hanging or crashing on what a file system can hold."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import ZoneArchiveError
from .i18n import N_, _


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write one file through a temp file beside it: a killed process leaves the old
    file or the new one, never a torn one (caches, stamps, Markdown from --write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, str):
            temp.write_text(data, encoding="utf-8")
        else:
            temp.write_bytes(data)
        os.replace(temp, path)
    except BaseException:  # a full disk: no half-written temp file left to fill it further
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass
        raise


def shown_path(path, root: Path) -> str:
    """``path`` as a message shows it: relative to the project ``root`` when inside it."""
    path = Path(path)
    try:
        return path.relative_to(root).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:
        return str(path)


def printable(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def is_editor_temp(name: str) -> bool:
    """Dot-files and what editors leave beside the file they edit (.#a.md, #a.md#, a.md~)."""
    return name.startswith((".", "#")) or name.endswith("~") or name == "4913"


_KINDS = {
    stat.S_IFIFO: N_("a named pipe"),
    stat.S_IFSOCK: N_("a socket"),
    stat.S_IFCHR: N_("a device"),
    stat.S_IFBLK: N_("a device"),
}


def _not_regular(mode: int) -> str:
    return _("not a regular file ({kind}); not read").format(
        kind=_(_KINDS.get(stat.S_IFMT(mode), N_("a special file")))
    )


def read_source(path, label) -> bytes:
    """The bytes of one input file, or an error naming it: never blocks on a pipe or
    device (opened non-blocking, checked before reading), and a file that vanished,
    cannot be read or is a folder is a sentence, not a traceback."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise ZoneArchiveError(label, _why(error)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ZoneArchiveError(label, _("is a folder, not a file") if stat.S_ISDIR(mode) else _not_regular(mode))
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    except OSError as error:
        raise ZoneArchiveError(label, _why(error)) from None
    finally:
        if fd >= 0:
            os.close(fd)


def _why(error: OSError, listing: bool = False) -> str:
    if error.errno == errno.ENOENT:
        return _("no such file (deleted while the build read it, or a broken symbolic link)")
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied: cannot list it") if listing else _("permission denied: cannot read it")
    if error.errno == errno.ELOOP:
        return _("symbolic link loop: the link points (through others) back to itself")
    return _("cannot read: {reason}").format(reason=error.strerror or error)


@dataclass(frozen=True)
class ScanProblem:
    """An entry of a tree that was not read, and why."""

    label: str  # the path as the user knows it
    message: str
    folder: bool = False  # a folder was left out: whatever it holds is missing


def scan_tree(folder: Path, label: str, hidden: bool = False) -> tuple[list[tuple[Path, str]], list[ScanProblem]]:
    """The regular files under ``folder`` as (path, label) sorted by label, and the
    entries left out. Symbolic links to files and folders are followed; a link back to
    a folder it is inside (a loop, by device and inode) or to a folder already read is
    named and not followed again. Pipes, sockets and devices are never opened;
    broken links and unreadable entries are reported; entries deleted meanwhile are
    skipped. Dot-files and editor temp files are skipped unless ``hidden``."""
    files: list[tuple[Path, str]] = []
    problems: list[ScanProblem] = []
    try:
        top = os.stat(folder)
    except OSError as error:
        return [], [ScanProblem(label, _why(error), True)]
    seen = {(top.st_dev, top.st_ino): label}
    stack: list[tuple[str, str, tuple[tuple[int, int], ...]]] = [(str(folder), label, ((top.st_dev, top.st_ino),))]
    while stack:
        current, shown, ancestors = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except FileNotFoundError:
            continue  # deleted while walking
        except OSError as error:
            problems.append(ScanProblem(shown, _why(error, listing=True), True))
            continue
        for entry in entries:
            name = printable(entry.name)
            rel = f"{shown}/{name}"
            if not hidden and is_editor_temp(entry.name):
                continue
            if name != entry.name:
                problems.append(
                    ScanProblem(
                        rel,
                        _("the name is not UTF-8 (saved from another system?); rename it to read it"),
                        entry.is_dir(follow_symlinks=False),
                    )
                )
                continue
            if not entry.is_symlink() and entry.is_file(follow_symlinks=False):
                files.append((Path(entry.path), rel))  # the common case, known without a stat call
                continue
            try:
                st = entry.stat()  # follows a symbolic link
            except FileNotFoundError:
                if entry.is_symlink():
                    problems.append(
                        ScanProblem(
                            rel, _("broken symbolic link to {target}; not read").format(target=_target(entry.path))
                        )
                    )
                continue  # else deleted while walking
            except OSError as error:
                problems.append(ScanProblem(rel, _why(error)))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    problems.append(
                        ScanProblem(
                            rel,
                            _("symbolic link loop: links back to {folder}/, which holds it; not followed").format(
                                folder=seen[key]
                            ),
                        )
                    )
                elif key in seen:
                    problems.append(
                        ScanProblem(
                            rel, _("links to {folder}/, which is read already; not read twice").format(folder=seen[key])
                        )
                    )
                else:
                    seen[key] = rel
                    stack.append((entry.path, rel, ancestors + (key,)))
            elif stat.S_ISREG(st.st_mode):
                files.append((Path(entry.path), rel))
            else:
                problems.append(ScanProblem(rel, _not_regular(st.st_mode)))
    files.sort(key=lambda item: item[1])
    problems.sort(key=lambda p: p.label)
    return files, problems


def _target(path: str) -> str:
    try:
        return repr(printable(os.readlink(path)))
    except OSError:
        return _("a missing file")
