"""What the search index holds of an article: token counts per field, counted once
at extraction where they can be. The display lines (title, kicker, subtitle) weigh
most, then the byline (a reporter's name finds their articles), headings, the zone
(every name the archive knows for it: short, full, gazetteer aliases, declared
以下简称 names), body.

Kicker and subtitle share the title's field: lunr's BM25 normalises a field's length
by its average over all articles, so a field most articles leave empty (a kicker)
would make a match there weigh less than a passing mention in the body."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from functools import lru_cache

import numpy as np

from ...model.article import Article, blocks_digest
from ..tokenize import count_tokens, words_and_han
from . import terms as term_ids

FIELDS = ["title", "byline", "heading", "zone", "body"]
BOOSTS = {"title": 10, "byline": 5, "heading": 3, "zone": 2, "body": 1}
NO_BYLINE = "佚名"
SHORT_TEXT = 100  # characters: shorter texts (titles) are counted faster without numpy

# (ids of the coded terms as uint32 bytes, the other terms joined by "\n", uint32 counts
# as bytes: the coded terms' then the others'): compact to cache, and the index reads
# the ids without making a string per term (terms.py).
Counts = tuple


def compact(counter: Counter) -> Counts:
    terms = list(counter)
    tf = np.fromiter(counter.values(), "<u4", len(counter))
    coded, ids = term_ids.encode_terms(terms)
    others = list(itertools.compress(terms, ~coded))
    if others:
        tf = np.concatenate([tf[coded], tf[~coded]])
    return ids.astype("<u4").tobytes(), "\n".join(others), tf.tobytes()


def _expand(counts: Counts) -> tuple[list[str], np.ndarray]:
    ids, others, tf = counts
    terms = term_ids.coded_names(np.frombuffer(ids, "<u4"))
    return terms + (others.split("\n") if others else []), np.frombuffer(tf, "<u4")


def text_counts(text: str | None) -> Counts:
    """compact(count_tokens(text)), the terms perhaps in another order: a long text's
    Chinese characters and pairs are counted by numpy as ids, never as strings."""
    if not text or len(text) < SHORT_TEXT:
        return compact(count_tokens(text))
    words, han = words_and_han(text)
    counted = term_ids.count_han(han)
    if counted is None:
        return compact(count_tokens(text))
    ids, tf = counted
    tf = np.concatenate([tf, np.fromiter(words.values(), np.int64, len(words))])
    return ids.astype("<u4").tobytes(), "\n".join(words), tf.astype("<u4").tobytes()


def body_counts(article: Article) -> Counts:
    return text_counts(" ".join([article.dateline or ""] + [b.text for b in article.blocks if b.type != "heading"]))


def heading_counts(article: Article) -> Counts:
    return text_counts(" ".join(b.text for b in article.blocks if b.type == "heading"))


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


def search_key(article: Article, zone_names: dict[str, list[str]] | None = None) -> bytes:
    """A digest of everything field_counts reads of the article: equal keys, equal
    counts (for one code version). The index knows a document by it, so an unchanged
    article is never counted again."""
    parts = [article.title, article.kicker, article.subtitle, article.byline, article.dateline]
    text = "\x1f".join(p or "" for p in parts) + "\x1f" + zone_text(article, zone_names)
    return hashlib.sha1(f"{text}\x1e{blocks_digest(article)}".encode("utf-8", "surrogatepass")).digest()


@lru_cache(maxsize=1 << 16)
def _text_counts(text: str | None) -> Counts:
    # Titles and zone names repeat from build to build (and zone names across articles).
    return text_counts(text)


def document_fields(article: Article, zone_names: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The token lists lunr.py would be given for this article (the tests' oracle)."""
    out = {}
    for f, counts in zip(FIELDS, field_counts(article, zone_names)):
        terms, tf = _expand(counts)
        out[f] = [t for t, n in zip(terms, tf.tolist()) for _ in range(n)]
    return out
