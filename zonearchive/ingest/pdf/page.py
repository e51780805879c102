"""A PDF file -> its articles, from the geometry of each printed page.

What the print shows decides: a headline is set larger than the body (the largest
lines are the title, smaller ones above it the kicker, below it the subtitle); a
section heading is set bold in the column; a paragraph starts with an indented
line; a byline stands right-aligned at the end, after a wide gap on the last line,
under the headline or inside the dateline's brackets; a headline belongs to the
body it stands nearer to. Every line then goes through the text repairs (unsafe
characters, ideograph forms, Founder glyphs), each logged with its line number
(lines are counted in reading order over the whole file).
"""

from __future__ import annotations

from ...model.article import Article
from ..byline import parse_byline
from ..chars import clean_text
from ..markers import CONT_FROM, DATELINE
from ..page import Page
from ..repair import Repair, normalise_forms, repair_line
from .article import _WIDE, _Draft, _Line, build_article
from .geometry import PrintedLine, reading_order
from .glyphs import read_pdf

HEAD_SIZE = 1.2  # a headline line is set at least this much larger than the body
HEADING_SIZE = 1.05  # a section heading is bold, or set a little larger than the body
INDENT = 1.2  # a paragraph's first line starts at least this many characters in


def extract_pdf(data: bytes, source: str, key: str) -> Page:
    repairs: list[Repair] = []
    notes: list[tuple[int, str]] = []
    drafts: list[_Draft] = []
    no = 0
    leaves = 0
    for page in read_pdf(data, source):
        printed, size = reading_order(page.glyphs, page.number, leaves)
        leaves += len(printed) + 1
        lines = []
        for p in printed:
            no += 1
            text = clean_text(p.text, no, repairs)
            text = repair_line(normalise_forms(text, no, repairs), no, repairs)
            if text.strip():
                lines.append(_Line(no, text, p))
        _classify(lines, size)
        drafts.extend(_drafts(lines, size, notes))
    articles: list[Article] = []
    for draft in drafts:
        if draft.lines or draft.head:
            articles.append(build_article(draft, source, f"{key}-{len(articles) + 1:02d}", len(articles) + 1, notes))
    return Page(source, articles, repairs, notes)


def _classify(lines: list[_Line], size: float) -> None:
    by_leaf: dict[int, list[_Line]] = {}
    for line in lines:
        p = line.printed
        if p.size >= HEAD_SIZE * size:
            line.kind = "head"
        elif (p.bold or p.size >= HEADING_SIZE * size) and not DATELINE.match(line.text):
            line.kind = "heading"
        else:
            by_leaf.setdefault(p.leaf, []).append(line)
    for leaf in by_leaf.values():
        left = min(line.printed.x0 for line in leaf)
        right = max(line.printed.x1 for line in leaf)
        if len(leaf) == 1:  # one line: is it indented? Its column's neighbouring blocks say
            left = _column_left(leaf[0], lines, size)
        for line in leaf:
            p = line.printed
            inset = (p.x0 - left) / size
            flush_right = right - p.x1 < size
            if inset >= 2.5 and flush_right and parse_byline(line.text.replace("\u2003", " ")):
                line.kind = "byline"
            line.starts = inset >= INDENT


def _column_left(line: _Line, lines: list[_Line], size: float) -> float:
    """The left edge of a one-line block's column: the body lines of the blocks read
    just before and after it, in the same column."""
    p = line.printed
    near = [
        o.printed.x0
        for o in lines
        if o.kind == "body"
        and o.printed.page == p.page
        and 0 < abs(o.printed.leaf - p.leaf) <= 2
        and abs(o.printed.top - p.top) < 30 * size
        and o.printed.x0 <= p.x0 + 0.5
        and p.x0 - o.printed.x0 < 3 * size
        and min(o.printed.x1, p.x1) - max(o.printed.x0, p.x0) > 0
    ]
    return min(near, default=p.x0)


def _nearer_below(run: list[_Line], lines: list[_Line]) -> bool:
    """Whether the body straight under the headline run (in its columns) is nearer
    than the one straight above it."""
    x0 = min(line.printed.x0 for line in run)
    x1 = max(line.printed.x1 for line in run)
    top, bottom = run[0].printed.top, run[-1].printed.bottom
    up = down = float("inf")
    for line in lines:
        p = line.printed
        if line.kind == "head" or p.page != run[0].printed.page or min(p.x1, x1) <= max(p.x0, x0):
            continue
        if p.bottom <= top + 0.5:
            up = min(up, top - p.bottom)
        elif p.top >= bottom - 0.5:
            down = min(down, p.top - bottom)
    return down <= up


def _headlines_above(lines: list[_Line], runs: list[tuple[int, int]]) -> bool:
    """The page's habit: headlines over their bodies (nearly every paper) or under
    them. Each headline votes by the nearer body; a page keeps one habit, so one
    headline that stands nearer the wrong body (a short column) is outvoted."""
    votes = [_nearer_below(lines[i:j], lines) for i, j in runs]
    return sum(votes) * 2 >= len(votes)


def _lead_byline(line: _Line, after: _Line | None) -> bool:
    """A short line right under a headline, standing in a block of its own, that reads
    as a byline."""
    return (
        line.kind in ("body", "byline")
        and (after is None or line.printed.leaf != after.printed.leaf)
        and parse_byline(_WIDE.sub(" ", line.text)) is not None
    )


def _ends_with_byline(line: _Line) -> bool:
    return "\u2003" in line.text and parse_byline(line.text.rsplit("\u2003", 1)[1]) is not None


def _head_runs(lines: list[_Line]) -> dict[int, int]:
    """Start -> end of each headline run: head lines, lines of their block, and a
    byline set just under them."""
    runs = {}
    i = 0
    while i < len(lines):
        if lines[i].kind != "head":
            i += 1
            continue
        j = i
        while j < len(lines) and (
            lines[j].kind == "head" or (lines[j].printed.leaf == lines[i].printed.leaf and lines[j].kind != "heading")
        ):
            j += 1
        # A byline set under the headline, a little apart from it, is the headline's.
        if j < len(lines) and _lead_byline(lines[j], lines[j + 1] if j + 1 < len(lines) else None):
            j += 1
        runs[i] = j
        i = j
    return runs


ROW_GAP = 2.0  # body sizes of empty space between two blocks of text of different articles


def _apart(before: PrintedLine, line: PrintedLine, size: float) -> bool:
    return before.page == line.page and line.top - before.bottom > ROW_GAP * size


def _drafts(lines: list[_Line], size: float, notes) -> list[_Draft]:
    drafts: list[_Draft] = []
    current = _Draft()

    def close():
        nonlocal current
        if current.head or current.lines or current.bylines:
            drafts.append(current)
        current = _Draft()

    runs = _head_runs(lines)
    above = _headlines_above(lines, list(runs.items()))
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == "head":
            j = runs[i]
            run = lines[i:j]
            first = not any(o.kind in ("body", "byline") for o in lines[:i])
            last = not any(o.kind in ("body", "byline") for o in lines[j:])
            if (above or first) and not (last and not first):
                close()
                current.head = run
            elif current.lines or current.bylines:
                current.head = run
                close()
            elif drafts and not drafts[-1].head:
                drafts[-1].head = run  # the body above was closed by its byline
            else:
                current.head = run
                notes.append((line.no, "a headline with no body next to it is published as an article of its own"))
                close()
            i = j
            continue
        if line.kind == "byline":
            byline = parse_byline(line.text.replace("\u2003", " "))
            assert byline is not None
            current.bylines.append(byline)
            close()
        else:
            fresh = line.starts and bool(DATELINE.match(line.text) or CONT_FROM.match(line.text))
            # A body set well below the one read before it, across a gap wider than any
            # inside an article (a row of the page), is another article.
            apart = bool(current.lines) and _apart(current.lines[-1].printed, line.printed, size)
            if (fresh or apart) and any(o.kind == "body" for o in current.lines):
                if not fresh:
                    notes.append(
                        (
                            line.no,
                            "a new article starts here only because its text stands a row apart from the text before it",
                        )
                    )
                close()
            current.lines.append(line)
            if _ends_with_byline(line):
                close()  # the byline printed at the end of the last line ends the article
        i += 1
    close()
    return drafts
