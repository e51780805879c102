"""Glyphs -> printed lines in reading order, by recursive XY cuts.

A newspaper page is a nest of rectangles: rows of articles, an article's headline
over its columns, columns side by side. Each step cuts a region along the widest
empty band that crosses it entirely (across: a gap between rows or between a
headline and its body; down: a gutter between articles or columns), taking the
wider of the two, so a row of two articles splits into its articles before either
splits into headline and body. Leaves are read top to bottom, left to right in the
cut order; inside a leaf, glyphs on one baseline form a line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .glyphs import Glyph

# Gaps in body type sizes. Lines of a column are ~0.5 apart and a headline sits
# ~1.5 and more above its body; a column gutter is ~1 wide, letters ~0.1 apart.
ACROSS_GAP = 0.9
DOWN_GAP = 0.75
WORD_GAP = 1.5  # a gap this wide inside a line is a real space (an inline byline)


@dataclass
class PrintedLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    leaf: int  # the block it was cut into
    page: int


def body_size(glyphs: list[Glyph]) -> float:
    sizes = Counter(round(g.size, 1) for g in glyphs if not g.space)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _box(g: Glyph) -> tuple[float, float, float, float]:
    return g.x0, g.x1, g.base - 0.88 * g.size, g.base + 0.12 * g.size


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty (start, end) bands between the merged spans."""
    spans.sort()
    gaps = []
    end = spans[0][1]
    for a, b in spans[1:]:
        if a > end:
            gaps.append((end, a))
        end = max(end, b)
    return gaps


def _width(gap: tuple[float, float]) -> float:
    return gap[1] - gap[0]


def _cut(glyphs: list[Glyph], size: float, out: list[list[Glyph]]) -> None:
    if len(glyphs) < 2:
        if glyphs:
            out.append(glyphs)
        return
    boxes = [_box(g) for g in glyphs if not g.space] or [_box(g) for g in glyphs]
    across = [g for g in _gaps([(b[2], b[3]) for b in boxes]) if g[1] - g[0] >= ACROSS_GAP * size]
    down = [g for g in _gaps([(b[0], b[1]) for b in boxes]) if g[1] - g[0] >= DOWN_GAP * size]
    if not across and not down:
        out.append(glyphs)
        return
    widest_across = max((b - a for a, b in across), default=0.0)
    widest_down = max((b - a for a, b in down), default=0.0)
    # One cut at a time, at the widest gap: a narrower one (a headline over its body)
    # may cross a row of articles only because the articles' headlines line up.
    if widest_across >= widest_down:
        low, high = max(across, key=_width)
        cuts = [(low + high) / 2]
        key = lambda g: g.base - 0.38 * g.size  # noqa: E731 - the glyph's middle
    else:
        low, high = max(down, key=_width)
        cuts = [(low + high) / 2]
        key = lambda g: (g.x0 + g.x1) / 2  # noqa: E731
    parts: list[list[Glyph]] = [[], []]
    for g in glyphs:
        parts[key(g) > cuts[0]].append(g)
    for part in parts:
        _cut(part, size, out)


def _lines(leaf: list[Glyph], index: int, size: float, page: int) -> list[PrintedLine]:
    rows: list[list[Glyph]] = []
    for g in sorted(leaf, key=lambda g: (g.base, g.x0)):
        if rows and abs(g.base - rows[-1][0].base) < 0.3 * min(g.size, rows[-1][0].size):
            rows[-1].append(g)
        else:
            rows.append([g])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        text = ""
        last = None
        for g in row:
            if g.space:
                text += " "
            else:
                if last is not None and g.x0 - last.x1 >= WORD_GAP * size and not text.endswith(" "):
                    text += "\u2003"  # a wide gap: marks an inline byline or a real space
                text += g.char
                last = g
        inked = [g for g in row if not g.space]
        if not inked:
            continue
        lines.append(
            PrintedLine(
                text.strip(" "),
                inked[0].x0,
                inked[-1].x1,
                min(g.base - 0.88 * g.size for g in inked),
                max(g.base + 0.12 * g.size for g in inked),
                Counter(round(g.size, 1) for g in inked).most_common(1)[0][0],
                sum(g.bold for g in inked) >= 0.9 * len(inked),
                index,
                page,
            )
        )
    return lines


def reading_order(glyphs: list[Glyph], page: int, first_leaf: int = 0) -> tuple[list[PrintedLine], float]:
    """The page's printed lines in reading order, and its body type size."""
    size = body_size(glyphs)
    leaves: list[list[Glyph]] = []
    _cut(glyphs, size, leaves)
    lines = []
    for i, leaf in enumerate(leaves):
        lines.extend(_lines(leaf, first_leaf + i, size, page))
    return lines, size
