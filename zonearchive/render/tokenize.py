"""The search tokenizer. static/tokenize.js implements the same algorithm, and
tests/token_vectors.json holds the examples both must agree on.

* Full-width ASCII is folded to ASCII (ＴＰＵ -> TPU), then A-Z to a-z.
* A run of Chinese characters becomes its overlapping bigrams; a lone character
  stands for itself.
* A run of ASCII letters and digits is one token. Everything else separates.
So 19亿元 and 19 亿元 give the same tokens: ["19", "亿元"].
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN_RUN = re.compile(f"[{HAN}]+|[0-9a-z]+")


_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
_FOLD.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ straight to a-z


def fold(text: str) -> str:
    return text.translate(_FOLD)


def tokenize(text: str | None) -> list[str]:
    if not text:
        return []
    tokens = []
    for match in _TOKEN_RUN.finditer(fold(text)):
        run = match.group(0)
        if run[0].isascii() or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(map(str.__add__, run[:-1], run[1:]))  # overlapping bigrams
    return tokens


def count_tokens(text: str | None) -> Counter:
    """Counter(tokenize(text)), made in a few C-level passes (every article's body is
    counted at extraction): the Chinese runs are joined by NUL and their bigrams
    counted at once; the bigrams across a join are then dropped."""
    if not text:
        return Counter()
    runs = _TOKEN_RUN.findall(fold(text))
    counts = Counter(r for r in runs if r[0].isascii() or len(r) == 1)
    han = "\0".join(r for r in runs if not (r[0].isascii() or len(r) == 1))
    if han:
        counts.update(map(str.__add__, han[:-1], han[1:]))
        for key in [k for k in counts if "\0" in k]:
            del counts[key]
    return counts


def utf16_key(term: str) -> bytes:
    """Sort key matching JavaScript's default string order (UTF-16 code units)."""
    return term.encode("utf-16-be")


FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193


def term_hash(term: str) -> int:
    """32-bit FNV-1a over the term's UTF-16 code units: which shard holds the term
    (static/tokenize.js computes the same)."""
    h = FNV_OFFSET
    for unit in memoryview(term.encode("utf-16-le")).cast("H"):
        h = ((h ^ unit) * FNV_PRIME) & 0xFFFFFFFF
    return h


def term_hashes(terms: list[str]) -> np.ndarray:
    """term_hash of many terms at once (a build hashes its whole vocabulary)."""
    if not terms:
        return np.zeros(0, np.uint32)
    # Tokens never hold a newline, so one joined string splits back exactly.
    units = np.frombuffer("\n".join(terms).encode("utf-16-le"), "<u2").astype(np.uint32)
    ends = np.flatnonzero(units == 10)
    starts = np.concatenate([[0], ends + 1])
    lengths = np.concatenate([ends, [len(units)]]) - starts
    h = np.full(len(terms), FNV_OFFSET, np.uint32)
    for j in range(int(lengths.max())):
        live = np.flatnonzero(lengths > j)
        h[live] = (h[live] ^ units[starts[live] + j]) * np.uint32(FNV_PRIME)  # wraps mod 2**32
    return h
