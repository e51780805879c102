"""The one place that writes the site. Files are gathered in memory, then written
to a staging folder beside the output and swapped in with one atomic rename, so a
build killed at any moment leaves the previous site complete. Files whose bytes did
not change are hard-linked from the previous site instead of written again."""

from __future__ import annotations

import ctypes
import json
import ctypes.util
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import ZoneArchiveError


@dataclass
class CommitStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    changed: set = field(default_factory=set)  # paths written or removed


class Output:
    """The site being built. Each file goes straight into a staging folder beside
    the output (hard-linked from the previous site when its bytes are unchanged);
    commit() swaps the staging folder in atomically, abort() throws it away.
    Two writers of one path is an error, as is a path outside the site."""

    def __init__(self, out_dir: Path, keys_path: Path | None = None):
        self.out_dir = Path(out_dir)
        # Render keys: a page whose key (template + data) is unchanged since the last
        # build is linked from the previous site without being rendered again.
        self.keys_path = keys_path
        self.old_keys: dict[str, str] = {}
        if keys_path and keys_path.exists():
            try:
                self.old_keys = json.loads(keys_path.read_text(encoding="utf-8"))
            except ValueError:
                self.old_keys = {}
        self.keys: dict[str, str] = {}
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(self.out_dir)
        self.previous = _existing_files(self.out_dir)
        self.staging = _staging_name(self.out_dir)
        self.staging.mkdir()
        self.owners: dict[str, str] = {}
        self.stats = CommitStats()
        self._folders: set[Path] = set()

    def _folder(self, target: Path) -> None:
        parent = target.parent
        if parent not in self._folders:
            parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)

    def _claim(self, path: str, owner: str) -> str:
        clean = PurePosixPath(path)
        if clean.is_absolute() or ".." in clean.parts or not clean.parts:
            raise ZoneArchiveError(owner, f"refuses to write outside the site: {path!r}")
        rel = str(clean)
        if rel in self.owners:
            raise ZoneArchiveError(owner, f"writes {rel}, which {self.owners[rel]} already writes")
        self.owners[rel] = owner
        return rel

    def reuse(self, path: str, key: str, owner: str) -> bool:
        """Link ``path`` from the previous site when it was made from the same key."""
        if self.old_keys.get(path) != key or path not in self.previous:
            return False
        rel = self._claim(path, owner)
        target = self.staging / rel
        self._folder(target)
        try:
            os.link(self.out_dir / rel, target)
        except OSError:
            del self.owners[rel]
            return False
        self.keys[rel] = key
        self.stats.unchanged += 1
        return True

    def add(self, path: str, data: bytes | str, owner: str, key: str | None = None) -> None:
        rel = self._claim(path, owner)
        if key:
            self.keys[rel] = key
        data = data.encode("utf-8") if isinstance(data, str) else data
        target = self.staging / rel
        self._folder(target)
        old = self.out_dir / rel
        if self.previous.get(rel) == len(data) and old.read_bytes() == data:
            try:
                os.link(old, target)
                self.stats.unchanged += 1
                return
            except OSError:
                pass
        target.write_bytes(data)
        self.stats.written += 1
        self.stats.changed.add(rel)

    def commit(self) -> CommitStats:
        removed = set(self.previous) - set(self.owners)
        self.stats.removed = len(removed)
        self.stats.changed |= removed
        if self.keys_path and self.keys_path.exists():
            self.keys_path.unlink()  # killed mid-swap: no stale keys, just a full render next time
        try:
            _swap(self.staging, self.out_dir)
        finally:
            self.abort()
        if self.keys_path:
            write_atomically(self.keys_path, json.dumps(self.keys, sort_keys=True))
        return self.stats

    def abort(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write one file through a temp file beside it: a killed process leaves the old
    file or the new one, never a torn one (caches, stamps, Markdown from --write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(data, str):
        temp.write_text(data, encoding="utf-8")
    else:
        temp.write_bytes(data)
    os.replace(temp, path)


def _staging_name(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"


def clean_stale_staging(out_dir: Path) -> None:
    for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _remove_later(path: Path) -> None:
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(path)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


def _existing_files(out_dir: Path) -> dict[str, int]:
    if not out_dir.is_dir():
        return {}
    found = {}
    stack = [(str(out_dir), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, prefix + entry.name + "/"))
                elif entry.is_file(follow_symlinks=False):
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
    return found


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        # staging now holds the old site: set it aside and delete it in a detached
        # process, so the build does not wait on tens of thousands of unlinks. A
        # leftover is removed by the next build (clean_stale_staging).
        old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(staging, old)
        _remove_later(old)
        return
    # No atomic exchange here: two renames, with the old tree kept until the new is in.
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)
