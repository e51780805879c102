"""The command line as a user types it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import EXTRACT_JSON_KEYS, REPO, site_tree


def run(*args, root=REPO, env=None):
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=root,
    )


@pytest.mark.parametrize("verb", ["build", "serve", "extract", "clean"])
def test_every_verb_has_help(verb):
    result = run(verb, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_extract_json_contract_on_a_file_and_a_folder(project):
    root = project(seeds=True)
    whole = json.loads(run("extract", "seeds", "--json", root=root).stdout)
    one = json.loads(run("extract", "seeds/001_e20a2f8db6f05151.txt", "--json", root=root).stdout)
    assert [a["id"] for a in one] == [a["id"] for a in whole][3:]
    assert one[0]["source"] == "seeds/001_e20a2f8db6f05151.txt"
    for article in whole:
        assert list(article) == EXTRACT_JSON_KEYS
        assert all(set(b) == {"type", "text"} and b["type"] in ("paragraph", "heading") for b in article["blocks"])


def test_extract_of_a_missing_path_is_a_clear_error():
    result = run("extract", "no/such/page.txt", "--json")
    assert result.returncode == 1 and "no/such/page.txt: no such file or folder" in result.stderr


def test_build_clean_and_summary(project):
    root = project(seeds=True)
    result = run("build", root=root)
    assert result.returncode == 0, result.stderr
    assert "built 11 articles in 10 zones from 2 pages" in result.stdout
    assert (root / "site" / "index.html").exists()
    assert run("clean", root=root).returncode == 0
    assert not (root / "site").exists()


def test_build_out_writes_elsewhere(project, tmp_path):
    root = project(seeds=True)
    result = run("build", "--out", str(tmp_path / "elsewhere"), root=root)
    assert result.returncode == 0
    assert (tmp_path / "elsewhere" / "index.html").exists() and not (root / "site").exists()


def test_site_url_comes_from_the_environment(project):
    root = project(seeds=True)
    assert run("build", root=root, env={"SITE_URL": "https://example.github.io/archive/"}).returncode == 0
    html = (root / "site" / "articles" / "000_5b8fe1ee034655b8-01" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.github.io/archive/articles/000_5b8fe1ee034655b8-01/">' in html
    assert 'href="/archive/static/style.css"' in (root / "site" / "404.html").read_text()


def test_a_broken_template_fails_the_build_and_keeps_the_previous_site(project):
    root = project(seeds=True)
    assert run("build", root=root).returncode == 0
    before = (root / "site" / "index.html").read_bytes()
    (root / "templates" / "article.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ article.title \n{% endblock %}\n"
    )
    result = run("build", root=root)
    assert result.returncode == 1
    assert "templates/article.html:" in result.stderr and "template error" in result.stderr
    assert (root / "site" / "index.html").read_bytes() == before
    assert not list(root.glob(".site.staging-*"))


def test_builds_are_byte_identical(project):
    root = project(seeds=True)
    run("build", "--out", str(root / "a"), root=root)
    run("build", "--out", str(root / "b"), root=root, env={"PYTHONHASHSEED": "12345", "TZ": "Asia/Shanghai"})
    files_a = sorted(p.relative_to(root / "a") for p in (root / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(root / "b") for p in (root / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (root / "a" / rel).read_bytes() == (root / "b" / rel).read_bytes(), rel


@pytest.mark.slow
def test_a_rebuild_with_nothing_changed_does_nothing_and_any_change_is_seen(project):
    root = project(seeds=True)
    assert "0 unchanged" in run("build", root=root).stdout
    again = run("build", root=root).stdout
    assert "0 files written" in again
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('title = "山西开发区新闻档案"', 'title = "开发区档案"'),
        encoding="utf-8",
    )
    changed = run("build", root=root).stdout
    assert "0 files written" not in changed
    assert "<title>开发区档案</title>" in (root / "site" / "index.html").read_text(encoding="utf-8")
    (root / "site" / "zones" / "index.html").unlink()  # a damaged output is rebuilt, not trusted
    run("build", root=root)
    assert (root / "site" / "zones" / "index.html").exists()


def _inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_an_edit_rewrites_only_what_it_changes_and_equals_a_fresh_build(project):
    root = project(seeds=True)
    assert run("build", root=root).returncode == 0
    for _ in range(2):  # the second edit starts from the mirror the first one left
        before = _inodes(root / "site")
        page = root / "seeds" / "000_5b8fe1ee034655b8.txt"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("锂电池隔膜", "锂电池隔膜（新）", 1), encoding="utf-8")
        assert run("build", root=root).returncode == 0
        after = _inodes(root / "site")
        rewritten = {rel for rel in after if before.get(rel) != after[rel]}
        assert "articles/000_5b8fe1ee034655b8-01/index.html" in rewritten
        untouched = [rel for rel in after if rel.startswith("articles/") and "000_5b8fe1ee034655b8" not in rel]
        assert untouched and not rewritten & set(untouched)  # other articles' pages: the very same files
        assert len(rewritten) < len(after) // 4
        fresh = root / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        assert run("build", "--out", str(fresh), root=root).returncode == 0
        assert site_tree(root / "site") == site_tree(fresh)


def test_a_local_build_without_site_url_warns_once_that_feeds_point_at_this_machine(project):
    root = project(seeds=True)
    result = run("build", root=root)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "SITE_URL is not set" in warnings[0] and "127.0.0.1" in warnings[0] and "canonical" in warnings[0]
    published = run("build", root=root, env={"SITE_URL": "https://example.github.io/archive/"})
    assert published.returncode == 0 and "SITE_URL" not in published.stderr


def test_a_build_on_github_actions_without_site_url_fails_clearly(project):
    root = project(seeds=True)
    result = run("build", root=root, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert "error: SITE_URL: not set on GitHub Actions" in result.stderr
    assert not (root / "site").exists()
    ok = run("build", root=root, env={"GITHUB_ACTIONS": "true", "SITE_URL": "https://example.github.io/archive/"})
    assert ok.returncode == 0, ok.stderr
    assert not (root / "site" / "robots.txt").exists()  # a project site: robots.txt would never be read


def test_a_build_run_in_a_process_that_goes_on_leaves_it_as_it_was(project):
    # `build` through build.py ends its process without collecting or freeing what it
    # read; called as a function (a script, a test), it must leave the collector on
    # and keep nothing of the archive alive.
    import gc

    from zonearchive import cli
    from zonearchive.builder import pipeline

    root = project(seeds=True)
    assert gc.isenabled()
    assert cli.main(["--root", str(root), "build"]) == 0
    assert gc.isenabled()
    assert pipeline._LINGER == []
