"""The one test that reads the editorial archive (seeds/): whatever it holds today
builds, and every internal link of the result resolves. It checks nothing about the
content — how many pages, articles or zones — so no editing step can break it; every
other test builds the frozen fixtures in tests/fixtures/."""

from __future__ import annotations

import shutil

from conftest import REPO, check_internal_links

from zonearchive.builder import build
from zonearchive.config import load_settings


def test_the_archive_builds_and_every_internal_link_resolves(tmp_path):
    # A copy, so that the build's cache and output stay out of the working tree.
    settings = load_settings(REPO, environ={})
    root = tmp_path / "archive"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for folder in {settings.seeds, settings.templates, settings.static}:
        shutil.copytree(REPO / folder, root / folder)
    if not (root / settings.gazetteer).exists() and (REPO / settings.gazetteer).exists():
        (root / settings.gazetteer).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / settings.gazetteer, root / settings.gazetteer)
    out = tmp_path / "site"
    result = build(load_settings(root, environ={}), out)
    assert not result.errors, [str(e) for e in result.errors]
    assert (out / "index.html").exists() and (out / "404.html").exists()
    assert check_internal_links(out) > 0
