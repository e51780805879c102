"""A page as visual lines: what every later step of ingest reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .byline import Byline


@dataclass
class Line:
    no: int  # 1-based line number in the file
    text: str
    byline: Byline | None = None  # the byline this line carries
    tail: str = ""  # the byline as it stands at the end of the line (all of it when alone)
    leads: bool = False  # the byline opens its article (printed under the headline)
    # What the blank lines around it say (blocks.py):
    # edge is True when a blank line opens its block, False when it goes on the block
    # above, None when the page's blank lines say nothing of blocks (none at all, or
    # one after nearly every line, as in the seeds).
    edge: bool | None = None
    joined: bool = False  # no blank line between it and the line above (a page with blanks)


# A line that starts with one character and punctuation: the character was pushed
# out of the line before it (punctuation may not open a line), so the two are one.
PUSHED_OUT = re.compile(r"^.[，。、；：？！”’）]")
# A line that starts with a number or Latin run and goes on in Chinese.
NUMBER_START = re.compile(r"^[0-9A-Za-z.%]+ ?[^\x00-\x7f]")


class PrintedWords:
    """A page's text, asked whether it prints a word more than once (a line's last
    character and the next line's first making a word the page uses elsewhere: the
    line runs on). Remembered per word: a page at the size limit asks about thousands
    of line ends, and each answer is a scan of the page."""

    def __init__(self, text: str):
        self.text = text
        self._known: dict[str, bool] = {}

    def joins(self, before: str, after: str) -> bool:
        """Does ``before``'s last character make, with ``after``'s first, a word the
        page prints more than once ("高质量发" / "展…")? Then the line runs on."""
        return self.twice(before[-1:] + after[:1])

    def twice(self, word: str) -> bool:
        """str.count(word) > 1, stopping at the second."""
        known = self._known.get(word)
        if known is None:
            first = self.text.find(word)
            known = self._known[word] = first >= 0 and self.text.find(word, first + len(word)) >= 0
        return known
