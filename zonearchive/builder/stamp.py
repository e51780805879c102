"""The no-change fast path: a digest of everything a build reads, kept in the cache
after a successful build. When it matches, the build has nothing to do."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from ..config import Settings
from ..errors import SourceWarning, ZoneArchiveError
from ..fsutil import read_source, scan_tree, write_atomically
from .version import code_version


def fingerprint(settings: Settings, seen: dict[str, bytes] | None = None) -> str:
    """Everything a build reads: the code and the libraries that shape the output, the
    settings (and the file they come from), the gazetteer wherever it lives, and every
    file under the seeds, templates and static folders. ``seen``: filled with the sha1
    of each file under the seeds that could be read (the build need not read it again)."""
    digest = hashlib.sha1()
    digest.update(code_version().encode())
    digest.update(repr(sorted((k, str(v)) for k, v in vars(settings).items())).encode())
    singles = [settings.root / "pyproject.toml", settings.gazetteer_path]
    for path in singles:
        digest.update(str(path).encode() + b"\0" + _file_digest(path))
    published = os.path.realpath(settings.published_path)
    for folder, hidden in ((settings.seeds_dir, False), (settings.templates_dir, True), (settings.static_dir, True)):
        if not folder.is_dir():
            continue
        # The walk the build does (seeds: the same one): links followed, loops cut,
        # pipes never opened. What it could not read counts too: its warnings.
        files, problems = scan_tree(folder, settings.shown(folder), hidden=hidden)
        for path, label in files:
            if os.path.realpath(path) != published:
                file_digest = _file_digest(path)
                digest.update(label.encode() + b"\0" + file_digest)
                if seen is not None and folder == settings.seeds_dir and not file_digest.startswith(UNREADABLE):
                    seen[str(path)] = file_digest
        for problem in problems:
            digest.update(f"{problem.label}\0{problem.message}\0".encode())
    return digest.hexdigest() + "." + _file_digest(settings.published_path).hex()


def with_published(stamp: str, data: bytes) -> str:
    """The stamp once the build has written the published-URL record itself: the
    record it wrote is what the next build reads, so it is no change."""
    return stamp.rsplit(".", 1)[0] + "." + hashlib.sha1(data).digest().hex()


UNREADABLE = b"unreadable:"


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.sha1(read_source(path, path)).digest()
    except ZoneArchiveError as error:  # reported by the build itself, which reads it again
        return UNREADABLE + error.message.encode()


class Stamp:
    """The last successful build of one output folder, as a small JSON file."""

    def __init__(self, settings: Settings, out: Path):
        self.path = settings.cache_dir / f"last-build-{hashlib.sha1(str(out).encode()).hexdigest()[:10]}.json"
        self.out = out

    def matches(self, stamp: str) -> dict | None:
        """The last build's counts when nothing it read has changed since."""
        try:
            last = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if last.get("fingerprint") == stamp and self.out.is_dir() and _count_files(self.out) == last.get("files"):
            return last
        return None

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)

    def save(self, stamp: str, warnings: Sequence[SourceWarning] = (), **counts: int) -> None:
        # The warnings are kept to be shown again: a build that has nothing to do
        # must not make what it left out silent.
        kept = [[w.path, w.message, w.line] for w in warnings]
        write_atomically(self.path, json.dumps({"fingerprint": stamp, "warnings": kept, **counts}, sort_keys=True))


def _count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))
