"""The client-side search index: term frequencies split by term into shards; the
browser scores them exactly as lunr 2.3.9's Builder does.

A term's shard is fixed by a hash of the term (tokenize.term_hash), not by where the
term falls in the vocabulary, so one edited article changes only the shards of its
own terms, and nothing in a shard depends on any other document (the scores'
archive-wide parts, document count and average field lengths, live in the
manifest; each document's field lengths in the lengths files, LENGTH_DOCS documents
to a file; each document's page in the URLs files, results.py). The browser computes
lunr's BM25 (k1=1.2, b=0.75, field boosts, rounded to 3 places) for the postings it
fetched, builds a lunr 2.3.9 index of those terms alone and queries it with lunr.js.
lunr scores a document as dot(query, field vector) / |query|, touching only the
query's terms, so the partial index ranks exactly as the whole one would; the tests
compare with lunr.py's own index.

The shard format is in shardfile.py; what else the browser may fetch (the
Traditional-to-Simplified map, the homophone map) in lookups.py; how terms are
numbered in terms.py; how a fresh index lays out its shards in layout.py.
"""

from __future__ import annotations

import numpy as np

from ... import urls
from ...errors import Stopped
from ...model.article import Article
from ..tokenize import term_hash
from . import lookups, shardfile
from .fields import BOOSTS, FIELDS, field_counts
from .layout import Shard, lay_out
from .results import URL_DOCS, compact_json, name_char, read_url_files, url_files
from .terms import Vocabulary

K1, B = 1.2, 0.75
SHARD_ROWS = 4000  # postings per shard on average (shards: a power of two, so edits rarely change how many).
# 8000 halves the index files but a query's shards then carry twice the postings: a second
# query for a seven-character phrase fetched 45.8 KB (limit 40) at 10,000 articles.
LENGTH_DOCS = 1024  # documents per lengths file: at 10,000 articles ten files of ~3 KB gzipped
BATCH = 256  # documents read at once: few numpy calls, and no giant list of term strings


def bucket_count(rows: int) -> int:
    """How many shards: a power of two (the browser masks a term's hash with it), about
    SHARD_ROWS postings each. Only a large change of the archive changes it."""
    count = 1
    while count * SHARD_ROWS < rows:
        count *= 2
    return count


class SearchIndex:
    """The archive's postings, kept between builds (the live preview keeps one): a
    rebuild re-reads only changed articles' postings and re-makes only the shards
    they change; an article added or removed renumbers the others in place, shard by
    shard, without sorting the archive again. A kept index and a fresh one give
    identical files. Terms are ids (terms.py): strings only for the few terms that
    are not Chinese characters, and for the shards' files."""

    def __init__(self, keep: bool = True):
        """``keep``: hold the postings for the next call, as the preview's index does. A
        one-off index lets each shard's rows go once its bytes are made, and keeps
        nothing between calls (at 100,000 articles the rows are gigabytes)."""
        self.keep = keep
        self.vocabulary = Vocabulary()
        self._rows: dict = {}  # document signature -> (T, F, TF, field lengths)
        self._docs: list = []  # (article id, signature) of each document, by number, as last built
        self._shards: list[Shard | None] = []

    def files(
        self,
        articles: list[Article],
        zone_slugs: dict[str, str],
        zone_names: dict[str, list[str]] | None = None,
        go_on=None,
    ) -> dict[str, bytes]:
        """Files under search/index/: manifest, shards, lengths, URLs, zones, lookups.
        Path -> bytes.
        ``zone_names``: zone name -> every name known for the zone (indexed with it).
        ``go_on()``, asked as the work goes: False raises Stopped, the index kept as
        the last call left it (its shards are replaced, never changed in place)."""
        go_on = go_on or (lambda: True)
        if not self.keep:
            self._rows, self._docs, self._shards = {}, [], []
        docs = [(a.id, tuple(field_counts(a, zone_names))) for a in articles]
        rows = self._doc_rows([signature for _, signature in docs])
        count = bucket_count(sum(len(r[0]) for r in rows))
        lengths = np.array([r[3] for r in rows], np.uint32).reshape(-1, len(FIELDS))
        shards = self._updated(docs, rows, go_on) if len(self._shards) == count else None
        if shards is None:
            shards = lay_out(rows, count, self.vocabulary, keep_rows=self.keep)
        _check(go_on)
        self._encode([s for s in shards if s is not None and s.data is None])
        _check(go_on)
        self._shards = shards
        if self.keep:
            self._docs = docs
            self._rows = {signature: r for (_, signature), r in zip(docs, rows)}  # forget documents that are gone
        for shard in self._shards:
            if shard is not None and shard.data and not shard.name:
                # The number keeps names unique; one character of the content's digest
                # only keeps a browser from mixing an old shard with a new manifest
                # (short: the manifest lists every shard, and every first query fetches it).
                shard.name = name_char(shard.data)
        files = {}
        for k, shard in enumerate(self._shards):
            if shard is not None and shard.name and shard.data:
                files[urls.search_index_url(shard_file(k, shard.name))] = shard.data
        length_names = []
        for k, start in enumerate(range(0, len(rows), LENGTH_DOCS)):
            data = shardfile.encode_lengths(lengths[start : start + LENGTH_DOCS])
            length_names.append(name_char(data))
            files[urls.search_index_url(lengths_file(k, length_names[-1]))] = data
        url_names = []
        for k, data in enumerate(url_files([a.url for a in articles], URL_DOCS)):
            url_names.append(name_char(data))
            files[urls.search_index_url(urls_file(k, url_names[-1]))] = data
        average = (lengths.sum(axis=0, dtype=np.float64) / len(rows)).tolist() if rows else [0.0] * len(FIELDS)
        zones = sorted(set(zone_slugs.values()))
        every_id = np.concatenate([np.zeros(0, np.uint32)] + [s.ids for s in self._shards if s])
        files[urls.search_index_url("manifest.json")] = compact_json(
            {
                "version": 7,
                "lunr": "2.3.9",
                "fields": FIELDS,
                "boosts": [BOOSTS[f] for f in FIELDS],
                "k1": K1,
                "b": B,
                "documents": len(articles),
                "average": average,
                "shards": "".join((s and s.name) or "." for s in self._shards),
                "lengths": "".join(length_names),
                "lengthDocs": LENGTH_DOCS,
                "urls": "".join(url_names),
                "urlDocs": URL_DOCS,
                **lookups.manifest_entries(every_id, self.vocabulary, files),
            }
        )
        # Documents come zone by zone (search_order): a zone is a range of numbers.
        slugs = [zone_slugs[a.id] for a in articles]
        files[urls.search_index_url("zones.json")] = compact_json(
            {"zones": zones, "start": [slugs.index(z) for z in zones]}
        )
        return files

    def _doc_rows(self, signatures: list[tuple]) -> list:
        """(T, F, TF, field lengths) of each document; documents not seen before are
        read a batch at a time and their arrays split back per document."""
        rows = [self._rows.get(s) for s in signatures]
        missing = [i for i, r in enumerate(rows) if r is None]
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            coded, uncoded, counts, sizes = [], [], [], []  # sizes: coded, uncoded terms of each field
            for i in batch:
                for ids, others, tf in signatures[i]:
                    coded.append(ids)
                    if others:
                        uncoded.append(others)
                    counts.append(tf)
                    sizes += [len(ids) // 4, (len(tf) - len(ids)) // 4]
            TF = np.frombuffer(b"".join(counts), "<u4")
            T = np.empty(len(TF), np.uint32)
            is_coded = np.repeat(np.tile([True, False], len(sizes) // 2), sizes)
            T[is_coded] = np.frombuffer(b"".join(coded), "<u4")
            T[~is_coded] = self.vocabulary.number("\n".join(uncoded).split("\n") if uncoded else [])
            field_sizes = np.add(sizes[0::2], sizes[1::2])
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

    def _encode(self, shards: list[Shard]) -> None:
        """Encode the shards an update changed, at once."""
        if not shards:
            return
        term_bounds = np.cumsum([0] + [len(s.ids) for s in shards])
        row_bounds = np.cumsum([0] + [len(s.R) for s in shards])
        ids = np.concatenate([s.ids for s in shards])
        R = np.concatenate([s.R.astype(np.int64) + t for s, t in zip(shards, term_bounds.tolist())])
        F, D, TF = (np.concatenate([getattr(s, c) for s in shards]) for c in ("F", "D", "TF"))
        names = self.vocabulary.names(ids)
        data = shardfile.encode_many(names, R, F, D, TF, term_bounds, row_bounds)
        for shard, shard_data in zip(shards, data):
            shard.data = shard_data

    def _shard(self, ids: np.ndarray, R, F, D, TF) -> Shard:
        """A shard from rows in any order: terms given by position in ``ids``."""
        by_utf16 = np.lexsort(self.vocabulary.utf16_keys(ids))
        rank = np.zeros(len(ids), np.int32)
        rank[by_utf16] = np.arange(len(ids), dtype=np.int32)
        R = rank[R]
        order = np.lexsort((D, F, R))
        return Shard(ids[by_utf16], R[order], F[order], D[order], TF[order])

    def _updated(self, docs: list, rows: list, go_on) -> list[Shard | None] | None:
        """The kept shards brought up to ``docs`` (a new list; the kept one is not
        changed); None when starting again is cheaper."""
        before = {doc_id: (n, signature) for n, (doc_id, signature) in enumerate(self._docs)}
        remap = np.full(len(self._docs), -1, np.int64)  # old number -> new, -1: its rows go
        fresh = []  # new numbers whose rows come in
        edited = []  # (old number, new number, rows that differ) of documents kept but changed
        for n, (doc_id, signature) in enumerate(docs):
            old = before.get(doc_id)
            if old is not None and old[1] == signature:
                remap[old[0]] = n
            elif old is not None and (differ := _differing(self._rows[old[1]], rows[n])) is not None:
                remap[old[0]] = n  # its rows stay where they are unchanged (a word fixed)
                edited.append((old[0], n, differ))
            else:
                fresh.append(n)
        kept = remap[remap >= 0]
        gone = np.flatnonzero(remap < 0)
        if len(fresh) + len(gone) + len(edited) > max(16, len(docs) // 50) or np.any(np.diff(kept) <= 0):
            return None  # many changes, or documents that changed places
        mask = np.uint32(len(self._shards) - 1)
        touched = set()
        for n in gone.tolist():
            touched.update(np.unique(self.vocabulary.hashes(self._rows[self._docs[n][1]][0]) & mask).tolist())
        incoming: dict[int, list] = {}
        dropped: dict[int, list[int]] = {}  # shard -> old numbers whose rows there go (edited documents')

        def come_in(n: int, T, F, TF, only=None) -> None:
            where = self.vocabulary.hashes(T) & mask
            for k in np.unique(where).tolist():
                if only is None or k in only:
                    here = where == k
                    incoming.setdefault(k, []).append(
                        (T[here], F[here], np.full(int(here.sum()), n, np.uint32), TF[here])
                    )

        for n in fresh:
            T, F, TF, _ = rows[n]
            come_in(n, T, F, TF)
        for o, n, differ in edited:
            changed = set(np.unique(self.vocabulary.hashes(differ) & mask).tolist())
            for k in changed:
                dropped.setdefault(k, []).append(o)
            T, F, TF, _ = rows[n]
            come_in(n, T, F, TF, only=changed)
        shifted = np.flatnonzero((remap >= 0) & (remap != np.arange(len(remap))))
        first_moved = int(shifted[0]) if len(shifted) else len(remap)  # kept documents before it keep their numbers
        shards = list(self._shards)
        done = 0
        for k, shard in enumerate(shards):
            moves = shard is not None and int(shard.D.max()) >= first_moved
            if k not in touched and k not in incoming and k not in dropped and not moves:
                continue
            done += 1
            if done % 64 == 0:
                _check(go_on)
            shards[k] = self._renumbered(shard, remap, incoming.get(k, []), dropped.get(k, []))
        return shards

    def _renumbered(self, shard: Shard | None, remap: np.ndarray, incoming: list, dropped=()) -> Shard | None:
        if shard is None:
            ids, R, F, D, TF = (np.zeros(0, t) for t in (np.uint32, np.int32, np.uint8, np.uint32, np.uint32))
        else:
            new = remap[shard.D]
            keep = new >= 0
            if len(dropped):
                keep &= ~np.isin(shard.D, dropped)
            ids, R, F, D, TF = shard.ids, shard.R[keep], shard.F[keep], new[keep].astype(np.uint32), shard.TF[keep]
        if incoming:
            # New rows come with their terms' ids; the shard's own rows with positions in its ids.
            T = np.concatenate([ids[R]] + [part[0] for part in incoming])
            F, D, TF = (
                np.concatenate([column] + [part[i] for part in incoming]) for i, column in ((1, F), (2, D), (3, TF))
            )
            used, R = np.unique(T, return_inverse=True)
            return self._shard(used, R, F, D, TF) if len(R) else None
        if not len(R):
            return None
        # Dropping rows and renumbering in order keep the rows sorted; unused terms go.
        used = np.unique(R)
        if len(used) < len(ids):
            rank = np.zeros(len(ids), np.int32)
            rank[used] = np.arange(len(used), dtype=np.int32)
            ids, R = ids[used], rank[R]
        return Shard(ids, R, F, D, TF)


def _differing(old_rows: tuple, new_rows: tuple) -> np.ndarray | None:
    """The term ids of the rows (term, field, frequency) one version of a document has
    and the other has not; None when they cannot be compared so (a huge frequency)."""
    keys = []
    for T, F, TF, _ in (old_rows, new_rows):
        if len(TF) and int(TF.max()) >= 1 << 24:
            return None
        keys.append((T.astype(np.uint64) << np.uint64(32)) | (F.astype(np.uint64) << np.uint64(24)) | TF)
    return (np.setxor1d(keys[0], keys[1]) >> np.uint64(32)).astype(np.uint32)


def _check(go_on) -> None:
    if not go_on():
        raise Stopped


def build_search(articles: list[Article], zone_slugs: dict[str, str]) -> dict[str, bytes]:
    """The search files of a fresh index (a full build)."""
    return SearchIndex(keep=False).files(articles, zone_slugs)


def shard_file(k: int, name: str) -> str:
    return f"s{k}-{name}.txt"


def lengths_file(k: int, name: str) -> str:
    return f"l{k}-{name}.txt"


def urls_file(k: int, name: str) -> str:
    return f"u{k}-{name}.txt"


def read_urls(manifest: dict, read) -> list[str]:
    """Every document's page URL, by number, as search.js reads them."""
    return read_url_files([read(urls_file(k, c)) for k, c in enumerate(manifest["urls"])])


def read_lengths(manifest: dict, read) -> np.ndarray:
    """Every document's field lengths (documents x fields), as search.js reads them;
    ``read(file name)``: the bytes of a file under search/index/."""
    parts = [
        shardfile.decode_lengths(read(lengths_file(k, c)), len(manifest["fields"]))
        for k, c in enumerate(manifest["lengths"])
    ]
    return np.concatenate(parts) if parts else np.zeros((0, len(manifest["fields"])), np.int64)


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


def read_shard(data: bytes, manifest: dict, lengths: np.ndarray):
    return shardfile.read_shard(data, manifest, lengths)
