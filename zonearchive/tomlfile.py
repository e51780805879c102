"""TOML as editors write it (gazetteer, sidecars, front matter, settings): parse
errors and bad keys are reported with the file and the line."""

from __future__ import annotations

import re
import tomllib

from .errors import ZoneArchiveError


def parse_toml(text: str, path, first_line: int = 1) -> dict:
    """Parse ``text``, which starts at line ``first_line`` of ``path``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) + first_line - 1 if found else first_line
        message = re.sub(r" \(at line \d+, column \d+\)$", "", str(error))
        raise ZoneArchiveError(path, f"not valid TOML: {message}", line) from None


def key_lines(text: str, first_line: int = 1) -> dict[str, int]:
    """The line of each ``key = ...`` in ``text`` (the first, for repeated keys)."""
    lines: dict[str, int] = {}
    for i, raw in enumerate(text.splitlines()):
        if "=" in raw and not raw.lstrip().startswith("#"):
            lines.setdefault(raw.split("=", 1)[0].strip(), i + first_line)
    return lines
