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


# A line that starts with one character and punctuation: the character was pushed
# out of the line before it (punctuation may not open a line), so the two are one.
PUSHED_OUT = re.compile(r"^.[，。、；：？！”’）]")
# A line that starts with a number or Latin run and goes on in Chinese.
NUMBER_START = re.compile(r"^[0-9A-Za-z.%]+ ?[^\x00-\x7f]")
