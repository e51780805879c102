"""The trees beside the output: hard-link mirrors, the atomic swap (Linux renameat2,
else two renames), and clones and removals done by detached processes so a build
does not wait on tens of thousands of links or unlinks."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import posixpath
import shutil
import subprocess
import sys
import time
from pathlib import Path


def read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def folder_stamp(folder: Path) -> str:
    try:
        st = os.stat(folder)
    except OSError:
        return ""
    return f"{st.st_ino}:{st.st_mtime_ns}"


def remove(tree: Path, rel: str) -> None:
    """Remove one file and the folders it leaves empty."""
    try:
        os.unlink(os.path.join(tree, rel))
    except FileNotFoundError:
        return
    folder = posixpath.dirname(rel)
    while folder:
        try:
            os.rmdir(os.path.join(tree, folder))
        except OSError:
            break
        folder = posixpath.dirname(folder)


def sync(tree: Path, live: Path, rels, present) -> None:
    """Make the files ``rels`` of ``tree`` those of ``live`` again: hard links to the
    live files for those in ``present``, removed for the others."""
    for rel in sorted(rels):
        if rel in present:
            target = os.path.join(tree, rel)
            unlink(target)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(os.path.join(live, rel), target)
        else:
            remove(tree, rel)


def staging_name(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"


def spare_name(out_dir: Path, generation: str) -> Path:
    return out_dir.parent / f".{out_dir.name}.spare-{generation}"


def remove_later(path: Path) -> None:
    """Delete a tree in a detached process: the build does not wait on tens of
    thousands of unlinks. The tree is first renamed to a name no build will use again
    (the staging name is reused by this process's next build, which a late removal
    would eat into). A leftover is removed by the next build."""
    doomed = path.parent / f"{path.name.split('.staging-')[0].split('.old-')[0]}.old-{time.time_ns():x}-{os.getpid()}"
    try:
        os.rename(path, doomed)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return
    detached("import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(doomed))


_CLONE = """
import os, shutil, sys
fd, target = int(sys.argv[1]), sys.argv[2]
temp = f"{target}.part-{os.getpid()}"
try:
    os.mkdir(temp)
    for root, dirs, files, root_fd in os.fwalk(".", dir_fd=fd):
        base = os.path.join(temp, root)
        for name in dirs:
            os.mkdir(os.path.join(base, name))
        for name in files:
            os.link(name, os.path.join(base, name), src_dir_fd=root_fd, follow_symlinks=False)
    os.rename(temp, target)
except OSError:
    shutil.rmtree(temp, ignore_errors=True)
"""


def clone_later(out_dir: Path, target: Path) -> None:
    """Make the next build's mirror in a detached process. It reads the tree through
    a descriptor of this very folder, so a later swap cannot mix generations into it."""
    try:
        fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        detached(_CLONE, str(fd), str(target), pass_fds=(fd,))
    finally:
        os.close(fd)


def clone_now(out_dir: Path, target: Path) -> None:
    """clone_later's work done here, for a small site: starting a process costs more."""
    temp = target.with_name(f"{target.name}.part-{os.getpid()}")
    try:
        clone(out_dir, temp)
        os.rename(temp, target)
    except OSError:
        shutil.rmtree(temp, ignore_errors=True)


def detached(code: str, *args: str, pass_fds=()) -> None:
    try:
        subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=pass_fds,
        )
    except OSError:
        pass


def clone(source: Path, target: Path) -> set[str]:
    """A mirror of ``source`` made of hard links; returns the files' paths."""
    target.mkdir()
    present = set()
    for root, dirs, files in os.walk(source):
        rel = os.path.relpath(root, source)
        base = target / rel
        prefix = "" if rel == "." else rel + "/"
        for name in dirs:
            (base / name).mkdir()
        for name in files:
            os.link(os.path.join(root, name), base / name)
            present.add(prefix + name)
    return present


def existing_files(out_dir: Path) -> dict[str, int]:
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


@functools.lru_cache(maxsize=1)
def _libc_renameat2():
    # find_library runs ldconfig in a subprocess: once per process, not per build.
    try:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False where unsupported."""
    renameat2 = _libc_renameat2()
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap(staging: Path, out_dir: Path) -> Path | None:
    """Put staging in place of out_dir; return where the old tree now is (or None)."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return None
    if exchange(staging, out_dir):
        return staging  # now the old site
    # No atomic exchange here: two renames, with the old tree kept until the new is in.
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old, out_dir)  # the old site back in place
        raise
    return old
