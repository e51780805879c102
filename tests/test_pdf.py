"""PDF pages: a printed page dropped into seeds/ becomes its articles (read from the
page's geometry), links back to itself as 查看原版, and a scan is named as one.
Also the text side: what pdftotext, pdfminer.six and PyMuPDF print of such pages.

The PDFs are typeset here by tests/pdfgen.py (Chromium); their truth is the
generator's, never a reader's output."""

from __future__ import annotations

import json
import urllib.request

import pytest
from pdfgen import PdfMaker, page_html, scanned_pdf, skip_reason

from zonearchive.builder import build
from zonearchive.cli import main
from zonearchive.config import load_settings
from zonearchive.ingest.page import extract_page
from zonearchive.ingest.pdf.page import extract_pdf
from zonearchive.sources.extract import extract_all

# Two pages chosen for their variety (multi-column rows, side-by-side articles,
# kicker/subtitle, every byline form between them, a 上接 continuation).
SEEDS = (5, 11)


@pytest.fixture(scope="module")
def pdfs(browser):
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    with PdfMaker(browser) as maker:
        return {seed: maker.page(seed)[0] for seed in SEEDS}


@pytest.mark.parametrize("seed", SEEDS)
def test_a_pdf_page_reads_into_its_articles(pdfs, seed):
    _, truth, _ = page_html(seed)
    page = extract_pdf(pdfs[seed], "seeds/p.pdf", "p")
    assert len(page.articles) == len(truth)
    for got, want in zip(page.articles, truth):
        assert (got.kicker, got.subtitle, got.byline, got.dateline) == (
            want.kicker,
            want.subtitle,
            want.byline,
            want.dateline,
        )
        assert got.title_derived == (want.title is None)
        if want.title:
            assert got.title == want.title
        assert got.continued_from == want.continued_from
        assert [(b.type, b.text) for b in got.blocks] == want.blocks
    # A title made from the lead is said, with its line (the build lists it as a warning).
    derived = [what for _, what in page.notes if what.startswith("no headline printed")]
    assert len(derived) == sum(t.title is None for t in truth)


def test_extract_json_and_write_on_a_pdf(project, pdfs, capsys, monkeypatch):
    root = project({"seeds/2024-07-01_A3_page.pdf": pdfs[5]})
    monkeypatch.chdir(root)  # as typed in the project folder
    assert main(["--root", str(root), "extract", "seeds/2024-07-01_A3_page.pdf", "--json"]) == 0
    articles = json.loads(capsys.readouterr().out)
    _, truth, _ = page_html(5)
    assert [a["title"] for a in articles] == [t.title for t in truth]
    assert [a["byline"] for a in articles] == [t.byline for t in truth]
    assert all(a["source"] == "seeds/2024-07-01_A3_page.pdf" for a in articles)
    assert main(["--root", str(root), "extract", "seeds/2024-07-01_A3_page.pdf", "--write"]) == 0
    assert len(list((root / "seeds" / "2024-07-01_A3_page").glob("*.md"))) == len(truth)


def test_article_page_links_the_original_pdf(project, pdfs):
    root = project({"seeds/2024-07-01_A3_page.pdf": pdfs[11]})
    out = root / "site"
    result = build(load_settings(root, environ={}), out)
    assert not result.errors
    pages = sorted(out.glob("articles/*/index.html"))
    assert len(pages) == len(page_html(11)[1])
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "查看原版" in html
        href = html.split("查看原版")[0].rsplit('href="', 1)[1].split('"')[0]
        assert (page.parent / href).resolve().read_bytes() == pdfs[11]


def test_a_scanned_pdf_is_named_as_such(project):
    root = project({"seeds/scan.pdf": scanned_pdf(), "seeds/broken.pdf": b"%PDF-1.4\nnot really"})
    extraction = extract_all([(root / "seeds", "seeds")])
    messages = sorted(str(e) for e in extraction.errors)
    assert len(messages) == 2
    assert messages[0].startswith("seeds/broken.pdf") and "not a readable PDF" in messages[0]
    assert messages[1].startswith("seeds/scan.pdf") and "scanned PDF" in messages[1]
    assert extraction.articles == []


def test_kangxi_radicals_and_compatibility_ideographs_are_normalised_and_logged():
    page = extract_page("本报讯 今\u2f47上午，开发区召开座谈会。全年完成投资1.2亿元，增长明显。\n", "p.txt", "p")
    body = page.articles[0].blocks[0].text
    assert body.startswith("今日上午，") and "\u2f47" not in body
    assert [(r.before, r.after, r.line) for r in page.repairs] == [("\u2f47", "日", 1)]
    compat = extract_page("本报讯 这里有\uf900个字。\n", "p.txt", "p").articles[0].blocks[0].text
    assert compat == "这里有\u8c48个字。"  # U+F900 is a compatibility form of 豈


def test_pdfminer_text_of_a_page_reads_without_radicals(pdfs, tmp_path):
    """pdfminer.six prints some hanzi of these fonts as Kangxi or CJK radicals (⾛ for
    走, ⻢ for 马): the text ingest gives the ideographs back, each change logged."""
    high_level = pytest.importorskip(
        "pdfminer.high_level", reason="pdfminer.six is a test extra (pip install -e '.[test]')"
    )
    path = tmp_path / "p.pdf"
    path.write_bytes(pdfs[5])
    text = high_level.extract_text(str(path))
    radicals = [c for c in text if "\u2e80" <= c <= "\u2fdf"]
    assert radicals  # what the tool does, or this test proves nothing
    page = extract_page(text, "p.txt", "p")
    out = "".join(a.title + "".join(b.text for b in a.blocks) for a in page.articles)
    assert not [c for c in out if "\u2e80" <= c <= "\u2fdf"]
    assert sum(r.kind == "ideograph form" for r in page.repairs) == len(radicals)


def test_a_letter_spaced_dateline_and_quote_spaces_are_undone_and_logged():
    text = (
        "科 学 导 报 讯   2024 年 1 月 2\f\n"
        "日，开发区召开“ 小升规” 培育入库企业座谈会，会议由主任主持。全年完成投资1.2亿元。\n\n王波\n"
    )
    page = extract_page(text, "p.txt", "p")
    assert len(page.articles) == 1
    article = page.articles[0]
    assert (article.dateline, article.byline) == ("科学导报讯", "王波")
    assert article.blocks[0].text.startswith("2024年1月2日，开发区召开“小升规”培育入库企业座谈会，")
    kinds = {r.kind: r.line for r in page.repairs}
    assert kinds == {"letter spacing": 1, "extractor spacing": 2}


def test_em_spaces_read_as_spaces():
    page = extract_page("本报讯\u2003开发区召开座谈会，会议由主任主持。\n王波\n", "p.txt", "p")
    assert page.articles[0].dateline == "本报讯"
    assert page.articles[0].blocks[0].text == "开发区召开座谈会，会议由主任主持。"


def test_a_pdf_dropped_into_the_live_preview_appears_as_articles(project, pdfs):
    from test_serve import Serve

    server = Serve(project(seeds=True))
    try:
        before = server.builds()
        (server.root / "seeds" / "2024-07-01_A3_page.pdf").write_bytes(pdfs[11])
        server.wait_builds(before + 1, timeout=30)
        _, truth, _ = page_html(11)
        titled = next(i for i, t in enumerate(truth, start=1) if t.title)
        html = urllib.request.urlopen(f"{server.url}articles/2024-07-01_a3_page-{titled:02d}/").read().decode()
        assert truth[titled - 1].title in html and "查看原版" in html
        with urllib.request.urlopen(server.url + "pdf/2024-07-01_a3_page.pdf") as answer:
            assert answer.headers["Content-Type"] == "application/pdf" and answer.read() == pdfs[11]
    finally:
        server.stop()
