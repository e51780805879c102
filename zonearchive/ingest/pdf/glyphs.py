"""Every character of a PDF page with its position, size and weight, from pdfium.

pypdfium2 (Apache-2.0/BSD-3, wheels with pdfium inside) reads a dense newspaper page
in well under 0.1 s; pdfminer.six (pure Python) takes over a second for the same page.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

from ...errors import ZoneArchiveError
from ...i18n import _


@dataclass(frozen=True)
class Glyph:
    char: str
    x0: float  # left edge (the pen position)
    x1: float  # right edge
    base: float  # baseline, measured down from the top of the page
    size: float
    bold: bool
    space: bool  # a space the page itself holds (not one pdfium made up)


@dataclass
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]


def read_pdf(data: bytes, label: str) -> list[PdfPage]:
    """The pages of a PDF file with their glyphs. Raise an error naming ``label`` when
    the file is not a PDF, is encrypted, or has no text layer (a scan)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ZoneArchiveError(label, _("not a readable PDF ({error})").format(error=error)) from None
    pages = []
    try:
        for number in range(len(doc)):
            page = doc[number]
            width, height = page.get_size()
            text = page.get_textpage()
            glyphs = []
            name = ctypes.create_string_buffer(128)
            flags = ctypes.c_int()
            loose = raw.FS_RECTF()
            ox, oy = ctypes.c_double(), ctypes.c_double()
            matrix = raw.FS_MATRIX()
            weight_of: dict[bytes, bool] = {}
            for i in range(text.count_chars()):
                code = raw.FPDFText_GetUnicode(text.raw, i)
                if code in (0, 0xFFFE, 0xFFFF) or code in (10, 13):
                    continue
                generated = raw.FPDFText_IsGenerated(text.raw, i) == 1
                char = chr(code)
                if char.isspace() and generated:
                    continue
                # The loose box spans the advance: a comma's ink is a third of its cell.
                raw.FPDFText_GetLooseCharBox(text.raw, i, loose)
                raw.FPDFText_GetCharOrigin(text.raw, i, ox, oy)
                # The font size is in text space: the text matrix scales it onto the page.
                raw.FPDFText_GetMatrix(text.raw, i, matrix)
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
                size = raw.FPDFText_GetFontSize(text.raw, i) * scale
                raw.FPDFText_GetFontInfo(text.raw, i, name, 128, ctypes.byref(flags))
                key = name.value
                if key not in weight_of:
                    lowered = key.lower()
                    weight_of[key] = b"bold" in lowered or b"heavy" in lowered or b"black" in lowered
                bold = weight_of[key] or raw.FPDFText_GetFontWeight(text.raw, i) >= 600
                x0 = ox.value
                glyphs.append(
                    Glyph(char, x0, max(loose.right, x0 + size * 0.25), height - oy.value, size, bold, char.isspace())
                )
            pages.append(PdfPage(number + 1, width, height, glyphs))
            text.close()
            page.close()
    except (pdfium.PdfiumError, ValueError) as error:  # a damaged page: named, never a traceback
        raise ZoneArchiveError(
            label, _("page {page} cannot be read ({error})").format(page=len(pages) + 1, error=error)
        ) from None
    finally:
        doc.close()
    if not any(p.glyphs for p in pages):
        raise ZoneArchiveError(
            label, _("a scanned PDF: its pages have no text layer to read (run OCR on it, or add the page as a .txt)")
        )
    return pages
