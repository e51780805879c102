"""Issue #17 in Chromium: each gap a reader met is a query on one small archive,
built once for the module. The articles are written so that the right answer is
known from the text alone."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from conftest import StaticServer, make_project

from zonearchive.builder import build
from zonearchive.config import load_settings
from zonearchive.render.search import index as search_index

ZONES = """
[[zone]]
name = "永济经济技术开发区"
aliases = ["永济经开区"]
slug = "yongji-etdz"

[[zone]]
name = "平定经济技术开发区"
aliases = ["平定经开区"]
slug = "pingding-etdz"
"""

FILLER = "园区坚持创新驱动，推动产业发展，优化营商环境，服务企业成长。"


def _md(slug, title, body, zone, byline=None, kicker=None, date="2024-06-01"):
    meta = [f'id = "{slug}"', f'title = "{title}"', f'zone = "{zone}"', f"date = {date}"]
    if byline:
        meta.append(f'byline = "{byline}"')
    if kicker:
        meta.append(f'kicker = "{kicker}"')
    return "+++\n" + "\n".join(meta) + "\n+++\n" + body + "\n"


ARTICLES = {
    "lanketu": _md(
        "lanketu",
        "小隔膜做成大产业",
        "开展工作的第一年，永济经济技术开发区的山西蓝科途新材料科技有限公司，一卷卷锂电池隔膜有序下线。"
        + FILLER * 150  # a long body (over 9,000 tokens)
        + "公司与高校共建院士工作站，预计2025年产能翻番。",
        "永济经济技术开发区",
        byline="周明飞",
    ),
    "husu": _md(
        "husu",
        "湖大特塑聚砜项目有序推进",
        "平定经济技术开发区内，年产10000吨聚砜系列产品建设项目有序推进，材料可在150℃以上长期使用。",
        "平定经济技术开发区",
        byline="王波",
    ),
    "touzi": _md(
        "touzi",
        "全年签约项目总投资创新高",
        "全年签约项目150个，总投资150.59亿元，市长谢澎出席签约仪式。",
        "平定经济技术开发区",
    ),
    "lenglian": _md(
        "lenglian",
        "召开冷链物流企业座谈会",
        "现代物流园各冷链物流企业开展座谈交流。",
        "上党经济技术开发区",
    ),
    "parts": _md(
        "parts",
        "锂电池与隔膜",
        "锂电池需求大增。隔膜价格回落。锂电池、隔膜两条线。",
        "上党经济技术开发区",
    ),
    "jinyang-a": _md(
        "jinyang-a",
        "晋阳经开区招商引资",
        "晋阳经济技术开发区（以下简称“晋阳经开区”）举办招商推介会。",
        "晋阳经济技术开发区",
    ),
    "jinyang-b": _md(
        "jinyang-b",
        "一批重点工程开工",
        "晋阳经济技术开发区一批重点工程集中开工。",
        "晋阳经济技术开发区",
    ),
    "kicker": _md(
        "kicker",
        "新材料企业加快转型",
        "多家企业加快转型步伐。",
        "上党经济技术开发区",
        kicker="氢能产业链",
    ),
    "mention": _md(
        "mention",
        "园区概况",
        FILLER * 3 + "园区也在谋划氢能产业链。",
        "上党经济技术开发区",
    ),
}
for i in range(23):
    zone = "永济经济技术开发区" if i % 4 == 0 else "上党经济技术开发区"
    ARTICLES[f"filler-{i}"] = _md(f"filler-{i}", f"园区动态第{i + 1}期", FILLER * (i % 5 + 1), zone)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {f"seeds/{slug}.md": text for slug, text in ARTICLES.items()}
    files["seeds/zones.toml"] = ZONES
    root = make_project(tmp_path_factory.mktemp("gaps") / "project", files)
    with pytest.MonkeyPatch.context() as patch:
        # One document per lengths file: more files than search.js fetches up front, as
        # in a large archive, so every query fetches the ones of the documents it found.
        patch.setattr(search_index, "LENGTH_DOCS", 1)
        patch.setattr(search_index, "URL_DOCS", 3)  # and results' pages listed in several files
        result = build(load_settings(root, environ={}), root / "site")
    assert not result.errors
    return root / "site"


@pytest.fixture(scope="module")
def search(browser, site):
    server = StaticServer(site, "zonearchive")
    context = browser.new_context()
    page = context.new_page()
    errors, fetched = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: fetched.append(request.url))

    def run(query, zone="", fresh=False):
        """Titles shown for ``query``; ``fresh``: a newly loaded page (nothing cached)."""
        del fetched[:]
        url = f"?q={quote(query)}" + (f"&zone={zone}" if zone else "")
        if fresh or page.url == "about:blank":
            page.goto(f"{server.url}search/{url}")
        else:  # as Back and Forward do: the page searches again without reloading
            page.evaluate("u => { history.pushState(null, '', u); dispatchEvent(new PopStateEvent('popstate')); }", url)
        page.wait_for_selector("#search-results[data-state=done]", state="attached")
        return [a.text_content() for a in page.query_selector_all("#search-results h3 a")]

    run.fetched = fetched
    run.page = page
    yield run
    context.close()
    server.close()
    assert not errors


def _status(page):
    return page.text_content("#search-status")


@pytest.mark.parametrize(
    "query, title",
    [
        ("膜", "小隔膜做成大产业"),
        ("砜", "湖大特塑聚砜项目有序推进"),
        ("10000吨", "湖大特塑聚砜项目有序推进"),
        ("2025年", "小隔膜做成大产业"),
    ],
)
def test_single_characters_and_numbers_with_units_are_found(search, query, title):
    assert title in search(query)[:3]


def test_every_term_of_a_query_is_still_required(search):
    assert search("聚砜 冷链") == []
    assert search("聚砜 10000吨") == ["湖大特塑聚砜项目有序推进"]


def test_a_number_with_a_unit_does_not_match_a_longer_number(search):
    assert search("150℃") == ["湖大特塑聚砜项目有序推进"]  # not the article with 150.59亿元


@pytest.mark.parametrize(
    "query, title",
    [("鋰電池", "小隔膜做成大产业"), ("聚碸", "湖大特塑聚砜项目有序推进"), ("冷鏈物流", "召开冷链物流企业座谈会")],
)
def test_traditional_queries_find_simplified_articles(search, query, title):
    assert title in search(query, fresh=True)
    assert any("/t2s-" in url for url in search.fetched)


def test_simplified_queries_never_load_the_conversion_or_homophone_maps(search):
    assert search("冷链物流", fresh=True) == ["召开冷链物流企业座谈会"]
    assert not any("/t2s-" in url or "/py-" in url or "/h" in url.rsplit("/", 1)[-1][:1] for url in search.fetched)


@pytest.mark.parametrize(
    "query, titles",
    [
        ("永济经开区", {"小隔膜做成大产业"}),  # gazetteer alias; the article prints the full name only
        ("平定经开区", {"湖大特塑聚砜项目有序推进", "全年签约项目总投资创新高"}),
        ("晋阳经开区", {"晋阳经开区招商引资", "一批重点工程开工"}),  # declared 以下简称 name
    ],
)
def test_a_zone_is_found_by_any_of_its_names(search, query, titles):
    assert titles <= set(search(query))


def test_reporters_are_found_by_their_byline(search):
    assert search("周明飞") == ["小隔膜做成大产业"]
    assert search("王波") == ["湖大特塑聚砜项目有序推进"]


def test_a_kicker_match_outranks_a_passing_mention(search):
    assert search("氢能产业链")[:2] == ["新材料企业加快转型", "园区概况"]


def test_the_query_as_typed_ranks_above_its_pieces(search):
    titles = search("锂电池 隔膜")
    assert titles[:2] == ["小隔膜做成大产业", "锂电池与隔膜"]


def test_snippet_is_the_best_passage_and_marks_whole_words(search):
    assert search("院士工作站") == ["小隔膜做成大产业"]
    page = search.page
    marks = [m.text_content() for m in page.query_selector_all("#search-results .snippet mark")]
    assert marks == ["院士工作站"]  # far past the lead, and never the 工作 of its first line
    search("隔膜")
    assert page.query_selector_all("#search-results h3 a mark")  # titles are highlighted too


def test_a_result_shows_its_article_as_the_page_does(search):
    page = search.page
    assert search("周明飞", fresh=True) == ["小隔膜做成大产业"]
    meta = page.text_content("#search-results .meta")
    assert "永济经济技术开发区" in meta and "周明飞" in meta and "2024年6月1日" in meta
    assert page.get_attribute("#search-results time", "datetime") == "2024-06-01"
    assert any(url.endswith("/articles/lanketu/") for url in search.fetched)  # its text is the page's own
    assert not any("/docs/" in url for url in search.fetched)
    assert search("氢能产业链")[0] == "新材料企业加快转型"
    assert page.text_content("#search-results li .kicker") == "氢能产业链"
    page.click("#search-results h3 a >> nth=0")
    page.wait_for_load_state()
    assert page.url.endswith("/articles/kicker/") and page.text_content("h1") == "新材料企业加快转型"
    page.go_back()


def test_a_result_whose_page_is_gone_is_shown_by_its_address(browser, site, tmp_path):
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / "articles" / "husu")  # as between the preview's two commits
    server = StaticServer(copy, "zonearchive")
    page = browser.new_page()
    try:
        page.goto(f"{server.url}search/?q={quote('平定经开区')}")
        page.wait_for_selector("#search-results[data-state=done]", state="attached")
        titles = [a.text_content() for a in page.query_selector_all("#search-results h3 a")]
        assert "articles/husu/" in titles and "全年签约项目总投资创新高" in titles
        assert "出错" not in page.text_content("#search-status")
    finally:
        page.close()
        server.close()


def test_results_past_the_first_five_are_reachable_and_zones_show_counts(search):
    page = search.page
    assert len(search("产业发展")) == 5
    total = int(_status(page).split("找到 ")[1].split(" 篇")[0])
    assert total > 10
    # Two clicks before the first has loaded anything show the next five once.
    page.evaluate("() => { const more = document.getElementById('search-more'); more.click(); more.click(); }")
    page.wait_for_selector("#search-results[data-state=done]", state="attached")
    assert len(page.query_selector_all("#search-results h3")) == 10
    while page.is_visible("#search-more"):
        page.click("#search-more")
        page.wait_for_selector("#search-results[data-state=done]", state="attached")
    titles = [a.text_content() for a in page.query_selector_all("#search-results h3 a")]
    assert len(titles) == total and len(set(titles)) == total
    assert page.is_hidden("#search-more")
    options = {o.get_attribute("value"): o.text_content() for o in page.query_selector_all("#zone-filter option")}
    counted = sum(int(label.rsplit("（", 1)[1].rstrip("）")) for slug, label in options.items() if slug)
    assert counted == total and options[""].endswith(f"（{total}）")
    in_yongji = int(options["yongji-etdz"].rsplit("（", 1)[1].rstrip("）"))
    assert len(search("产业发展", zone="yongji-etdz")) == min(5, in_yongji)


@pytest.mark.parametrize(
    "query, meant, title",
    [
        ("蓝科图", "蓝科途", "小隔膜做成大产业"),
        ("锂电池隔模", "锂电池隔膜", "小隔膜做成大产业"),
        ("谢鹏", "谢澎", "全年签约项目总投资创新高"),
    ],
)
def test_pinyin_typos_fall_back_to_homophones_and_say_so(search, query, meant, title):
    assert search(query) == [title]
    assert f"没有找到“{query}”，显示“{meant}”的结果" in _status(search.page)


def test_a_query_with_no_answer_finds_nothing(search):
    assert search("量子纠缠") == []
    assert "没有找到" in _status(search.page)


def test_every_search_file_is_of_a_type_github_pages_compresses(search, site):
    loaded = []
    for query in ["锂电池隔膜", "鋰電池", "蓝科图"]:
        search(query, fresh=True)
        loaded += [u.split("?")[0] for u in search.fetched]
    compressed = (".json", ".js", ".txt", ".css", ".html", ".xml", ".svg")
    loaded = [u for u in loaded if "/search/" in u and not u.endswith("/search/")]
    assert any("/t2s-" in u for u in loaded) and any("/py-" in u for u in loaded)
    assert loaded and all(u.endswith(compressed) for u in loaded), loaded
    assert not list(site.rglob("*.bin"))
    manifest = json.loads((site / "search/index/manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == len(ARTICLES)


def test_a_query_fetches_the_field_lengths_of_the_documents_it_found_only(search, site):
    manifest = json.loads((site / "search/index/manifest.json").read_text(encoding="utf-8"))
    assert manifest["lengthDocs"] == 1 and len(manifest["lengths"]) == len(ARTICLES) > 16
    assert search("砜", fresh=True) == ["湖大特塑聚砜项目有序推进"]
    lengths = [u for u in search.fetched if "/search/index/l" in u]
    assert len(lengths) == 1  # one document found: its lengths file, no other
    found = search("园区动态")
    assert len(found) == 5 and len([u for u in search.fetched if "/search/index/l" in u]) >= 5


def test_a_changed_script_gets_a_new_url_on_the_search_page(project):
    """A browser may keep a script for minutes (GitHub Pages: 10): the search page
    names its scripts by their bytes, so a new search.js is never an old cached one."""
    import re

    root = project(seeds=True)
    build(load_settings(root, environ={}), root / "site")
    page = (root / "site/search/index.html").read_text(encoding="utf-8")
    before = re.search(r'src="([^"]*search\.js\?v=[0-9a-f]+)"', page).group(1)
    script = root / "static/search.js"
    script.write_text(script.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    build(load_settings(root, environ={}), root / "site")
    after = re.search(r'src="([^"]*search\.js\?v=[0-9a-f]+)"', (root / "site/search/index.html").read_text("utf-8"))
    assert after and after.group(1) != before


def test_an_index_of_another_format_asks_for_a_reload_instead_of_wrong_results(browser, site, tmp_path):
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    manifest = json.loads((copy / "search/index/manifest.json").read_text(encoding="utf-8"))
    manifest["version"] -= 1  # what a cached manifest from before a deploy would be
    (copy / "search/index/manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    server = StaticServer(copy, "zonearchive")
    page = browser.new_page()
    try:
        page.goto(f"{server.url}search/?q={quote('隔膜')}")
        page.wait_for_selector("#search-results[data-state=done]", state="attached")
        assert "请刷新本页" in _status(page)
        assert page.query_selector_all("#search-results h3") == []
    finally:
        page.close()
        server.close()
