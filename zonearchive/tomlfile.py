"""TOML as editors write it (gazetteer, sidecars, front matter, settings): parse
errors and bad keys are reported with the file and the line, in plain words."""

from __future__ import annotations

import re
import tomllib

from .errors import DecodeError, ZoneArchiveError
from .fsutil import read_source
from .i18n import N_, _

TWICE = N_("a key or table is given twice")
# tomllib's messages, as an editor who has never read the TOML spec understands them.
_PLAIN = [
    (r"Illegal character '\\n'|Unterminated string", N_('a quoted value is not closed (add the closing ")')),
    (r"Illegal character", N_("a quoted value holds a control character")),
    (r"Invalid value", N_('the value is not valid: text must be quoted (key = "text")')),
    (r"Expected '=' after a key", N_("expected key = value")),
    (r"Invalid initial character for a key part|Invalid statement", N_("expected key = value or a [table] line")),
    (
        r"Cannot declare \(?'?(.*?)'?\)? twice|Cannot overwrite a value|Duplicate inline table key",
        TWICE,
    ),
    (r"Invalid date or datetime", N_("not a real date (2024-07-01 is one)")),
    (r"Unclosed array", N_("a list [ ... ] is not closed")),
    (r"Unclosed inline table", N_("a table { ... } is not closed")),
    (r"Expected newline or end of document", N_("only one key = value per line")),
    (r"Expected '\]\]?' at the end", N_("a [table] line is not closed by ]")),
    (r"Unescaped '\\' in a string", N_("a \\ in a quoted value must be written \\\\")),
]


def plain_message(message: str) -> str:
    for pattern, plain in _PLAIN:
        if re.search(pattern, message):
            return _(plain)
    return _("not valid TOML: {message}").format(message=message)


def parse_toml(text: str, path, first_line: int = 1) -> dict:
    """Parse ``text``, which starts at line ``first_line`` of ``path``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) + first_line - 1 if found else first_line
        message = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", str(error))
        plain = plain_message(message)
        if plain == _(TWICE):  # tomllib points past the repeat; name it and its line
            repeat = _first_repeat(text)
            if repeat:
                plain, line = _("{key} is given twice").format(key=repeat[0]), repeat[1] + first_line - 1
        raise ZoneArchiveError(path, plain, line) from None


def _first_repeat(text: str) -> tuple[str, int] | None:
    """The first key (within its table) or [table] header that repeats one above it."""
    seen: set[str] = set()
    table = ""
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):  # each [[array]] entry starts its keys afresh
            table = line.split("#")[0].strip()
            seen = {k for k in seen if not k.startswith(table + "\0")}
            continue
        if line.startswith("["):
            table = line.split("#")[0].strip()
            name = table
        elif "=" in line:
            name = line.split("=", 1)[0].strip()
        else:
            continue
        key = table + "\0" + name if name != table else name
        if key in seen:
            return name, no
        seen.add(key)
    return None


def read_toml_text(path, label) -> str:
    """A TOML file's text: UTF-8 (a BOM allowed), else an error naming the byte."""
    data = read_source(path, label)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DecodeError(label, _("TOML files must be saved as UTF-8"), error.start) from None


def key_lines(text: str, first_line: int = 1) -> dict[str, int]:
    """The line of each ``key = ...`` in ``text`` (the first, for repeated keys)."""
    lines: dict[str, int] = {}
    for i, raw in enumerate(text.splitlines()):
        if "=" in raw and not raw.lstrip().startswith("#"):
            lines.setdefault(raw.split("=", 1)[0].strip(), i + first_line)
    return lines


def table_key_lines(text: str, table: str) -> dict[str, int]:
    """``key_lines`` of the keys under the ``[table]`` header only."""
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$")
    start = next((i for i, raw in enumerate(lines) if header.match(raw)), None)
    if start is None:
        return {}
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    return key_lines("\n".join(lines[start + 1 : end]), first_line=start + 2)
