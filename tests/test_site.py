"""The built seed site: every internal link resolves, links are relative, pages say
what a reader needs."""

from __future__ import annotations

import json
import posixpath
import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import check_internal_links, make_project
from conftest import page_links as _links

from zonearchive import urls
from zonearchive.builder import build
from zonearchive.config import load_settings
from zonearchive.errors import ZoneArchiveError


def _pages(site):
    return list(site.rglob("*.html"))


def test_every_internal_link_resolves_and_is_relative(seed_site):
    assert check_internal_links(seed_site) > 100


@pytest.mark.parametrize(
    "page, target, link",
    [
        ("articles/a/", "articles/b/", "../b/"),  # the commonest link: one article to another
        ("articles/a/", "", "../../"),
        ("zones/x/page/2/", "zones/x/", "../../"),
        ("zones/x/", "zones/x/page/2/", "page/2/"),
        ("zones/x/page/2/", "articles/a/", "../../../../articles/a/"),
        ("articles/a/", "static/style.css?v=1", "../../static/style.css?v=1"),
        ("", "feed.xml", "feed.xml"),
        ("zones/", "zones/", "./"),
        ("articles/a/", "search/?q=zones/x/", "../../search/?q=zones/x/"),  # slashes in a query
        ("search/", "search/?q=a/b", "?q=a/b"),
        ("articles/a/", "articles/a/#cite", "#cite"),
        ("articles/a/", "articles/ab/", "../ab/"),  # a folder whose name starts like this page's
    ],
)
def test_a_link_climbs_only_out_of_the_folders_the_two_pages_do_not_share(page, target, link):
    assert urls.linker(page)(target) == link
    assert urljoin("http://h/p/" + page, link) == "http://h/p/" + target  # and it leads there


def test_line_breaks_beside_block_tags_go_inline_ones_stay_and_errors_keep_their_line(tmp_path):
    root = make_project(tmp_path / "p", seeds=True)
    page = "\n".join(
        [
            "{% extends 'base.html' %}",
            "{% block main %}",
            '<section class="{{ "s" }}">',  # a block tag with an expression inside
            "{# 注释\n<p>不输出</p>\n#}",  # a comment over lines, holding tags
            "<p>一</p>",
            '<a href="#">甲</a>',
            '<a href="#">乙</a>',
            "</section>",
            "",
        ]
    )
    (root / "templates" / "404.html").write_text(page + "{% endblock %}\n", encoding="utf-8")
    assert not build(load_settings(root, environ={}), root / "site").errors
    html = (root / "site" / "404.html").read_text(encoding="utf-8")
    # A break beside a block tag shows nothing; between two links it is the space a reader sees.
    assert '<section class="s"><p>一</p><a href="#">甲</a>\n<a href="#">乙</a></section>' in html
    assert "不输出" not in html and "#}" not in html
    (root / "templates" / "404.html").write_text(page + "{{ 1 + }}\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(ZoneArchiveError, match=r"templates/404\.html:11: template error"):  # the broken line
        build(load_settings(root, environ={}), root / "site")


def test_home_lists_every_article_and_every_zone(seed_site):
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert home.count('class="article-list"') == 1
    assert home.count("<h3>") == 11  # one page holds all 11 seeds (50 a page)
    for name in ["永济经济技术开发区", "中北高新区", "山西转型综改示范区"]:
        assert name in home


def test_zone_pages_list_their_articles_with_counts(seed_site):
    yongji = (seed_site / "zones" / "yongji-etdz" / "index.html").read_text(encoding="utf-8")
    assert "共 2 篇" in yongji and "向新求质 小隔膜做成大产业" in yongji and "实地调研开发区部分重点项目" in yongji
    index = (seed_site / "zones" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="') >= 10


def test_article_page_has_its_parts_and_neighbours(seed_site):
    page = (seed_site / "articles" / "000_5b8fe1ee034655b8-01" / "index.html").read_text(encoding="utf-8")
    for part in [
        "<h1>向新求质 小隔膜做成大产业</h1>",
        "——走进山西蓝科途新材料科技有限公司",
        "周明飞",
        "<h2>生活处处离不开的“塑料薄膜”</h2>",
        'href="../../zones/yongji-etdz/"',
        'rel="next"',
        'lang="zh-CN"',
    ]:
        assert part in page
    ld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(ld)
    assert data["@type"] == "NewsArticle" and data["author"]["name"] == "周明飞"
    assert data["about"]["name"] == "永济经济技术开发区"


def test_every_published_file_has_an_extension(seed_site):
    # A host or CDN picks the Content-Type by extension: without one a file is served as a
    # download (GitHub Pages, S3), or unreachable behind CloudFront's index.html rewrite.
    # Dot files are the build's markers, not published (docs/publishing-object-store.md).
    bare = [p for p in seed_site.rglob("*") if p.is_file() and not p.name.startswith(".") and not p.suffix]
    assert bare == []


def test_nothing_loads_from_another_host(seed_site):
    for page in _pages(seed_site):
        for link in _links(page):
            if urlsplit(link).scheme in ("http", "https"):
                pytest.fail(f"{page} links out to {link}")


def test_undated_pages_make_no_feed_and_the_sitemap_lists_every_article(seed_site):
    # The seed pages carry no issue date: a feed would need a date to be made up, so
    # there is none, and no page links to one (tests/test_newspaper.py: dated feeds).
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert not (seed_site / "feed.xml").exists() and not (seed_site / "feed.json").exists()
    assert not (seed_site / "zones" / "yongji-etdz" / "feed.xml").exists()
    for page in _pages(seed_site):
        assert "feed.xml" not in page.read_text(encoding="utf-8"), page
    sitemap = ET.parse(seed_site / "sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.findall("s:url/s:loc", ns)]
    assert sum("/articles/" in loc for loc in locs) == 11
    assert sitemap.findall("s:url/s:lastmod", ns) == []  # no date to give
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in (seed_site / "robots.txt").read_text()


def test_long_lists_are_paginated_and_every_article_stays_reachable(project):
    import subprocess
    import sys

    from conftest import REPO

    pages = "".join(f"本报讯 第{i}篇，晋城经济技术开发区项目进展顺利。 王波\n" for i in range(120))
    root = project({"seeds/many.txt": pages})
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"], check=True, capture_output=True
    )
    site = root / "site"
    seen = set()
    url = "index.html"
    while url:
        html = (site / url).read_text(encoding="utf-8")
        seen.update(re.findall(r'href="[./]*articles/(many-\d+)/"', html))
        nxt = re.search(r'<a rel="next" href="([^"]+)">下一页', html)
        url = posixpath.normpath(posixpath.join(posixpath.dirname(url), nxt.group(1))) + "/index.html" if nxt else None
    assert len(seen) == 120
    assert (site / "zones" / "jincheng-jingkaiqu" / "page" / "3" / "index.html").exists()
    # The first home page introduces the archive (its zones, each article's lead); the
    # later ones are the list alone, which an archive of 100,000 articles repeats ~2,000 times.
    first, later = (
        (site / "index.html").read_text(encoding="utf-8"),
        (site / "page/2/index.html").read_text(encoding="utf-8"),
    )
    assert 'class="zone-strip"' in first and first.count('class="lead"') == 50
    assert 'class="zone-strip"' not in later and 'class="lead"' not in later
    assert len(re.findall(r'href="[./]*articles/many-\d+/"', later)) == 50  # every article still listed


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory):
    """The fixture pages built for a GitHub Pages project site: https://<owner>.github.io/zonearchive/."""
    from conftest import make_project

    from zonearchive.builder import build
    from zonearchive.config import load_settings

    root = make_project(tmp_path_factory.mktemp("subpath") / "project", seeds=True)
    out = root / "site"
    build(load_settings(root, environ={"SITE_URL": "http://127.0.0.1/zonearchive/"}), out)
    return out


def test_a_project_site_has_no_robots_txt_but_a_sitemap(subpath_site, seed_site):
    # Crawlers read robots.txt only at a host's root: https://<owner>.github.io/zonearchive/robots.txt
    # is never read, so a site under a sub-path does not pretend to have one.
    assert not (subpath_site / "robots.txt").exists()
    assert (subpath_site / "sitemap.xml").read_text(encoding="utf-8").count("<loc>http://127.0.0.1/zonearchive/") > 11
    assert (seed_site / "robots.txt").exists()  # served at a host's root: it is read


def test_404_page_works_from_any_depth(subpath_site, static_server, page):
    links = [link for link in _links(subpath_site / "404.html") if not link.startswith(("http", "data:", "#"))]
    assert links and all(link.startswith("/zonearchive/") for link in links)
    server = static_server(subpath_site, "zonearchive")  # 404.html for any missing path, as Pages does
    response = page.goto(server.url + "no/such/deep/page/")
    assert response.status == 404 and page.text_content("h1") == "页面不存在"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"PingFang SC"')  # CSS loaded
    page.click("text=返回首页")
    page.wait_for_load_state()
    assert page.url == server.url


def test_every_page_reachable_from_home_loads_within_the_sub_path(subpath_site, static_server, page):
    server = static_server(subpath_site, "zonearchive")
    seen, queue = set(), [server.url]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response.status == 200, url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = href.split("#")[0].split("?")[0]
            if href.startswith("http://127.0.0.1"):
                assert href.startswith(server.url), f"{url} links out of the sub-path: {href}"
                if href.endswith("/") or href.endswith(".html"):
                    queue.append(href)
    # home, zone index, 10 zones, 11 articles, search, the date archive (往期)
    assert len([u for u in seen if "/articles/" in u]) == 11 and len(seen) == 25
