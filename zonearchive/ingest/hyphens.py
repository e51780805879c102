"""A hyphen an extractor took away. pdftotext joins a line that ends in "-" to the
next one and drops the hyphen, as for an English word broken across lines: "今年1-" /
"5月份…" comes out as one overlong line "今年15月份…". Chinese text is not hyphenated
so: a hyphen there was printed (a range, a code), and the line was two."""

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
_ALNUM = re.compile("[0-9A-Za-z]")  # on both sides of where a dropped hyphen stood
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
    """Where the first printed line ended: between two letters or digits (not inside
    a decimal), where the text before it and a hyphen fill the column, and what
    follows fits one. Found by bisection: a prefix never measures less than a
    shorter one, and a line may be long."""
    low, high = _first(text, column - 0.5 - FIT, measure), _first(text, column - 0.5 + FIT + 0.01, measure)
    best = None
    for k in range(max(1, low), min(high, len(text) - 1) + 1):
        if not (_ALNUM.match(text[k - 1]) and _ALNUM.match(text[k])) or text[k - 2 : k - 1] == ".":
            continue
        if not (_CHINESE.search(text, max(0, k - 40), k) and _CHINESE.search(text, k, k + 40)):
            continue  # Chinese text on both lines, not a run of Latin (a web address)
        off = abs(measure(text[:k]) + 0.5 - column)
        if off <= FIT and measure(text[k:]) <= column + FIT and (best is None or off < best[0]):
            best = (off, k)
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
