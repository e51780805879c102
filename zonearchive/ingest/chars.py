"""Characters that no output may carry, removed at the door (raw pages, Markdown
files, the gazetteer) and logged like repairs.

XML 1.0 forbids C0 controls but tab, newline and CR, and U+FFFE/U+FFFF; C1 controls
and the other noncharacters are discouraged there and meaningless in news text; a
lone surrogate cannot be encoded as UTF-8; bidi overrides, embeddings and isolates
reorder the text around them (a Chinese archive never needs them, an attacker can
use them to make a name or URL read differently). Python-Markdown also uses STX/ETX
as its own placeholders, so they must never reach it.
"""

from __future__ import annotations

import re

from .repair import Repair

# Separators become a space (they stood between words); everything else goes.
_SPACE = {"\x0b": " ", "\x0c": " ", "\x85": " "}
_NONCHARS = "".join(chr(p) + chr(p + 1) for p in range(0xFFFE, 0x110000, 0x10000))
_UNSAFE_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile("[" + _UNSAFE_BMP + re.escape(_NONCHARS) + "]+")
# UNSAFE's characters below U+10000, for a character class: a text with none above
# is scanned for these many times faster (UNSAFE's astral list slows every test).
UNSAFE_BMP = _UNSAFE_BMP + "\ufffe\uffff"


def clean_text(text: str, line: int, log: list[Repair], first_line: int | None = None) -> str:
    """``text`` without unsafe characters; each line that lost some is logged with its
    number (``line`` for one-line values; ``first_line`` counts the lines of a text)."""
    if not UNSAFE.search(text):
        return text  # nearly always
    if first_line is not None:
        return "\n".join(clean_text(part, first_line + i, log) for i, part in enumerate(text.split("\n")))
    removed: list[str] = []

    def replace(match):
        removed.append(match.group(0))
        return "".join(_SPACE.get(c, "\ufffd" if "\ud800" <= c <= "\udfff" else "") for c in match.group(0))

    cleaned = UNSAFE.sub(replace, text)
    kinds = "".join(sorted(set("".join(removed))))
    log.append(Repair(line, kinds[:8], "", "unsafe character"))
    return cleaned
