"""A hyphen an extractor took away. pdftotext joins a line that ends in "-" to the
next one and drops the hyphen, as for an English word broken across lines: "今年1-" /
"5月份…" comes out as one overlong line "今年15月份…". Chinese text is not hyphenated
so: a hyphen there was printed, in a range of numbers (1-5月, 2023-2025年), and the
line was two. Only a range is put back: a split the text cannot show is left alone."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..i18n import _
from .layout import column_widths, ends_sentence
from .lines import Line
from .markers import is_headline_like
from .repair import Repair

OVERLONG = 4.0  # cells past the column: no printed line is so long
FIT = 1.0  # cells: the first line, with its hyphen, fills the column
_DIGITS = re.compile("[0-9]+")  # a range the hyphen stood in
_CHINESE = re.compile("[\u4e00-\u9fff]")


def restore_hyphens(
    lines: list[Line], measure: Callable[[str], float], repairs: list[Repair], note=lambda line, what: None
) -> list[Line]:
    """The page's lines with each such join undone (the hyphen back, two lines),
    logged and noted: a number a line break split without a hyphen, joined by hand,
    looks the same."""
    # Only pdftotext joins so, and it leaves blank lines at its blocks' edges alone.
    if len(lines) < 3 or not any(line.edge is not None for line in lines):
        return lines
    widths = [measure(line.text) for line in lines]
    if max(widths) < 1.5 * sorted(widths)[len(widths) // 2]:
        return lines  # nearly every page: no line far wider than a common one
    columns = column_widths(widths)
    # Wider than a column, but no wider than two with the hyphen.
    over = {k for k, (w, column) in enumerate(zip(widths, columns)) if column + OVERLONG < w <= 2 * (column + FIT)}
    if not over:
        return lines
    # Only in a page printed in columns: the lines that run on fill theirs (text typed
    # with a paragraph to a line has few such lines, of every width).
    running = [k for k, line in enumerate(lines) if not ends_sentence(line.text) and not is_headline_like(line.text)]
    if len(running) < 5 or sum(1 for k in running if abs(widths[k] - columns[k]) <= 1.5) < 0.5 * len(running):
        return lines
    out: list[Line] = []
    for k, line in enumerate(lines):
        column = columns[k]
        # Body text (a headline may span columns) amid lines that fill the column.
        body = (
            k in over
            and not is_headline_like(line.text)
            and any(0 <= j < len(lines) and abs(widths[j] - column) <= FIT for j in (k - 1, k + 1))
        )
        cut = _cut(line.text, column, measure) if body else None
        if cut is None:
            out.append(line)
            continue
        first, rest = line.text[:cut] + "-", line.text[cut:]
        before, after = line.text[max(0, cut - 4) : cut + 4], first[-5:] + rest[:4]
        repairs.append(Repair(line.no, before, after, "hyphen an extractor dropped"))
        what = _("'{before}' read as '{after}': pdftotext joins a line that ends in a hyphen to the next, without it")
        note(line.no, what.format(before=before, after=after))
        line.text = first
        # The second line goes on the first's block, as the body's lines do.
        out += [line, Line(line.no, rest, edge=False, joined=True)]
    return out


def _cut(text: str, column: float, measure: Callable[[str], float]) -> int | None:
    """Where the first printed line ended: inside a run of digits by the column's edge
    (``…今年15月份``), splitting it into a range (``1-5``, ``2023-2025``: the first number
    smaller, one to four digits each; the same lengths when several split so). The
    first part with its hyphen fills the column, or falls short of it by no more than
    the number that did not fit after it; what follows fits a column. None when no
    such range is there: a split the text cannot show is left alone."""
    edge = _first(text, column + FIT, measure)  # no first line goes past it
    best = None
    for run in _DIGITS.finditer(text, max(0, edge - 16), edge + 8):
        start, digits = run.start(), run.group(0)
        if start >= edge or text[start - 1 : start] == "." or not _CHINESE.search(text, max(0, start - 40), start):
            continue  # past the edge, a decimal, or no Chinese before it (a web address)
        for k in range(max(1, len(digits) - 4), min(len(digits), 5)):
            left, right, cut = digits[:k], digits[k:], start + k
            if cut > edge or right.startswith("0") or int(left) >= int(right):
                continue
            first = measure(text[:cut]) + 0.5
            if not column - measure(right) - FIT <= first <= column + FIT or measure(text[cut:]) > column + FIT:
                continue
            rank = (2 * k != len(digits), abs(first - column))
            if best is None or rank < best[0]:
                best = (rank, cut)
    return best[1] if best else None


def _first(text: str, cells: float, measure: Callable[[str], float]) -> int:
    """The fewest characters of ``text`` that measure at least ``cells``."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high) // 2
        if measure(text[:mid]) >= cells:
            high = mid
        else:
            low = mid + 1
    return low
