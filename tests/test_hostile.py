"""An attacker's list: every payload in every field a source can set, built once, then
checked in real Chromium (nothing runs: a global flag, dialogs, clicking every link in
the article bodies) and by real parsers (every XML and JSON file the build writes).
docs/robustness.md lists each row with its test."""

from __future__ import annotations

import json
import re
import xml.dom.minidom
from pathlib import Path
from urllib.parse import quote

import pytest

from zonearchive.builder import build
from zonearchive.config import load_settings

RUN = "window.__pwned=1;alert(1)"
# Markup, event handlers, CSS, template syntax, script-closing, path tricks.
MARKUP = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f"<svg onload={RUN}>",
    f'"><script>{RUN}</script>',
    f"'-{RUN}-'",
    f"</script><script>{RUN}</script>",
    f"<style>body{{background:url(javascript:{RUN})}}</style>",
    f'<div style="width:expression({RUN})">css</div>',
    f'<a href="javascript:{RUN}">链接</a>',
    "{{ 7*7 }}{% raw %}{{ ''.__class__ }}{# c #}",
    "../../etc/passwd ..\\..\\win %2e%2e%2f",
]
# Characters no output may carry (each must be removed, the text around it kept).
CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\ufffe\uffff\ufdd0"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
COLONS = [":", "&#58;", "&colon;", "&#x3a;", "&#0058;", "&#X3A;", "&#x003A", "&#58"]
SCHEMES = [
    f"javascript{{c}}{RUN}",
    f"JaVaScRiPt{{c}}{RUN}",
    f" javascript{{c}}{RUN}",
    f"java\tscript{{c}}{RUN}",
    f"java&#x09;script{{c}}{RUN}",
    f"&#106;avascript{{c}}{RUN}",
    "vbscript{c}msgbox(1)",
    "VBScript{c}msgbox(1)",
    f"data{{c}}text/html,<script>{RUN}</script>",
    "data{c}text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]
URLS = [scheme.format(c=colon) for scheme in SCHEMES for colon in COLONS]
TEXT = "".join(MARKUP) + CONTROLS + BIDI  # one string carrying every text payload
# A raw page with NUL or most C0 controls is binary and refused (test_ingest_input); these pass.
RAW_TEXT = "".join(MARKUP) + "\x0b\x0c\x1b\x85\x9f\ufffe\uffff\ufdd0" + BIDI


# Zone names are refused past 30 characters (test_source_failures): names carry each
# payload cut to fit, one per alias, and every control and bidi character.
NAMES = ["区" + m[:29] for m in MARKUP] + ["区" + CONTROLS + BIDI]


def _markdown_body() -> str:
    lines = ["正文开始。" + TEXT, "", "<https://example.org/safe> [安全](https://example.org/ok)", ""]
    for i, url in enumerate(URLS):
        lines.append(f"[点我{i}]({url}) [引用{i}][r{i}] ![图{i}]({url}) <{url}>")
        lines.append("")
    lines += [f"[r{i}]: {url.strip()}" for i, url in enumerate(URLS)]
    return "\n".join(lines) + "\n"


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)  # \uXXXX escapes are TOML too


FIELDS = [
    "title",
    "subtitle",
    "kicker",
    "zone",
    "byline",
    "dateline",
    "page",
    "continued_from",
    "continued_to",
    "source",
]


def _files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    # Raw page: the payloads in a headline, a body and a byline; a raw <https://…> is text.
    raw = (
        f"测试标题{RAW_TEXT}\n"
        f"科学导报讯 近日，测试经济技术开发区发布通知{RAW_TEXT}，见<https://example.org/raw>。\n"
        "相关项目建设进展顺利。 王波\n"
    )
    files["seeds/raw-hostile.txt"] = raw.encode("utf-8")
    # A file name carrying payload characters (no "/" is possible in a name).
    files["seeds/name <b>{{7*7}}\\..\\ '\"\u202e.txt"] = "科学导报讯 近日，文件名测试开发区开工。 李明\n"
    # Markdown: every front-matter key in one file per key, the body in all of them.
    for i, key in enumerate(FIELDS):
        front = {"id": f"m{i}", "title": f"标题{i}", "date": "2024-07-01"}  # dated: the feeds carry them
        front[key] = NAMES[i % len(NAMES)] if key == "zone" else f"{key}值{TEXT}"
        toml = "\n".join(f"{k} = {_toml(v)}" for k, v in front.items())
        files[f"seeds/m{i}.md"] = f"+++\n{toml}\n+++\n{_markdown_body()}"
    # And literal (not escaped) control characters in front matter and body lines.
    files["seeds/literal.md"] = f'+++\nid = "literal"\ntitle = "字面{BIDI}"\n+++\n正文\x1b\x0b{BIDI}\ufffe结束。\n'
    # Gazetteer: name, aliases, city and description.
    files["seeds/zones.toml"] = (
        "[[zone]]\n"
        f"name = {_toml('测试经济技术开发区' + BIDI)}\n"
        f"aliases = [{', '.join(_toml(name) for name in NAMES)}]\n"
        f"city = {_toml('太原' + TEXT)}\n"
        f"description = {_toml('简介' + TEXT)}\n"
        'slug = "test"\n'
    )
    return files


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("hostile") / "p", _files())
    out = root / "site"
    result = build(load_settings(root, environ={}), out)
    assert not result.errors, [str(e) for e in result.errors]
    return out, result


def test_every_output_file_parses_and_carries_no_forbidden_character(hostile_site):
    out, _ = hostile_site
    forbidden = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ufdd0-\ufdef\u202a-\u202e\u2066-\u2069]")
    xml_files = list(out.rglob("*.xml"))
    json_files = list(out.rglob("*.json"))
    assert len(xml_files) >= 3 and len(json_files) >= 2  # feeds, zone feeds, sitemap
    for path in xml_files:
        xml.dom.minidom.parse(str(path))  # raises on anything not well-formed
    for path in json_files:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
            assert data["title"] and data["items"]
            for item in data["items"]:
                assert item["id"] and ("content_html" in item or "content_text" in item)
    for path in out.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert not forbidden.search(text), (path, forbidden.search(text))


def test_removed_characters_are_logged_with_file_and_line(hostile_site):
    _, result = hostile_site
    assert any(r.line == 1 for r in result.repairs["seeds/raw-hostile.txt"])  # the headline line
    assert {r.line for r in result.repairs["seeds/literal.md"]} == {3, 5}
    assert 3 in {r.line for r in result.repairs["seeds/m0.md"]}  # title = "…\u001b…" (a TOML escape)
    assert result.repairs["seeds/zones.toml"]


def test_a_raw_page_autolink_stays_text(hostile_site):
    out, _ = hostile_site
    html = "".join(p.read_text(encoding="utf-8") for p in out.glob("articles/raw-hostile-*/index.html"))
    assert "见&lt;https://example.org/raw&gt;。" in html and 'href="https://example.org/raw"' not in html


def _article_pages(out: Path) -> list[str]:
    return sorted(p.parent.relative_to(out).as_posix() + "/" for p in (out / "articles").rglob("index.html"))


@pytest.mark.slow
def test_no_payload_runs_in_chromium_when_shown_or_clicked(hostile_site, page, static_server):
    out, _ = hostile_site
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    server = static_server(out, "zonearchive")
    pages = _article_pages(out) + ["", "zones/", "zones/test/"]
    assert len(pages) >= 14
    clicked = 0
    for path in pages:
        page.goto(server.url + path)
        assert page.evaluate("window.__pwned") is None, path
        # Only the page's own scripts: JSON-LD (where present) and the site's script files.
        inline = page.evaluate("[...document.scripts].filter(s => !s.src && s.type !== 'application/ld+json').length")
        assert inline == 0, path
        if path.startswith("articles/"):
            page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
            # Where each link and image really points, as the browser resolved it.
            links = page.evaluate(
                "[...document.querySelectorAll('.body a')].map(a => a.hasAttribute('href') ? a.protocol : null)"
            )
            images = page.evaluate(
                "[...document.querySelectorAll('.body img')].map(i => i.hasAttribute('src') ? new URL(i.src).protocol : null)"
            )
            assert set(links) <= {None, "http:", "https:", "mailto:"}, links
            assert set(images) <= {None, "http:", "https:"} and not page.query_selector(".body [style]"), images
            if path == "articles/m0/":  # every Markdown article has this body: click all its links
                # Links the sanitiser disarmed (no href) stay on the page: one click each, at once.
                clicked += page.evaluate(
                    "[...document.querySelectorAll('.body a:not([href])')].map(a => a.click()).length"
                )
                assert page.evaluate("window.__pwned") is None
                # The others (http, https and relative ones): one click per distinct target.
                targets = page.evaluate("[...document.querySelectorAll('.body a')].map(a => a.href)")
                first = {target: i for i, target in reversed(list(enumerate(targets))) if links[i]}
                for index in sorted(first.values()):
                    page.locator(".body a").nth(index).click()
                    clicked += 1
                    assert page.evaluate("window.__pwned") is None
                    if page.url != server.url + path:
                        page.goto(server.url + path)
            assert page.evaluate("window.__pwned") is None, path
    assert clicked >= len(URLS) and not dialogs and not page.js_errors


@pytest.mark.parametrize("query", [TEXT[:200], f"javascript:{RUN}", "{{ 7*7 }}</script><script>alert(1)</script>"])
def test_hostile_search_queries_run_nothing(hostile_site, page, static_server, query):
    out, _ = hostile_site
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    server = static_server(out, "zonearchive")
    page.goto(f"{server.url}search/?q={quote(query)}")
    page.wait_for_selector("#search-results[data-state=done]", state="attached")
    assert page.evaluate("window.__pwned") is None and not dialogs and not page.js_errors


# --- bounded work: pathological bodies are refused, naming the file, line and limit ---


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("[" * 10_000 + "\n", 5, "Markdown markup characters, more than the limit"),
        ("前言\n\n" + ("[" + "开" * 40) * 300 + "\n", 7, "rescan"),
        ("".join("    " * i + "- 项\n" for i in range(500)), 5 + 32, "nesting of lists or quotes"),
        (">" * 2000 + " 项\n", 5, "nesting of lists or quotes"),
        ("项\n" * 60_000, None, "more than 50,000 lines"),
    ],
)
def test_pathological_markdown_is_refused_naming_file_line_and_limit(project, body, line, words):
    root = project(
        {
            "seeds/ok.md": '+++\ntitle = "好"\n+++\n正文。\n',
            "seeds/bad.md": '+++\nid = "bad"\ntitle = "t"\n+++\n' + body,
        }
    )
    result = build(load_settings(root, environ={}), root / "site")
    [error] = result.errors
    assert str(error).startswith("seeds/bad.md" + (f":{line}: " if line else ": ")) and words in str(error), str(error)
    assert (root / "site" / "articles").is_dir()  # the other article was built


def test_a_raw_page_past_the_line_limit_is_refused_naming_the_limit(project):
    root = project({"seeds/tiny.txt": "项\n" * 200_001, "seeds/ok.txt": "科学导报讯 近日，开发区开工。 王波\n"})
    result = build(load_settings(root, environ={}), root / "site")
    [error] = result.errors
    assert str(error).startswith("seeds/tiny.txt:") and "200,000-line limit" in str(error)
