"""Zone slugs made from pinyin, kept in the cache between `build` runs: loading the
pinyin tables takes 0.6 s, a large part of a build after a one-article edit."""

from __future__ import annotations

import json
from pathlib import Path

from ..fsutil import write_atomically
from .version import code_version


class SlugBook:
    """The slugs assign_zones made, by prefix and family (a plain dict it adds to),
    as the code that made them left them: other code, or a damaged file, starts empty."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / "zone-slugs.json" if cache_dir else None
        self.slugs: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
            if data.get("version") == code_version() and isinstance(data.get("slugs"), dict):
                self.slugs = {k: v for k, v in data["slugs"].items() if isinstance(k, str) and isinstance(v, str)}
        except (OSError, ValueError, AttributeError):
            pass
        self._saved = dict(self.slugs)

    def save(self) -> None:
        """Write the book when assign_zones added to it."""
        if self.path and self.slugs != self._saved:
            data = {"version": code_version(), "slugs": dict(sorted(self.slugs.items()))}
            try:
                write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=0))
            except OSError:
                return  # a full or read-only cache: the next build makes the slugs again
            self._saved = dict(self.slugs)
