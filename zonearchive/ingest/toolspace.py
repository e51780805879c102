"""Spacing that text extractors (pdftotext, pdfminer.six, PyMuPDF) add to a line,
undone before ingest reads it, every change logged as a repair.

* Em, en and no-break spaces where the print had an ideographic space or none.
* Letter-spaced lines: a stretched line printed with a space between every two
  characters (``科 学 导 报 讯   2024 年 1 月 2``). The single spaces go; a wider
  run stays as one space (it was a real gap).
* A space inside quotes or brackets, or after a closing quote before more text
  (``“ 小升规” 培育入``): a stretched line, never a gap the paper printed; left in,
  it reads like the space before a byline.
"""

from __future__ import annotations

import re

from .repair import CJK, Repair

WIDE_SPACES = re.compile("[\u2000-\u200a\u00a0\u202f\u205f]")
_LETTER = re.compile(rf"[{CJK}0-9A-Za-z，。、；：？！“”‘’（）《》%.]")
_QUOTE_SPACE = re.compile(rf"(?<=[“‘（《]) +| +(?=[”’）》])|(?<=[”’]) +(?=[{CJK}])")


def _letter_spaced(text: str) -> bool:
    tokens = text.split()
    singles = sum(1 for t in tokens if len(t) == 1 and _LETTER.match(t))
    return len(tokens) >= 5 and singles >= 0.7 * len(tokens)


def untool_line(text: str, line: int, log: list[Repair]) -> str:
    if " " not in text and not WIDE_SPACES.search(text):
        return text  # nearly every line
    before = text
    text = WIDE_SPACES.sub(" ", text)
    stripped = text.strip()
    if _letter_spaced(stripped):
        text = " ".join(group.replace(" ", "") for group in re.split(r" {2,}", stripped))
        log.append(Repair(line, before.strip(), text, "letter spacing"))
        return text
    if "“" in text or "”" in text or "（" in text or "‘" in text or "’" in text:
        text = _QUOTE_SPACE.sub("", text)
    if text != before and text.strip() != before.strip():
        log.append(Repair(line, before.strip(), text.strip(), "extractor spacing"))
    return text


def split_form_feeds(text: str) -> str:
    """A form feed ends a page in pdftotext's output: a line break, not a character
    (one next to a line end goes, so line numbers stay those of the file)."""
    return text.replace("\n\f", "\n").replace("\f\n", "\n").replace("\f", "\n")
