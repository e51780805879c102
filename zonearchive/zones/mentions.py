"""Zone-like names in text: a place followed by a suffix such as 经济技术开发区 or
高新区, found by shape alone (which zone a name means is assign.py's to decide), and
the texts of an article that carry them."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..ingest.repair import CJK
from ..model.article import Article

# suffix -> (family, is_full_form). Longer suffixes first in the alternation.
SUFFIXES = {
    "高新技术产业开发区": ("高新", True),
    "高新技术开发区": ("高新", True),
    "经济技术开发区": ("经开", True),
    "经济开发区": ("经开", True),
    "农业高新技术产业示范区": ("农高", True),
    "综合改革示范区": ("综改", True),
    "产业示范区": ("示范", True),
    "示范区": ("示范", False),
    "高新区": ("高新", False),
    "经开区": ("经开", False),
    "农高区": ("农高", False),
    "综改区": ("综改", False),
    "产业园区": ("园区", True),
    "工业园区": ("园区", True),
    "开发区": ("开发区", False),
}
FAMILY_SLUG = {
    "高新": "gaoxinqu",
    "经开": "jingkaiqu",
    "农高": "nonggaoqu",
    "综改": "zonggaiqu",
    "示范": "shifanqu",
    "园区": "yuanqu",
    "开发区": "kaifaqu",
    "named": "zone",
}
_SUFFIX_RE = re.compile("|".join(sorted(SUFFIXES, key=len, reverse=True)))
IS_CJK = re.compile(f"[{CJK}]").match
# Characters that cannot start a place name here: function words and verbs of motion.
STOP = set("的在于和与及是了对为把将从到向由让被给等即也都并而或以其该各全就入进至个家项批座第这那此本")
ADMIN = set("市县省")
CITY = re.compile(f"([{CJK}]{{2,3}}?)[市县](?:委|政府|长|区|人民)?")
ALIAS = re.compile(f'(?:以下简称|简称)[“"]?([{CJK}]{{2,14}}?(?:{"|".join(SUFFIXES)}))')
MAX_PREFIX = 10


class Mention(NamedTuple):  # a tuple: hashed and compared in C, millions of times a build
    prefix: str  # as walked back from the suffix
    suffix: str
    bounded: bool  # the walk stopped at punctuation, a function word or the start
    text: str
    by_punctuation: bool = False  # ... at punctuation or the start of the text

    def __reduce__(self):
        # Cached pages hold ~10 per article: made back by tuple.__new__ in C, not by the
        # generated Python __new__ (a third of reading 10,000 articles from the cache).
        return tuple.__new__, (Mention, tuple(self))


@lru_cache(maxsize=1 << 15)
def find_mentions(text: str) -> tuple[Mention, ...]:
    """Every zone-like name in ``text`` (cached: the archive asks about each text often)."""
    if "区" not in text:
        return ()
    mentions = []
    for match in _SUFFIX_RE.finditer(text):
        i = match.start()
        j = i
        while j > 0 and text[j - 1] in ADMIN and j == i:
            j -= 1  # 长治市高新区: the city's 市 belongs to neither part
        start = j
        bounded = by_punctuation = False
        while start > 0 and i - start < MAX_PREFIX:
            ch = text[start - 1]
            if ch in STOP or not IS_CJK(ch):
                bounded = True
                by_punctuation = ch not in STOP
                break
            start -= 1
        if start == 0:
            bounded = by_punctuation = True
        prefix = text[start:j]
        mentions.append(Mention(prefix, match.group(0), bounded, prefix + match.group(0), by_punctuation))
    return tuple(mentions)


def family_of(suffix: str) -> str:
    return SUFFIXES[suffix][0]


def article_texts(article: Article) -> list[str]:
    texts = [article.kicker or "", article.subtitle or ""]
    if not article.title_derived:
        texts.append(article.title)
    return texts + [b.text for b in article.blocks]


def alias_texts(article: Article) -> tuple[str, ...]:
    if article.facts and article.facts.alias_texts is not None:
        return article.facts.alias_texts
    return tuple(t for t in article_texts(article) if "简称" in t)


def article_mentions(article: Article) -> tuple[tuple[int, Mention], ...]:
    """(weight, mention) for every zone-like name in the article, kicker and title
    weighing most. Made at extraction and cached with the page where possible."""
    if article.facts and article.facts.zone_mentions is not None:
        return article.facts.zone_mentions
    return tuple((weight, m) for weight, text in _weighted_texts(article) for m in find_mentions(text))


def _weighted_texts(article: Article):
    yield 5, article.kicker or ""
    if not article.title_derived:
        yield 5, article.title
    yield 5, article.subtitle or ""
    for i, block in enumerate(article.blocks):
        yield (2 if i == 0 else 1), block.text
