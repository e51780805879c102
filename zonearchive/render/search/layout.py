"""A fresh index's shards, all at once (a full build, the critical path of its render
phase): the archive's postings sorted once by term, then each term's block of rows
taken in shard and UTF-16 order and encoded, a group of shards at a time, so that
no temporary is as large as the archive (fresh memory is dear).

A shard's bytes depend on its rows alone: index.py's update re-makes a few shards
with the same encoder and gets the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import shardfile
from .terms import Vocabulary

GROUP_ROWS = 1 << 20  # rows handled at once
KEY_BITS = 64  # a posting's sort key: term (32 bits), field (3), document, frequency (the rest)
_NONE = np.zeros(0, np.uint32)  # the rows of a shard that keeps none
MIN_TF_BITS = 8  # below this many bits for the frequency (over 2**21 documents), sort otherwise


@dataclass
class Shard:
    """One shard's postings, sorted by (term in UTF-16 order, field, document)."""

    ids: np.ndarray  # its terms' ids (terms.py), in UTF-16 order
    R: np.ndarray  # row -> index into ids
    F: np.ndarray  # field number
    D: np.ndarray  # document number
    TF: np.ndarray  # term frequency
    name: str | None = None
    data: bytes | None = None
    loaded: bool = True  # False: the rows are not held (a one-off index's; a restored index's, read when needed)


def lay_out(rows: list, count: int, vocabulary: Vocabulary, keep_rows: bool = True) -> list[Shard | None]:
    """``count`` shards (None: empty) of the documents' ``rows`` (T, F, TF, ...), encoded.
    Without ``keep_rows`` a shard holds its bytes and term ids only."""
    postings = _Sorted(rows)
    ids, firsts = postings.terms()
    sizes = np.diff(np.append(firsts, postings.n))
    shard = vocabulary.hashes(ids) & np.uint32(count - 1)
    order = np.lexsort((*vocabulary.utf16_keys(ids), shard))
    ids, shard, firsts, sizes = ids[order], shard[order], firsts[order], sizes[order]
    starts = np.cumsum(sizes) - sizes  # of each term's rows, in the new order
    term_bounds = np.searchsorted(shard, np.arange(count + 1))
    row_bounds = np.append(starts, postings.n)[term_bounds]
    names = vocabulary.names(ids)
    shards: list[Shard | None] = []
    while len(shards) < count:
        k = len(shards)
        end = max(k + 1, min(count, int(np.searchsorted(row_bounds, row_bounds[k] + GROUP_ROWS, "right")) - 1))
        (t0, t1), (r0, r1) = term_bounds[[k, end]].tolist(), row_bounds[[k, end]].tolist()
        R = np.repeat(np.arange(t1 - t0, dtype=np.int32), sizes[t0:t1])
        F, D, TF = postings.take(np.repeat(firsts[t0:t1] - starts[t0:t1], sizes[t0:t1]) + np.arange(r0, r1))
        tb, rb = term_bounds[k : end + 1] - t0, row_bounds[k : end + 1] - r0
        data = shardfile.encode_many(names[t0:t1], R, F, D, TF, tb, rb)
        for (a, b), (ra, rb_), shard_data in zip(_pairs(tb), _pairs(rb), data):
            rows_k = slice(ra, rb_)
            if keep_rows:
                made = Shard(ids[t0 + a : t0 + b], R[rows_k] - a, F[rows_k], D[rows_k], TF[rows_k], data=shard_data)
            else:
                made = Shard(ids[t0 + a : t0 + b], _NONE, _NONE, _NONE, _NONE, data=shard_data, loaded=False)
            shards.append(made if rb_ > ra else None)
    return shards


def _pairs(bounds: np.ndarray):
    values = bounds.tolist()
    return zip(values, values[1:])


def encode_shards(shards: list[Shard], vocabulary: Vocabulary) -> None:
    """Encode the shards an update changed, at once."""
    if not shards:
        return
    term_bounds = np.cumsum([0] + [len(s.ids) for s in shards])
    row_bounds = np.cumsum([0] + [len(s.R) for s in shards])
    ids = np.concatenate([s.ids for s in shards])
    R = np.concatenate([s.R.astype(np.int64) + t for s, t in zip(shards, term_bounds.tolist())])
    F, D, TF = (np.concatenate([getattr(s, c) for s in shards]) for c in ("F", "D", "TF"))
    names = vocabulary.names(ids)
    data = shardfile.encode_many(names, R, F, D, TF, term_bounds, row_bounds)
    for shard, shard_data in zip(shards, data):
        shard.data = shard_data


def sorted_shard(ids: np.ndarray, R, F, D, TF, vocabulary: Vocabulary) -> Shard:
    """A shard from rows in any order: terms given by position in ``ids``."""
    by_utf16 = np.lexsort(vocabulary.utf16_keys(ids))
    rank = np.zeros(len(ids), np.int32)
    rank[by_utf16] = np.arange(len(ids), dtype=np.int32)
    R = rank[R]
    order = np.lexsort((D, F, R))
    return Shard(ids[by_utf16], R[order], F[order], D[order], TF[order])


def held_nothing(ids: np.ndarray, name: str) -> Shard:
    """A shard known by its terms and file name, its rows left in the file."""
    return Shard(ids, _NONE, _NONE, _NONE, _NONE, name=name, loaded=False)


class _Sorted:
    """The postings sorted by (term, field, document). Each is one 64-bit number, term
    | field | document | frequency from the top bit down: numpy sorts plain numbers
    several times faster than it argsorts, and nothing need be looked up afterwards
    but a frequency too large for its bits, in its document."""

    def __init__(self, rows: list):
        self.rows = rows
        self.n = sum(len(r[0]) for r in rows)
        self.doc_bits = max(1, (len(rows) - 1).bit_length())
        self.tf_bits = KEY_BITS - 32 - 3 - self.doc_bits
        self.term_shift = np.uint64(KEY_BITS - 32)
        self.key: np.ndarray | None = None
        if self.tf_bits < MIN_TF_BITS:
            T, F, TF = (np.concatenate([r[i] for r in rows]) for i in range(3))
            D = np.repeat(np.arange(len(rows), dtype=np.uint32), [len(r[0]) for r in rows])
            order = np.lexsort((D, F, T))
            self.columns = T[order], F[order], D[order], TF[order]
            return
        self.key = np.empty(self.n, np.uint64)
        cap = (1 << self.tf_bits) - 1
        at = doc = 0
        while doc < len(rows):
            group: list[int] = []  # documents of about GROUP_ROWS rows
            sizes: list[int] = []
            size = 0
            while doc < len(rows) and (not group or size < GROUP_ROWS):
                group.append(doc)
                sizes.append(len(rows[doc][0]))
                size += sizes[-1]
                doc += 1
            part = self.key[at : at + size]
            part[:] = np.concatenate([rows[i][0] for i in group])
            part <<= np.uint64(3)
            part |= np.concatenate([rows[i][1] for i in group])
            part <<= np.uint64(self.doc_bits)
            part |= np.repeat(np.array(group, np.uint64), sizes)
            part <<= np.uint64(self.tf_bits)
            part |= np.minimum(np.concatenate([rows[i][2] for i in group]), cap)
            at += len(part)
        self.key.sort()

    def terms(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct terms, and where each one's postings start."""
        if self.key is None:
            T = self.columns[0]
            firsts = np.flatnonzero(np.concatenate([[True], T[1:] != T[:-1]])) if self.n else np.zeros(0, np.intp)
            return T[firsts], firsts
        parts = [np.zeros(min(self.n, 1), np.intp)]
        for a in range(0, self.n, GROUP_ROWS):
            term = self.key[max(a - 1, 0) : a + GROUP_ROWS] >> self.term_shift
            parts.append(np.flatnonzero(term[1:] != term[:-1]) + max(a, 1))
        firsts = np.concatenate(parts)
        return (self.key[firsts] >> self.term_shift).astype(np.uint32), firsts

    def take(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(field, document, frequency) at sorted positions."""
        if self.key is None:
            return self.columns[1][positions], self.columns[2][positions], self.columns[3][positions]
        key = self.key[positions]
        cap = (1 << self.tf_bits) - 1
        TF = (key & np.uint64(cap)).astype(np.uint32)
        key >>= np.uint64(self.tf_bits)
        D = (key & np.uint64((1 << self.doc_bits) - 1)).astype(np.uint32)
        key >>= np.uint64(self.doc_bits)
        F = (key & np.uint64(7)).astype(np.uint8)
        for i in np.flatnonzero(cap == TF).tolist():
            T_d, F_d, TF_d = self.rows[D[i]][:3]
            TF[i] = TF_d[(T_d == key[i] >> np.uint64(3)) & (F_d == F[i])][0]
        return F, D, TF
