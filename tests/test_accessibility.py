"""axe-core in real Chromium over every page template, light and dark, phone and desktop."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "",
    "zones/",
    "zones/yongji-etdz/",
    "articles/000_5b8fe1ee034655b8-01/",
    "articles/001_e20a2f8db6f05151-07/",
    "issues/",
    "search/?q=%E9%94%82%E7%94%B5%E6%B1%A0",
    "search/?q=zzzz",
    "no/such/page/",
]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci); .ci/run installs it")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme, width", [("light", 390), ("dark", 1280)])
def test_axe_finds_no_violations(browser, seed_site, static_server, axe_source, scheme, width):
    server = static_server(seed_site, "zonearchive")
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for path in PAGES:
            response = page.goto(server.url + path)
            if path.startswith("no/"):
                # The dev-less static server has no 404 routing: load 404.html at depth.
                page.goto(server.url + "404.html")
            if path.startswith("search/"):
                page.wait_for_selector("#search-results[data-state=done]", state="attached")
            page.add_script_tag(content=axe_source)
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
                return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }""")
            assert result == [], f"{scheme} {width}px {path}: {json.dumps(result, ensure_ascii=False)}"
            assert response is not None
    finally:
        context.close()


def test_pages_read_without_javascript(browser, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url)
    page.click("text=向新求质 小隔膜做成大产业")
    assert "蓝科途" in page.text_content(".body")
    page.goto(server.url + "search/")
    assert "搜索需要启用 JavaScript" in page.text_content("main")
    context.close()


def test_pages_fit_a_320px_screen(browser, seed_site, static_server):
    server = static_server(seed_site, "zonearchive")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in PAGES[:5]:
        page.goto(server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()
