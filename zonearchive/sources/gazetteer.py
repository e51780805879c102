"""The editorial gazetteer (seeds/zones.toml): canonical zone names, aliases, city,
ASCII slug, description. It helps detection; detection never depends on it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ZoneArchiveError
from ..ingest.chars import clean_text
from ..ingest.repair import Repair
from ..tomlfile import parse_toml

KEYS = {"name", "aliases", "city", "slug", "description"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class GazetteerZone:
    name: str
    aliases: list[str] = field(default_factory=list)
    city: str | None = None
    slug: str | None = None
    description: str | None = None
    line: int = 0


def load_gazetteer(path, repairs: list[Repair] | None = None) -> list[GazetteerZone]:
    """The zones; characters no output may carry are removed from their text (and
    logged in ``repairs``)."""
    repairs = [] if repairs is None else repairs
    path = Path(path)
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    data = parse_toml(text, path)
    lines = text.splitlines()
    headers = [i + 1 for i, line in enumerate(lines) if line.strip() == "[[zone]]"]
    unknown_top = set(data) - {"zone"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        raise ZoneArchiveError(path, f"unknown key {key!r} (expected [[zone]] tables)", _line_of(lines, key, 0))
    zones: list[GazetteerZone] = []
    seen: dict[str, tuple[str, int]] = {}
    slugs: dict[str, tuple[str, int]] = {}
    for index, entry in enumerate(data.get("zone", [])):
        start = headers[index] if index < len(headers) else 1
        where = lambda key: _line_of(lines, key, start)  # noqa: E731
        for key in entry:
            if key not in KEYS:
                raise ZoneArchiveError(path, f"unknown key {key!r}; allowed: {', '.join(sorted(KEYS))}", where(key))
        for key in ("name", "city", "description"):
            if isinstance(entry.get(key), str):
                entry[key] = clean_text(entry[key], where(key), repairs)
        if isinstance(entry.get("aliases"), list):
            entry["aliases"] = [clean_text(a, where("aliases"), repairs) if isinstance(a, str) else a for a in entry["aliases"]]
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ZoneArchiveError(path, "each [[zone]] needs a name", start)
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ZoneArchiveError(path, "aliases must be a list of names", where("aliases"))
        slug = entry.get("slug")
        if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug)):
            raise ZoneArchiveError(path, f"bad slug {slug!r}: use lower-case ASCII letters, digits and single hyphens", where("slug"))
        if slug in slugs:
            other, other_line = slugs[slug]
            raise ZoneArchiveError(path, f"slug {slug!r} of {name} is already used by {other} (line {other_line})", where("slug"))
        for alias in [name, *aliases]:
            if alias in seen:
                other, other_line = seen[alias]
                raise ZoneArchiveError(path, f"duplicate name or alias {alias!r}: already given for {other} (line {other_line})", where("aliases") if alias != name else where("name"))
            seen[alias] = (name, start)
        if slug:
            slugs[slug] = (name, start)
        zones.append(GazetteerZone(name, list(aliases), entry.get("city"), slug, entry.get("description"), start))
    return zones


def _line_of(lines: list[str], key: str, start: int) -> int:
    for i in range(max(start - 1, 0), len(lines)):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start or 1
