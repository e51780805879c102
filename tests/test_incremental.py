"""Builds in a session (what the live preview keeps between builds) make exactly the
site a fresh full build makes, publishing pages before the search files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import site_tree

from zonearchive.builder import Session, build, build_pages, build_search
from zonearchive.config import load_settings
from zonearchive.render.search import shard_names

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
        lambda: (seeds / "zz_new.txt").write_text(
            "新增短讯\n本报讯 开发区新项目今日开工，投资五亿元。 王波\n", encoding="utf-8"
        ),
        lambda: (seeds / f"{PAGE}.txt").unlink(),  # a page and its articles go
        lambda: _edit(root / "templates" / "article.html", "</article>", "</article><!-- v2 -->"),
        lambda: (seeds / "zz_new.txt").write_text(
            "新增短讯\n本报讯 开发区新项目今日开工，投资六亿元。 王波\n", encoding="utf-8"
        ),
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
    assert (
        site / "search/index/manifest.json"
    ).read_bytes() == manifest  # the old index, whole, until the new one is complete
    search = build_search(load_settings(root), session)
    now = json.loads((site / "search/index/manifest.json").read_text(encoding="utf-8"))
    assert now["shards"] != json.loads(manifest)["shards"]
    assert all((site / "search/index" / name).exists() for name in filter(None, shard_names(now)))
    assert "search/index/manifest.json" in search.changed
    assert build_search(load_settings(root), session).changed == set()  # nothing pending: the second call does nothing


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Files (bytes) and folders (None) under ``folder``: an empty folder left over counts."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


def test_a_search_step_given_up_for_the_next_edit_keeps_the_mirror(project, tmp_path, monkeypatch):
    """The preview gives up a search step when another edit comes. Whatever it had
    written into the mirror of the site is undone, and the mirror kept for the next
    build (which would otherwise clone the whole site first); that build equals a
    fresh one."""
    from zonearchive.errors import Stopped
    from zonearchive.publish.writer import Output

    root = project(seeds=True)
    session = Session()
    build(load_settings(root), session=session)
    page = root / "seeds" / f"{PAGE}.txt"
    _edit(page, "锂电池隔膜", "锂电池鲲鹏展翅隔膜")  # new terms: new shards, a new manifest
    build_pages(load_settings(root), None, session)
    add, written = Output.add, []

    def add_then_stop(self, path, data, owner, key=None, deps=None):
        add(self, path, data, owner, key, deps)
        if owner == "search index" and path in self.stats.changed:
            written.append(path)
            if len(written) == 3:
                raise Stopped

    monkeypatch.setattr(Output, "add", add_then_stop)
    with pytest.raises(Stopped):
        build_search(load_settings(root), session)
    monkeypatch.setattr(Output, "add", add)
    assert len(written) == 3
    spares = [p for p in root.iterdir() if p.name.startswith(".site.spare-")]
    assert len(spares) == 1 and not [p for p in root.iterdir() if "staging" in p.name]
    assert _tree(spares[0]) == _tree(root / "site")
    _edit(page, "鲲鹏展翅", "鸿鹄")
    build(load_settings(root), session=session)
    assert site_tree(root / "site") == _fresh(root, tmp_path)


def test_a_page_rewritten_at_once_with_the_same_size_is_read_again(project):
    root = project(seeds=True)
    session = Session()
    build(load_settings(root), session=session)
    page = root / "seeds" / f"{PAGE}.txt"
    _edit(page, "锂电池隔膜", "锂电池薄膜")  # same length: only the bytes tell
    build(load_settings(root), session=session)
    assert "锂电池薄膜" in (root / "site" / ARTICLE).read_text(encoding="utf-8")


# Named regressions: outputs that went stale because their inputs were listed by hand.

REPO = Path(__file__).resolve().parent.parent
DATED_PAGE = "本报讯 安宁经济技术开发区新项目开工，投资五亿元。 王波\n"


def _cli(pythonpath: Path, root: Path, *args: str) -> subprocess.CompletedProcess:
    code = "import sys; from zonearchive.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, "--root", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(pythonpath)},
        cwd=pythonpath,
        timeout=120,
    )


def test_a_change_to_the_package_that_alters_its_output_rebuilds_those_pages(project, tmp_path):
    code = tmp_path / "code"
    shutil.copytree(REPO / "zonearchive", code / "zonearchive", ignore=shutil.ignore_patterns("__pycache__"))
    root = project({"seeds/a.txt": DATED_PAGE})
    assert _cli(code, root, "build").returncode == 0
    body = code / "zonearchive" / "render" / "body.py"
    source = body.read_text(encoding="utf-8")
    assert 'class="dateline"' in source
    body.write_text(source.replace('class="dateline"', 'class="dateline-v2"'), encoding="utf-8")
    again = _cli(code, root, "build")
    assert again.returncode == 0, again.stderr
    fresh = tmp_path / "fresh"
    assert _cli(code, root, "build", "--out", str(fresh)).returncode == 0
    assert 'class="dateline-v2"' in (root / "site/articles/a-01/index.html").read_text(encoding="utf-8")
    assert site_tree(root / "site") == site_tree(fresh)


def test_a_template_that_starts_reading_the_zone_follows_it(project, tmp_path):
    root = project({"seeds/a.txt": DATED_PAGE})
    build(load_settings(root))
    _edit(
        root / "templates" / "article.html",
        "</article>",
        '<p class="count">{{ zone.articles|length }} 篇</p></article>',
    )
    build(load_settings(root))
    assert "1 篇" in (root / "site/articles/a-01/index.html").read_text(encoding="utf-8")
    (root / "seeds" / "b.txt").write_text("本报讯 安宁经济技术开发区又一项目投产。 李红\n", encoding="utf-8")
    build(load_settings(root))
    # The older page of the zone now says two, as a fresh build does.
    assert "2 篇" in (root / "site/articles/a-01/index.html").read_text(encoding="utf-8")
    assert site_tree(root / "site") == _fresh(root, tmp_path)


def test_an_edit_inside_a_symlinked_folder_under_seeds_is_built(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.txt").write_text(DATED_PAGE, encoding="utf-8")
    root = project()
    (root / "seeds" / "linked").symlink_to(elsewhere, target_is_directory=True)
    build(load_settings(root))
    _edit(elsewhere / "c.txt", "五亿元", "九亿元")
    result = build(load_settings(root))
    assert result.stats.written > 0
    [page] = (root / "site/articles").rglob("index.html")
    assert "九亿元" in page.read_text(encoding="utf-8")
    assert site_tree(root / "site") == _fresh(root, tmp_path)


def test_a_gazetteer_outside_seeds_counts(project, tmp_path):
    root = project(
        {"seeds/a.txt": DATED_PAGE, "zones.toml": '[[zone]]\nname = "安宁经济技术开发区"\ndescription = "旧的介绍"\n'}
    )
    pyproject = root / "pyproject.toml"
    _edit(pyproject, 'gazetteer = "seeds/zones.toml"', 'gazetteer = "zones.toml"')
    build(load_settings(root))
    _edit(root / "zones.toml", "旧的介绍", "新的介绍")
    result = build(load_settings(root))
    assert result.stats.written > 0
    assert any("新的介绍" in p.read_text(encoding="utf-8") for p in (root / "site/zones").rglob("index.html"))
    assert site_tree(root / "site") == _fresh(root, tmp_path)
