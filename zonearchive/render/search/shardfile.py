"""A shard's bytes, and a lengths file's: variable-length numbers written in
printable ASCII, served as .txt so that GitHub Pages (which compresses by MIME type,
and never application/octet-stream) gzips them, and the file is honest text.

A number is its base-47 digits, least significant first: a digit that more digits
follow is one of ! to O, the last one of P to ~ (so 0-46 take one character, up to
2,208 two: term frequencies and most document gaps one).

Shard layout: numbers terms, rows, term-bytes; the terms, UTF-8, joined by
newlines, in UTF-16 order; then numbers: for each term, its field runs (how many,
then field and rows of each: a term's rows are sorted by field, and most sit in the
body); then a step per row, document delta (within the term's field run) * TF_STEP
+ min(term frequency, TF_STEP) - 1; then, for each row whose frequency is TF_STEP or
more, frequency - TF_STEP. Most rows' frequency is 1 or 2 and their delta small, so
a row is one character where the delta and frequency as two columns took two (the
index 44% smaller on disk, a little smaller gzipped). A shard holds no field lengths:
a document's lengths would be written again in each of its ~1,000 terms' rows, and
every edit to a document would change every shard it is in.

Lengths file: the field lengths of a run of documents (LENGTH_DOCS of them), field
by field (each field's lengths for every document, then the next field's): one
number each. The browser fetches the ones its candidate documents fall in.
search.js reads the same (readShard, lengthsFile); read_shard here scores a shard as
search.js does.
"""

from __future__ import annotations

import math

import numpy as np

from .fields import FIELDS

BASE, FIRST = 47, 0x21
TF_STEP = 4  # measured best of 2-8 on the 10,000-article benchmark (bytes on disk and gzipped)


def varints(values: np.ndarray) -> bytes:
    """The numbers' text, vectorised."""
    return _varints(values)[0]


def _varints(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The numbers' text and where each number starts in it (one more: the end)."""
    a = np.asarray(values)
    a = a.astype(np.uint32 if a.dtype.itemsize <= 4 and a.dtype.kind == "u" else np.int64, copy=False)
    size = np.ones(len(a), np.uint8)
    limit, top = BASE, int(a.max(initial=0))
    while limit <= top:
        size += a >= limit
        limit *= BASE
    offsets = np.zeros(len(a) + 1, np.int64)
    np.cumsum(size, out=offsets[1:])
    if top < BASE:  # one digit each, as most are
        return (a + (FIRST + BASE)).astype(np.uint8).tobytes(), offsets
    out = np.zeros(int(offsets[-1]), np.uint8)
    at, rest = offsets[:-1], a
    while len(rest):
        # Each round goes on with the longer numbers only.
        last = size == 1
        out[at] = (FIRST + rest % BASE + BASE * last).astype(np.uint8)
        more = np.flatnonzero(~last)
        at, rest, size = at[more] + 1, rest[more] // BASE, size[more] - 1
    return out.tobytes(), offsets


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


def encode(terms: list[str], R: np.ndarray, F: np.ndarray, D: np.ndarray, TF: np.ndarray) -> bytes:
    """Rows sorted by (term, field, document)."""
    return encode_many(terms, R, F, D, TF, [0, len(terms)], [0, len(R)])[0]


def encode_many(terms: list[str], R, F, D, TF, term_bounds, row_bounds) -> list[bytes]:
    """Many shards at once, all vectorised: shard k holds terms[term_bounds[k]:
    term_bounds[k + 1]] and rows row_bounds[k]:row_bounds[k + 1]; rows sorted by (R,
    field, document), R indexing the whole ``terms``. Each kind of number is written
    for all shards at once, then cut where each shard's begin."""
    R, F, D = np.asarray(R), np.asarray(F), np.asarray(D, np.int64)
    n, nterms = len(R), len(terms)
    # Doc numbers as deltas within each (term, field) run: small numbers gzip well.
    starts_run = np.ones(n, bool)
    starts_run[1:] = (F[1:] != F[:-1]) | (R[1:] != R[:-1])
    delta = D.copy()
    delta[1:] -= D[:-1]
    np.copyto(delta, D, where=starts_run)
    # Each term's field runs: how many, then field and rows of each.
    run_rows = np.flatnonzero(starts_run)
    run_term = R[run_rows]
    per_term = np.bincount(run_term, minlength=nterms)
    before = np.cumsum(per_term) - per_term  # runs of the terms before
    runs = np.zeros(nterms + 2 * len(run_rows), np.int64)
    runs[np.arange(nterms) + 2 * before] = per_term
    j = np.arange(len(run_rows))  # run j of term t goes after t headers and j runs (runs come term by term)
    runs[run_term + 1 + 2 * j] = F[run_rows]
    runs[run_term + 2 + 2 * j] = np.diff(np.append(run_rows, n))
    run_text, run_offsets = _varints(runs)
    TF = np.asarray(TF, np.int64)
    step_text, step_offsets = _varints(delta * TF_STEP + np.minimum(TF, TF_STEP) - 1)
    big = TF >= TF_STEP
    extra_text, extra_offsets = _varints(TF[big] - TF_STEP)
    extras_before = np.concatenate([[0], np.cumsum(big)])  # rows with an extra number before row i
    blob = "\n".join(terms).encode("utf-8")
    newlines = np.flatnonzero(np.frombuffer(blob, np.uint8) == 10) + 1
    term_at = np.concatenate([[0] if nterms else [], newlines, [len(blob) + 1]]).astype(np.int64)  # as if "\n" ended it
    tb, rb = np.asarray(term_bounds, np.int64), np.asarray(row_bounds, np.int64)
    blob_start, blob_end = term_at[tb[:-1]], np.maximum(term_at[tb[1:]] - 1, term_at[tb[:-1]])
    header = np.stack([np.diff(tb), np.diff(rb), blob_end - blob_start], axis=1).ravel()
    header_text, header_at = _varints(header)
    run_at = run_offsets[tb + 2 * np.searchsorted(run_rows, rb)]  # a shard's runs start with its first row
    parts = [
        (header_text, header_at[::3]),
        (blob, None),
        (run_text, run_at),
        (step_text, step_offsets[rb]),
        (extra_text, extra_offsets[extras_before[rb]]),
    ]
    cuts = []
    for text, at in parts:
        view = memoryview(text)
        if at is None:
            cuts.append([view[a:b] for a, b in zip(blob_start.tolist(), blob_end.tolist())])
        else:
            bounds = at.tolist()
            cuts.append([view[a:b] for a, b in zip(bounds, bounds[1:])])
    return [b"".join(shard) for shard in zip(*cuts)]


def decode(data: bytes) -> tuple[list[str], list[int], list[int], list[int], list[int]]:
    """terms, rows per term, field, doc delta, tf (per row)."""
    nterms, at = _read_one(data, 0)
    nrows, at = _read_one(data, at)
    nbytes, at = _read_one(data, at)
    terms = data[at : at + nbytes].decode("utf-8").split("\n") if nterms else []
    rest = data[at + nbytes :]
    per_term: list[int] = []
    fields: list[int] = []
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
        values = read_varints(rest[at2:])
        steps = values[:nrows]
        tf = steps % TF_STEP + 1
        tf[tf == TF_STEP] += values[nrows:]
        return terms, per_term, fields, (steps // TF_STEP).tolist(), tf.tolist()
    return terms, per_term, fields, [], []


def decode_rows(data: bytes) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What encode() was given: terms, then per row its term (index into terms), field,
    document and frequency."""
    terms, per_term, fields, deltas, tfs = decode(data)
    R = np.repeat(np.arange(len(terms), dtype=np.int32), per_term)
    F = np.array(fields, np.uint8)
    D = np.array(deltas, np.int64)
    starts = np.ones(len(R), bool)
    starts[1:] = (R[1:] != R[:-1]) | (F[1:] != F[:-1])
    total = np.cumsum(D)
    # A run's documents are deltas from its first: the running sum, less what came before the run.
    before = (total - D)[starts]
    D = total - np.repeat(before, np.diff(np.append(np.flatnonzero(starts), len(R))))
    return terms, R, F, D.astype(np.uint32), np.array(tfs, np.uint32)


def encode_lengths(lengths: np.ndarray) -> bytes:
    """A lengths file: ``lengths`` is documents x fields."""
    return varints(np.ascontiguousarray(np.asarray(lengths).T).ravel())


def decode_lengths(data: bytes, fields: int) -> np.ndarray:
    """Documents x fields, as encode_lengths was given."""
    return read_varints(data).reshape(fields, -1).T


def read_shard(data: bytes, manifest: dict, lengths: np.ndarray) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """Decode a shard and score it as search.js does (lunr.js's Builder, operation for
    operation): term -> field -> [(doc, score)]. ``lengths``: documents x fields."""
    terms, per_term, fields, docs, tfs = decode(data)
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
            score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (int(lengths[doc, f]) / average[f])) + tf)
            score *= boosts[f]
            entry.setdefault(FIELDS[f], []).append((doc, math.floor(1e3 * score + 0.5) / 1e3))  # Math.round
        start += df
        out[term] = entry
    return out
