"""What `build` keeps in its cache between runs makes a later build quicker and never
different: the site equals a fresh build into an empty folder with no cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, site_tree

from zonearchive.builder import build
from zonearchive.config import load_settings


def run_build(root, *args):
    """`build` as a user runs it, with Python's import log on stderr (-X importtime)."""
    return subprocess.run(
        [sys.executable, "-X", "importtime", str(REPO / "build.py"), "--root", str(root), "build", *args],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def build_here(root) -> None:
    """`build` in this process (quicker; what it imports cannot be seen here)."""
    result = build(load_settings(root))
    assert not result.errors, result.errors


def imported(run) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}


def fresh_site(root, tmp_path):
    """The same project built into an empty folder with an empty cache."""
    copy = tmp_path / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".zonearchive-cache"))
    build_here(copy)
    return site_tree(copy / "site")


def test_zone_slugs_are_kept_so_a_rebuild_loads_no_pinyin(project, tmp_path):
    # No gazetteer: every zone's URL slug is made from its name in pinyin.
    root = project(seeds=True)
    (root / "seeds" / "zones.toml").unlink()
    first = run_build(root)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "pypinyin" in imported(first)
    zone_pages = sorted(p.parent.name for p in (root / "site" / "zones").glob("*/index.html"))
    assert any(slug.endswith("-jingkaiqu") for slug in zone_pages)  # made from pinyin, not given
    page = sorted((root / "seeds").glob("*.txt"))[0]
    page.write_text(page.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")
    second = run_build(root)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "pypinyin" not in imported(second)  # the slugs came from the cache
    assert site_tree(root / "site") == fresh_site(root, tmp_path)


def test_a_damaged_or_foreign_slug_record_is_not_trusted(project, tmp_path):
    root = project(seeds=True)
    (root / "seeds" / "zones.toml").unlink()
    build_here(root)
    record = root / ".zonearchive-cache" / "zone-slugs.json"
    kept = json.loads(record.read_text(encoding="utf-8"))
    # Made by other code: whatever it says, the slugs are made again.
    record.write_text(
        json.dumps({"version": "other", "slugs": dict.fromkeys(kept["slugs"], "wrong-slug")}), encoding="utf-8"
    )
    page = sorted((root / "seeds").glob("*.txt"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_here(root)
    assert not (root / "site" / "zones" / "wrong-slug").exists()
    assert site_tree(root / "site") == fresh_site(root, tmp_path)
    for damage in (b"\xff{not json", b'{"version": 5, "slugs": [1]}', b"[]"):
        record.write_bytes(damage)
        page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        build_here(root)
        assert site_tree(root / "site") == fresh_site(root, tmp_path)


def test_the_cache_holds_the_pages_as_they_are_not_every_version_ever_built(project):
    root = project(seeds=True)
    pages = sorted((root / "seeds").glob("*.txt"))
    cache = root / ".zonearchive-cache" / "extract"
    for round_ in range(3):
        page = pages[round_ % len(pages)]
        page.write_text(page.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")
        build_here(root)
        assert len(list(cache.glob("*.pickle"))) == len(pages)  # one entry a page: old versions are gone
    # Entries that are not the cache's are left alone.
    (cache / "notes.txt").write_text("mine", encoding="utf-8")
    pages[0].write_text(pages[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_here(root)
    assert (cache / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_markdown_articles_are_read_once_then_come_from_the_cache(project, tmp_path):
    root = project(seeds=True)
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "extract", "seeds", "--write"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert run.returncode == 0, run.stderr
    for page in (root / "seeds").glob("*.txt"):
        page.unlink()  # the Markdown files are the source now (README, Editing)
    articles = sorted((root / "seeds").rglob("*.md"))
    build_here(root)
    cache = root / ".zonearchive-cache" / "extract"
    entries = sorted(cache.glob("*.pickle"))
    assert len(entries) == len(articles)  # one reading a file
    # An unchanged file is not read again: its cached reading is what the build uses
    # (shown here by a cached reading made to differ from the file).
    import pickle

    first = articles[0]
    held = {entry: pickle.loads(entry.read_bytes()) for entry in entries}
    entry = next(
        e
        for e, (article, _, _) in held.items()
        if article.file == f"seeds/{first.relative_to(root / 'seeds').as_posix()}"
    )
    article, warnings, repairs = held[entry]
    article.title = "缓存里的标题"
    entry.write_bytes(pickle.dumps((article, warnings, repairs)))
    other = articles[1]
    other.write_text(other.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")
    build_here(root)
    assert "缓存里的标题" in (root / "site" / "articles" / article.id / "index.html").read_text(encoding="utf-8")
    assert len(list(cache.glob("*.pickle"))) == len(articles)  # the edited file's old reading is gone
    # A damaged reading is read again from the file, never trusted.
    entry.write_bytes(b"\x80not a pickle")
    other.write_text(other.read_text(encoding="utf-8").replace("。", "（再更正）。", 1), encoding="utf-8")
    build_here(root)
    assert site_tree(root / "site") == fresh_site(root, tmp_path)


def test_a_cache_that_cannot_be_written_costs_time_not_the_build(project, tmp_path, monkeypatch):
    # A full or read-only disk under .zonearchive-cache/: the readings and the slug record
    # are not kept, and the site is built all the same.
    import errno

    from zonearchive import fsutil
    from zonearchive.builder import slugbook
    from zonearchive.sources import readcache

    written = fsutil.write_atomically

    def full(path, data):
        if ".zonearchive-cache" in str(path) and "last-build" not in str(path):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return written(path, data)

    monkeypatch.setattr(readcache, "write_atomically", full)
    monkeypatch.setattr(slugbook, "write_atomically", full)
    root = project(seeds=True)
    (root / "seeds" / "zones.toml").unlink()
    build_here(root)
    assert not list((root / ".zonearchive-cache").glob("extract/*.pickle"))
    assert site_tree(root / "site") == fresh_site(root, tmp_path)


def _fix_a_word(root, k: int = 0) -> None:
    page = sorted((root / "seeds").glob("*.txt"))[k]
    page.write_text(page.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")


def _search_state(root):
    (folder,) = (root / ".zonearchive-cache").glob("search-*")
    return folder


def test_an_edit_updates_the_kept_search_index_instead_of_making_it_again(project, tmp_path, monkeypatch):
    # What the preview keeps in memory, `build` keeps on disk: the next build re-makes
    # only the shards of the edited article's changed terms.
    from zonearchive.render.search import index

    root = project(seeds=True)
    build_here(root)
    assert (_search_state(root) / "state.pickle").exists()
    _fix_a_word(root)
    made_afresh = []
    lay_out = index.lay_out
    monkeypatch.setattr(index, "lay_out", lambda *a, **k: made_afresh.append(1) or lay_out(*a, **k))
    build_here(root)
    assert not made_afresh  # updated in place
    _fix_a_word(root, 1)
    build_here(root)  # and again, from what the last update kept
    assert not made_afresh
    monkeypatch.undo()
    assert site_tree(root / "site") == fresh_site(root, tmp_path)


def test_search_files_kept_by_an_update_are_the_sites_own(project, tmp_path):
    # A run of edits (words fixed, an article's text replaced) with the kept index:
    # after each, the site equals a fresh build byte for byte.
    root = project(seeds=True)
    build_here(root)
    page = sorted((root / "seeds").glob("*.txt"))[0]
    text = page.read_text(encoding="utf-8")
    for old, new in (("。", "（更正）。"), ("发展", "发展壮大"), ("（更正）", "")):
        text = text.replace(old, new, 1)
        page.write_text(text, encoding="utf-8")
        build_here(root)
        assert site_tree(root / "site") == fresh_site(root, tmp_path)


def _flip(path):
    data = bytearray(path.read_bytes())
    for k in range(0, len(data), 97):
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(
    "damage",
    [
        lambda state: _flip(next(state.glob("rows-*.bin"))),
        lambda state: _truncate(next(state.glob("rows-*.bin"))),
        lambda state: next(state.glob("rows-*.bin")).unlink(),
        lambda state: (state / "state.pickle").write_bytes(b"\x80not a pickle"),
        lambda state: _truncate(state / "state.pickle"),
    ],
    ids=["rows-changed", "rows-cut-short", "rows-gone", "state-garbage", "state-cut-short"],
)
def test_a_damaged_search_state_is_never_trusted(project, tmp_path, damage):
    root = project(seeds=True)
    build_here(root)
    damage(_search_state(root))
    _fix_a_word(root)
    build_here(root)
    assert site_tree(root / "site") == fresh_site(root, tmp_path)
    _fix_a_word(root, 1)  # what the build kept after the damage is sound again
    build_here(root)
    assert site_tree(root / "site") == fresh_site(root, tmp_path)


def test_the_kept_search_index_follows_the_site_not_the_cache(project, tmp_path):
    # The site removed (or replaced by hand) since the index was kept: its search
    # files are made afresh, never patched from a state that describes other files.
    root = project(seeds=True)
    build_here(root)
    shutil.rmtree(root / "site")
    _fix_a_word(root)
    build_here(root)
    assert site_tree(root / "site") == fresh_site(root, tmp_path)
    # And `clean` removes the kept index with the site's other state.
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "clean"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert not list((root / ".zonearchive-cache").glob("search-*"))


def test_a_full_cache_leaves_no_half_kept_search_index_behind(project, tmp_path, monkeypatch):
    # The disk fills while the index is kept: nothing of it is left to fill it further
    # (the rows written so far, the temp file), the site is built all the same, and
    # once there is room again the index is kept again.
    import errno

    from zonearchive import fsutil
    from zonearchive.builder import searchstate

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    root = project(seeds=True)
    build_here(root)
    monkeypatch.setattr(searchstate, "write_atomically", full)
    _fix_a_word(root)
    build_here(root)
    assert site_tree(root / "site") == fresh_site(root, tmp_path)
    assert not [p.name for p in _search_state(root).iterdir()]
    monkeypatch.setattr(searchstate, "write_atomically", fsutil.write_atomically)
    _fix_a_word(root, 1)
    build_here(root)
    assert (_search_state(root) / "state.pickle").exists()
    assert site_tree(root / "site") == fresh_site(root, tmp_path)


def test_an_atomic_write_that_fails_leaves_no_temp_file(tmp_path, monkeypatch):
    from pathlib import Path

    from zonearchive import fsutil

    write_bytes = Path.write_bytes

    def full(self, data):
        write_bytes(self, data[:2])  # part of it made it to the disk
        raise OSError(28, "No space left on device")

    target = tmp_path / "kept.bin"
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OSError):
        fsutil.write_atomically(target, b"data")
    assert list(tmp_path.iterdir()) == []
