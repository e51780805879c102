"""The editorial gazetteer (seeds/zones.toml): canonical zone names, aliases, city,
ASCII slug, description. It helps detection; detection never depends on it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ZoneArchiveError
from ..i18n import _
from ..ingest.chars import clean_text
from ..ingest.repair import Repair
from ..tomlfile import parse_toml, read_toml_text
from ..urls import MAX_ID, MAX_ZONE_NAME

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


def load_gazetteer(path, label=None, repairs: list[Repair] | None = None) -> list[GazetteerZone]:
    """The zones of the gazetteer at ``path`` (none if there is no such file); errors
    name it as ``label`` (the path relative to the project). Characters no output may
    carry are removed from their text (and logged in ``repairs``)."""
    repairs = [] if repairs is None else repairs
    path = Path(path)
    if not path.exists():
        return []
    text = read_toml_text(path, label or path)
    path = label or path  # from here on, the file as messages name it
    data = parse_toml(text, path)
    lines = text.splitlines()
    headers = [i + 1 for i, line in enumerate(lines) if line.strip() == "[[zone]]"]
    unknown_top = set(data) - {"zone"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        raise ZoneArchiveError(
            path, _("unknown key {key!r} (expected [[zone]] tables)").format(key=key), _line_of(lines, key, 0)
        )
    zones: list[GazetteerZone] = []
    seen: dict[str, tuple[str, int]] = {}
    slugs: dict[str, tuple[str, int]] = {}
    for index, entry in enumerate(data.get("zone", [])):
        start = headers[index] if index < len(headers) else 1
        where = lambda key, start=start: _line_of(lines, key, start)  # noqa: E731
        for key in entry:
            if key not in KEYS:
                raise ZoneArchiveError(
                    path,
                    _("unknown key {key!r}; allowed: {known}").format(key=key, known=", ".join(sorted(KEYS))),
                    where(key),
                )
        for key in ("name", "city", "slug", "description"):
            if key in entry and not isinstance(entry[key], str):
                raise ZoneArchiveError(path, _("{key} must be a string (in quotes)").format(key=key), where(key))
        for key in ("name", "city", "description"):
            if isinstance(entry.get(key), str):
                entry[key] = clean_text(entry[key], where(key), repairs)
        if isinstance(entry.get("aliases"), list):
            entry["aliases"] = [
                clean_text(a, where("aliases"), repairs) if isinstance(a, str) else a for a in entry["aliases"]
            ]
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ZoneArchiveError(path, _("each [[zone]] needs a name"), start)
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ZoneArchiveError(path, _("aliases must be a list of names"), where("aliases"))
        for alias in [name, *aliases]:
            if len(alias) > MAX_ZONE_NAME:
                raise ZoneArchiveError(
                    path,
                    _("zone name {name}… is {length} characters long; the limit is {limit}").format(
                        name=alias[:12], length=len(alias), limit=MAX_ZONE_NAME
                    ),
                    where("aliases") if alias != name else where("name"),
                )
        slug = entry.get("slug")
        if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > MAX_ID):
            raise ZoneArchiveError(
                path,
                _("bad slug {slug!r}: use lower-case ASCII letters, digits and single hyphens").format(slug=slug),
                where("slug"),
            )
        if slug in slugs:
            other, other_line = slugs[slug]
            raise ZoneArchiveError(
                path,
                _("slug {slug!r} of {name} is already used by {other} (line {line})").format(
                    slug=slug, name=name, other=other, line=other_line
                ),
                where("slug"),
            )
        for alias in [name, *aliases]:
            if alias in seen:
                other, other_line = seen[alias]
                raise ZoneArchiveError(
                    path,
                    _("duplicate name or alias {alias!r}: already given for {other} (line {line})").format(
                        alias=alias, other=other, line=other_line
                    ),
                    where("aliases") if alias != name else where("name"),
                )
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
