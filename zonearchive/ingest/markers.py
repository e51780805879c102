"""The fixed furniture of a news article: datelines, bylines, continuation markers."""

from __future__ import annotations

import re

from .layout import width
from .repair import CJK

_C = f"[{CJK}]"
CONT_FROM = re.compile(r"[（(]\s*上接\s*([A-Za-z]{0,2}\s*\d{1,3})\s*版\s*[）)]")
CONT_TO = re.compile(r"[（(]\s*下转\s*([A-Za-z]{0,2}\s*\d{1,3})\s*版\s*[）)]")

# A bracket after a dateline (（记者 王波）), which the article reads as its byline when it is one.
DATELINE_BRACKET = r"[（(][^（()）]{1,40}[）)]"
# 科学导报讯 / 本报讯 / 本报太原1月2日讯 / 新华社太原1月2日电; group 2 is a bracket right after it.
DATELINE = re.compile(
    rf"^((?:本报[^，。（(]{{0,16}}?讯|{_C}{{2,8}}?(?:报|网|台)讯|(?:新华社|中新社|中新网)[^，。（(]{{0,20}}?电))"
    rf"\s*({DATELINE_BRACKET})?\s*"
)

SUBTITLE = re.compile(r"^[—－\-]{2,}\s*")
# A headline line has no sentence punctuation (、 is common in kickers: 市委副书记、市长).
_NOT_HEADLINE = re.compile(r"[，。；！？：,;!?:]")


def is_headline_like(text: str) -> bool:
    """A line that can belong to a headline block: short, without sentence punctuation."""
    bare = SUBTITLE.sub("", text) if text[:1] in "—－-" else text
    # A line is never wider than its length (width() counts no character above 1).
    return bool(bare) and not _NOT_HEADLINE.search(bare) and (len(bare) <= 32 or width(bare) <= 32)


def continuation(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return re.sub(r"\s+", "", match.group(1)).upper() if match else None
