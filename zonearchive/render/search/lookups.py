"""Maps the browser loads only when a query needs them.

* Traditional -> Simplified (OpenCC's TSCharacters/TSPhrases, via the
  opencc-python-reimplemented package): a character map and the phrases that a
  character-by-character conversion gets wrong. The manifest carries a bitset of
  the characters that are Traditional only, so search.js knows when to load it; a
  character that is also Simplified (乾, 著) is never converted.
* Homophones (pypinyin, tones ignored): the syllable of each character a reader may
  type, and, sharded by pinyin key, the index's own Chinese terms under their key.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from ... import urls
from ...ingest.variants import t2s_tables
from ..tokenize import term_hashes
from .results import compact_json, name_char
from .terms import CODED, Vocabulary, texts

TRAD_RANGE = (0x3400, 0xA000)  # the bitset covers CJK Extension A and the unified block
HOMOPHONE_TERMS = 3000  # terms per homophone shard, about


@lru_cache(maxsize=1)
def _t2s_file() -> tuple[str, bytes, str]:
    char_map, phrases = t2s_tables()
    data = compact_json({"c": "".join(t + s for t, s in sorted(char_map.items())), "p": phrases})
    bits = bytearray((TRAD_RANGE[1] - TRAD_RANGE[0]) // 8)
    for t in char_map:
        code = ord(t) - TRAD_RANGE[0]
        if 0 <= code < len(bits) * 8:
            bits[code >> 3] |= 1 << (code & 7)
    return f"t2s-{hashlib.sha1(data).hexdigest()[:8]}.json", data, base64.b64encode(bytes(bits)).decode()


@lru_cache(maxsize=1 << 16)
def syllable(char: str) -> str | None:
    """pypinyin's lazy_pinyin(char, style=Style.NORMAL) when that is letters, else None."""
    table = _single_readings()
    if table is None:  # a pypinyin without its table as JSON: ask it
        from pypinyin import Style, lazy_pinyin

        found = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
        return found[0] if found and found[0].isascii() and found[0].isalpha() else None
    readings = table.get(str(ord(char)))
    if not readings:
        return None
    marked = unicodedata.normalize("NFD", readings.split(",")[0]).replace(
        "u\u0308", "v"
    )  # ü is v, as pypinyin writes it
    plain = "".join(c for c in marked if not unicodedata.combining(c))
    return plain if plain.isascii() and plain.isalpha() else None


@lru_cache(maxsize=1)
def _single_readings() -> dict[str, str] | None:
    # pypinyin's table of single characters, read as the data it is: importing pypinyin
    # loads its phrase segmenter too (0.25 s of every build process) for the same
    # syllables (tests/test_search_index.py compares every character).
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "pinyin_dict.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=1)
def _common_chars() -> str:
    # GB2312 level 1: the 3,755 characters a reader's input method offers first.
    raw = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    return "".join(c for c in raw.decode("gb2312", errors="ignore") if "\u4e00" <= c <= "\u9fff")


@lru_cache(maxsize=1)
def _common_set() -> frozenset[str]:
    return frozenset(_common_chars())


def _span(first: np.ndarray, second: np.ndarray) -> int:
    """Room for every code point the terms use (a table of all 1,114,112 costs a
    millisecond per build, which a small archive notices)."""
    return int(max(first.max(initial=0), second.max(initial=0))) + 1


@lru_cache(maxsize=1)
def _common_table() -> dict[str, str]:
    """Syllable -> the common characters that read so, in code point order (made once:
    every build's table is this plus the archive's rarer characters)."""
    table: dict[str, str] = {}
    for c in sorted(_common_chars()):
        s = syllable(c)
        if s:
            table[s] = table.get(s, "") + c
    return table


def _is_han(term: str) -> bool:
    return all(ord(c) >= 0x3400 for c in term) and 1 <= len(term) <= 2


def homophone_files(ids: np.ndarray, vocabulary: Vocabulary) -> tuple[dict[str, bytes], str, str]:
    """(files, pinyin file name, shard names) for the index's Chinese terms, of one or
    two characters from U+3400 (``ids``: the index's terms, numbered as terms.py
    does). Each term is a pair of code points here: a vocabulary of millions costs a
    few numpy passes, and Python work only per character and per pinyin key."""
    first, second = _chinese_terms(ids, vocabulary)
    used = np.zeros(_span(first, second), bool)
    used[first] = used[second] = True
    chars = [chr(c) for c in (np.flatnonzero(used[1:]) + 1).tolist()]
    pinyin = _pinyin_file(chars)
    pinyin_name = f"py-{hashlib.sha1(pinyin).hexdigest()[:8]}.json"
    count = 1
    while count * HOMOPHONE_TERMS < len(first):
        count *= 2
    shards: list[dict] = [{} for _ in range(count)]
    keys, terms = _by_syllables(first, second, chars)
    for key, shard, key_terms in zip(keys, (term_hashes(keys) & (count - 1)).tolist(), terms):
        shards[shard][key] = key_terms
    files = {urls.search_index_url(pinyin_name): pinyin}
    names = ""
    for k, shard in enumerate(shards):
        data = compact_json(shard)
        name = name_char(data)
        files[urls.search_index_url(f"h{k}-{name}.json")] = data
        names += name
    return files, pinyin_name, names


def _chinese_terms(ids: np.ndarray, vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """The Chinese terms as (first, second) code points (second 0: none), in code point
    order as sorted() puts strings."""
    coded = ids[ids >= CODED].astype(np.int64)
    beyond = [t for t in vocabulary.names(ids[ids < CODED]) if _is_han(t)]  # beyond the BMP: few
    first = np.concatenate([coded >> 16, [ord(t[0]) for t in beyond]]).astype(np.int64)
    second = np.concatenate([coded & 0xFFFF, [ord(t[1:] or "\0") for t in beyond]]).astype(np.int64)
    pair = np.sort(first << 21 | second)
    return pair >> 21, pair & ((1 << 21) - 1)


def _pinyin_file(chars: list[str]) -> bytes:
    """Syllable -> the characters that read so: the common ones and the archive's."""
    common = _common_table()
    table = dict(common)
    extra: dict[str, list[str]] = {}
    for c in set(chars) - _common_set():
        s = syllable(c)
        if s:
            extra.setdefault(s, []).append(c)
    for s, cs in extra.items():
        table[s] = "".join(sorted(common.get(s, "") + "".join(cs)))
    return compact_json(dict(sorted(table.items())))


def _by_syllables(first: np.ndarray, second: np.ndarray, chars: list[str]) -> tuple[list[str], list[list[str]]]:
    """Pinyin keys (a term's characters' syllables; none when one has none) in the
    order of their first term, and the terms of each, in order."""
    spoken: dict[str, int] = {}
    number = np.full(_span(first, second), -1, np.int64)
    for c in chars:
        s = syllable(c)
        if s:
            number[ord(c)] = spoken.setdefault(s, len(spoken))
    n1, n2 = number[first], np.where(second > 0, number[second] + 1, 0)  # n2 0: no second character
    keyed = np.flatnonzero((n1 >= 0) & ((second == 0) | (n2 > 0)))
    key = n1[keyed] * (len(spoken) + 1) + n2[keyed]
    order = np.argsort(key, kind="stable")  # by key, then as the terms come
    keyed, key = keyed[order], key[order]
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else np.zeros(0, np.intp)
    bounds = np.append(starts, len(key)).tolist()
    terms = texts(first[keyed], second[keyed])
    syllables = list(spoken)
    keys, lists = [], []
    for g in np.argsort(keyed[starts], kind="stable").tolist():  # keys by their first term
        t = int(keyed[bounds[g]])
        keys.append(" ".join([syllables[n1[t]]] + ([syllables[n2[t] - 1]] if n2[t] else [])))
        lists.append(terms[bounds[g] : bounds[g + 1]])
    return keys, lists


def manifest_entries(ids: np.ndarray, vocabulary: Vocabulary, files: dict[str, bytes | None]) -> dict:
    """Add the lookup files to ``files``; return what the manifest says of them.
    ``ids``: the index's terms, numbered as terms.py does."""
    t2s_name, t2s_data, trad_bits = _t2s_file()
    files[urls.search_index_url(t2s_name)] = t2s_data
    homophones, pinyin_name, names = homophone_files(ids, vocabulary)
    files.update(homophones)
    return {"t2s": t2s_name, "trad": trad_bits, "tradFrom": TRAD_RANGE[0], "pinyin": pinyin_name, "homophones": names}


__all__ = ["manifest_entries", "syllable", "t2s_tables"]
