"""What the search index holds of an article: token counts per field (title,
headings, zone, body), counted once at extraction where they can be."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

from ...model.article import Article
from ..tokenize import count_tokens

FIELDS = ["title", "heading", "zone", "body"]
BOOSTS = {"title": 10, "heading": 3, "zone": 2, "body": 1}


Counts = tuple  # (terms joined by "\n", uint32 counts as bytes): compact to cache and keep


def compact(counter: Counter) -> Counts:
    return "\n".join(counter), np.fromiter(counter.values(), "<u4", len(counter)).tobytes()


def _expand(counts: Counts) -> tuple[list[str], np.ndarray]:
    terms, tf = counts
    return (terms.split("\n") if terms else []), np.frombuffer(tf, "<u4")


def body_counts(article: Article) -> Counts:
    return compact(
        count_tokens(" ".join([article.dateline or ""] + [b.text for b in article.blocks if b.type != "heading"]))
    )


def heading_counts(article: Article) -> Counts:
    return compact(
        count_tokens(
            " ".join(
                [article.kicker or "", article.subtitle or ""] + [b.text for b in article.blocks if b.type == "heading"]
            )
        )
    )


def field_counts(article: Article) -> list[Counts]:
    """Token counts per field. Body and headings are counted once, at extraction
    (cached with the page); title and zone are known only after zones are assigned."""
    cached = article.facts and article.facts.search_counts
    body, heading = cached if cached else (body_counts(article), heading_counts(article))
    return [
        _text_counts(article.title),
        heading,
        _text_counts(" ".join([article.zone or "其他", *article.mentions])),
        body,
    ]


@lru_cache(maxsize=1 << 16)
def _text_counts(text: str) -> Counts:
    # Titles and zone names repeat from build to build (and zone names across articles).
    return compact(count_tokens(text))


def document_fields(article: Article) -> dict[str, list[str]]:
    """The token lists lunr.py would be given for this article (the tests' oracle)."""
    out = {}
    for f, counts in zip(FIELDS, field_counts(article)):
        terms, tf = _expand(counts)
        out[f] = [t for t, n in zip(terms, tf.tolist()) for _ in range(n)]
    return out
