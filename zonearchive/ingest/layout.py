"""Visual-line geometry: how wide a line printed, and where paragraphs break.

PDF extraction keeps one text line per printed line and loses paragraph breaks.
The print indented each paragraph's first line by two characters and left its
last line short, so line widths (against the local column width) are the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

# Chinese punctuation is set at about half width in these columns (measured on the
# seeds: treating it as half width gives the least spread between full lines).
_HALF = set("，。、；：？！“”‘’（）《》〈〉【】—…·「」『』")
# A paragraph ends only with a full stop, ! ? or …, perhaps inside closing quotes.
SENTENCE_END = re.compile(r"[。！？!?…]([”’」』）)]*)$")


_HALF_RE = re.compile("[\x21-\x7e%s]" % re.escape("".join(sorted(_HALF))))
_REAL_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


@lru_cache(maxsize=1 << 16)
def width(text: str) -> float:
    """Printed width in Chinese character cells: Latin, digits and punctuation take half.

    A space next to a Latin/digit run is an extraction artefact (zero width); a space
    between two Chinese characters is a real full-width gap.
    """
    return _cells(text, _HALF_RE)


@lru_cache(maxsize=1 << 16)
def full_width(text: str) -> float:
    """width() for a print that sets Chinese punctuation at full width (as most
    browsers and office programs do, unlike the seeds' typesetter)."""
    return _cells(text, _ASCII_RE)


def _cells(text: str, half_width: re.Pattern) -> float:
    half = len(half_width.findall(text))
    spaces = text.count(" ")
    real_spaces = len(_REAL_SPACE.findall(text)) if spaces else 0
    return (len(text) - half - spaces) + half * 0.5 + real_spaces


_ASCII_RE = re.compile("[\x21-\x7e]")


def page_measure(lines: list[str]) -> Callable[[str], float]:
    """The width function that fits a page's print (width or full_width): the one under
    which more of the lines that run on (no sentence ends there) fill their column
    exactly. Decided once a page (a typesetter keeps one habit), on its first lines."""
    lines = lines[:SAMPLE_LINES]
    inner = [not ends_sentence(line) for line in lines[:-1]]
    count = sum(inner)
    if count < 8:
        return width  # too few lines to tell: the seeds' habit
    fits = []
    for measure in (width, full_width):
        cols = Columns(lines, measure)
        fits.append(sum(1 for w, c, on in zip(cols.widths, cols.columns, inner) if on and abs(w - c) < 0.25) / count)
        if fits[0] > 1 - FIT_MARGIN:
            return width  # full_width cannot fit that much more often
    return full_width if fits[1] >= fits[0] + FIT_MARGIN else width


SAMPLE_LINES = 160  # enough to tell a habit; a page's later lines cost time, not evidence
FIT_MARGIN = 0.2  # how much more often full_width must fit before a page is read by it


class Columns:
    """A run of lines' printed widths (by the page's measure) and the column around each."""

    def __init__(self, texts: list[str], measure: Callable[[str], float] = width):
        self.texts = texts
        self.widths = [measure(text) for text in texts]
        self.columns = column_widths(self.widths)
        self._full = measure is full_width  # brackets and quotes measured whole already

    def short(self, k: int, by: float, exact: bool = False) -> bool:
        """Is line k clearly more than `by` cells narrower than its column: even if
        its brackets and Latin letters printed as wide as they may (unless ``exact``:
        as measured)?"""
        limit = self.columns[k] - by
        return self.widths[k] < limit and (exact or self.widths[k] + self.slack(k) < limit)

    def slack(self, k: int) -> float:
        """How many cells wider than measured line k may have printed."""
        return _slack(self.texts[k], self._full)


def ends_sentence(text: str) -> bool:
    # SENTENCE_END, read from the end: what is left after the closing quotes.
    bare = text.rstrip().rstrip("”’」』）)")
    return bool(bare) and bare[-1] in "。！？!?…"


def column_widths(widths: list[float], radius: int = 5) -> list[float]:
    """Local column width for each line: the typical width of the full lines near it.

    The column can change inside an article; a window follows it. Within the window
    the upper half of widths are full lines; their median is the column width.
    """
    n = len(widths)
    size = 2 * radius + 1
    if n < _NUMPY_FROM + size:
        return [_column_width(widths, i, radius) for i in range(n)]
    # The whole windows at once: each row of the strided view is one line's window.
    array = np.asarray(widths, dtype=float)
    rows = np.lib.stride_tricks.as_strided(array, (n - size + 1, size), (array.strides[0], array.strides[0]))
    m = size - size // 2  # the upper half, as in _column_width
    at = size // 2 + m // 2
    if m % 2:
        middle = np.partition(rows, at, axis=1)[:, at]
    else:
        ordered = np.partition(rows, [at - 1, at], axis=1)
        middle = (ordered[:, at - 1] + ordered[:, at]) / 2
    return (
        [_column_width(widths, i, radius) for i in range(radius)]
        + middle.tolist()
        + [_column_width(widths, i, radius) for i in range(n - radius, n)]
    )


_NUMPY_FROM = 24  # lines; fewer are quicker in Python


def _column_width(widths: list[float], i: int, radius: int) -> float:
    window = sorted(widths[max(0, i - radius) : i + radius + 1])
    upper = window[len(window) // 2 :]  # never empty: the window holds line i
    m = len(upper)
    # The median of an already sorted list, without statistics.median's second sort.
    return upper[m // 2] if m % 2 else (upper[m // 2 - 1] + upper[m // 2]) / 2


LATIN_SLACK = 0.2  # cells a Latin letter or digit may print wider than measured
_LATIN = re.compile("[0-9A-Za-z%]")
# Brackets and quotes measured at half a cell may print at a whole one (a font, or a
# browser, that sets them full): a justified line holding many of them, and Latin
# letters, can measure cells short of its column.
_WIDER = re.compile("[（）《》〈〉【】「」『』“”‘’？！]")


@lru_cache(maxsize=1 << 16)
def _slack(text: str, full: bool) -> float:
    latin = LATIN_SLACK * len(_LATIN.findall(text))
    return latin if full else latin + 0.5 * len(_WIDER.findall(text))


def paragraph_breaks(lines: list[str], measure: Callable[[str], float] = width) -> list[bool]:
    """breaks[i] is True when a new paragraph starts after lines[i].

    A paragraph never ends mid-sentence. After a line that ends a sentence, the next
    line starts a paragraph when it is short by the two-character indent, or when
    this line is short (a last line). A short line that is itself an indented first
    line, followed by a full line, is a paragraph that goes on.
    """
    cols = Columns(lines, measure)
    widths, columns = cols.widths, cols.columns
    # A browser or office program prints Latin letters and digits in a proportional
    # font, wider than the half cell they are measured at: a full line holding many
    # measures short, as if indented. (The seeds' typesetter sets them at half.)
    slack = LATIN_SLACK if measure is full_width else 0.0
    breaks: list[bool] = []
    for i, line in enumerate(lines):
        if i == len(lines) - 1:
            breaks.append(True)
            continue
        if not ends_sentence(line):
            breaks.append(False)
            continue
        col = max(columns[i], columns[i + 1])
        nxt = widths[i + 1] + (slack * len(_LATIN.findall(lines[i + 1])) if slack else 0)
        # The next line is an indented first line if it is short by the indent and is
        # not itself a last line (one that ends a sentence with no full line after it).
        goes_on = not ends_sentence(lines[i + 1]) or (i + 2 < len(lines) and widths[i + 2] >= col - 1)
        indented_next = col - 3.5 <= nxt <= col - 1.5 and goes_on
        short = widths[i] <= col - 1.5
        starts_paragraph = i == 0 or breaks[i - 1]
        first_line_going_on = starts_paragraph and widths[i] >= col - 3.5 and nxt >= col - 1
        breaks.append(indented_next or (short and not first_line_going_on))
    return breaks
