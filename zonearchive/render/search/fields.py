"""What the search index holds of an article: token counts per field, counted once
at extraction where they can be. The display lines (title, kicker, subtitle) weigh
most, then the byline (a reporter's name finds their articles), headings, the zone
(every name the archive knows for it: short, full, gazetteer aliases, declared
以下简称 names), body.

Kicker and subtitle share the title's field: lunr's BM25 normalises a field's length
by its average over all articles, so a field most articles leave empty (a kicker)
would make a match there weigh less than a passing mention in the body."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

from ...model.article import Article
from ..tokenize import count_compact, count_tokens

FIELDS = ["title", "byline", "heading", "zone", "body"]
BOOSTS = {"title": 10, "byline": 5, "heading": 3, "zone": 2, "body": 1}
NO_BYLINE = "佚名"

Counts = tuple  # (terms joined by "\n", uint32 counts as bytes): compact to cache and keep


def compact(counter: Counter) -> Counts:
    return "\n".join(counter), np.fromiter(counter.values(), "<u4", len(counter)).tobytes()


def _expand(counts: Counts) -> tuple[list[str], np.ndarray]:
    terms, tf = counts
    return (terms.split("\n") if terms else []), np.frombuffer(tf, "<u4")


def body_counts(article: Article) -> Counts:
    return count_compact(" ".join([article.dateline or ""] + [b.text for b in article.blocks if b.type != "heading"]))


def heading_counts(article: Article) -> Counts:
    return count_compact(" ".join(b.text for b in article.blocks if b.type == "heading"))


def zone_text(article: Article, zone_names: dict[str, list[str]] | None = None) -> str:
    """The article's zone and the zones it mentions, by every name known for them."""
    names = zone_names or {}
    zones = [article.zone or "其他", *article.mentions]
    return " ".join(n for z in zones for n in names.get(z, [z]))


def field_counts(article: Article, zone_names: dict[str, list[str]] | None = None) -> list[Counts]:
    """Token counts per field. Body and headings are counted once, at extraction
    (cached with the page); the short fields are counted here (and memoised)."""
    cached = article.facts and article.facts.search_counts
    body, heading = cached if cached else (body_counts(article), heading_counts(article))
    byline = article.byline if article.byline != NO_BYLINE else None
    return [
        _text_counts("\n".join(filter(None, [article.title, article.kicker, article.subtitle]))),
        _text_counts(byline),
        heading,
        _text_counts(zone_text(article, zone_names)),
        body,
    ]


@lru_cache(maxsize=1 << 16)
def _text_counts(text: str | None) -> Counts:
    # Titles and zone names repeat from build to build (and zone names across articles).
    return compact(count_tokens(text))


def document_fields(article: Article, zone_names: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The token lists lunr.py would be given for this article (the tests' oracle)."""
    out = {}
    for f, counts in zip(FIELDS, field_counts(article, zone_names)):
        terms, tf = _expand(counts)
        out[f] = [t for t, n in zip(terms, tf.tolist()) for _ in range(n)]
    return out
