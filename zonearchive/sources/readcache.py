"""What reading a source gave (a raw page's articles, a Markdown file's article), kept
in the cache by the code version, the source's place and its bytes; pruned to the
sources as they are now, so that an archive's cache does not grow with every edit."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from ..fsutil import write_atomically


def key(version: str, kind: str, label: str, path: Path, data: bytes) -> str:
    """The code, where the source is (its name numbers its articles) and its bytes."""
    return key_of(version, kind, label, path, hashlib.sha1(data).digest())


def key_of(version: str, kind: str, label: str, path: Path, digest: bytes) -> str:
    """key() from the sha1 of the bytes (the no-change check has it: no second read)."""
    head = f"{version}\0{kind}{label}\0{path.stem}\0".encode("utf-8", "surrogateescape")
    return hashlib.sha1(head + digest).hexdigest()


def _file(cache_dir: Path, entry: str) -> Path:
    return cache_dir / "extract" / f"{entry}.pickle"


def get(cache_dir: Path | None, entry: str | None):
    """The reading kept as ``entry``; None when there is none (or a damaged one: read
    again, never trusted)."""
    if not cache_dir or not entry:
        return None
    try:
        return pickle.loads(_file(cache_dir, entry).read_bytes())
    except Exception:
        return None


def put(cache_dir: Path, entry: str, reading) -> None:
    try:
        write_atomically(_file(cache_dir, entry), pickle.dumps(reading))
    except OSError:
        pass  # a full or read-only cache: the build goes on, the next one reads the source again


def prune(cache_dir: Path, kept: set[str]) -> None:
    """Remove every reading but those of ``kept`` (the entries of every source as it is:
    the caller read them all)."""
    folder = cache_dir / "extract"
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.endswith(".pickle") and name[: -len(".pickle")] not in kept:
            try:
                os.unlink(folder / name)
            except OSError:
                pass  # another build's, or gone already: a cache entry, never content
