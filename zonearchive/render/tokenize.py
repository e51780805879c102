"""The search tokenizer. static/tokenize.js implements the query side of the same
algorithm, and tests/token_vectors.json holds the examples both must agree on.

* Full-width ASCII is folded to ASCII (ＴＰＵ -> TPU), then A-Z to a-z.
* A run of ASCII letters and digits is one token; a decimal point between digits
  stays inside it (150.59 is one number, never 150).
* A number followed by a unit (a Chinese character or % ‰ ℃ °, spaces aside) also
  makes the joined token: 150℃ -> "150℃", 19 亿元 -> "19亿".
* The index holds every Chinese character and every overlapping pair of a run.
  A query asks for the fewest of them that pin it down: the pairs of a run, a lone
  character as itself, a number with its unit as the joined token.
So 19亿元 and 19 亿元 give the same tokens: ["19亿", "亿元"].
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
UNIT = f"{HAN}%‰℃°"
# A Chinese run, or an ASCII run with the unit that follows it (looked at, not taken).
_TOKEN_RUN = re.compile(f"([{HAN}]+)|([0-9a-z]+(?:\\.[0-9]+)*)(?=\\s*([{UNIT}])|)")


_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
_FOLD.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ straight to a-z


def fold(text: str) -> str:
    return text.translate(_FOLD)


def _runs(text: str):
    """(chinese run, ascii run, unit after it) of the folded text."""
    return _TOKEN_RUN.findall(fold(text))


def tokenize(text: str | None) -> list[str]:
    """The tokens a query asks for, every one required."""
    if not text:
        return []
    tokens: list[str] = []
    unit_taken = False
    for han, word, unit in _runs(text):
        if word:
            joined = unit and word[-1].isdigit()
            tokens.append(word + unit if joined else word)
            unit_taken = bool(joined) and _is_han(unit)
        elif len(han) == 1:
            if not unit_taken:  # 10000吨: the unit is in "10000吨" already
                tokens.append(han)
            unit_taken = False
        else:
            tokens.extend(map(str.__add__, han[:-1], han[1:]))  # overlapping bigrams
            unit_taken = False
    return tokens


def index_tokens(text: str | None) -> list[str]:
    """The tokens the index holds for a text (count_tokens counts them)."""
    tokens: list[str] = []
    for han, word, unit in _runs(text or ""):
        if word:
            tokens.append(word)
            if unit and word[-1].isdigit():
                tokens.append(word + unit)
        else:
            tokens.extend(han)
            tokens.extend(map(str.__add__, han[:-1], han[1:]))
    return tokens


def _is_han(ch: str) -> bool:
    return bool(_HAN_CHAR.match(ch))


_HAN_CHAR = re.compile(f"[{HAN}]")


def count_tokens(text: str | None) -> Counter:
    """Counter(index_tokens(text)), made in a few C-level passes (every article's body
    is counted at extraction): the Chinese runs are joined by NUL and their characters
    and bigrams counted at once; the tokens holding a join are then dropped."""
    if not text:
        return Counter()
    runs = _runs(text)
    counts = Counter(word for _, word, _ in runs if word)
    counts.update(word + unit for _, word, unit in runs if unit and word and word[-1].isdigit())
    han = "\0".join(h for h, _, _ in runs if h)
    if han:
        counts.update(han)
        counts.update(map(str.__add__, han[:-1], han[1:]))
        for key in [k for k in counts if "\0" in k]:
            del counts[key]
    return counts


# count_compact's word pass runs on the unfolded text: these classes are what fold()
# maps onto [0-9a-z], "." and the units (fold never moves a character into or out of
# \s or HAN), so it finds the same words; each is folded after.
_WORD_RUN = re.compile(f"([0-9a-zA-Z０-９ａ-ｚＡ-Ｚ]+(?:[.．][0-9０-９]+)*)(?=\\s*([{UNIT}％])|)")
_IS_HAN = np.zeros(0x110000, bool)
for _lo, _hi in zip(HAN[0::3], HAN[2::3]):
    _IS_HAN[ord(_lo) : ord(_hi) + 1] = True
_HAN_LOW = ord(HAN[0])
_SHORT = 200  # characters; below this Counter beats numpy's fixed cost


def _first_seen(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys in order of first occurrence, and how often each occurs."""
    distinct, first, counts = np.unique(keys, return_index=True, return_counts=True)
    order = np.argsort(first)
    return distinct[order], counts[order]


def _first_seen_chars(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_first_seen of Chinese code points. Those of the BMP fit 16 bits above U+3400,
    and numpy sorts 16-bit keys stably by radix: twice as fast as np.unique."""
    low = _HAN_LOW
    if int(code.max()) - low > 0xFFFF:
        return _first_seen(code)
    keys = (code - low).astype(np.uint16)
    perm = np.argsort(keys, kind="stable")
    ordered = keys[perm]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    counts = np.diff(starts, append=len(ordered))
    order = np.argsort(perm[starts])  # first occurrences: the stable sort put them first
    return ordered[starts[order]].astype(np.uint32) + low, counts[order]


def count_compact(text: str | None) -> tuple[str, bytes]:
    """count_tokens(text) as (terms joined by "\n", uint32 counts): the same terms in the
    same order (words, numbers with units, characters, bigrams, each by first
    occurrence), counted over code points with numpy instead of millions of strings."""
    if not text or len(text) < _SHORT:
        counts = count_tokens(text)
        return "\n".join(counts), np.fromiter(counts.values(), "<u4", len(counts)).tobytes()
    found = _WORD_RUN.findall(text)
    words: Counter = Counter()
    if found:
        folded = fold("\n".join(w + "\n" + u for w, u in found)).split("\n")
        words.update(folded[0::2])
        # No key in common with the words: a joined token ends with its unit.
        words.update([w + u for w, u in zip(folded[0::2], folded[1::2]) if u and w[-1].isdigit()])
    code = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), "<u4")
    han = _IS_HAN[code]
    if not han.any():
        return "\n".join(words), np.fromiter(words.values(), "<u4", len(words)).tobytes()
    chars, char_counts = _first_seen_chars(code[han])
    at = np.flatnonzero(han[:-1] & han[1:])
    pairs, pair_counts = _first_seen((code[at].astype(np.uint64) << 21) | code[at + 1])
    flat = np.empty(2 * len(chars) + 3 * len(pairs), "<u4")  # each term followed by "\n"
    flat[: 2 * len(chars) : 2] = chars
    flat[2 * len(chars) :: 3] = pairs >> 21
    flat[2 * len(chars) + 1 :: 3] = pairs & 0x1FFFFF
    flat[1 : 2 * len(chars) : 2] = 10
    flat[2 * len(chars) + 2 :: 3] = 10
    terms = [*words, flat.tobytes().decode("utf-32-le")[:-1]]
    tf = np.concatenate([np.fromiter(words.values(), "<u4", len(words)), char_counts, pair_counts]).astype("<u4")
    return "\n".join(terms), tf.tobytes()


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
