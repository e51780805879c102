"""What each article adds to the published site, in bytes and files, checked (not timed)
so a regression is caught: GitHub Pages refuses sites over 1 GB, and every file costs a
tar header in the Pages artifact.

Measured as the slope between two generated archives, so the fixed part (styles,
scripts, lookup tables) does not hide what one more article costs. The budgets are this
release's sizes with about 10% room (issue #20 aims at 10 KB and 1.3 files in all)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project

from zonearchive.builder import build
from zonearchive.config import load_settings

sys.path.insert(0, str(REPO / "benchmarks"))
from bench import make_archive

# part of the site -> (bytes, files) one more article may add at most. Lists grow by
# whole pages (and, at this size, new zones' pages and feeds still appear).
# The article page is its only file (search results read it; its RIS record is made on
# the page).
BUDGET = {"articles": (9_200, 1.0), "search": (1_750, 0.35), "lists and feeds": (1_200, 0.2)}


def _part(rel: str) -> str:
    if rel.startswith("articles/"):
        return "articles"
    return "search" if rel.startswith("search/") else "lists and feeds"


def _sizes(root: Path, articles: int) -> dict[str, tuple[int, int]]:
    make_project(root, {})
    make_archive(root, articles)
    result = build(load_settings(root, environ={}), root / "site")
    assert not result.errors and result.articles == articles
    sizes: dict[str, tuple[int, int]] = {}
    for path in (root / "site").rglob("*"):
        if path.is_file():
            part = _part(path.relative_to(root / "site").as_posix())
            size, count = sizes.get(part, (0, 0))
            sizes[part] = (size + path.stat().st_size, count + 1)
    return sizes


@pytest.fixture(scope="module")
def per_article(tmp_path_factory) -> dict[str, tuple[float, float]]:
    small, large = 60, 180
    a = _sizes(tmp_path_factory.mktemp("small"), small)
    b = _sizes(tmp_path_factory.mktemp("large"), large)
    n = large - small
    return {part: ((b[part][0] - a[part][0]) / n, (b[part][1] - a[part][1]) / n) for part in BUDGET}


@pytest.mark.parametrize("part", BUDGET)
def test_what_one_more_article_adds_to_the_site_stays_within_budget(per_article, part):
    size, files = per_article[part]
    most_bytes, most_files = BUDGET[part]
    assert size <= most_bytes, f"{part}: {size:.0f} bytes per article (budget {most_bytes})"
    assert files <= most_files, f"{part}: {files:.2f} files per article (budget {most_files})"
