"""Repairs of PDF-extraction damage, and only that. Every repair is recorded.

* Founder (方正) fonts put the symbols of GB2312 rows 1-9 onto the hanzi whose lead
  byte is 0x31 higher (℃ A1E6 -> 益 D2E6). Those hanzi are also ordinary words
  (效益, 依法), so a glyph is repaired only next to digits, where the symbol belongs.
* ASCII punctuation between Chinese characters is an extraction artefact.
* Spaces between a digit/Latin run and Chinese text are artefacts (``19 亿元``):
  the one rule, everywhere, is to remove them; spaces between two Chinese
  characters and between two Latin words are real and kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese punctuation and brackets that count as "Chinese text" for spacing.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018-\u201d\u2026\u00b7"


def _founder_glyph(symbol: str) -> str:
    # Python's GB2312 codec spells A1A4 as KATAKANA MIDDLE DOT; the paper means U+00B7.
    lead, trail = symbol.replace("·", "\u30fb").encode("gb2312")
    return bytes([lead + 0x31, trail]).decode("gb2312")


# Symbols that stand next to numbers. Units follow a digit; operators stand between digits.
_UNITS = "℃°‰"
_OPERATORS = "×±～≤≥·"
UNIT_GLYPHS = {_founder_glyph(s): s for s in _UNITS}
OPERATOR_GLYPHS = {_founder_glyph(s): s for s in _OPERATORS}
MICRO_GLYPH = (_founder_glyph("μ"), "μ")  # μm, μg: after a digit and before a Latin unit

_UNIT_RE = re.compile(r"(?<=[0-9])([%s])" % "".join(UNIT_GLYPHS))
_OPERATOR_RE = re.compile(r"(?<=[0-9]) ?([%s]) ?(?=[0-9])" % "".join(OPERATOR_GLYPHS))
_MICRO_RE = re.compile(r"(?<=[0-9]) ?%s(?=[A-Za-z])" % MICRO_GLYPH[0])

_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# ASCII , ; : ? ! with Chinese on both sides (spaces around it are artefacts too).
_STRAY_PUNCT = re.compile(r"(?<=[%s%s]) ?([,;:?!]) ?(?=[%s])" % (CJK, CJK_PUNCT, CJK))
# An ASCII bracket touching Chinese on its inner side: (神示管发… / …28 号)
_STRAY_OPEN = re.compile(r"\((?= ?[%s])" % CJK)
_STRAY_CLOSE = re.compile(r"(?<=[%s]) ?\)" % CJK)

_NARROW = "0-9A-Za-z%.+"
_SPACE_AFTER_NARROW = re.compile(r"(?<=[%s]) +(?=[%s%s])" % (_NARROW, CJK, CJK_PUNCT))
_SPACE_BEFORE_NARROW = re.compile(r"(?<=[%s%s]) +(?=[%s])" % (CJK, CJK_PUNCT, _NARROW))
_SPACE_IN_PUNCT = re.compile(r"(?<=[%s]) +|(?<=[%s]) +(?=[%s])" % ("，。；：！？、（“‘《", CJK, "，。；：！？、）”’》"))


@dataclass(frozen=True)
class Repair:
    line: int
    before: str
    after: str
    kind: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.kind} {self.before!r} -> {self.after!r}"


GLYPHS = set(UNIT_GLYPHS) | set(OPERATOR_GLYPHS) | {MICRO_GLYPH[0]}
ASCII_PUNCT = set(",;:?!()")
_EITHER = re.compile("[%s]" % re.escape("".join(sorted(GLYPHS | ASCII_PUNCT))))  # one C-level look


def repair_line(text: str, line: int, log: list[Repair]) -> str:
    """Glyph and punctuation repairs on one visual line (they never span lines)."""
    if not _EITHER.search(text):
        return text  # most lines: nothing to look at
    glyphs = not GLYPHS.isdisjoint(text)
    punct = not ASCII_PUNCT.isdisjoint(text)

    def sub(pattern, make, kind):
        nonlocal text

        def replace(m):
            new = make(m)
            log.append(Repair(line, m.group(0), new, kind))
            return new

        text = pattern.sub(replace, text)

    if glyphs:
        sub(_UNIT_RE, lambda m: UNIT_GLYPHS[m.group(1)], "glyph")
        sub(_OPERATOR_RE, lambda m: OPERATOR_GLYPHS[m.group(1)], "glyph")
        sub(_MICRO_RE, lambda m: MICRO_GLYPH[1], "glyph")
    if punct:
        sub(_STRAY_PUNCT, lambda m: _ASCII_TO_FULL[m.group(1)], "punctuation")
        sub(_STRAY_OPEN, lambda m: "（", "punctuation")
        sub(_STRAY_CLOSE, lambda m: "）", "punctuation")
    return text


_BLANKS = re.compile(r"[ \t\u00a0]+")


def tidy_spaces(text: str) -> str:
    """Apply the one spacing rule to a joined paragraph or field."""
    if " " not in text and "\t" not in text and "\u00a0" not in text:
        return text.strip()  # no rule below finds a space to remove
    text = _BLANKS.sub(" ", text).strip()
    text = _SPACE_AFTER_NARROW.sub("", text)
    text = _SPACE_BEFORE_NARROW.sub("", text)
    return _SPACE_IN_PUNCT.sub("", text)


def join_lines(lines: list[str]) -> str:
    """Join visual lines: no space between Chinese; one space between two Latin words."""
    parts: list[str] = []
    last = ""  # the last character joined so far
    for piece in lines:
        piece = piece.strip()
        if not piece:
            continue
        if last.isascii() and last.isalpha() and piece[0].isascii() and piece[0].isalpha():
            parts.append(" ")
        parts.append(piece)
        last = piece[-1]
    return tidy_spaces("".join(parts))


# Some PDF fonts map hanzi onto Kangxi radicals (⽇ U+2F47 for 日), CJK radicals or
# compatibility ideographs; extractors then print those code points. NFKC turns each
# into its unified ideograph; it is applied to those ranges only (elsewhere it would
# change full-width punctuation and digits the archive keeps as printed).
# A horizontal bar (U+2015) is how some fonts map the dash of ——: the same mark.
FORMS_BMP = "\u2015\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff"  # FORMS below U+10000, for a character class
FORMS = re.compile(f"[{FORMS_BMP}\U0002f800-\U0002fa1f]")


# The simplified radicals that are whole characters have no NFKC mapping: a table.
# So have a few radical forms that fonts give for the whole character (⻝ for 食).
_WHOLE_FORMS = dict(
    zip(
        "⻅⻉⻋⻓⻔⻙⻚⻛⻜⻢⻥⻦⻧⻨⻩⻬⻮⻰⻆⻪⺠⻄⻝⻣⻤⻘―", "见贝车长门韦页风飞马鱼鸟卤麦黄齐齿龙角黾民西食骨鬼青—"
    )
)


def normalise_forms(text: str, line: int, log: list[Repair]) -> str:
    """Radicals and compatibility ideographs -> the ideographs they stand for (logged)."""
    if not FORMS.search(text):
        return text

    def replace(match):
        new = _WHOLE_FORMS.get(match.group(0)) or unicodedata.normalize("NFKC", match.group(0))
        if new != match.group(0):
            log.append(Repair(line, match.group(0), new, "ideograph form"))
        return new

    return FORMS.sub(replace, text)
