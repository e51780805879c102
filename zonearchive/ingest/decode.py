"""Bytes of a raw page -> text. UTF-8 (with or without BOM) or GB18030, detected."""

from __future__ import annotations

import codecs
import re

from ..errors import DecodeError, ZoneArchiveError
from ..i18n import _

# C0 controls other than tab, LF, VT, FF, CR never occur in extracted page text;
# their presence means binary input, whatever encoding would "accept" it.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# GB18030 decodes almost any byte string; accept it only when the result reads
# like Chinese text (mostly hanzi, CJK punctuation, ASCII).
_PLAUSIBLE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\x09-\x0d\x20-\x7e\u2014\u2018-\u201d\u2026\u00b7]")

MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_PAGE_LINES = 200_000


def decode_page(data: bytes, path) -> tuple[str, str]:
    """Return (text, encoding name). Raise DecodeError naming the byte offset."""
    if len(data) > MAX_PAGE_BYTES:
        raise DecodeError(
            path,
            _("page is larger than the {limit} MiB limit for one page").format(limit=MAX_PAGE_BYTES // (1024 * 1024)),
            MAX_PAGE_BYTES,
        )
    lines = max(data.count(b"\n"), data.count(b"\r")) + 1
    if lines > MAX_PAGE_LINES:
        # A newspaper page has a few hundred lines; millions would cost minutes and gigabytes.
        raise ZoneArchiveError(
            path,
            _("page has {lines:,} lines, more than the {limit:,}-line limit for one page").format(
                lines=lines, limit=MAX_PAGE_LINES
            ),
            MAX_PAGE_LINES + 1,
        )
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path, base=3), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError(path, _("UTF-16 pages are not supported; save the page as UTF-8"), 0)
    binary = _BINARY.search(data)
    if binary:
        raise DecodeError(path, _("binary data, not page text"), binary.start())
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise DecodeError(path, _("neither UTF-8 nor GB18030 text"), utf8_error.start) from None
        plausible = len(_PLAUSIBLE.findall(text))
        if plausible < 0.9 * len(text):
            raise DecodeError(path, _("neither UTF-8 nor GB18030 text"), utf8_error.start) from None
        return text, "gb18030"


def _strict(data: bytes, encoding: str, path, base: int) -> str:
    binary = _BINARY.search(data)
    if binary:
        raise DecodeError(path, _("binary data, not page text"), base + binary.start())
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(path, _("invalid {encoding}").format(encoding=encoding.upper()), base + error.start) from None
