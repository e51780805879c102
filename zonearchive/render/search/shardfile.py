"""A shard's bytes: variable-length numbers written in printable ASCII, served as
.txt so that GitHub Pages (which compresses by MIME type, and never
application/octet-stream) gzips them, and the file is honest text.

A number is its base-47 digits, least significant first: a digit that more digits
follow is one of ! to O, the last one of P to ~ (so 0-46 take one character, up to
2,208 two: term frequencies and most document gaps one). Field lengths (a body of
1,500 characters is some 3,000 tokens) are two base-95 digits, space to ~, each; one
of 9,024 tokens or more is ~~ and then a number as above.

Layout: numbers terms, rows, term-bytes; the terms, UTF-8, joined by newlines, in
UTF-16 order; then numbers: for each term, its field runs (how many, then field and
rows of each: a term's rows are sorted by field, and most sit in the body); then the
columns document (delta within a term's field run)[rows], term frequency[rows];
then field length[rows] as pairs.
search.js reads the same (readShard); read_shard here scores it as search.js does.
"""

from __future__ import annotations

import math

import numpy as np

from .fields import FIELDS

BASE, FIRST = 47, 0x21


def varints(values: np.ndarray) -> bytes:
    """The numbers' text, vectorised."""
    a = np.asarray(values, np.int64)
    if not len(a):
        return b""
    size = np.ones(len(a), np.int64)
    limit = BASE
    for _ in range(12):
        size += a >= limit
        limit *= BASE
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    out = np.zeros(int(size.sum()), np.uint8)
    rest = a.copy()
    for k in range(int(size.max())):
        live = size > k
        digit = rest[live] % BASE
        last = size[live] == k + 1
        out[starts[live] + k] = (FIRST + digit + BASE * last).astype(np.uint8)
        rest[live] //= BASE
    return out.tobytes()


WIDE, SPACE = 95, 0x20
LONG = WIDE * WIDE - 1  # "~~": a longer field follows as a number


def pairs(values: np.ndarray) -> bytes:
    """Field lengths: two base-95 digits each."""
    a = np.asarray(values, np.int64)
    out = np.stack([SPACE + np.minimum(a, LONG) // WIDE, SPACE + np.minimum(a, LONG) % WIDE], axis=1).astype(np.uint8)
    if not np.any(a >= LONG):
        return out.tobytes()
    return b"".join(bytes(p) + (varints(np.array([v])) if v >= LONG else b"") for p, v in zip(out.tolist(), a.tolist()))


def read_pairs(data: bytes, n: int) -> list[int]:
    out, at = [], 0
    for _ in range(n):
        v = (data[at] - SPACE) * WIDE + data[at + 1] - SPACE
        at += 2
        if v == LONG:
            v, at = _read_one(data, at)
        out.append(v)
    return out


def read_varints(data: bytes) -> np.ndarray:
    d = np.frombuffer(data, np.uint8).astype(np.int64) - FIRST
    ends = np.flatnonzero(d >= BASE)
    starts = np.concatenate([[0], ends[:-1] + 1])
    out = np.zeros(len(ends), np.int64)
    scale = np.ones(len(ends), np.int64)
    for k in range(int((ends - starts).max(initial=0)) + 1):
        live = starts + k <= ends
        out[live] += (d[starts[live] + k] % BASE) * scale[live]
        scale[live] *= BASE
    return out


def _read_one(data: bytes, at: int) -> tuple[int, int]:
    value, scale = 0, 1
    while True:
        digit = data[at] - FIRST
        at += 1
        value += (digit % BASE) * scale
        scale *= BASE
        if digit >= BASE:
            return value, at


def encode(terms: list[str], R: np.ndarray, F: np.ndarray, D: np.ndarray, TF: np.ndarray, L: np.ndarray) -> bytes:
    """Rows sorted by (term, field, document); ``L``: each row's field length."""
    D = D.astype(np.int64)
    delta = D.copy()
    if len(D) > 1:
        # Doc numbers as deltas within each (term, field) run: small numbers gzip well.
        goes_on = np.zeros(len(D), bool)
        goes_on[1:] = (F[1:] == F[:-1]) & (R[1:] == R[:-1])
        delta[goes_on] = D[goes_on] - D[np.flatnonzero(goes_on) - 1]
    blob = "\n".join(terms).encode("utf-8")
    runs: list[int] = []
    if len(D):
        starts = np.flatnonzero(np.concatenate([[True], (F[1:] != F[:-1]) | (R[1:] != R[:-1])]))
        ends = np.concatenate([starts[1:], [len(D)]])
        run_term = R[starts]
        per_term = np.bincount(run_term, minlength=len(terms))
        at = 0
        for n in per_term.tolist():
            runs.append(n)
            for k in range(at, at + n):
                runs += [int(F[starts[k]]), int(ends[k] - starts[k])]
            at += n
    return b"".join(
        [
            varints(np.array([len(terms), len(D), len(blob)])),
            blob,
            varints(np.concatenate([np.array(runs, np.int64), delta, TF]).astype(np.int64)),
            pairs(L),
        ]
    )


def decode(data: bytes) -> tuple[list[str], list[int], list[int], list[int], list[int], list[int]]:
    """terms, rows per term, field, doc delta, tf, field length (per row)."""
    nterms, at = _read_one(data, 0)
    nrows, at = _read_one(data, at)
    nbytes, at = _read_one(data, at)
    terms = data[at : at + nbytes].decode("utf-8").split("\n") if nterms else []
    rest = data[at + nbytes :]
    # The numbers end where 2 x rows of them have followed the runs: count final digits.
    final = np.flatnonzero(np.frombuffer(rest, np.uint8) >= FIRST + BASE)
    per_term: list[int] = []
    fields: list[int] = []
    values: list[int] = []
    lengths: list[int] = []
    if nterms:
        at2 = 0
        for _ in range(nterms):
            runs, at2 = _read_one(rest, at2)
            total = 0
            for _ in range(runs):
                f, at2 = _read_one(rest, at2)
                n, at2 = _read_one(rest, at2)
                fields += [f] * n
                total += n
            per_term.append(total)
        used = int(np.searchsorted(final, at2))
        end = int(final[used + 2 * nrows - 1]) + 1 if nrows else at2
        values = read_varints(rest[at2:end]).tolist()
        lengths = read_pairs(rest[end:], nrows)
    docs, tfs = values[:nrows], values[nrows : 2 * nrows]
    return terms, per_term, fields, docs, tfs, lengths


def read_shard(data: bytes, manifest: dict) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """Decode a shard and score it as search.js does (lunr.js's Builder, operation for
    operation): term -> field -> [(doc, score)]."""
    terms, per_term, fields, docs, tfs, lengths = decode(data)
    n, average, boosts = manifest["documents"], manifest["average"], manifest["boosts"]
    k1, b = manifest["k1"], manifest["b"]
    out: dict = {}
    start = 0
    for k, term in enumerate(terms):
        entry: dict = {}
        doc, last_field = 0, None
        df = per_term[k]  # lunr counts a document once per field holding the term
        idf = math.log(1 + abs((n - df + 0.5) / (df + 0.5)))
        for row in range(start, start + df):
            f = fields[row]
            doc = doc + docs[row] if f == last_field else docs[row]
            last_field = f
            tf = tfs[row]
            score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (lengths[row] / average[f])) + tf)
            score *= boosts[f]
            entry.setdefault(FIELDS[f], []).append((doc, math.floor(1e3 * score + 0.5) / 1e3))  # Math.round
        start += df
        out[term] = entry
    return out
