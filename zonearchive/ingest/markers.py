"""The fixed furniture of a news article: datelines, bylines, continuation markers."""

from __future__ import annotations

import re

from .repair import CJK

_C = f"[{CJK}]"
CONT_FROM = re.compile(r"[（(]\s*上接\s*([A-Za-z]{0,2}\s*\d{1,3})\s*版\s*[）)]")
CONT_TO = re.compile(r"[（(]\s*下转\s*([A-Za-z]{0,2}\s*\d{1,3})\s*版\s*[）)]")

# 科学导报讯 / 本报讯 / 本报太原1月2日讯 / 新华社太原1月2日电, optionally (记者 某某).
DATELINE = re.compile(
    rf"^((?:本报[^\s，。]{{0,12}}?讯|{_C}{{2,8}}?(?:报|网|台)讯|(?:新华社|中新社|中新网)[^\s，。]{{0,14}}?电)"
    r"(?:\s*[（(](?:本报)?(?:记者|通讯员)[^）)]{1,20}[）)])?)\s*"
)

NAME = rf"(?:(?:本报)?(?:记者|通讯员)\s*)?(?:佚名|{_C}{{2,3}})(?:[ \u3000](?:佚名|{_C}{{2,3}})){{0,3}}"
# "…。 周明飞": a byline after a space at the end of the body's last line.
INLINE_BYLINE = re.compile(rf"^(.*[。！？!?”’）…])[ \u3000]+({NAME})$")
STANDALONE_BYLINE = re.compile(rf"^({NAME})$")

SUBTITLE = re.compile(r"^[—－\-]{2,}\s*")
# A headline line has no sentence punctuation (、 is common in kickers: 市委副书记、市长).
_NOT_HEADLINE = re.compile(r"[，。；！？：,;!?:]")


def is_headline_like(text: str) -> bool:
    """A line that can belong to a headline block: short, without sentence punctuation."""
    from .layout import width
    bare = SUBTITLE.sub("", text)
    return bool(bare) and not _NOT_HEADLINE.search(bare) and width(bare) <= 32


def continuation(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return re.sub(r"\s+", "", match.group(1)).upper() if match else None
