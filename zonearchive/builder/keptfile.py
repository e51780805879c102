"""What a `build` command keeps in the cache for the next one, as the live preview
keeps it in memory (render's memos): one pickle each, trusted only when the same
code made it; missing, damaged or older, the next build works without it."""

from __future__ import annotations

import pickle
from pathlib import Path

from ..fsutil import write_atomically
from .version import code_version


def load(path: Path | None):
    """What save() left at ``path``; None when there is nothing to trust."""
    try:
        version, value = pickle.loads(path.read_bytes()) if path else (None, None)
    except Exception:  # missing or damaged: the build works without it
        return None
    return value if version == code_version() else None


def save(path: Path | None, value) -> None:
    if path is None:
        return
    try:
        write_atomically(path, pickle.dumps((code_version(), value), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:  # a full or read-only cache: the next build does the work
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
