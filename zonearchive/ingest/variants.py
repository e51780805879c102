"""Traditional characters in a Simplified page: OpenCC's tables (via the
opencc-python-reimplemented package, Apache-2.0), read once a process. Search uses
them to answer Traditional queries; ingest to undo a font that printed a Simplified
character as its Traditional twin (pdfminer.six gives 戶 for 户 with fonts that draw
both with one glyph)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .lines import Line
from .repair import Repair


def _opencc_dictionary() -> Path:
    import opencc  # opencc-python-reimplemented: OpenCC's tables, Apache-2.0

    return Path(opencc.__file__).parent / "dictionary"


def _table(name: str) -> dict[str, list[str]]:
    out = {}
    for line in (_opencc_dictionary() / name).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, values = line.split("\t", 1)
            out[key] = values.split()
    return out


@lru_cache(maxsize=1)
def _characters() -> tuple[dict[str, str], frozenset[str]]:
    """(Traditional-only character -> its Simplified one, Simplified-only characters).
    A character that is also Simplified (乾, 著) is in neither."""
    chars = _table("TSCharacters.txt")
    back = _table("STCharacters.txt")
    simplified = set(back) | {v for vs in chars.values() for v in vs}
    char_map = {t: vs[0] for t, vs in chars.items() if len(t) == 1 and t not in simplified and vs[0] != t}
    only = frozenset(s for s, ts in back.items() if len(s) == 1 and ts[0] != s and s not in char_map)
    return char_map, only


@lru_cache(maxsize=1)
def t2s_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(character map, phrase map), Traditional-only characters as keys."""
    char_map = _characters()[0]
    phrases = {}
    for t, vs in _table("TSPhrases.txt").items():
        by_char = "".join(char_map.get(c, c) for c in t)
        if by_char != vs[0] and any(c in char_map for c in t):
            phrases[t] = vs[0]
    return char_map, phrases


_CHARREF = re.compile(rb"&#(\d+);")
STRAY_SHARE = 0.05  # at most this many Traditional-only characters per Simplified-only one


def simplify_strays(lines: list[Line], log: list[Repair]) -> None:
    """A page written in Simplified characters keeps no Traditional-only one: each is
    the font's twin of the Simplified character (logged). A page with many is left as
    printed (a Traditional page, or a quotation in one)."""
    char_map, simplified = _characters()
    page = "\n".join(line.text for line in lines)
    # Traditional-only characters are outside GB2312 (but for a few also used in
    # Simplified text, 後 菸): the codec finds what is outside in C, nearly always none.
    outside = {chr(int(n)) for n in _CHARREF.findall(page.encode("gb2312", "xmlcharrefreplace"))}
    strays = outside & char_map.keys()
    if not strays:
        return
    counts = Counter(page)  # once, in C: a page may hold every Traditional character
    simple = sum(n for c, n in counts.items() if c in simplified)
    traditional = sum(counts[c] for c in strays)
    if simple < 20 or traditional > STRAY_SHARE * simple:
        return
    table = str.maketrans({c: char_map[c] for c in strays})
    for line in lines:
        fixed = line.text.translate(table)
        if fixed != line.text:
            log.extend(Repair(line.no, c, char_map[c], "variant form") for c in line.text if c in strays)
            line.text = fixed
