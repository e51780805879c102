"""Each document's rows (term, field, frequency, and its field lengths), made from
its token counts, kept by its key between builds, and compared with another
version's."""

from __future__ import annotations

import numpy as np

from .fields import FIELDS
from .terms import Vocabulary

BATCH = 256  # documents read at once: few numpy calls, and no giant list of term strings


class Unreadable(Exception):
    """What a restored index was told is there is not (a file gone, cut short or
    changed): the caller makes the index afresh."""


class Rows:
    """Each document's rows by its key (fields.search_key): (T, F, TF, field lengths).
    In memory; builder/searchstate.py keeps them on disk between builds, behind the
    same methods."""

    def __init__(self):
        self._held: dict[bytes, tuple] = {}

    def __contains__(self, key: bytes) -> bool:
        return key in self._held

    def __getitem__(self, key: bytes) -> tuple:
        return self._held[key]

    def __setitem__(self, key: bytes, rows: tuple) -> None:
        self._held[key] = rows

    def __len__(self) -> int:
        return len(self._held)

    def info(self, key: bytes) -> tuple[int, tuple]:
        """How many rows, and the field lengths, without the rows themselves."""
        rows = self._held[key]
        return len(rows[0]), rows[3]

    def keep_only(self, keys: set[bytes]) -> None:
        self._held = {k: v for k, v in self._held.items() if k in keys}

    def held(self) -> list[bytes]:
        """The keys whose rows are in memory."""
        return list(self._held)


def doc_rows(signatures: list[tuple], vocabulary: Vocabulary) -> list:
    """(T, F, TF, field lengths) of each document: their arrays made at once and split
    back per document (the caller hands a batch: few numpy calls, no giant list of term
    strings)."""
    coded, uncoded, counts, sizes = [], [], [], []  # sizes: coded, uncoded terms of each field
    for signature in signatures:
        for ids, others, tf in signature:
            coded.append(ids)
            if others:
                uncoded.append(others)
            counts.append(tf)
            sizes += [len(ids) // 4, (len(tf) - len(ids)) // 4]
    TF = np.frombuffer(b"".join(counts), "<u4")
    T = np.empty(len(TF), np.uint32)
    is_coded = np.repeat(np.tile([True, False], len(sizes) // 2), sizes)
    T[is_coded] = np.frombuffer(b"".join(coded), "<u4")
    T[~is_coded] = vocabulary.number("\n".join(uncoded).split("\n") if uncoded else [])
    field_sizes = np.add(sizes[0::2], sizes[1::2])
    F = np.repeat(np.tile(np.arange(len(FIELDS), dtype=np.uint8), len(signatures)), field_sizes)
    running = np.concatenate([[0], np.cumsum(TF, dtype=np.int64)])
    ends = np.cumsum(field_sizes)
    per_field = (running[ends] - running[ends - field_sizes]).reshape(-1, len(FIELDS))  # tokens per field
    bounds = ends[len(FIELDS) - 1 :: len(FIELDS)][:-1]
    return [
        (t, f, tf, tuple(n))
        for t, f, tf, n in zip(np.split(T, bounds), np.split(F, bounds), np.split(TF, bounds), per_field.tolist())
    ]


def differing(old_rows: tuple, new_rows: tuple) -> np.ndarray | None:
    """The term ids of the rows (term, field, frequency) one version of a document has
    and the other has not; None when they cannot be compared so (a huge frequency)."""
    keys = []
    for T, F, TF, _ in (old_rows, new_rows):
        if len(TF) and int(TF.max()) >= 1 << 24:
            return None
        keys.append((T.astype(np.uint64) << np.uint64(32)) | (F.astype(np.uint64) << np.uint64(24)) | TF)
    return (np.setxor1d(keys[0], keys[1]) >> np.uint64(32)).astype(np.uint32)
