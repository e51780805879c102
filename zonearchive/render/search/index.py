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
from . import lookups, shardfile
from .fields import BOOSTS, FIELDS, field_counts, search_key
from .layout import Shard, encode_shards, held_nothing, lay_out, sorted_shard
from .reading import lengths_file, shard_file, urls_file
from .results import URL_DOCS, compact_json, name_char, url_files
from .rows import BATCH, Rows, Unreadable, differing, doc_rows
from .terms import Vocabulary, encode_terms

K1, B = 1.2, 0.75
SHARD_ROWS = 4000  # postings per shard on average (shards: a power of two, so edits rarely change how many).
# 8000 halves the index files but a query's shards then carry twice the postings: a second
# query for a seven-character phrase fetched 45.8 KB (limit 40) at 10,000 articles.
RENUMBER_AT_MOST = 0.25  # of the shards: more to renumber in place, and laying them out again is quicker
LENGTH_DOCS = 1024  # documents per lengths file: at 10,000 articles ten files of ~3 KB gzipped


def bucket_count(rows: int) -> int:
    """How many shards: a power of two (the browser masks a term's hash with it), about
    SHARD_ROWS postings each. Only a large change of the archive changes it."""
    count = 1
    while count * SHARD_ROWS < rows:
        count *= 2
    return count


class SearchIndex:
    """The archive's postings, kept between builds (the live preview keeps one; a
    `build` command restores one from disk, builder/searchstate.py): a rebuild reads
    only changed articles' postings and re-makes only the shards they change; an
    article added or removed renumbers the others in place, shard by shard, without
    sorting the archive again. A kept index and a fresh one give identical files.
    Terms are ids (terms.py): strings only for the few terms that are not Chinese
    characters, and for the shards' files."""

    def __init__(self, keep: bool = True, keep_shards: bool | None = None, rows: Rows | None = None, read=None):
        """``keep``: hold each document's rows for the next call, as the preview's index
        does. ``keep_shards`` (as ``keep`` unless given): hold each shard's rows too; a
        shard not held is read back from its file (``read(file name) -> bytes``, the
        site's) when an update changes it. A one-off index keeps nothing between calls
        (at 100,000 articles the rows are gigabytes)."""
        self.keep = keep
        self.keep_shards = keep if keep_shards is None else keep_shards
        self.vocabulary = Vocabulary()
        self._rows = rows if rows is not None else Rows()
        self._docs: list = []  # (article id, key) of each document, by number, as last built
        self._shards: list[Shard | None] = []
        self._read = read
        self._last_keys: tuple | None = None

    def files(
        self,
        articles: list[Article],
        zone_slugs: dict[str, str],
        zone_names: dict[str, list[str]] | None = None,
        go_on=None,
    ) -> dict[str, bytes | None]:
        """Files under search/index/: manifest, shards, lengths, URLs, zones, lookups.
        Path -> bytes; None for a shard of a restored index that no edit changed (the
        site holds it as it is).
        ``zone_names``: zone name -> every name known for the zone (indexed with it).
        ``go_on()``, asked as the work goes: False raises Stopped, the index kept as
        the last call left it (its shards are replaced, never changed in place)."""
        go_on = go_on or (lambda: True)
        if not self.keep:
            self._rows, self._docs, self._shards = Rows(), [], []
        keys = self._keys(articles, zone_names)
        self._last_keys = None  # only_edits() and this call share them; the next call works them out again
        docs = [(a.id, k) for a, k in zip(articles, keys)]
        new = list({k: a for a, k in zip(articles, keys) if k not in self._rows}.items())
        for start in range(0, len(new), BATCH):
            batch = new[start : start + BATCH]
            signatures = [tuple(field_counts(a, zone_names)) for _, a in batch]
            for (key, _), rows in zip(batch, doc_rows(signatures, self.vocabulary)):
                self._rows[key] = rows
        info = [self._rows.info(k) for k in keys]
        count = bucket_count(sum(n for n, _ in info))
        lengths = np.array([fields for _, fields in info], np.uint32).reshape(-1, len(FIELDS))
        shards = self._updated(docs, go_on) if len(self._shards) == count else None
        if shards is None:
            shards = lay_out([self._rows[k] for k in keys], count, self.vocabulary, keep_rows=self.keep_shards)
        _check(go_on)
        encode_shards([s for s in shards if s is not None and s.data is None and s.loaded], self.vocabulary)
        _check(go_on)
        self._shards = shards
        if self.keep:
            self._docs = docs
            self._rows.keep_only(set(keys))  # forget documents that are gone
        else:
            self._rows = Rows()
        files: dict[str, bytes | None] = {}
        for k, shard in enumerate(self._shards):
            if shard is None:
                continue
            if shard.data is None:  # restored, and not changed: None, "as the site has it"
                files[urls.search_index_url(shard_file(k, shard.name or ""))] = None
                continue
            if not shard.name:
                # The number keeps names unique; one character of the content's digest
                # only keeps a browser from mixing an old shard with a new manifest
                # (short: the manifest lists every shard, and every first query fetches it).
                shard.name = name_char(shard.data)
            files[urls.search_index_url(shard_file(k, shard.name))] = shard.data
        length_names = []
        for k, start in enumerate(range(0, len(keys), LENGTH_DOCS)):
            data = shardfile.encode_lengths(lengths[start : start + LENGTH_DOCS])
            length_names.append(name_char(data))
            files[urls.search_index_url(lengths_file(k, length_names[-1]))] = data
        url_names = []
        for k, data in enumerate(url_files([a.url for a in articles], URL_DOCS)):
            url_names.append(name_char(data))
            files[urls.search_index_url(urls_file(k, url_names[-1]))] = data
        average = (lengths.sum(axis=0, dtype=np.float64) / len(keys)).tolist() if keys else [0.0] * len(FIELDS)
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

    def lay_out_afresh(self) -> None:
        """Let the next files() lay every shard out again from the documents' rows
        (quicker than renumbering most shards in place: an article added)."""
        self._shards = []

    @property
    def rows(self) -> Rows:
        return self._rows

    def only_edits(self, articles: list[Article], zone_names: dict[str, list[str]] | None = None) -> bool:
        """Would files() be a cheap update: the same documents in the same places, few
        of them changed? (Else a fresh index costs less than renumbering in place.)"""
        if len(articles) != len(self._docs) or not self._shards:
            return False
        if any(article.id != doc_id for article, (doc_id, _) in zip(articles, self._docs)):
            return False
        keys = self._keys(articles, zone_names)
        changed = sum(key != doc[1] for key, doc in zip(keys, self._docs))
        return changed <= max(16, len(articles) // 50)

    def _keys(self, articles: list[Article], zone_names: dict[str, list[str]] | None) -> list[bytes]:
        """search_key of each article; asked twice for the same list (only_edits, then
        files), worked out once."""
        if self._last_keys is not None and self._last_keys[0] is articles and self._last_keys[1] is zone_names:
            return self._last_keys[2]
        keys = [search_key(a, zone_names) for a in articles]
        self._last_keys = (articles, zone_names, keys)
        return keys

    def state(self) -> dict:
        """What restored() needs, but the rows (the caller keeps those)."""
        return {
            "vocabulary": list(self.vocabulary.terms),
            "docs": list(self._docs),
            "shards": [None if s is None else (s.name, s.ids) for s in self._shards],
        }

    @classmethod
    def restored(cls, state: dict, rows: Rows, read) -> SearchIndex:
        """The index state() described, its rows in ``rows`` and its shards' files
        readable by ``read(file name)``."""
        index = cls(keep=True, keep_shards=False, rows=rows, read=read)
        index.vocabulary.number(state["vocabulary"])
        index._docs = list(state["docs"])
        index._shards = [None if s is None else held_nothing(s[1], s[0]) for s in state["shards"]]
        return index

    def _held(self, k: int) -> Shard:
        """Shard k with its rows, read back from its file when not held."""
        shard = self._shards[k]
        assert shard is not None
        if shard.loaded:
            return shard
        terms, R, F, D, TF = shardfile.decode_rows(self._read(shard_file(k, shard.name or "")))
        coded, ids = encode_terms(terms)
        every = np.zeros(len(terms), np.uint32)
        every[coded] = ids
        every[~coded] = self.vocabulary.number([t for t, c in zip(terms, coded.tolist()) if not c])
        if not np.array_equal(every, shard.ids):
            raise Unreadable(f"search shard {k} is not the one this index describes")
        return Shard(shard.ids, R, F, D, TF, name=shard.name)

    def _updated(self, docs: list, go_on) -> list[Shard | None] | None:
        """The kept shards brought up to ``docs`` (a new list; the kept one is not
        changed); None when starting again is cheaper."""
        before = {doc_id: (n, key) for n, (doc_id, key) in enumerate(self._docs)}
        remap = np.full(len(self._docs), -1, np.int64)  # old number -> new, -1: its rows go
        fresh = []  # new numbers whose rows come in
        edited = []  # (old number, new number, rows that differ) of documents kept but changed
        for n, (doc_id, key) in enumerate(docs):
            old = before.get(doc_id)
            if old is not None and old[1] == key:
                remap[old[0]] = n
            elif old is not None and (differ := differing(self._rows[old[1]], self._rows[key])) is not None:
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
            T, F, TF, _ = self._rows[docs[n][1]]
            come_in(n, T, F, TF)
        for o, n, differ in edited:
            changed = set(np.unique(self.vocabulary.hashes(differ) & mask).tolist())
            for k in changed:
                dropped.setdefault(k, []).append(o)
            T, F, TF, _ = self._rows[docs[n][1]]
            come_in(n, T, F, TF, only=changed)
        shifted = np.flatnonzero((remap >= 0) & (remap != np.arange(len(remap))))
        first_moved = int(shifted[0]) if len(shifted) else len(remap)  # kept documents before it keep their numbers
        # Shards holding a document whose number moves (one not held counts as moving: it
        # is read only when it changes, and with no document moved nothing else could).
        moving: set[int] = set()
        if len(shifted):
            moving = {
                k
                for k, s in enumerate(self._shards)
                if s is not None and (not s.loaded or int(s.D.max()) >= first_moved)
            }
            if len(moving) > RENUMBER_AT_MOST * len(self._shards):
                return None  # renumbering most shards in place costs more than laying them out again
        shards = list(self._shards)
        done = 0
        for k, shard in enumerate(shards):
            if k not in touched and k not in incoming and k not in dropped and k not in moving:
                continue
            done += 1
            if done % 64 == 0:
                _check(go_on)
            shards[k] = self._renumbered(
                self._held(k) if shard else None, remap, incoming.get(k, []), dropped.get(k, [])
            )
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
            return sorted_shard(used, R, F, D, TF, self.vocabulary) if len(R) else None
        if not len(R):
            return None
        # Dropping rows and renumbering in order keep the rows sorted; unused terms go.
        used = np.unique(R)
        if len(used) < len(ids):
            rank = np.zeros(len(ids), np.int32)
            rank[used] = np.arange(len(used), dtype=np.int32)
            ids, R = ids[used], rank[R]
        return Shard(ids, R, F, D, TF)


def _check(go_on) -> None:
    if not go_on():
        raise Stopped


def build_search(articles: list[Article], zone_slugs: dict[str, str]) -> dict[str, bytes | None]:
    """The search files of a fresh index (a full build)."""
    return SearchIndex(keep=False).files(articles, zone_slugs)


def search_order(articles: list[Article], zone_slugs: dict[str, str]) -> list[Article]:
    """The order of the search's document numbers: zone by zone (by slug), in the
    given order within a zone, so zones.json is a few numbers, not one per article."""
    return sorted(articles, key=lambda a: zone_slugs[a.id])
