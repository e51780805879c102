"""The client-side search index: lunr 2.3.9 scoring, split by term into shards.

Scores are computed here exactly as lunr's Builder does (BM25, k1=1.2, b=0.75,
field boosts, rounded to 3 places), because lunr.py takes minutes at 10,000
articles; tests compare every score and ranking with lunr.py's own index.

A browser fetches the manifest, then only the shards holding its query's terms,
rebuilds a lunr index from those terms alone and queries it with lunr.js. lunr
scores a document as dot(query, field vector) / |query|, touching only the query's
terms, so the partial index ranks exactly as the whole one would.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter

from ..articles.model import Article
from .tokenize import tokenize, utf16_key

FIELDS = ["title", "heading", "zone", "body"]
BOOSTS = {"title": 10, "heading": 3, "zone": 2, "body": 1}
K1, B = 1.2, 0.75
SHARD_BYTES = 48 * 1024  # raw JSON per shard before gzip; a query needs one per term
DOC_TEXT_CHARS = 1500


def document_fields(article: Article) -> dict[str, list[str]]:
    """The token lists lunr indexes for one article."""
    return {
        "title": tokenize(article.title),
        "heading": tokenize(" ".join(x for x in (article.kicker, article.subtitle) if x))
        + [t for b in article.blocks if b.type == "heading" for t in tokenize(b.text)],
        "zone": tokenize(" ".join([article.zone or "其他", *article.mentions])),
        "body": tokenize(" ".join([article.dateline or ""] + [b.text for b in article.blocks if b.type != "heading"])),
    }


def compute_postings(docs: list[dict[str, list[str]]]) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """term -> field -> [(doc number, lunr score)], doc numbers ascending."""
    n = len(docs)
    lengths = {f: [len(d[f]) for d in docs] for f in FIELDS}
    avg = {f: (sum(lengths[f]) / n if n else 0.0) for f in FIELDS}
    tfs = [{f: Counter(d[f]) for f in FIELDS} for d in docs]
    df: Counter = Counter()
    for tf in tfs:
        for f in FIELDS:
            df.update(tf[f].keys())  # lunr counts a document once per field
    idf = {t: math.log(1 + abs((n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
    postings: dict[str, dict[str, list]] = {}
    for doc, tf in enumerate(tfs):
        for f in FIELDS:
            length = lengths[f][doc]
            boost = BOOSTS[f]
            norm = K1 * (1 - B + B * (length / avg[f])) if avg[f] else K1
            for term, count in tf[f].items():
                score = idf[term] * ((K1 + 1) * count) / (norm + count) * boost
                postings.setdefault(term, {}).setdefault(f, []).append((doc, round(score, 3)))
    return postings


def build_search(articles: list[Article], zone_slugs: dict[str, str]) -> dict[str, bytes]:
    """Files under search/: manifest, shards, per-result data. Returns path -> bytes."""
    files: dict[str, bytes] = {}
    docs = [document_fields(a) for a in articles]
    postings = compute_postings(docs)
    terms = sorted(postings, key=utf16_key)  # lunr.js needs UTF-16 order
    shards: list[tuple[str, dict]] = []
    current: dict = {}
    size = 0
    for term in terms:
        entry = _encode(postings[term])
        entry_size = len(json.dumps(entry, separators=(",", ":"))) + len(term.encode()) + 4
        if current and size + entry_size > SHARD_BYTES:
            shards.append((next(iter(current)), current))
            current, size = {}, 0
        current[term] = entry
        size += entry_size
    if current:
        shards.append((next(iter(current)), current))
    names = []
    for first, shard in shards:
        body = _json({"terms": shard})
        name = f"s-{hashlib.sha1(body).hexdigest()[:12]}.json"
        files[f"search/index/{name}"] = body
        names.append(name)
    zones = sorted(set(zone_slugs.values()))
    files["search/index/manifest.json"] = _json({
        "version": 1,
        "lunr": "2.3.9",
        "fields": FIELDS,
        "documents": len(articles),
        "first": [first for first, _ in shards],
        "shards": names,
    })
    files["search/index/zones.json"] = _json({
        "zones": zones,
        "doc": [zones.index(zone_slugs[a.id]) for a in articles],
    })
    for number, article in enumerate(articles):
        files[f"search/docs/{number}.json"] = _json(result_data(article, zone_slugs[article.id]))
    return files


def _encode(by_field: dict[str, list[tuple[int, float]]]) -> list[list[int]]:
    """Per field, a flat list: doc-number delta, score x 1000, ... (compresses well)."""
    encoded = []
    for f in FIELDS:
        flat: list[int] = []
        last = 0
        for doc, score in by_field.get(f, []):
            flat.extend((doc - last, round(score * 1000)))
            last = doc
        encoded.append(flat)
    return encoded


def decode_shard_entry(entry: list[list[int]]) -> dict[str, list[tuple[int, float]]]:
    """The inverse of _encode (the JS client does the same)."""
    out = {}
    for f, flat in zip(FIELDS, entry):
        doc = 0
        pairs = []
        for i in range(0, len(flat), 2):
            doc += flat[i]
            pairs.append((doc, flat[i + 1] / 1000))
        if pairs:
            out[f] = pairs
    return out


def result_data(article: Article, zone_slug: str) -> dict:
    text = "\n".join(b.text for b in article.blocks)
    return {
        "title": article.title,
        "url": article.url,
        "zone": article.zone or "其他",
        "zoneSlug": zone_slug,
        "date": article.date,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "text": text[:DOC_TEXT_CHARS],
    }


def lunr_index_json(terms: dict[str, dict[str, list[tuple[int, float]]]]) -> dict:
    """A lunr 2.3.9 serialized index holding just ``terms`` (what search.js builds)."""
    inverted = []
    vectors: dict[str, list] = {}
    for index, term in enumerate(sorted(terms, key=utf16_key)):
        posting = {"_index": index}
        for f in FIELDS:
            posting[f] = {}
            for doc, score in terms[term].get(f, []):
                posting[f][str(doc)] = {}
                vectors.setdefault(f"{f}/{doc}", []).extend((index, score))
        inverted.append([term, posting])
    return {
        "version": "2.3.9",
        "fields": FIELDS,
        "fieldVectors": [[ref, vec] for ref, vec in sorted(vectors.items())],
        "invertedIndex": inverted,
        "pipeline": [],
    }


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
