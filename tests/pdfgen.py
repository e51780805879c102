"""Typeset known articles as newspaper pages and print them to PDF with Chromium.

Ground truth comes from pagegen's articles (sentences of the seed text, invented
names), never from any reader's output. Layout choices, per article: 2-4 columns
(sometimes 1) of 12-28 characters, justified text, paragraphs indented two
characters, bold section headings, a headline block (kicker, title in one or two
lines, subtitle) in its own type sizes above the body (or, on some pages, below
it), bylines alone at the end, at the end of the last line, under the headline or
inside the dateline's brackets, ``（上接 A1 版）`` continuations. Articles stand one
per row or two side by side, so pages have up to 8 columns across.

    from pdfgen import PdfMaker
    with PdfMaker() as maker:
        pdf, truth = maker.page(seed)
"""

from __future__ import annotations

import html
import random
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from conftest import CHROMIUM
from conftest import CHROMIUM_FLAGS as FLAGS
from pagegen import DATELINES, TrueArticle, make_article

BODY_PX = 11  # body type size; a column of n characters is n * BODY_PX wide
GAP_PX = 14


@dataclass
class PdfArticle(TrueArticle):
    continued_from: str | None = None
    byline_form: str = "none"  # "end" (own line) | "inline" | "lead" | "dateline" | "none"


def cjk_fonts() -> bool:
    """A CJK font is installed (Chromium would print tofu otherwise)."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return "Chromium is not installed at /usr/bin/chromium (apt-get install chromium); .ci/run installs it"
    if not cjk_fonts():
        return "no CJK font (apt-get install fonts-noto-cjk); .ci/run installs it"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


def _article(rng: random.Random, first: bool) -> PdfArticle:
    base = make_article(rng, rng.random() < 0.85, rng.random() < 0.75, rng.random() < 0.6)
    art = PdfArticle(**vars(base))
    if first and rng.random() < 0.2:
        art.title = art.kicker = art.subtitle = None
        art.continued_from = rng.choice(["A1", "A2", "B1"])
        art.dateline = None
    if art.byline:
        forms = ["end", "inline"] + (["lead"] if art.title else []) + (["dateline"] if art.dateline else [])
        art.byline_form = rng.choice(forms)
        if rng.random() < 0.3:
            art.byline = "记者 " + art.byline
    return art


def _paragraph_html(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _article_html(art: PdfArticle, rng: random.Random, chars: int, columns: int, below: bool) -> str:
    body: list[str] = []
    first = True
    for kind, text in art.blocks:
        if kind == "heading":
            body.append(f"<h4>{html.escape(text)}</h4>")
            continue
        if first:
            lead = ""
            if art.continued_from:
                lead = f"（上接 {art.continued_from} 版）"
            if art.dateline:
                inside = f"（{art.byline}）" if art.byline_form == "dateline" else ""
                lead += f"<b>{html.escape(art.dateline)}</b>{html.escape(inside)} "
            body.append(f"<p>{lead}{html.escape(text)}</p>")
            first = False
        else:
            body.append(_paragraph_html(text))
    if art.byline_form == "inline":
        body[-1] = body[-1][: -len("</p>")] + f'<span class="by">{html.escape(art.byline or "")}</span></p>'
    elif art.byline_form == "end":
        body.append(f'<p class="byline">{html.escape(art.byline or "")}</p>')
    head: list[str] = []
    if art.kicker:
        head.append(f'<div class="kicker">{html.escape(art.kicker)}</div>')
    if art.title:
        title = html.escape(art.title)
        if len(art.title) >= 10 and rng.random() < 0.4:
            cut = rng.randint(len(art.title) // 2, len(art.title) - 3)
            title = html.escape(art.title[:cut]) + "<br>" + html.escape(art.title[cut:])
        head.append(f'<div class="title">{title}</div>')
    if art.subtitle:
        head.append(f'<div class="subtitle">———{html.escape(art.subtitle)}</div>')
    if art.byline_form == "lead":
        head.append(f'<div class="leadby">{html.escape(art.byline or "")}</div>')
    width = columns * chars * BODY_PX + (columns - 1) * GAP_PX
    cols = f'<div class="cols" style="column-count:{columns};width:{width}px">{"".join(body)}</div>'
    block = f'<div class="head">{"".join(head)}</div>' if head else ""
    inner = cols + block if below else block + cols
    return f'<div class="art" style="width:{width}px">{inner}</div>'


CSS = f"""
@page {{ margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: 'Noto Serif CJK SC', serif; font-size: {BODY_PX}px; line-height: 1.55;
  width: 1400px; padding: 24px; box-sizing: border-box }}
.row {{ display: flex; gap: 36px; margin-bottom: 30px; align-items: flex-start }}
.art {{ flex: none }}
.cols {{ column-gap: {GAP_PX}px; column-fill: balance }}
p {{ margin: 0; text-indent: 2em; text-align: justify }}
h4 {{ margin: 0.5em 0; font: bold {BODY_PX + 1}px 'Noto Sans CJK SC', sans-serif; break-after: avoid }}
p.byline {{ text-indent: 0; text-align: right }}
.by {{ float: right; margin-left: 2em }}
.head {{ margin: 10px 0 }}
.kicker {{ font: 15px 'Noto Sans CJK SC', sans-serif; line-height: 1.4 }}
.title {{ font: bold 24px 'Noto Sans CJK SC', sans-serif; line-height: 1.3 }}
.subtitle {{ font: 17px 'Noto Serif CJK SC', serif; line-height: 1.4 }}
.leadby {{ font-size: {BODY_PX}px; margin-top: 4px }}
"""


def page_html(seed: int, simple: bool = False) -> tuple[str, list[PdfArticle], dict]:
    """A page's HTML and its true articles in reading order. ``simple``: one article
    a row, each in one column (a page text extractors keep in order)."""
    rng = random.Random(seed + 1_000_003 * simple)
    n = rng.randint(2, 6)
    below = rng.random() < 0.25
    arts = [_article(rng, i == 0) for i in range(n)]
    # As pagegen: every boundary needs a cue a reader can see when a headline is missing.
    for prev, nxt in zip(arts, arts[1:]):
        if not nxt.title and not (prev.byline or nxt.dateline):
            nxt.dateline = DATELINES[0]
    rows: list[list[str]] = []
    multi = False
    i = 0
    while i < n:
        side = i + 1 < n and rng.random() < 0.4 and not simple
        group = arts[i : i + (2 if side else 1)]
        row = []
        room = 1400 - 48 - 36 * (len(group) - 1)  # the page's width, less margins and gutters
        for k, art in enumerate(group):
            columns = 1 if simple else rng.choice([1, 2, 2, 3, 4]) if not side else rng.choice([1, 2, 3])
            share = room // (len(group) - k)
            most = min(28, (share - (columns - 1) * GAP_PX) // (columns * BODY_PX))
            chars = rng.randint(12, most)
            room -= columns * chars * BODY_PX + (columns - 1) * GAP_PX
            multi |= columns > 1 or side
            row.append(_article_html(art, rng, chars, columns, below))
        rows.append(row)
        i += len(group)
    body = "".join(f'<div class="row">{"".join(r)}</div>' for r in rows)
    doc = f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{CSS}</style></head><body>{body}</body></html>'
    return doc, arts, {"multi_column": multi, "headline_below": below}


def truth(art: PdfArticle) -> PdfArticle:
    """The article as a reader should get it back (byline in its normal form)."""
    return replace(art)


class PdfMaker:
    """One Chromium for many pages: ``browser``, an open one (the tests' session
    browser: a second Playwright cannot start in the same thread), else its own."""

    def __init__(self, browser=None):
        self._given = browser

    def __enter__(self):
        self._pw = None
        if self._given is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        else:
            self._browser = self._given
        self._page = self._browser.new_page()
        return self

    def __exit__(self, *exc):
        self._page.close()
        if self._pw is not None:
            self._browser.close()
            self._pw.stop()

    def pdf(self, doc: str) -> bytes:
        self._page.set_content(doc, wait_until="load")
        self._page.evaluate("document.fonts.ready")
        height = self._page.evaluate("document.documentElement.scrollHeight")
        return self._page.pdf(width="1400px", height=f"{height + 2}px", print_background=False)

    def page(self, seed: int, simple: bool = False) -> tuple[bytes, list[PdfArticle], dict]:
        doc, arts, info = page_html(seed, simple)
        return self.pdf(doc), arts, info


# A PDF page with no text layer (what a scanner makes): drawing operators only.
def scanned_pdf() -> bytes:
    stream = b"0.5 g 50 50 200 300 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


if __name__ == "__main__":  # python tests/pdfgen.py SEED OUT.pdf
    import sys

    with PdfMaker() as maker:
        data, arts, info = maker.page(int(sys.argv[1]))
    Path(sys.argv[2]).write_bytes(data)
    for a in arts:
        print(a.kicker, "|", a.title, "|", a.subtitle, "|", a.byline_form, a.byline, "|", a.dateline, a.continued_from)
    print(info)
