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

The shard format is in shardfile.py; what else the browser may fetch (the
Traditional-to-Simplified map, the homophone map) in lookups.py.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

import numpy as np

from ... import urls
from ...model.article import Article
from ..tokenize import term_hash, term_hashes, utf16_key
from . import lookups, shardfile
from .fields import BOOSTS, FIELDS, field_counts
from .results import compact_json, result_json

K1, B = 1.2, 0.75
SHARD_ROWS = 4000  # postings per shard on average (shards: a power of two, so edits rarely change how many)
BATCH = 256  # documents read at once: few numpy calls, and no giant list of term strings


def bucket_count(rows: int) -> int:
    """How many shards: a power of two (the browser masks a term's hash with it), about
    SHARD_ROWS postings each. Only a large change of the archive changes it."""
    count = 1
    while count * SHARD_ROWS < rows:
        count *= 2
    return count


@dataclass
class _Shard:
    """One shard's postings, sorted by (term in UTF-16 order, field, document)."""

    terms: list[str]
    R: np.ndarray  # row -> index into terms
    F: np.ndarray  # field number
    D: np.ndarray  # document number
    TF: np.ndarray  # term frequency
    name: str | None = None
    data: bytes | None = None

    @classmethod
    def of(cls, terms: list[str], R, F, D, TF) -> _Shard:
        """A shard from rows in any order: terms given by position in ``terms``."""
        used = np.unique(R)
        names = [terms[i] for i in used.tolist()]
        by_utf16 = sorted(range(len(names)), key=lambda i: utf16_key(names[i]))
        rank = np.zeros(len(terms), np.int32)
        rank[used[by_utf16]] = np.arange(len(names), dtype=np.int32)
        R = rank[R]
        order = np.lexsort((D, F, R))
        return cls([names[i] for i in by_utf16], R[order], F[order], D[order], TF[order])

    def to_bytes(self, lengths: np.ndarray) -> bytes:
        """``lengths``: each document's field lengths (documents x fields)."""
        return shardfile.encode(self.terms, self.R, self.F, self.D, self.TF, lengths[self.D, self.F])


class SearchIndex:
    """The archive's postings, kept between builds (the live preview keeps one): a
    rebuild re-reads only changed articles' postings and re-makes only the shards
    they change; an article added or removed renumbers the others in place, shard by
    shard, without sorting the archive again. A kept index and a fresh one give
    identical files."""

    def __init__(self):
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self._hashes = np.zeros(0, np.uint32)  # of self.terms, made in batches as the vocabulary grows
        self._rows: dict = {}  # document signature -> (T, F, TF, field lengths)
        self._docs: list = []  # (article id, signature) of each document, by number, as last built
        self._shards: list[_Shard | None] = []

    def files(
        self,
        articles: list[Article],
        zone_slugs: dict[str, str],
        skip=None,
        zone_names: dict[str, list[str]] | None = None,
    ) -> dict[str, bytes]:
        """Files under search/: manifest, shards, zones, lookups, per-result data.
        Path -> bytes. ``skip(path)``: true for a result file the caller already has.
        ``zone_names``: zone name -> every name known for the zone (indexed with it)."""
        docs = [(a.id, tuple(field_counts(a, zone_names))) for a in articles]
        rows = self._doc_rows([signature for _, signature in docs])
        count = bucket_count(sum(len(r[0]) for r in rows))
        if len(self._shards) != count or not self._update(docs, rows):
            self._rebuild(rows, count)
        self._docs = docs
        self._rows = {signature: r for (_, signature), r in zip(docs, rows)}  # forget documents that are gone
        lengths = np.array([r[3] for r in rows], np.uint32).reshape(-1, len(FIELDS))
        files = {}
        for shard in self._shards:
            if shard is not None and shard.data is None:
                shard.data = shard.to_bytes(lengths)
                # The number keeps names unique; one character of the content's digest
                # only keeps a browser from mixing an old shard with a new manifest
                # (short: the manifest lists every shard, and every first query fetches it).
                shard.name = name_char(shard.data)
        for k, shard in enumerate(self._shards):
            if shard is not None and shard.name and shard.data:
                files[urls.search_index_url(shard_file(k, shard.name))] = shard.data
        average = (lengths.sum(axis=0, dtype=np.float64) / len(rows)).tolist() if rows else [0.0] * len(FIELDS)
        zones = sorted(set(zone_slugs.values()))
        files[urls.search_index_url("manifest.json")] = compact_json(
            {
                "version": 4,
                "lunr": "2.3.9",
                "fields": FIELDS,
                "boosts": [BOOSTS[f] for f in FIELDS],
                "k1": K1,
                "b": B,
                "documents": len(articles),
                "average": average,
                "shards": "".join((s and s.name) or "." for s in self._shards),
                **lookups.manifest_entries([t for s in self._shards if s for t in s.terms], files),
            }
        )
        # Documents come zone by zone (search_order): a zone is a range of numbers.
        slugs = [zone_slugs[a.id] for a in articles]
        files[urls.search_index_url("zones.json")] = compact_json(
            {"zones": zones, "start": [slugs.index(z) for z in zones]}
        )
        for n, article in enumerate(articles):
            path = urls.output_path(urls.search_result_url(n))
            if not (skip and skip(path)):
                files[path] = result_json(article, zone_slugs[article.id])
        return files

    @property
    def hashes(self) -> np.ndarray:
        """term_hash of every term in the vocabulary, by id."""
        if len(self._hashes) < len(self.terms):
            self._hashes = np.concatenate([self._hashes, term_hashes(self.terms[len(self._hashes) :])])
        return self._hashes

    def _ids(self, terms: list[str]) -> np.ndarray:
        """Vocabulary ids of ``terms``, new terms added (one pass over millions)."""
        vocab = self.vocab
        ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms), np.int32, len(terms))
        self.terms.extend(itertools.islice(vocab, len(self.terms), None))  # dicts keep insertion order
        return ids

    def _doc_rows(self, signatures: list[tuple]) -> list:
        """(T, F, TF, field lengths) of each document; documents not seen before are
        read a batch at a time and their arrays split back per document."""
        rows = [self._rows.get(s) for s in signatures]
        missing = [i for i, r in enumerate(rows) if r is None]
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            joined, counts, field_sizes = [], [], []
            for i in batch:
                for terms, tf in signatures[i]:
                    if terms:
                        joined.append(terms)
                    counts.append(tf)
                    field_sizes.append(len(tf) // 4)
            TF = np.frombuffer(b"".join(counts), "<u4")
            T = self._ids("\n".join(joined).split("\n") if joined else [])
            F = np.repeat(np.tile(np.arange(len(FIELDS), dtype=np.uint8), len(batch)), field_sizes)
            running = np.concatenate([[0], np.cumsum(TF, dtype=np.int64)])
            ends = np.cumsum(field_sizes)
            per_field = (running[ends] - running[ends - field_sizes]).reshape(-1, len(FIELDS))  # tokens per field
            bounds = ends[len(FIELDS) - 1 :: len(FIELDS)][:-1]
            for i, t, f, tf, n in zip(
                batch, np.split(T, bounds), np.split(F, bounds), np.split(TF, bounds), per_field.tolist()
            ):
                rows[i] = (t, f, tf, tuple(n))
        return rows

    def _rebuild(self, rows: list, count: int) -> None:
        sizes = [len(r[0]) for r in rows]
        T, F, TF = (
            (np.concatenate([r[i] for r in rows]) if rows else np.zeros(0, t))
            for i, t in ((0, np.int32), (1, np.uint8), (2, np.uint32))
        )
        shard_of = self.hashes[T] & np.uint32(count - 1)
        order = np.argsort(shard_of, kind="stable")
        bounds = np.searchsorted(shard_of[order], np.arange(count + 1)).tolist()
        del shard_of
        T, F, TF = T[order], F[order], TF[order]
        D = np.repeat(np.arange(len(rows), dtype=np.uint32), sizes)[order]
        del order
        self._shards = [
            _Shard.of(self.terms, T[a:b], F[a:b], D[a:b], TF[a:b]) if b > a else None
            for a, b in zip(bounds, bounds[1:])
        ]

    def _update(self, docs: list, rows: list) -> bool:
        """Bring the kept shards up to ``docs``; False when starting again is cheaper."""
        before = {doc_id: (n, signature) for n, (doc_id, signature) in enumerate(self._docs)}
        remap = np.full(len(self._docs), -1, np.int64)  # old number -> new, -1: its rows go
        fresh = []  # new numbers whose rows come in
        for n, (doc_id, signature) in enumerate(docs):
            old = before.get(doc_id)
            if old is not None and old[1] == signature:
                remap[old[0]] = n
            else:
                fresh.append(n)
        kept = remap[remap >= 0]
        gone = np.flatnonzero(remap < 0)
        if len(fresh) + len(gone) > max(16, len(docs) // 50) or np.any(np.diff(kept) <= 0):
            return False  # many changes, or documents that changed places
        mask = np.uint32(len(self._shards) - 1)
        touched = set()
        for n in gone.tolist():
            touched.update(np.unique(self.hashes[self._rows[self._docs[n][1]][0]] & mask).tolist())
        incoming: dict[int, list] = {}
        for n in fresh:
            T, F, TF, _ = rows[n]
            where = self.hashes[T] & mask
            for k in np.unique(where).tolist():
                here = where == k
                incoming.setdefault(k, []).append((T[here], F[here], np.full(int(here.sum()), n, np.uint32), TF[here]))
        shifted = np.flatnonzero((remap >= 0) & (remap != np.arange(len(remap))))
        first_moved = int(shifted[0]) if len(shifted) else len(remap)  # kept documents before it keep their numbers
        for k, shard in enumerate(self._shards):
            moves = shard is not None and int(shard.D.max()) >= first_moved
            if k not in touched and k not in incoming and not moves:
                continue
            self._shards[k] = self._renumbered(shard, remap, incoming.get(k, []))
        return True

    def _renumbered(self, shard: _Shard | None, remap: np.ndarray, incoming: list) -> _Shard | None:
        if shard is None:
            terms, R, F, D, TF = [], *(np.zeros(0, t) for t in (np.int32, np.uint8, np.uint32, np.uint32))
        else:
            new = remap[shard.D]
            keep = new >= 0
            terms, R, F, D, TF = shard.terms, shard.R[keep], shard.F[keep], new[keep].astype(np.uint32), shard.TF[keep]
        if incoming:
            # New rows: terms by vocabulary id; the shard's own rows by position in its terms.
            ids = np.fromiter((self.vocab[t] for t in terms), np.int64, len(terms))
            T = np.concatenate([ids[R].astype(np.int64)] + [part[0].astype(np.int64) for part in incoming])
            F, D, TF = (
                np.concatenate([column] + [part[i] for part in incoming]) for i, column in ((1, F), (2, D), (3, TF))
            )
            used, R = np.unique(T, return_inverse=True)
            return _Shard.of([self.terms[i] for i in used.tolist()], R, F, D, TF) if len(R) else None
        if not len(R):
            return None
        # Dropping rows and renumbering in order keep the rows sorted; unused terms go.
        used = np.unique(R)
        if len(used) < len(terms):
            rank = np.zeros(len(terms), np.int32)
            rank[used] = np.arange(len(used), dtype=np.int32)
            terms, R = [terms[i] for i in used.tolist()], rank[R]
        return _Shard(terms, R, F, D, TF)


def build_search(articles: list[Article], zone_slugs: dict[str, str]) -> dict[str, bytes]:
    """The search files of a fresh index (a full build)."""
    return SearchIndex().files(articles, zone_slugs)


NAME_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"


def name_char(data: bytes) -> str:
    return NAME_CHARS[hashlib.sha1(data).digest()[0] & 63]


def shard_file(k: int, name: str) -> str:
    return f"s{k}-{name}.txt"


def shard_names(manifest: dict) -> list[str | None]:
    """File name of each shard (None: empty), as search.js reads the manifest."""
    return [None if c == "." else shard_file(k, c) for k, c in enumerate(manifest["shards"])]


def search_order(articles: list[Article], zone_slugs: dict[str, str]) -> list[Article]:
    """The order of the search's document numbers: zone by zone (by slug), in the
    given order within a zone, so zones.json is a few numbers, not one per article."""
    return sorted(articles, key=lambda a: zone_slugs[a.id])


def shard_for(manifest: dict, term: str) -> str | None:
    """The shard that holds ``term`` (what search.js does)."""
    shards = shard_names(manifest)
    return shards[term_hash(term) & (len(shards) - 1)]


def read_shard(data: bytes, manifest: dict):
    return shardfile.read_shard(data, manifest)
