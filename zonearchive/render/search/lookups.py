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
from functools import lru_cache
from pathlib import Path

from ... import urls
from ..tokenize import term_hash
from .results import compact_json

TRAD_RANGE = (0x3400, 0xA000)  # the bitset covers CJK Extension A and the unified block
HOMOPHONE_TERMS = 3000  # terms per homophone shard, about
NAME_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"  # as index.name_char


def _opencc_dictionary() -> Path:
    import opencc  # opencc-python-reimplemented: OpenCC's tables, Apache-2.0

    return Path(opencc.__file__).parent / "dictionary"


def _table(name: str) -> dict[str, list[str]]:
    out = {}
    for line in (_opencc_dictionary() / name).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, values = line.split("\t", 1)
            out[key] = values.split()
    return out


@lru_cache(maxsize=1)
def t2s_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(character map, phrase map), Traditional-only characters as keys."""
    chars = _table("TSCharacters.txt")
    simplified = set(_table("STCharacters.txt")) | {v for vs in chars.values() for v in vs}
    char_map = {t: vs[0] for t, vs in chars.items() if len(t) == 1 and t not in simplified and vs[0] != t}
    phrases = {}
    for t, vs in _table("TSPhrases.txt").items():
        by_char = "".join(char_map.get(c, c) for c in t)
        if by_char != vs[0] and any(c in char_map for c in t):
            phrases[t] = vs[0]
    return char_map, phrases


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
    from pypinyin import Style, lazy_pinyin

    found = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return found[0] if found and found[0].isascii() and found[0].isalpha() else None


@lru_cache(maxsize=1)
def _common_chars() -> str:
    # GB2312 level 1: the 3,755 characters a reader's input method offers first.
    raw = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    return "".join(c for c in raw.decode("gb2312", errors="ignore") if "\u4e00" <= c <= "\u9fff")


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


def homophone_files(terms: list[str]) -> tuple[dict[str, bytes], str, str]:
    """(files, pinyin file name, shard names) for the index's Chinese terms."""
    han = sorted({t for t in terms if _is_han(t)})
    common = _common_table()
    table = dict(common)
    extra: dict[str, list[str]] = {}
    for c in {c for t in han for c in t} - set(_common_chars()):
        s = syllable(c)
        if s:
            extra.setdefault(s, []).append(c)
    for s, cs in extra.items():
        table[s] = "".join(sorted(common.get(s, "") + "".join(cs)))
    pinyin = compact_json(dict(sorted(table.items())))
    pinyin_name = f"py-{hashlib.sha1(pinyin).hexdigest()[:8]}.json"
    keys: dict[str, list[str]] = {}
    for t in han:
        parts = [syllable(c) for c in t]
        if all(parts):
            keys.setdefault(" ".join(parts), []).append(t)  # type: ignore[arg-type]
    count = 1
    while count * HOMOPHONE_TERMS < len(han):
        count *= 2
    shards: list[dict] = [{} for _ in range(count)]
    for key, ts in keys.items():
        shards[term_hash(key) & (count - 1)][key] = ts
    files = {urls.search_index_url(pinyin_name): pinyin}
    names = ""
    for k, shard in enumerate(shards):
        data = compact_json(shard)
        name = NAME_CHARS[hashlib.sha1(data).digest()[0] & 63]
        files[urls.search_index_url(f"h{k}-{name}.json")] = data
        names += name
    return files, pinyin_name, names


def manifest_entries(terms: list[str], files: dict[str, bytes]) -> dict:
    """Add the lookup files to ``files``; return what the manifest says of them."""
    t2s_name, t2s_data, trad_bits = _t2s_file()
    files[urls.search_index_url(t2s_name)] = t2s_data
    homophones, pinyin_name, names = homophone_files(terms)
    files.update(homophones)
    return {"t2s": t2s_name, "trad": trad_bits, "tradFrom": TRAD_RANGE[0], "pinyin": pinyin_name, "homophones": names}


__all__ = ["manifest_entries", "syllable", "t2s_tables"]
