"""Term ids: how the index names millions of postings' terms without a Python string
each.

Nearly every term is one Chinese character of the Basic Multilingual Plane or a pair
of them (tokenize: every character and every pair of a run). Such a term is its own
id, its characters' code points side by side: c is c << 16, the pair c1 c2 is
c1 << 16 | c2. Numeric order of these ids is JavaScript's (UTF-16) order, their
shard hash is a few integer operations, and the extraction workers hand the index
arrays of them. The other terms (ASCII words, numbers with their unit, characters
beyond the BMP) are few; the index numbers them itself, below CODED.
"""

from __future__ import annotations

import re

import numpy as np

from ..tokenize import FNV_OFFSET, FNV_PRIME, term_hashes, utf16_key

CODED = 0x3400 << 16  # the smallest id of a coded term (U+3400 starts the CJK blocks)
# Any BMP character from U+3400 up: the tokenizer puts only Chinese characters there.
_CODED_TERM = re.compile("[\u3400-\uffff]{1,2}")


def _cjk(units: np.ndarray) -> np.ndarray:
    return (units >= 0x3400) & (units <= 0xFFFF)


def encode_terms(terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(which terms are coded, their ids), one vectorised pass over the terms."""
    if len(terms) < 64:  # a title: numpy's overhead would outweigh the work
        coded = [bool(_CODED_TERM.fullmatch(t)) for t in terms]
        ids = [ord(t[0]) << 16 | (ord(t[1]) if len(t) == 2 else 0) for t, c in zip(terms, coded) if c]
        return np.array(coded, bool), np.array(ids, np.uint32)
    units = np.frombuffer("\n".join(terms).encode("utf-32-le"), "<u4")
    ends = np.append(np.flatnonzero(units == 10), len(units))  # a term never holds a newline
    starts = np.concatenate([[0], ends[:-1] + 1])
    size = ends - starts
    first = units[starts]
    second = np.where(size == 2, units[np.minimum(starts + 1, len(units) - 1)], 0)
    coded = (size <= 2) & _cjk(first) & ((size == 1) | _cjk(second))
    return coded, (first[coded] << 16) | second[coded]


def count_han(han: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Ids and counts of the characters and adjacent pairs of Chinese runs joined by
    NUL (tokenize.words_and_han), ids in order; None when a character is beyond the BMP."""
    units = np.frombuffer(han.encode("utf-32-le"), "<u4")
    if len(units) and int(units.max()) > 0xFFFF:
        return None
    pairs = (units[:-1] << 16) | units[1:]
    ids = np.concatenate([units[units != 0] << 16, pairs[(units[:-1] != 0) & (units[1:] != 0)]])
    ids.sort()
    firsts = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]])) if len(ids) else np.zeros(0, np.intp)
    return ids[firsts], np.diff(np.append(firsts, len(ids)))


def coded_names(ids: np.ndarray) -> list[str]:
    """The terms of coded ids."""
    ids = np.asarray(ids, np.uint32)
    return texts(ids >> 16, ids & 0xFFFF)


def texts(first: np.ndarray, second: np.ndarray) -> list[str]:
    """Terms of one or two characters, by code point (second 0: none)."""
    if not len(first):
        return []
    units = np.stack([first, second, np.full(len(first), 10)], axis=1).astype("<u4").ravel()
    keep = units != 0
    keep[-1] = False  # the last newline
    return units[keep].tobytes().decode("utf-32-le").split("\n")


def coded_hashes(ids: np.ndarray) -> np.ndarray:
    """tokenize.term_hash of coded ids (a BMP character is one UTF-16 unit)."""
    ids = np.asarray(ids, np.uint32)
    first = (np.uint32(FNV_OFFSET) ^ (ids >> 16)) * np.uint32(FNV_PRIME)  # wraps mod 2**32
    second = (first ^ (ids & 0xFFFF)) * np.uint32(FNV_PRIME)
    return np.where(ids & 0xFFFF, second, first)


def lead(term: str) -> int:
    """A term's first two UTF-16 units as an id would hold them: an uncoded term sorts
    among the coded ones by this, then by its whole text."""
    units = term.encode("utf-16-be")
    return int.from_bytes(units[:2], "big") << 16 | int.from_bytes(units[2:4] or b"\0\0", "big")


class Vocabulary:
    """The uncoded terms an index has met, numbered below CODED as they come, and what
    the index asks of any id: its hash, its text, its place in UTF-16 order."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []  # by id
        self._hashes = np.zeros(0, np.uint32)  # of self.terms, made as they come
        self._leads = np.zeros(0, np.uint32)

    def number(self, terms: list[str]) -> np.ndarray:
        """Ids of uncoded terms, new ones added."""
        ids = self.ids
        new = [t for t in dict.fromkeys(terms) if t not in ids]
        ids.update(zip(new, range(len(ids), len(ids) + len(new))))
        self.terms += new
        return np.fromiter(map(ids.__getitem__, terms), np.uint32, len(terms))

    def _learn(self) -> None:
        new = self.terms[len(self._hashes) :]
        if new:
            self._hashes = np.concatenate([self._hashes, term_hashes(new)])
            self._leads = np.concatenate([self._leads, np.array([lead(t) for t in new], np.uint32)])

    def hashes(self, ids: np.ndarray) -> np.ndarray:
        """tokenize.term_hash of each id."""
        out = coded_hashes(ids)
        uncoded = ids < CODED
        if uncoded.any():
            self._learn()
            out[uncoded] = self._hashes[ids[uncoded]]
        return out

    def names(self, ids: np.ndarray) -> list[str]:
        """The terms of ids."""
        coded = ids >= CODED
        if coded.all():
            return coded_names(ids)
        out = np.empty(len(ids), object)
        out[coded] = coded_names(ids[coded])
        out[~coded] = [self.terms[i] for i in ids[~coded].tolist()]
        return out.tolist()

    def utf16_keys(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keys putting distinct terms in UTF-16 order: (secondary, primary), for
        np.lexsort. A coded id is its own primary key; an uncoded term's is its lead,
        and it sorts by its whole text after a coded term with the same lead."""
        primary = ids.astype(np.int64)
        secondary = np.zeros(len(ids), np.int64)
        uncoded = np.flatnonzero(ids < CODED)
        if len(uncoded):
            self._learn()
            primary[uncoded] = self._leads[ids[uncoded]]
            names = [self.terms[i] for i in ids[uncoded].tolist()]
            ranked = sorted(range(len(names)), key=lambda i: utf16_key(names[i]))
            secondary[uncoded[ranked]] = np.arange(1, len(names) + 1)
        return secondary, primary
