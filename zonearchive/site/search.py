"""The client-side search index: term frequencies split by term into shards; the
browser scores them exactly as lunr 2.3.9's Builder does.

A term's shard is fixed by a hash of the term (tokenize.term_hash), not by where the
term falls in the vocabulary, so one edited article changes only the shards of its
own terms, and nothing in a shard depends on any other document (the scores'
archive-wide parts, document count and average field lengths, live in the
manifest). The browser computes lunr's BM25 (k1=1.2, b=0.75, field boosts, rounded
to 3 places) for the postings it fetched, builds a lunr 2.3.9 index of those terms
alone and queries it with lunr.js. lunr scores a document as dot(query, field
vector) / |query|, touching only the query's terms, so the partial index ranks
exactly as the whole one would; the tests compare with lunr.py's own index.

Shard file (little-endian): u32 terms, u32 rows, u32 term-bytes; u32[terms+1] row
offsets; u32[rows] doc (delta within a term's field run); u32[rows] term frequency;
u32[rows] field length; u8[rows] field; then the terms, UTF-8, joined by newlines,
in UTF-16 order.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..articles.model import Article
from . import urls
from .tokenize import term_hash, term_hashes, tokenize, utf16_key

FIELDS = ["title", "heading", "zone", "body"]
BOOSTS = {"title": 10, "heading": 3, "zone": 2, "body": 1}
K1, B = 1.2, 0.75
SHARD_ROWS = 4000  # postings per shard on average (shards: a power of two, so edits rarely change how many)
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
    return [_text_counts(article.title), heading, _text_counts(" ".join([article.zone or "其他", *article.mentions])), body]


@lru_cache(maxsize=1 << 16)
def _text_counts(text: str) -> Counts:
    # Titles and zone names repeat from build to build (and zone names across articles).
    return compact(Counter(tokenize(text)))


def document_fields(article: Article) -> dict[str, list[str]]:
    """The token lists lunr.py would be given for this article (the tests' oracle)."""
    out = {}
    for f, counts in zip(FIELDS, field_counts(article)):
        terms, tf = _expand(counts)
        out[f] = [t for t, n in zip(terms, tf.tolist()) for _ in range(n)]
    return out


def bucket_count(rows: int) -> int:
    """How many shards: a power of two (the browser masks a term's hash with it), about
    SHARD_ROWS postings each. Only a large change of the archive changes it."""
    count = 1
    while count * SHARD_ROWS < rows:
        count *= 2
    return count


@dataclass
class _Shard:
    """One shard's postings, in no particular order (the bytes are sorted)."""
    T: np.ndarray  # term ids (SearchIndex.terms)
    F: np.ndarray  # field number
    D: np.ndarray  # document number
    TF: np.ndarray  # term frequency
    L: np.ndarray  # length of that field in that document
    name: str | None = None
    data: bytes | None = None


class SearchIndex:
    """The archive's postings, kept between builds (the live preview keeps one): a
    rebuild re-reads only changed articles' postings and re-makes only the shards
    holding their terms. A kept index and a fresh one give identical files."""

    def __init__(self):
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self.hashes = np.zeros(0, np.uint32)
        self._rows: dict = {}  # document signature -> (T, F, TF, L, field lengths)
        self._docs: list = []  # each document's signature, by number, as last built
        self._shards: list[_Shard] = []

    def files(self, articles: list[Article], zone_slugs: dict[str, str], skip=None) -> dict[str, bytes]:
        """Files under search/: manifest, shards, zones, per-result data. Path -> bytes.
        ``skip(path)``: true for a result file the caller already has."""
        signatures = [tuple(field_counts(a)) for a in articles]
        rows = [self._doc_rows(s) for s in signatures]
        count = bucket_count(sum(len(r[0]) for r in rows))
        changed = None
        if len(self._docs) == len(signatures) and len(self._shards) == count:
            changed = [d for d, s in enumerate(signatures) if s != self._docs[d]]
            if len(changed) > max(16, len(signatures) // 50):
                changed = None  # cheaper to start again
        if changed is None:
            self._rebuild(rows, count)
        elif changed:
            self._update(changed, [self._rows[self._docs[d]] for d in changed], [rows[d] for d in changed])
        self._docs = signatures
        self._rows = dict(zip(signatures, rows))  # forget documents that are gone
        files = {}
        for shard in self._shards:
            if shard.name and shard.data is None:
                shard.data = self._shard_bytes(shard)
                shard.name = f"s-{hashlib.sha1(shard.data).hexdigest()[:12]}.bin"
            if shard.name:
                files[urls.search_index_url(shard.name)] = shard.data
        lengths = np.array([r[4] for r in rows], np.float64).reshape(-1, len(FIELDS))
        average = (lengths.sum(axis=0) / len(rows)).tolist() if rows else [0.0] * len(FIELDS)
        zones = sorted(set(zone_slugs.values()))
        files[urls.search_index_url("manifest.json")] = _json({
            "version": 3, "lunr": "2.3.9", "fields": FIELDS, "boosts": [BOOSTS[f] for f in FIELDS],
            "k1": K1, "b": B, "documents": len(articles), "average": average,
            "shards": [s.name for s in self._shards],
        })
        number = {z: i for i, z in enumerate(zones)}
        files[urls.search_index_url("zones.json")] = _json({"zones": zones, "doc": [number[zone_slugs[a.id]] for a in articles]})
        for n, article in enumerate(articles):
            path = urls.output_path(urls.search_result_url(n))
            if not (skip and skip(path)):
                files[path] = result_json(article, zone_slugs[article.id])
        return files

    def _ids(self, terms: list[str]) -> np.ndarray:
        new = [t for t in terms if t not in self.vocab]
        if new:
            self.vocab.update(zip(new, range(len(self.terms), len(self.terms) + len(new))))
            self.terms.extend(new)
            self.hashes = np.concatenate([self.hashes, term_hashes(new)])
        return np.fromiter(map(self.vocab.__getitem__, terms), np.int32, len(terms))

    def _doc_rows(self, signature: tuple):
        rows = self._rows.get(signature)
        if rows is None:
            T, F, TF, L, lengths = [], [], [], [], []
            for f, counts in enumerate(signature):
                terms, tf = _expand(counts)
                length = int(tf.sum())
                lengths.append(length)
                T.append(self._ids(terms))
                F.append(np.full(len(terms), f, np.uint8))
                TF.append(tf)
                L.append(np.full(len(terms), length, np.uint32))
            rows = (np.concatenate(T), np.concatenate(F), np.concatenate(TF), np.concatenate(L), lengths)
        return rows

    def _rebuild(self, rows: list, count: int) -> None:
        sizes = [len(r[0]) for r in rows]
        T = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, np.int32)
        shard_of = self.hashes[T] & np.uint32(count - 1)
        order = np.argsort(shard_of, kind="stable")
        bounds = np.searchsorted(shard_of[order], np.arange(count + 1)).tolist()
        columns = [T] + [np.concatenate([r[i] for r in rows]) if rows else np.zeros(0, np.uint32) for i in (1, 2, 3)]
        T, F, TF, L = (c[order] for c in columns)
        D = np.repeat(np.arange(len(rows), dtype=np.uint32), sizes)[order]
        self._shards = [_Shard(T[a:b], F[a:b], D[a:b], TF[a:b], L[a:b], name="?" if b > a else None)
                        for a, b in zip(bounds, bounds[1:])]

    def _update(self, changed: list[int], old: list, new: list) -> None:
        mask = np.uint32(len(self._shards) - 1)
        gone = np.array(changed, np.uint32)
        touched = set()
        for rows in old + new:
            touched.update(np.unique(self.hashes[rows[0]] & mask).tolist())
        for k in sorted(touched):
            shard = self._shards[k]
            keep = ~np.isin(shard.D, gone)
            parts = [(shard.T[keep], shard.F[keep], shard.D[keep], shard.TF[keep], shard.L[keep])]
            for d, (T, F, TF, L, _) in zip(changed, new):
                here = (self.hashes[T] & mask) == k
                parts.append((T[here], F[here], np.full(int(here.sum()), d, np.uint32), TF[here], L[here]))
            T, F, D, TF, L = (np.concatenate(column) for column in zip(*parts))
            self._shards[k] = _Shard(T, F, D, TF, L, name="?" if len(T) else None)

    def _shard_bytes(self, shard: _Shard) -> bytes:
        ids, local = np.unique(shard.T, return_inverse=True)
        names = [self.terms[i] for i in ids.tolist()]
        by_utf16 = sorted(range(len(names)), key=lambda i: utf16_key(names[i]))
        rank = np.empty(len(names), np.int64)
        rank[by_utf16] = np.arange(len(names))
        R = rank[local]
        order = np.lexsort((shard.D, shard.F, R))
        R, F, D = R[order], shard.F[order], shard.D[order].astype(np.int64)
        offsets = np.searchsorted(R, np.arange(len(names) + 1))
        # Doc numbers as deltas within each (term, field) run: small numbers gzip well.
        delta = D.copy()
        if len(D) > 1:
            run_goes_on = np.zeros(len(D), bool)
            run_goes_on[1:] = (F[1:] == F[:-1]) & (R[1:] == R[:-1])
            delta[run_goes_on] = D[run_goes_on] - D[np.flatnonzero(run_goes_on) - 1]
        blob = "\n".join(names[i] for i in by_utf16).encode("utf-8")
        header = np.array([len(names), len(D), len(blob)], "<u4").tobytes()
        return b"".join([header, offsets.astype("<u4").tobytes(), delta.astype("<u4").tobytes(),
                         shard.TF[order].astype("<u4").tobytes(), shard.L[order].astype("<u4").tobytes(),
                         F.astype("u1").tobytes(), blob])


def build_search(articles: list[Article], zone_slugs: dict[str, str]) -> dict[str, bytes]:
    """The search files of a fresh index (a full build)."""
    return SearchIndex().files(articles, zone_slugs)


def shard_for(manifest: dict, term: str) -> str | None:
    """The shard that holds ``term`` (what search.js does)."""
    shards = manifest["shards"]
    return shards[term_hash(term) & (len(shards) - 1)]


def read_shard(data: bytes, manifest: dict) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """Decode a shard and score it as search.js does (lunr.js's Builder, operation for
    operation): term -> field -> [(doc, score)]."""
    nterms, nrows, nbytes = np.frombuffer(data, "<u4", 3).tolist()
    at = 12
    offsets = np.frombuffer(data, "<u4", nterms + 1, at).tolist(); at += 4 * (nterms + 1)
    docs = np.frombuffer(data, "<u4", nrows, at).tolist(); at += 4 * nrows
    tfs = np.frombuffer(data, "<u4", nrows, at).tolist(); at += 4 * nrows
    lengths = np.frombuffer(data, "<u4", nrows, at).tolist(); at += 4 * nrows
    fields = np.frombuffer(data, "u1", nrows, at).tolist(); at += nrows
    terms = data[at:at + nbytes].decode("utf-8").split("\n") if nterms else []
    n, average, boosts = manifest["documents"], manifest["average"], manifest["boosts"]
    k1, b = manifest["k1"], manifest["b"]
    out: dict = {}
    for k, term in enumerate(terms):
        entry: dict = {}
        doc, last_field = 0, None
        df = offsets[k + 1] - offsets[k]  # lunr counts a document once per field holding the term
        idf = math.log(1 + abs((n - df + 0.5) / (df + 0.5)))
        for row in range(offsets[k], offsets[k + 1]):
            f = fields[row]
            doc = doc + docs[row] if f == last_field else docs[row]
            last_field = f
            tf = tfs[row]
            score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[row] / average[f])) + tf)
            score *= boosts[f]
            entry.setdefault(FIELDS[f], []).append((doc, math.floor(1e3 * score + 0.5) / 1e3))  # Math.round
        out[term] = entry
    return out


def result_json(article: Article, zone_slug: str) -> bytes:
    return _json(result_data(article, zone_slug))


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
