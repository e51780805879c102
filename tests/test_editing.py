"""Editing workflow: articles as Markdown files, corrections that survive rebuilds."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from zonearchive.model.article import Article, Block
from zonearchive.model.markdown import blocks_to_markdown
from zonearchive.render import body
from zonearchive.render.body import article_body_html, body_html

PAGE_A = "000_5b8fe1ee034655b8"
PAGE_B = "001_e20a2f8db6f05151"


def run(root, *args):
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args], capture_output=True, text=True, cwd=root
    )


def _pages(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "articles").rglob("index.html")}


def test_extract_write_round_trips_to_byte_identical_article_pages(project):
    root = project(seeds=True)
    assert run(root, "build", "--out", "before").returncode == 0
    result = run(root, "extract", f"seeds/{PAGE_A}.txt", f"seeds/{PAGE_B}.txt", "--write")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "seeds" / PAGE_A).iterdir()) == [f"{PAGE_A}-0{i}.md" for i in (1, 2, 3)]
    build = run(root, "build", "--out", "after")
    assert build.returncode == 0, build.stderr
    assert f"seeds/{PAGE_A}.txt: skipped; its Markdown files in seeds/{PAGE_A}/ are the source" in build.stdout
    before, after = _pages(root / "before"), _pages(root / "after")
    assert len(before) == 11 and before == after


def test_extract_write_of_the_whole_seeds_folder_turns_pages_only(project):
    # seeds/ also holds the record of published URLs (a .txt the build writes) and an
    # empty page: neither is an article page to turn into Markdown.
    root = project(seeds=True, files={"seeds/blank.txt": "\n\n"})
    assert run(root, "build").returncode == 0
    assert (root / "seeds" / "published-urls.txt").is_file()
    result = run(root, "extract", "seeds", "--write")
    assert result.returncode == 0, result.stderr
    assert "published-urls" not in result.stdout + result.stderr
    assert "seeds/blank.txt: no articles read; nothing written" in result.stderr
    assert not (root / "seeds" / "published-urls").exists() and not (root / "seeds" / "blank").exists()
    assert sorted(p.name for p in (root / "seeds").iterdir() if p.is_dir()) == [PAGE_A, PAGE_B]
    build = run(root, "build")
    assert build.returncode == 0 and "built 11 articles" in build.stdout


def test_a_fixed_title_and_zone_persist_through_build(project):
    root = project(seeds=True)
    run(root, "extract", f"seeds/{PAGE_B}.txt", "--write")
    md = root / "seeds" / PAGE_B / f"{PAGE_B}-04.md"
    text = md.read_text(encoding="utf-8")
    assert 'title = "精准发力强服务助力企业“小升规”"' in text and 'zone = "灵石经济技术开发区"' in text
    md.write_text(
        text.replace("精准发力强服务助力企业“小升规”", "精准发力强服务 助力企业“小升规”").replace(
            'zone = "灵石经济技术开发区"', 'zone = "介休经济技术开发区"'
        ),
        encoding="utf-8",
    )
    for _ in range(2):  # the correction survives every rebuild
        assert run(root, "build").returncode == 0
    page = (root / "site" / "articles" / f"{PAGE_B}-04" / "index.html").read_text(encoding="utf-8")
    assert "<h1>精准发力强服务 助力企业“小升规”</h1>" in page
    zone_page = (root / "site" / "zones" / "jiexiu-jingkaiqu" / "index.html").read_text(encoding="utf-8")
    assert "精准发力强服务 助力企业“小升规”" in zone_page
    assert "介休经济技术开发区" in page


def test_an_editor_adds_an_article_that_never_was_on_a_page(project):
    article = (
        '+++\nid = "2024-notice"\ntitle = "开发区发布新政"\nzone = "晋城经济技术开发区"\ndate = 2024-07-01\n+++\n'
        "晋城经济技术开发区近日发布新政，支持企业创新。\n\n## 政策要点\n\n一是降低成本。\n"
    )
    root = project({"seeds/notes/notice.md": article}, seeds=True)
    assert run(root, "build").returncode == 0
    page = (root / "site" / "articles" / "2024-notice" / "index.html").read_text(encoding="utf-8")
    assert "<h2>政策要点</h2>" in page and '<time class="date" datetime="2024-07-01">2024年7月1日</time>' in page
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert home.index("开发区发布新政") < home.index("向新求质")  # dated, so newest first


HOSTILE_MD = (
    '+++\nid = "hostile"\ntitle = "<script>alert(1)</script>标题"\nkicker = "{{ 7*7 }}"\n+++\n'
    '<script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned=1">\n\n'
    "[点我](javascript:window.__pwned=1) [好链接](https://example.org/) {% raw %}\n"
)


def test_hostile_markdown_stays_inert(project, page, static_server):
    root = project({"seeds/hostile.md": HOSTILE_MD})
    assert run(root, "build").returncode == 0
    html = (root / "site" / "articles" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in html and "{{ 7*7 }}" in html
    assert 'href="https://example.org/"' in html
    server = static_server(root / "site", "repo")
    page.goto(server.url + "articles/hostile/")
    page.click("text=点我")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.text_content(".body")


@pytest.mark.parametrize(
    "content, line, words",
    [
        ('+++\nid = "a"\ntitle = "t"\ncolour = "red"\n+++\nbody\n', 4, "unknown front matter key 'colour'"),
        ('+++\nid = "a"\ntitle = "t\nzone = 1\n+++\nbody\n', 3, "a quoted value is not closed"),
        ('+++\nid = "a"\ntitle = "t"\nbody\n', 1, "not closed"),
        ('+++\nid = "A B"\ntitle = "t"\n+++\nbody\n', 2, "lower-case ASCII"),
        ('+++\nid = "a"\ntitle = "t"\ndate = "July"\n+++\nbody\n', 4, "date must look like"),
        ('+++\nid = "a"\n+++\nbody\n', 1, "needs a title"),
    ],
)
def test_front_matter_errors_name_file_and_line(project, content, line, words):
    root = project({"seeds/bad.md": content})
    result = run(root, "build")
    assert result.returncode == 1
    assert f"seeds/bad.md:{line}: " in result.stderr and words in result.stderr


def test_two_sources_claiming_one_id_is_an_error_naming_both(project):
    same = '+++\nid = "{}"\ntitle = "t"\n+++\n正文。\n'
    root = project({"seeds/a.md": same.format("dup"), "seeds/b.md": same.format("dup")})
    result = run(root, "build")
    assert result.returncode == 1
    assert "seeds/b.md: article id dup is also claimed by seeds/a.md" in result.stderr


def test_issue_date_and_page_from_a_sidecar_flow_everywhere(project):
    root = project({f"seeds/{PAGE_B}.toml": 'date = 2025-01-06\npage = "A3"\n'}, seeds=True)
    assert run(root, "build").returncode == 0
    page = (root / "site" / "articles" / f"{PAGE_B}-03" / "index.html").read_text(encoding="utf-8")
    assert '<time class="date" datetime="2025-01-06">2025年1月6日</time>' in page
    source = page.split('<p class="source">')[1].split("</p>")[0]
    assert "2025年1月6日" in source and "第A3版" in source and PAGE_B not in source
    feed = json.loads((root / "site" / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["date_published"] == "2025-01-06T00:00:00Z"
    assert feed["items"][0]["url"].endswith(f"/articles/{PAGE_B}-01/")  # dated issue sorts first
    extracted = json.loads(run(root, "extract", "seeds", "--json").stdout)
    assert extracted[3]["id"] == f"{PAGE_B}-01"


def test_a_bad_sidecar_names_file_and_line(project):
    root = project({f"seeds/{PAGE_B}.toml": 'date = 2025-01-06\nissue = "A3"\n'}, seeds=True)
    result = run(root, "build")
    assert result.returncode == 1 and f"seeds/{PAGE_B}.toml:2: unknown key 'issue'" in result.stderr


_ALPHABET = "开发区项目锂电池，。、：“”（）《》　 \n\t0123456789.%-+=:;/()'\"?abcXYZ*_`[]!<>&#\\~|@"


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["paragraph", "heading"]), st.text(alphabet=_ALPHABET, max_size=40)), max_size=5
    ),
    st.sampled_from([None, "本报讯", "本报讯（记者 王波）"]),
)
def test_bodies_render_exactly_as_markdown_renders_them(blocks, dateline):
    article = Article(
        id="a", source="s", title="t", dateline=dateline, blocks=[Block(kind, text) for kind, text in blocks]
    )
    assert article_body_html(article) == body_html(blocks_to_markdown(article.blocks), dateline)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["paragraph", "heading"]),
            st.text(alphabet="开发区项目，。：“”（）0123456789.%-+=/()'\"?abcXYZ~|@", min_size=1, max_size=40),
        ),
        max_size=5,
    )
)
def test_plain_bodies_skip_the_markdown_parser_and_render_the_same(blocks):
    article = Article(id="a", source="s", title="t", blocks=[Block(kind, text) for kind, text in blocks])
    expected = body_html(blocks_to_markdown(article.blocks), None)
    parser, body.to_html = body.to_html, None  # the plain path must not need the Markdown parser
    try:
        assert article_body_html(article) == expected
    finally:
        body.to_html = parser
