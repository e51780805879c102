"""What the browser needs to show a result beyond the index: the page of each
document, URL_DOCS URLs to a file. The result's title, kicker, zone, byline, date
and the text its snippet is cut from are read off the article page itself (which
the reader then opens from the browser's cache): no second copy of each article.
Also how every search file's JSON and digest character are written."""

from __future__ import annotations

import hashlib
import json

URL_DOCS = 128  # documents per URLs file: ~2.5 KB, under 1 KB as Pages serves it


def url_files(urls: list[str], per: int) -> list[bytes]:
    """The URLs files of documents numbered in ``urls``' order, ``per`` to a file: one
    URL (relative to the site's root) a line. An article's URL holds no line break."""
    return [("\n".join(urls[k : k + per]) + "\n").encode("utf-8") for k in range(0, len(urls), per)]


def read_url_files(parts: list[bytes]) -> list[str]:
    """Every document's URL, as search.js reads the files."""
    return [line for data in parts for line in data.decode("utf-8").split("\n")[:-1]]


NAME_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"


def name_char(data: bytes) -> str:
    """One character of a file's content digest, for its name (every search file but
    the manifest): keeps a browser from mixing an old file with a new manifest."""
    return NAME_CHARS[hashlib.sha1(data).digest()[0] & 63]


def compact_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
