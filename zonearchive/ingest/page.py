"""One raw page -> its articles.

The page is read as visual lines. Fixed cues cut it into runs: a byline ends an
article, a dateline or a 上接 marker starts one. Headline blocks (short lines with
no sentence punctuation) sit next to those cuts; each is given to the body before
or after it by evidence (how many of its words that body uses, which side the page's
edge blocks fall on, and the page keeping one layout habit), never by a fixed rule.
Bylines are read in every printed form (byline.py); one taken or refused on weak
evidence is written to ``Page.notes`` with its line (the build names the file).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.article import Article
from .assemble import build_article
from .attach import assign_headlines
from .blocks import mark_blocks
from .chars import UNSAFE, UNSAFE_BMP, clean_text
from .decode import decode_page
from .hyphens import restore_hyphens
from .layout import page_measure
from .lines import Line
from .repair import ASCII_PUNCT, FORMS, FORMS_BMP, GLYPHS, Repair, normalise_forms, repair_line
from .segment import segment
from .toolspace import WIDE_SPACES, split_form_feeds, untool_line
from .variants import simplify_strays


@dataclass
class Page:
    source: str
    articles: list[Article]
    repairs: list[Repair] = field(default_factory=list)
    # Decisions taken on weak evidence ("file:line N: what was decided"), for people to check.
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what was decided on weak evidence)


def extract_file(path, source: str | None = None) -> Page:
    path = Path(path)
    data = path.read_bytes()
    text, _ = decode_page(data, source or path)
    return extract_page(text, source or str(path), page_key(path.stem))


def page_key(stem: str) -> str:
    """An ASCII key for the page, stable for the same file name (ids build on it)."""
    clean = stem.strip().lower()
    if clean and re.fullmatch(r"[a-z0-9][a-z0-9_-]*", clean):
        return clean
    return "p" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10]


# What makes a line need more than stripping, found in one scan of a page (below U+10000).
_CUES = re.compile(
    f"[{UNSAFE_BMP}{FORMS_BMP}{WIDE_SPACES.pattern[1:-1]}{re.escape(''.join(sorted(GLYPHS | ASCII_PUNCT)))}]"
)


def read_lines(text: str, repairs: list[Repair]) -> list[Line]:
    text = split_form_feeds(text.replace("\r\n", "\n").replace("\r", "\n"))
    # A page without astral characters (UTF-16 needs no pair for any) is read by its cues.
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        cues = set(_CUES.findall(text))
        if not any(UNSAFE.match(c) or FORMS.match(c) for c in cues):
            return _read_plain_lines(text, repairs, cues)
    return _read_each_line(text, repairs)


def _read_each_line(text: str, repairs: list[Repair]) -> list[Line]:
    """Every step on every line: what _read_plain_lines must give back too."""
    lines, gaps, blank = [], [], False
    for no, raw in enumerate(text.split("\n"), start=1):
        raw = untool_line(normalise_forms(clean_text(raw, no, repairs), no, repairs), no, repairs)
        stripped = raw.replace("\u3000", " ").replace("\t", " ").strip()
        if stripped:
            lines.append(Line(no, repair_line(stripped, no, repairs)))
            gaps.append(blank)
        blank = not stripped
    mark_blocks(lines, gaps)
    return lines


def _read_plain_lines(text: str, repairs: list[Repair], cues: set[str]) -> list[Line]:
    """read_lines for a page that needs neither clean_text nor normalise_forms (nearly
    every page): the same lines and repairs, each step called only for the lines that
    can need it (clean_text and normalise_forms would change nothing, and the others
    look for characters the page does not hold)."""
    wide = any(WIDE_SPACES.match(c) for c in cues)
    repair = not (GLYPHS.isdisjoint(cues) and ASCII_PUNCT.isdisjoint(cues))
    blanks = "\u3000" in text or "\t" in text
    lines, gaps, blank = [], [], False
    for no, raw in enumerate(text.split("\n"), start=1):
        if not raw:
            blank = True
            continue
        if " " in raw or (wide and WIDE_SPACES.search(raw)):
            raw = untool_line(raw, no, repairs)
        stripped = (raw.replace("\u3000", " ").replace("\t", " ") if blanks else raw).strip()
        if stripped:
            lines.append(Line(no, repair_line(stripped, no, repairs) if repair else stripped))
            gaps.append(blank)
        blank = not stripped
    mark_blocks(lines, gaps)
    return lines


def extract_page(text: str, source: str, key: str) -> Page:
    repairs: list[Repair] = []
    notes: list[tuple[int, str]] = []
    lines = read_lines(text, repairs)
    simplify_strays(lines, repairs)
    measure = page_measure([line.text for line in lines])
    lines = restore_hyphens(lines, measure, repairs, lambda line, what: notes.append((line, what)))
    items = segment(lines, lambda line, what: notes.append((line, what)), measure)
    pairs = assign_headlines(items, lambda line, what: notes.append((line, what)))
    articles = []
    for index, (head, body) in enumerate(pairs, start=1):
        articles.append(
            build_article(head, body, source, f"{key}-{index:02d}", index, measure, lambda n, w: notes.append((n, w)))
        )
    repairs.sort(key=lambda repair: repair.line)  # in the page's order, whichever step made them
    # The cuts and the article may both see a second byline: said once.
    return Page(source, articles, repairs, list(dict.fromkeys(notes)))
