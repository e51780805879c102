"""A title between two articles that nothing else separates (no byline, dateline or
marker): read alone, a one-line title looks like a section heading, but a heading
keeps its article's column, and a page sets each article in its own columns. Where
the running lines above a finished sentence fill one width and those below another,
the short unpunctuated lines between them open a new article. The width alone does
not cut: a real page may set an article's later paragraphs in a wider column."""

from __future__ import annotations

from statistics import median

from ..i18n import _
from .layout import Columns, ends_sentence
from .lines import Line
from .markers import is_headline_like

SPAN = 8  # running lines read on either side of a title
CHANGE = 2.0  # cells: more than a column's spread in print, less than any real change of column


def _column(runs: list[tuple[float, float]]) -> float | None:
    """The one width these running lines (width, slack: how much wider it may have
    printed) fill, or None when they do not agree (an extractor's letter-spaced line
    may be off; most must fill it)."""
    # An indented first line among them is clearly narrower: not a measure of the
    # column. But most running lines fill it: lines of many widths (text reflowed
    # without re-wrapping) show no column at all.
    top = max((w for w, _ in runs), default=0) - 3
    full = [(w, slack) for w, slack in runs if w + slack >= top]
    if len(full) < 3 or len(full) < 0.75 * len(runs):
        return None
    mid = median(w for w, _ in full)
    agree = sum(1 for w, slack in full if w - 1 <= mid <= w + slack + 1)
    return mid if agree >= 3 and agree >= 0.75 * len(full) else None


class Marks:
    """What column_change reads of each line, again and again for every line of a
    run: worked out once a line, and only for the lines asked about (most lines fill
    their column and are never asked whether a sentence ends there)."""

    def __init__(self, lines: list[Line], cols: Columns):
        self.lines, self.cols, self.widths = lines, cols, cols.widths
        self._ends: dict[int, bool] = {}
        self._head: dict[int, bool] = {}

    def ends(self, j: int) -> bool:
        known = self._ends.get(j)
        if known is None:
            known = self._ends[j] = ends_sentence(self.lines[j].text)
        return known

    def head(self, j: int) -> bool:
        """Clearly narrower than the column and head-like: a title's or heading's line."""
        known = self._head.get(j)
        if known is None:
            known = self._head[j] = self.cols.short(j, 2.5) and is_headline_like(self.lines[j].text)
        return known

    def title_like(self, j: int) -> bool:
        return j > 0 and self.head(j) and self.ends(j - 1)

    def running(self, span: range) -> list[tuple[float, float]]:
        """(width, slack) of the running lines (no sentence ends there) in span, read away
        from the change up to the next short line after a finished sentence (a heading
        or another title: past it the column may be another article's)."""
        out = []
        for j in span:
            if self.title_like(j):
                break
            if not self.ends(j):
                out.append((self.widths[j], self.cols.slack(j)))
        return out


def column_change(marks: Marks, k: int, s: int, e: int) -> tuple[float, float, int] | None:
    """(old width, new width, the new body's first line) when line k opens a new
    column inside the run of lines s:e: after a finished sentence, the running lines
    above fill one width and those below (past at most three head-like lines, clearly
    narrower than the column) another. None when they do not."""
    if not marks.ends(k - 1):
        return None
    body = k
    while body < min(e, k + 3) and marks.head(body):
        body += 1
    # Widths of running lines only: a first line may be indented, a last one short.
    above = marks.running(range(k - 1, max(s, k - SPAN) - 1, -1))
    below = marks.running(range(body + 1, min(e, body + 1 + SPAN)))
    old, new = _column(above), _column(below)
    if old is None or new is None or abs(old - new) < CHANGE:
        return None
    return old, new, body


def width_cuts(marks: Marks, cuts: set[int], note) -> set[int]:
    """Where a title (at most three head-like lines, clearly narrower than the column,
    after a finished sentence) stands between two bodies set in different column
    widths: a new article starts there. Each is noted."""
    found: set[int] = set()
    lines = marks.lines
    bounds = sorted(cuts)
    for s, e in zip(bounds, bounds[1:]):
        k = s + 1
        while k < e - 3:
            # Only a title-like line can open one (column_change would find no title).
            change = column_change(marks, k, s, e) if marks.title_like(k) else None
            if change is None or change[2] == k:
                k += 1
                continue
            old, new, body = change
            found.add(k)
            what = _(
                "'{line}' read as the title of a new article, not a section heading: "
                "the column changes from {old} to {new} characters under it"
            )
            note(lines[k].no, what.format(line=lines[k].text, old=round(old), new=round(new)))
            k = body + 1
    return found
