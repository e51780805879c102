"""Real Chromium against the built site served on 127.0.0.1 under a sub-path, as
GitHub Pages serves a project site."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import FIXTURE_PAGES, FIXTURE_ZONES, REPO

from zonearchive.builder import build
from zonearchive.config import load_settings


def _search(page, base, query, zone=""):
    page.goto(f"{base}search/?q={quote(query)}" + (f"&zone={zone}" if zone else ""))
    page.wait_for_selector("#search-results[data-state=done]", state="attached")
    return [a.text_content() for a in page.query_selector_all("#search-results h3 a")]


def test_home_page_links_to_an_article(page, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    page.goto(server.url)
    assert page.title() == "山西开发区新闻档案"
    page.click("text=向新求质 小隔膜做成大产业")
    page.wait_for_load_state()
    assert page.url == server.url + "articles/000_5b8fe1ee034655b8-01/"
    assert page.text_content("h1") == "向新求质 小隔膜做成大产业"
    page.click("a.zone")
    assert page.url == server.url + "zones/yongji-etdz/"
    assert "共 2 篇" in page.text_content("main")
    assert not page.js_errors


@pytest.mark.parametrize(
    "query, first",
    [
        ("锂电池隔膜", "向新求质 小隔膜做成大产业"),
        ("冷链物流", "召开现代物流园冷链物流企业座谈会"),
        ("TPU", "高端TPU薄膜新材料项目进入试生产阶段"),
        ("tpu", "高端TPU薄膜新材料项目进入试生产阶段"),
        ("ＴＰＵ", "高端TPU薄膜新材料项目进入试生产阶段"),
        ("150℃", "湖大特塑年产10000吨聚砜系列产品建设项目有序推进"),
        ("新型研发机构", "12家机构入选太原市新型研发机构认定名单和培育名单"),
    ],
)
def test_known_queries_find_their_article_first(page, seed_site, static_server, query, first):
    server = static_server(seed_site, "zonearchive")
    titles = _search(page, server.url, query)
    assert titles and titles[0] == first
    assert page.query_selector("#search-results mark")  # the matched words are highlighted
    assert not page.js_errors


def test_spaced_number_searches_like_unspaced(page, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    assert _search(page, server.url, "19 亿元") == _search(page, server.url, "19亿元") != []


def test_nonsense_finds_nothing_with_a_clear_message(page, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    assert _search(page, server.url, "量子纠缠xyzzy") == []
    assert "没有找到" in page.text_content("#search-status")


def test_zone_filter_and_history(page, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    assert len(_search(page, server.url, "永济")) == 2
    assert len(_search(page, server.url, "永济", zone="yongji-etdz")) == 2
    assert _search(page, server.url, "锂电池", zone="gaoping-etdz") == []
    page.goto(server.url + "search/")
    page.fill("#q", "冷链")
    page.press("#q", "Enter")
    page.wait_for_function("document.querySelectorAll('#search-results h3').length > 0")
    assert "q=%E5%86%B7%E9%93%BE" in page.url
    page.fill("#q", "隔膜")
    page.press("#q", "Enter")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('隔膜')")
    page.go_back()
    page.wait_for_function("document.querySelector('#q').value === '冷链'")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('冷链')")


def test_header_search_box_goes_to_the_search_page(page, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    page.goto(server.url + "articles/001_e20a2f8db6f05151-03/")
    page.fill("#site-search", "中北高新区")
    page.press("#site-search", "Enter")
    page.wait_for_selector("#search-results[data-state=done]", state="attached")
    assert page.url.startswith(server.url + "search/?q=")
    assert page.query_selector_all("#search-results h3 a")


def test_no_search_while_an_ime_composition_is_open(page, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    page.goto(server.url + "search/")
    page.wait_for_selector("#search-results[data-state=done]", state="attached")
    page.evaluate("""() => {
        const q = document.querySelector('#q');
        q.dispatchEvent(new CompositionEvent('compositionstart'));
        q.value = 'lengl';
        q.dispatchEvent(new InputEvent('input', {isComposing: true}));
    }""")
    page.wait_for_timeout(600)
    assert "q=" not in page.url and page.text_content("#search-status") == ""
    page.evaluate("""() => {
        const q = document.querySelector('#q');
        q.value = '冷链';
        q.dispatchEvent(new CompositionEvent('compositionend', {data: '冷链'}));
    }""")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('冷链')")


def test_tokenizer_in_the_browser_matches_the_vectors(page, seed_site, static_server):
    import json

    server = static_server(seed_site, "zonearchive")
    page.goto(server.url + "search/")
    page.wait_for_selector("#search-results[data-state=done]", state="attached")
    vectors = json.loads((REPO / "tests" / "token_vectors.json").read_text(encoding="utf-8"))["vectors"]
    got = page.evaluate("(inputs) => inputs.map(s => zaTokenize.tokenize(s))", [v["input"] for v in vectors])
    assert got == [v["tokens"] for v in vectors]


HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>"


def test_hostile_text_is_shown_as_text_everywhere(page, project, static_server, tmp_path):
    raw = (
        f"科学导报讯 近日，测试经济技术开发区发布通知{HOSTILE}，要求企业做好准备。"
        "相关项目建设进展顺利，各项工作有序推进。 王波\n测试经济技术开发区\n"
        f"标题{{{{ 7*7 }}}}{{% raw %}}中的<b>脚本</b>\n"
    )
    # Dated: feeds hold dated articles only, and they are checked below.
    root = project({"seeds/hostile.txt": raw, "seeds/hostile.toml": "date = 2025-01-06\n"})
    out = tmp_path / "site"
    build(load_settings(root, environ={}), out)
    server = static_server(out, "zonearchive")
    page.goto(server.url)
    page.click("#main h3 a")
    page.wait_for_load_state()
    assert "<b>脚本</b>" in page.text_content("h1") and "{{ 7*7 }}" in page.text_content("h1")
    assert "<script>window.__pwned=1</script>" in page.text_content(".body")
    titles = _search(page, server.url, "发布通知" + HOSTILE)
    assert titles == ["标题{{ 7*7 }}{% raw %}中的<b>脚本</b>"]
    assert "<script>" in page.text_content("#search-status")
    assert page.evaluate("window.__pwned") is None
    assert not page.js_errors
    # JSON-LD: parses, holds the text as text, cannot close its <script> element.
    page.goto(server.url + "articles/hostile-01/")
    ld = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert ld["headline"] == "标题{{ 7*7 }}{% raw %}中的<b>脚本</b>"
    # The only scripts: the JSON-LD and the copy button's own file.
    scripts = page.evaluate("[...document.scripts].map(s => s.src ? s.src.split('/').pop() : s.type)")
    assert scripts == ["application/ld+json", "cite.js"]
    assert "<b>脚本</b>" in page.text_content("#reference")
    # Feeds: valid XML and JSON holding the same text.
    import json as _json
    import xml.etree.ElementTree as ET

    atom = ET.parse(out / "feed.xml").getroot()
    assert atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text == ld["headline"]
    assert _json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == ld["headline"]


def test_a_huge_article_full_of_the_query_still_gets_its_result(page, project, static_server, tmp_path):
    # 130,000 separate matches: a snippet weighs each against the others, so the text it
    # reads is bounded (without the bound the tab is busy for minutes).
    body = "\n\n".join("隔膜，" * 30_000 for _ in range(4))
    front = '+++\nid = "huge"\ntitle = "隔膜大全"\nzone = "测试经济技术开发区"\n+++\n'
    root = project({"seeds/huge.md": front + body + "\n"})
    out = tmp_path / "site"
    assert not build(load_settings(root, environ={}), out).errors
    server = static_server(out, "zonearchive")
    assert _search(page, server.url, "隔膜") == ["隔膜大全"]
    assert page.text_content("#search-results .snippet").startswith("隔膜，")
    assert not page.js_errors


def test_browser_ranking_equals_one_unsplit_lunr_index(page, seed_site, static_server):
    """search.js (shards, pre-filter, lunr.js) ranks as lunr.py over one index, except
    that results holding the query as typed (its joining pairs, 企业 发展 -> 业发) come
    first."""
    import re

    from conftest import lunr_oracle
    from lunr.query import QueryPresence

    from zonearchive.render.pages import sort_articles
    from zonearchive.render.search import document_fields, search_order
    from zonearchive.render.tokenize import HAN, tokenize
    from zonearchive.sources.extract import extract_all
    from zonearchive.sources.gazetteer import load_gazetteer
    from zonearchive.zones.assign import assign_zones

    extraction = extract_all([(FIXTURE_PAGES, "seeds")])
    zones = assign_zones(extraction.articles, load_gazetteer(FIXTURE_ZONES))
    slugs = {a.id: z.slug for z in zones for a in z.articles}
    names = {z.name: sorted(z.names | {z.name}) for z in zones}
    articles = search_order(sort_articles(extraction.articles), slugs)
    index = lunr_oracle(articles, names)
    server = static_server(seed_site, "zonearchive")
    for q in ["开发区", "项目建设", "企业 发展", "高质量发展", "新材料", "永济经开区", "膜"]:
        query = index.create_query()
        for t in tokenize(q):
            query.term(t, presence=QueryPresence.REQUIRED, use_pipeline=False)
        runs = re.findall(f"[{HAN}]+", q)
        bridges = [a[-1] + b[0] for a, b in zip(runs, runs[1:])]
        hits = [int(r["ref"]) for r in index.query(query)]
        held = [{t for f in document_fields(articles[h], names).values() for t in f} for h in hits]
        whole = [all(b in terms for b in bridges) for terms in held]
        ranked = [h for _, _, h in sorted(zip([not w for w in whole], range(len(hits)), hits))]
        expected = [articles[h].title for h in ranked]
        _search(page, server.url, q)
        while page.is_visible("#search-more"):  # every result, five at a time
            page.click("#search-more")
            page.wait_for_selector("#search-results[data-state=done]", state="attached")
        shown = [a.text_content() for a in page.query_selector_all("#search-results h3 a")]
        assert expected and shown == expected, q
