"""What an extractor's blank lines say. pdftotext leaves a blank line only between
the blocks it found (a kicker, a title with its subtitle, a heading, a body);
pdfminer.six leaves one after every body line but none inside a headline. Either
shows where a headline ends and its body starts, which line widths alone cannot
when a narrow column wraps every part of a headline."""

from __future__ import annotations

from .byline import parse_byline
from .layout import Columns
from .lines import NUMBER_START, PUSHED_OUT, Line, PrintedWords
from .markers import SUBTITLE

INDENT_SPREAD = 4.5  # cells an indented first line may measure short of its column


def mark_blocks(lines: list[Line], gaps: list[bool]) -> None:
    """Read block edges off the blank lines: gaps[i] is True when a blank line stood
    right above lines[i]."""
    blanks = sum(gaps[1:])
    if not blanks:
        return
    dense = blanks >= 0.5 * (len(lines) - 1)
    for line, gap in zip(lines[1:], gaps[1:]):
        line.joined = not gap
        if not dense:
            line.edge = gap
    if not dense and lines:
        lines[0].edge = True


def whole_blocks(lines: list[Line], a: int, b: int) -> bool:
    """Are lines[a:b] whole blocks of the extractor's, three at most?"""
    if not lines[a].edge or (b < len(lines) and not lines[b].edge):
        return False
    return sum(1 for k in range(a, b) if lines[k].edge) <= 3


def block_end(lines: list[Line], a: int, b: int, cols: Columns, printed: PrintedWords) -> int | None:
    """Where the block after the head-like lines[a:b] starts, by the page's blank
    lines: the body's first line opens a block (lines[b], or an earlier head-like line
    that opens the body's block). None when the blank lines do not tell."""
    if lines[b].edge:
        return b
    # Nothing of a body comes before a ——— subtitle: the body's block opens after it.
    subs = [k for k in range(a, b) if SUBTITLE.match(lines[k].text)]
    edges = [k for k in range(subs[-1] + 1 if subs else a + 1, b) if lines[k].edge]
    if edges:
        # A body's block opens with lines as wide as its column (or an indent short:
        # two cells, and up to two more when Latin digits and % print wider than the
        # half cell they are measured at); clearly narrower ones are the headline's,
        # set in a block with the body.
        # (A line the next one's push-out, number or bracketed term shortened runs on
        # into it: body. No headline line goes on into "（PEEK）、…".)
        runs_on = PUSHED_OUT.match(lines[b].text) or NUMBER_START.match(lines[b].text.lstrip("（("))
        if not runs_on and all(cols.short(k, INDENT_SPREAD) for k in range(edges[-1], b)):
            return b
        # The body's first line may run on into lines[b] by a word the page prints
        # elsewhere (``瑞安高新技术产业开发`` / ``区：…``): the short lines above it
        # in the block are the headline's.
        first = b - 1
        if (
            first > edges[-1]
            and printed.joins(lines[first].text, lines[b].text)
            and all(cols.short(k, INDENT_SPREAD) for k in range(edges[-1], first))
        ):
            return first
        return edges[-1]
    if a + 1 < b and lines[a + 1].joined:
        # Blank lines after nearly every line (pdfminer.six): a headline is printed as
        # lines with none between them, and the body's first line stands apart.
        k = a + 1
        while k < b and lines[k].joined:
            k += 1
        if k == b and not lines[b].joined:
            return b
        if k < b:
            # The headline's lines (a wrapped title or subtitle among them) end
            # there: the first line that stands apart after them is the body's, or a
            # name printed under the headline (its byline, which goes with it).
            name = parse_byline(lines[k].text)
            return k + 1 if name is not None and name.name_like else k
    return None
