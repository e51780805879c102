"""Which file-system events are edits worth a rebuild: pure functions, and the
watchdog handler and observer that apply them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

_TEMP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".temp", "~", ".part", ".crdownload", ".bak")
_TEMP_NAMES = {"4913", ".DS_Store"}  # 4913: vim's probe of whether it may write a folder
_EDITS = {"created", "modified", "deleted", "moved"}  # opened/closed/closed_no_write are reads


def is_editor_temp(path: str) -> bool:
    name = os.path.basename(path)
    return name in _TEMP_NAMES or name.startswith((".#", "#", ".~", ".goutputstream")) or name.endswith(_TEMP_SUFFIXES)


def edited_path(
    event_type: str,
    src: str,
    dest: str = "",
    is_directory: bool = False,
    out: Path | None = None,
    only: str | None = None,
) -> str | None:
    """The path an event edits, or None when it is no edit of a source: a read, a
    folder's time stamp, an editor's temp or swap file, the output, caches, git. A
    move counts by its destination (editors save by renaming a temp file over the
    page). ``only``: the one file name that counts (pyproject.toml in the root)."""
    if event_type not in _EDITS or (is_directory and event_type == "modified"):
        return None
    path = (dest if event_type == "moved" else "") or src
    if only is not None and os.path.basename(path) != only:
        return None
    if is_editor_temp(path) or "__pycache__" in path or "/.git/" in path:
        return None
    if out is not None and Path(path).resolve().is_relative_to(out):
        return None
    return path


def make_handler(poke: Callable[[], None], out: Path, only: str | None = None):
    """A watchdog handler that calls ``poke()`` for each edit (see edited_path)."""
    from watchdog.events import FileSystemEventHandler

    out = out.resolve()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if (
                edited_path(
                    event.event_type, event.src_path, getattr(event, "dest_path", ""), event.is_directory, out, only
                )
                is not None
            ):
                poke()

    return Handler()


def watch(folders: Iterable[Path], root: Path, out: Path, poke: Callable[[], None], poll: bool = False):
    """Start watching the source folders (recursively) and the settings file."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    observer = PollingObserver() if poll else Observer()
    handler = make_handler(poke, out)
    for folder in folders:
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(make_handler(poke, out, only="pyproject.toml"), str(root), recursive=False)
    observer.start()
    return observer
