"""The archive as a newspaper (issue 18): issues and their pages in print order, the
archive by date, dates and page labels as readers read them, citations, feeds with
real dates only, and URLs that stay. Two dated issues of two pages each, and one
undated page, made here."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
from conftest import REPO, make_project

from zonearchive.builder import build
from zonearchive.config import load_settings

PAGES = {
    # issue 2025-01-06: pages A1 and A3, dated by their file names
    "seeds/2025-01-06_A1_front.txt": (
        "锂电池项目开工建设\n"
        "本报讯 近日，晋城经济技术开发区锂电池项目开工建设，总投资19亿元，由山西华阳锂电新材料有限公司承建。\n"
        "项目投产后年产值可达30亿元。 王波\n"
        "光伏组件生产线投产\n"
        "本报讯 日前，晋城经济技术开发区光伏组件生产线正式投产，山西华阳锂电新材料有限公司参与配套。 李明\n"
    ),
    "seeds/2025-01-06_A3_yongji.txt": (
        "新材料产业集群加速成长\n"
        "本报讯 永济经济技术开发区新材料产业集群加速成长，山西蓝科途新材料科技有限公司隔膜项目满产。 张华\n"
    ),
    # issue 2024-07-02: pages B2 and B10, dated by sidecars (B10 prints after B2)
    "seeds/b10.txt": "晋城经开区召开项目推进会\n本报讯 晋城经济技术开发区召开重点项目推进会，锂电池项目进展顺利。 赵强\n",
    "seeds/b10.toml": 'date = 2024-07-02\npage = "B10"\n',
    "seeds/b2.txt": (
        "向新求质 小隔膜做成大产业\n"
        "本报讯 山西蓝科途新材料科技有限公司位于永济经济技术开发区，专注锂电池隔膜研发生产。 周明飞\n"
    ),
    "seeds/b2.toml": 'date = 2024-07-02\npage = "B2"\n',
    # no date given: none is made up
    "seeds/undated.txt": "中北高新区举办创新大赛\n本报讯 中北高新区举办创新创业大赛，20个项目参赛。 孙丽\n",
}
DATED = {  # article id -> (ISO date, page label), as the editor gave them
    "2025-01-06_a1_front-01": ("2025-01-06", "A1"),
    "2025-01-06_a1_front-02": ("2025-01-06", "A1"),
    "2025-01-06_a3_yongji-01": ("2025-01-06", "A3"),
    "b10-01": ("2024-07-02", "B10"),
    "b2-01": ("2024-07-02", "B2"),
}
UNDATED = "undated-01"
ZONES = '[[zone]]\nname = "晋城经济技术开发区"\naliases = ["晋城经开区"]\ncity = "晋城市"\nslug = "{slug}"\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("newspaper") / "project", PAGES)
    result = build(load_settings(root, environ={}), root / "site")
    assert not result.errors, result.errors
    return root / "site"


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    """What a reader sees: tags dropped, white space collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _source(page: str) -> str:
    """The source line, after its 来源： label."""
    line = _text(page.split('class="source">')[1].split("</p>")[0])
    assert line.startswith("来源：")
    return line.removeprefix("来源：").strip()


def test_issue_pages_list_their_pages_in_print_order_with_articles(site):
    issue = _text(_html(site, "issues/2024-07-02"))
    assert issue.index("第B2版") < issue.index("第B10版")
    assert issue.index("向新求质 小隔膜做成大产业") < issue.index("晋城经开区召开项目推进会")
    assert "周明飞" in issue and "赵强" in issue
    front = _text(_html(site, "issues/2025-01-06/A1"))
    assert front.index("锂电池项目开工建设") < front.index("光伏组件生产线投产")  # print order
    older = _html(site, "issues/2024-07-02")
    assert 'rel="next" href="../2025-01-06/"' in older and "下一期" in older
    assert 'rel="prev" href="../2024-07-02/"' in _html(site, "issues/2025-01-06")
    b2 = _html(site, "issues/2024-07-02/B2")
    assert 'rel="next" href="../B10/"' in b2 and "下一版" in b2
    assert "上一版" in _html(site, "issues/2024-07-02/B10")


def test_the_date_archive_links_every_issue_and_home_shows_the_latest(site):
    archive = _html(site, "issues")
    text = _text(archive)
    assert text.index("2025年") < text.index("2024年") and "1月" in text and "7月" in text
    for date in ("2025-01-06", "2024-07-02"):
        assert f'href="{date}/"' in archive
    home = _html(site, "")
    latest = home.split('class="latest-issue"')[1].split("</section>")[0]
    assert "2025年1月6日" in latest and "锂电池项目开工建设" in latest and "新材料产业集群加速成长" in latest
    assert "向新求质" not in latest  # an older issue's article


def test_every_article_shows_its_date_and_page_as_readers_write_them(site):
    for article_id, (date, label) in DATED.items():
        page = _html(site, f"articles/{article_id}")
        year, month, day = (int(x) for x in date.split("-"))
        chinese = f"{year}年{month}月{day}日"
        assert f'<time class="date" datetime="{date}">{chinese}</time>' in page
        assert _source(page) == f"科学导报 {chinese} 第{label}版", article_id
    undated = _html(site, f"articles/{UNDATED}")
    assert _source(undated) == "科学导报 日期不详"
    assert "<time" not in undated.split("<main")[1] and "undated.txt" not in undated


def test_undated_articles_sort_after_dated_ones(site):
    home = _text(_html(site, "").split('id="latest-heading"')[1])
    assert home.index("中北高新区举办创新大赛") > max(home.index("锂电池项目开工建设"), home.index("向新求质"))


def test_the_gbt7714_reference_citation_meta_and_a_ris_record(site):
    page = _html(site, "articles/b2-01")
    assert (
        '<p class="reference" id="reference" data-ris="b2-01.ris">周明飞. 向新求质 小隔膜做成大产业[N]. 科学导报, 2024-07-02(B2).</p>'
        in page
    )
    meta = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', page))
    assert meta["citation_title"] == "向新求质 小隔膜做成大产业" and meta["citation_author"] == "周明飞"
    assert meta["citation_publication_date"] == "2024/07/02" and meta["citation_journal_title"] == "科学导报"
    assert not list(site.rglob("*.ris"))  # the page makes its RIS record (test_browser): no file per article
    undated = _html(site, f"articles/{UNDATED}")
    assert "孙丽. 中北高新区举办创新大赛[N]. 科学导报.</p>" in undated  # no date is made up
    assert "citation_publication_date" not in undated


def test_an_unknown_author_is_left_out_of_the_reference():
    from zonearchive.model.article import Article
    from zonearchive.render.cite import gbt7714

    for byline in (None, "佚名"):
        article = Article(
            id="x", source="x.txt", title="开发区营商环境持续优化", byline=byline, date="2025-01-06", page="A1"
        )
        assert gbt7714(article, "科学导报") == "开发区营商环境持续优化[N]. 科学导报, 2025-01-06(A1)."


def test_feeds_carry_only_real_dates(site):
    ns = {"a": "http://www.w3.org/2005/Atom", "s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    atom = ET.parse(site / "feed.xml").getroot()
    entries = atom.findall("a:entry", ns)
    assert len(entries) == len(DATED)
    real = {f"{date}T00:00:00Z" for date, _ in DATED.values()}
    assert {e.find("a:updated", ns).text for e in entries} == real
    assert atom.find("a:updated", ns).text == "2025-01-06T00:00:00Z"  # the newest issue
    assert all(UNDATED not in e.find("a:id", ns).text for e in entries)
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert {item["date_published"] for item in feed["items"]} == real and len(feed["items"]) == len(DATED)
    zone = (
        ET.parse(site / "zones" / "zhongbei-hitech" / "feed.xml")
        if (site / "zones" / "zhongbei-hitech" / "feed.xml").exists()
        else None
    )
    assert zone is None  # a zone with undated articles only has no date to give a feed
    lastmods = [m.text for m in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:lastmod", ns)]
    assert lastmods and set(lastmods) <= {date for date, _ in DATED.values()}
    for path in site.rglob("*"):
        if path.suffix in (".xml", ".json", ".html"):
            assert "2000-01-01" not in path.read_text(encoding="utf-8"), path


def test_same_page_neighbours_and_related_articles(site):
    first = _html(site, "articles/2025-01-06_a1_front-01")
    same_page = first.split('aria-label="同版的文章"')[1].split("</nav>")[0]
    assert "下一篇" in same_page and "../2025-01-06_a1_front-02/" in same_page
    related = first.split('id="related-heading"')[1].split("</section>")[0]
    # the other article naming the same company and the zone's articles from another issue
    assert "../2025-01-06_a1_front-02/" in related and "../b10-01/" in related


def _build_cli(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"], capture_output=True, text=True
    )


def test_a_renamed_zone_slug_leaves_a_redirect_also_in_a_fresh_clone(project, tmp_path):
    root = project({**PAGES, "seeds/zones.toml": ZONES.format(slug="jincheng-old")})
    assert _build_cli(root).returncode == 0
    assert (root / "site" / "zones" / "jincheng-old" / "index.html").exists()
    (root / "seeds" / "zones.toml").write_text(ZONES.format(slug="jincheng-new"), encoding="utf-8")
    result = _build_cli(root)
    assert result.returncode == 0 and "was published" not in result.stdout
    for site in (root / "site",):
        old = _html(site, "zones/jincheng-old")
        assert '<meta http-equiv="refresh" content="0; url=../jincheng-new/">' in old
        assert '<link rel="canonical" href="http://127.0.0.1:8000/zones/jincheng-new/">' in old
        assert '<meta name="robots" content="noindex">' in old
    record = (root / "seeds" / "published-urls.txt").read_text(encoding="utf-8")
    assert "/zones/jincheng-old/\tzone\t晋城经济技术开发区" in record and "/zones/jincheng-new/\tzone" in record
    # A fresh clone: the sources and the committed record, no cache, no site.
    clone = tmp_path / "clone"
    for name in ("seeds", "templates", "static"):
        shutil.copytree(root / name, clone / name)
    shutil.copy(root / "pyproject.toml", clone / "pyproject.toml")
    assert _build_cli(clone).returncode == 0
    assert "url=../jincheng-new/" in _html(clone / "site", "zones/jincheng-old")
    assert (clone / "seeds" / "published-urls.txt").read_text(encoding="utf-8") == record


def test_a_published_url_that_would_disappear_is_warned(project):
    root = project(PAGES)
    assert _build_cli(root).returncode == 0
    again = _build_cli(root)
    assert "was published" not in again.stdout
    (root / "seeds" / "undated.txt").unlink()
    result = _build_cli(root)
    assert result.returncode == 0
    record = (root / "seeds" / "published-urls.txt").read_text(encoding="utf-8").splitlines()
    line = record.index(f"/articles/{UNDATED}/\tarticle\t{UNDATED}") + 1
    assert f"warning: seeds/published-urls.txt:{line}: /articles/{UNDATED}/ was published" in result.stdout
    assert "delete this line" in result.stdout
    gone = [r for r in record if UNDATED in r or "中北高新区" in r]  # its zone had no other article
    assert len(gone) == 2 and result.stdout.count("was published") == 2
    # Said again by a build with nothing to do, until the editor deletes the line.
    assert f"/articles/{UNDATED}/ was published" in _build_cli(root).stdout
    (root / "seeds" / "published-urls.txt").write_text(
        "\n".join(r for r in record if r not in gone) + "\n", encoding="utf-8"
    )
    assert "was published" not in _build_cli(root).stdout


def test_copy_button_copies_the_reference_and_dates_do_not_wrap(site, static_server, browser):
    server = static_server(site, "zonearchive")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.split("/zonearchive")[0])
        page.goto(server.url + "articles/b2-01/")
        button = page.locator("button.copy")
        button.click()
        page.wait_for_function("document.querySelector('.copy-status').textContent !== ''")
        expected = "周明飞. 向新求质 小隔膜做成大产业[N]. 科学导报, 2024-07-02(B2)."
        copied = page.evaluate("navigator.clipboard.readText().catch(() => null)")
        selected = page.evaluate("String(window.getSelection()).trim()")
        assert copied == expected or selected == expected
        assert page.text_content(".copy-status") in ("已复制", "已选中引文，请按 Ctrl+C 复制")
        for path in ["articles/b2-01/", "articles/2025-01-06_a1_front-01/", "issues/", "issues/2024-07-02/B10/", ""]:
            page.goto(server.url + path)
            lines = page.evaluate(
                "[...document.querySelectorAll('time.date, .page-label')].map(e => [e.textContent, e.getClientRects().length])"
            )
            assert lines and all(n == 1 for _, n in lines), (path, lines)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    finally:
        context.close()


def test_the_ris_download_is_a_record_of_the_article(site, static_server, page):
    server = static_server(site, "zonearchive")
    for article_id, dated in (("b2-01", True), (UNDATED, False)):
        page.goto(server.url + f"articles/{article_id}/")
        with page.expect_download() as download:
            page.click("a.ris")
        assert download.value.suggested_filename == f"{article_id}.ris"
        ris = Path(download.value.path()).read_bytes().decode("utf-8")
        lines = ris.split("\r\n")
        assert lines[-1] == "" and all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
        fields = [tuple(line.split("  - ", 1)) for line in lines[:-1]]
        assert fields[0] == ("TY", "NEWS") and fields[-1] == ("ER", "")
        assert ("UR", f"http://127.0.0.1:8000/articles/{article_id}/") in fields  # the canonical address
        if dated:
            assert {
                ("AU", "周明飞"),
                ("TI", "向新求质 小隔膜做成大产业"),
                ("T2", "科学导报"),
                ("PY", "2024"),
                ("DA", "2024/07/02/"),
                ("SP", "B2"),
                ("LA", "zh-CN"),
            } <= set(fields)
        else:
            assert ("AU", "孙丽") in fields and not {"PY", "DA", "SP"} & {tag for tag, _ in fields}
    assert not page.js_errors


def test_without_javascript_the_reference_is_plain_text_and_no_button_shows(site, static_server, browser):
    server = static_server(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + "articles/b2-01/")
        assert not page.locator("button.copy").is_visible()
        assert page.text_content("#reference").startswith("周明飞. ")
        assert not page.locator("a.ris").is_visible()  # made by script: no dead link
    finally:
        context.close()
