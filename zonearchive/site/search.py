"""The client-side search index: lunr 2.3.9 scoring, split by term into shards.

Scores are computed here exactly as lunr's Builder computes them (BM25, k1=1.2,
b=0.75, field boosts, rounded to 3 places) — vectorised with numpy, because lunr.py
takes minutes at 10,000 articles; the tests compare every score and every ranking
with lunr.py's own index.

A browser fetches the manifest, then only the shards holding its query's terms,
builds a lunr 2.3.9 index of those terms alone and queries it with lunr.js. lunr
scores a document as dot(query, field vector) / |query|, touching only the query's
terms, so the partial index ranks exactly as the whole one would.

Shard file (little-endian): u32 terms, u32 rows, u32 term-bytes; u32[terms+1] row
offsets; u32[rows] doc (delta within a term's field run); u32[rows] score x 1000;
u8[rows] field; then the terms, UTF-8, joined by newlines, in UTF-16 order.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter

import numpy as np

from ..articles.model import Article
from .tokenize import tokenize, utf16_key

FIELDS = ["title", "heading", "zone", "body"]
BOOSTS = {"title": 10, "heading": 3, "zone": 2, "body": 1}
K1, B = 1.2, 0.75
SHARD_ROWS = 6000  # postings per shard (about 36 KB gzip); a common term gets its own
DOC_TEXT_CHARS = 900


Counts = tuple  # (terms joined by "\n", uint32 counts as bytes): compact to cache and keep


def compact(counter: Counter) -> Counts:
    return "\n".join(counter), np.fromiter(counter.values(), "<u4", len(counter)).tobytes()


def _expand(counts: Counts) -> tuple[list[str], np.ndarray]:
    terms, tf = counts
    return (terms.split("\n") if terms else []), np.frombuffer(tf, "<u4")


def body_counts(article: Article) -> Counts:
    return compact(Counter(tokenize(" ".join([article.dateline or ""] + [b.text for b in article.blocks if b.type != "heading"]))))


def heading_counts(article: Article) -> Counts:
    return compact(Counter(tokenize(" ".join([article.kicker or "", article.subtitle or ""]
                                             + [b.text for b in article.blocks if b.type == "heading"]))))


def field_counts(article: Article) -> list[Counts]:
    """Token counts per field. Body and headings are counted once, at extraction
    (cached with the page); title and zone are known only after zones are assigned."""
    cached = getattr(article, "_search_counts", None)
    body, heading = cached if cached else (body_counts(article), heading_counts(article))
    zone = compact(Counter(tokenize(" ".join([article.zone or "其他", *article.mentions]))))
    return [compact(Counter(tokenize(article.title))), heading, zone, body]


def document_fields(article: Article) -> dict[str, list[str]]:
    """The token lists lunr.py would be given for this article (the tests' oracle)."""
    out = {}
    for f, counts in zip(FIELDS, field_counts(article)):
        terms, tf = _expand(counts)
        out[f] = [t for t, n in zip(terms, tf.tolist()) for _ in range(n)]
    return out


def compute_scores(docs: list[list[Counts]]):
    """All postings: (terms sorted in UTF-16 order, term rank, field, doc, score x1000),
    rows sorted by term, field, doc."""
    n = len(docs)
    vocab: dict[str, int] = {}
    lengths = np.zeros((len(FIELDS), max(n, 1)), dtype=np.float64)
    t_parts, tf_parts, f_parts, d_parts = [], [], [], []
    for d, fields in enumerate(docs):
        for f, counts in enumerate(fields):
            terms, tf = _expand(counts)
            lengths[f, d] = int(tf.sum())
            if not terms:
                continue
            new = [t for t in terms if t not in vocab]  # terms are unique within a field
            vocab.update(zip(new, range(len(vocab), len(vocab) + len(new))))
            t_parts.append(np.fromiter(map(vocab.__getitem__, terms), np.int32, len(terms)))
            tf_parts.append(tf)
            f_parts.append(np.full(len(terms), f, np.int8))
            d_parts.append(np.full(len(terms), d, np.int32))
    terms = sorted(vocab, key=utf16_key)
    if not t_parts:
        empty = np.zeros(0, np.int64)
        return terms, empty, empty, empty, empty
    T, TF = np.concatenate(t_parts), np.concatenate(tf_parts)
    F, D = np.concatenate(f_parts), np.concatenate(d_parts)
    del t_parts, tf_parts, f_parts, d_parts
    # lunr counts a document once per field it holds the term in.
    df = np.bincount(T, minlength=len(vocab)).tolist()
    idf = np.array([math.log(1 + abs((n - c + 0.5) / (c + 0.5))) for c in df])  # math.log, as lunr.py
    avg = lengths[:, :n].sum(axis=1) / n
    boosts = np.array([BOOSTS[f] for f in FIELDS], dtype=np.float64)
    millis = np.empty(len(T), np.uint32)
    step = 1 << 20  # in chunks: float64 temporaries stay small
    for lo in range(0, len(T), step):
        t, tf = T[lo:lo + step], TF[lo:lo + step].astype(np.float64)
        f, d = F[lo:lo + step], D[lo:lo + step]
        length = lengths[f, d]
        # Same operations in the same order as lunr's Builder, so the doubles are equal.
        score = idf[t] * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / avg[f])) + tf)
        score = score * boosts[f]
        scaled = score * 1000
        chunk = np.rint(scaled)
        # On a rounding edge, defer to Python's round(x, 3), as lunr.py rounds.
        for i in np.nonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)[0].tolist():
            chunk[i] = round(round(float(score[i]), 3) * 1000)
        millis[lo:lo + step] = chunk
    rank_of = np.empty(len(vocab), np.int32)
    rank_of[np.fromiter((vocab[t] for t in terms), np.int64, len(terms))] = np.arange(len(terms), dtype=np.int32)
    R = rank_of[T]
    del T, TF
    order = np.lexsort((D, F, R))
    return terms, R[order], F[order], D[order], millis[order]


def build_search(articles: list[Article], zone_slugs: dict[str, str]) -> dict[str, bytes]:
    """Files under search/: manifest, shards, per-result data. Returns path -> bytes."""
    files: dict[str, bytes] = {}
    terms, R, F, D, S = compute_scores([field_counts(a) for a in articles])
    starts = np.searchsorted(R, np.arange(len(terms) + 1)) if len(terms) else np.zeros(1, np.int64)
    firsts, names = [], []
    lo = 0
    while lo < len(terms):
        hi = lo + 1
        # Greedy: terms in order until the shard holds SHARD_ROWS postings.
        hi = max(hi, int(np.searchsorted(starts, starts[lo] + SHARD_ROWS, side="right")) - 1)
        hi = min(max(hi, lo + 1), len(terms))
        body = _shard_bytes(terms[lo:hi], starts[lo:hi + 1] - starts[lo], F[starts[lo]:starts[hi]],
                            D[starts[lo]:starts[hi]], S[starts[lo]:starts[hi]])
        name = f"s-{hashlib.sha1(body).hexdigest()[:12]}.bin"
        files[f"search/index/{name}"] = body
        firsts.append(terms[lo])
        names.append(name)
        lo = hi
    zones = sorted(set(zone_slugs.values()))
    files["search/index/manifest.json"] = _json({
        "version": 2, "lunr": "2.3.9", "fields": FIELDS, "documents": len(articles),
        "first": firsts, "shards": names,
    })
    files["search/index/zones.json"] = _json({"zones": zones, "doc": [zones.index(zone_slugs[a.id]) for a in articles]})
    for number, article in enumerate(articles):
        files[f"search/docs/{number}.json"] = _json(result_data(article, zone_slugs[article.id]))
    return files


def _shard_bytes(terms: list[str], offsets, fields, docs, scores) -> bytes:
    # Doc numbers as deltas within each (term, field) run: small numbers gzip well.
    delta = docs.copy()
    if len(docs) > 1:
        same_run = np.zeros(len(docs), bool)
        same_run[1:] = fields[1:] == fields[:-1]
        starts = np.zeros(len(docs), bool)
        starts[offsets[:-1][offsets[:-1] < len(docs)]] = True
        same_run &= ~starts
        delta[1:][same_run[1:]] = docs[1:][same_run[1:]] - docs[:-1][same_run[1:]]
    blob = "\n".join(terms).encode("utf-8")
    header = np.array([len(terms), len(docs), len(blob)], "<u4").tobytes()
    return b"".join([header, np.asarray(offsets, "<u4").tobytes(), delta.astype("<u4").tobytes(),
                     scores.astype("<u4").tobytes(), fields.astype("u1").tobytes(), blob])


def read_shard(data: bytes) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """Decode a shard (what search.js does): term -> field -> [(doc, score)]."""
    nterms, nrows, nbytes = np.frombuffer(data, "<u4", 3).tolist()
    at = 12
    offsets = np.frombuffer(data, "<u4", nterms + 1, at).tolist(); at += 4 * (nterms + 1)
    docs = np.frombuffer(data, "<u4", nrows, at).tolist(); at += 4 * nrows
    scores = np.frombuffer(data, "<u4", nrows, at).tolist(); at += 4 * nrows
    fields = np.frombuffer(data, "u1", nrows, at).tolist(); at += nrows
    terms = data[at:at + nbytes].decode("utf-8").split("\n") if nterms else []
    out: dict = {}
    for k, term in enumerate(terms):
        entry: dict = {}
        doc = 0
        last_field = None
        for row in range(offsets[k], offsets[k + 1]):
            field = FIELDS[fields[row]]
            doc = docs[row] if field != last_field else doc + docs[row]
            last_field = field
            entry.setdefault(field, []).append((doc, scores[row] / 1000))
        out[term] = entry
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


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
