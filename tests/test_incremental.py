"""Builds in a session (what the live preview keeps between builds) make exactly the
site a fresh full build makes, publishing pages before the search files."""

from __future__ import annotations

import json
import shutil

from conftest import site_tree

from zonearchive.builder import Session, build, build_pages, build_search
from zonearchive.config import load_settings

PAGE = "000_5b8fe1ee034655b8"
ARTICLE = f"articles/{PAGE}-01/index.html"


def _fresh(root, tmp_path):
    out = tmp_path / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    build(load_settings(root), out)
    return site_tree(out)


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_session_builds_equal_fresh_full_builds_through_edits(project, tmp_path):
    root = project(seeds=True)
    settings = load_settings(root)
    session = Session()
    build(settings, session=session)
    seeds = root / "seeds"
    edits = [
        lambda: _edit(seeds / f"{PAGE}.txt", "锂电池隔膜", "锂电池薄膜"),  # words in one article
        lambda: (seeds / "zz_new.txt").write_text("新增短讯\n本报讯 开发区新项目今日开工，投资五亿元。 王波\n", encoding="utf-8"),
        lambda: (seeds / f"{PAGE}.txt").unlink(),  # a page and its articles go
        lambda: _edit(root / "templates" / "article.html", "</article>", "</article><!-- v2 -->"),
        lambda: (seeds / "zz_new.txt").write_text("新增短讯\n本报讯 开发区新项目今日开工，投资六亿元。 王波\n", encoding="utf-8"),
    ]
    for number, edit in enumerate(edits):
        edit()
        result = build(load_settings(root), session=session)
        assert not result.errors
        assert site_tree(root / "site") == _fresh(root, tmp_path), f"edit {number}"
    assert "六亿元" in (root / "site" / "articles" / "zz_new-01" / "index.html").read_text(encoding="utf-8")


def test_pages_are_published_before_the_search_files(project):
    root = project(seeds=True)
    session = Session()
    build(load_settings(root), session=session)
    site = root / "site"
    manifest = (site / "search/index/manifest.json").read_bytes()
    _edit(root / "seeds" / f"{PAGE}.txt", "锂电池隔膜", "锂电池鲲鹏隔膜")
    result = build_pages(load_settings(root), None, session)
    page = (site / ARTICLE).read_text(encoding="utf-8")
    assert "鲲鹏" in page and ARTICLE in result.stats.changed
    assert (site / "search/index/manifest.json").read_bytes() == manifest  # the old index, whole, until the new one is complete
    search = build_search(session)
    now = json.loads((site / "search/index/manifest.json").read_text(encoding="utf-8"))
    assert now["shards"] != json.loads(manifest)["shards"]
    assert all((site / "search/index" / name).exists() for name in filter(None, now["shards"]))
    assert "search/index/manifest.json" in search.changed
    assert build_search(session).changed == set()  # nothing pending: the second call does nothing


def test_a_page_rewritten_at_once_with_the_same_size_is_read_again(project):
    root = project(seeds=True)
    session = Session()
    build(load_settings(root), session=session)
    page = root / "seeds" / f"{PAGE}.txt"
    _edit(page, "锂电池隔膜", "锂电池薄膜")  # same length: only the bytes tell
    build(load_settings(root), session=session)
    assert "锂电池薄膜" in (root / "site" / ARTICLE).read_text(encoding="utf-8")
