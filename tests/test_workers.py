"""Worker processes: every error a worker raises comes back whole (file, line,
message), and one bad page among many is named, not a broken pool."""

from __future__ import annotations

import inspect
import pickle
import shutil

import pytest

from zonearchive import errors
from zonearchive.builder import build
from zonearchive.config import load_settings

ERROR_CLASSES = [c for c in vars(errors).values() if inspect.isclass(c) and issubclass(c, errors.ZoneArchiveError)]


def _instance(cls):
    if cls is errors.DecodeError:
        return cls("seeds/a.txt", "not UTF-8 or GB18030", offset=17)
    return cls("seeds/a.md", "unknown front matter key 'colour'", 6)


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_survives_pickling(cls):
    error = _instance(cls)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls
    assert (back.path, back.line, back.message, str(back)) == (error.path, error.line, error.message, str(error))
    assert vars(back) == vars(error)


def test_the_list_of_error_classes_is_complete():
    assert {c.__name__ for c in ERROR_CLASSES} >= {"ZoneArchiveError", "DecodeError"}


def test_one_unreadable_page_among_many_is_named_and_the_rest_is_built(project):
    pages = {f"seeds/p{i:02d}.txt": f"短讯{i}\n本报讯 第{i}篇测试稿件，项目进展顺利。 王波\n" for i in range(40)}
    pages["seeds/p13.txt"] = b"\x00\x01\x02binary\xff\xfe" * 50  # read in a worker: 40 pages use the pool
    root = project(pages)
    result = build(load_settings(root))
    assert [e.path for e in result.errors] == ["seeds/p13.txt"]
    assert "byte offset" in str(result.errors[0])
    assert (root / "site" / "articles" / "p12-01" / "index.html").is_file()


def _fails():
    raise errors.ZoneArchiveError("seeds/a.md", "unknown front matter key 'colour'", 6)


def test_a_job_beside_the_build_gives_its_result_or_its_error_whole():
    from zonearchive.workers import beside

    assert beside(lambda: {"search/index/a.bin": b"\x00" * 100_000})() == {"search/index/a.bin": b"\x00" * 100_000}
    with pytest.raises(errors.ZoneArchiveError) as caught:
        beside(_fails)()
    assert (caught.value.path, caught.value.line) == ("seeds/a.md", 6)


def test_a_job_beside_the_build_that_dies_is_said_not_waited_for():
    # In a process of its own: this one may run threads, where nothing is forked.
    import subprocess
    import sys

    from conftest import REPO

    code = "import os\nfrom zonearchive.workers import beside\nbeside(lambda: os._exit(3))()\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert run.returncode == 1 and "a worker process stopped (exit code 3)" in run.stderr


BESIDE = """
import os, sys
from pathlib import Path
from zonearchive.builder import build
from zonearchive.config import load_settings
from zonearchive.render import pages
from zonearchive.render.search import index
pages.INDEX_BESIDE_AT = 0  # made beside the build, as a large archive's index is
made = index.SearchIndex.files
def files(self, *args, **kwargs):
    print("index made in", "this process" if os.getpid() == main_pid else "another process")
    return made(self, *args, **kwargs)
index.SearchIndex.files = files
main_pid = os.getpid()
build(load_settings(Path(sys.argv[1])), Path(sys.argv[2]))
"""


def test_the_index_made_beside_the_build_equals_the_one_made_in_it(project):
    import subprocess
    import sys

    from conftest import REPO, site_tree

    root = project(seeds=True)
    build(load_settings(root), root / "in-process")  # a small archive: its index is made in the build's process
    run = subprocess.run(
        [sys.executable, "-c", BESIDE, str(root), str(root / "beside")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["index made in another process"]
    assert site_tree(root / "beside") == site_tree(root / "in-process")


KILLED_INDEXER = """
import os, signal, sys
from zonearchive.render import pages
from zonearchive.render.search import index
pages.INDEX_BESIDE_AT = 0  # made beside the build, as a large archive's index is
main_pid = os.getpid()
made = index.SearchIndex.files
def files(self, *args, **kwargs):
    if os.getpid() != main_pid:  # the process that makes the index beside the build
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return made(self, *args, **kwargs)
index.SearchIndex.files = files
from zonearchive.cli import main
sys.exit(main(["--root", sys.argv[1], "build"]))
"""


def test_a_worker_killed_under_a_build_is_a_sentence_and_the_site_stays_whole(project):
    import subprocess
    import sys

    from conftest import REPO, site_tree

    root = project(seeds=True)
    build(load_settings(root))
    before = site_tree(root / "site")
    page = sorted((root / "seeds").glob("*.txt"))[0]
    page.write_text(page.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")
    for kept in (root / ".zonearchive-cache").glob("search-*"):  # no kept index: made afresh, beside the build
        shutil.rmtree(kept)
    run = subprocess.run(
        [sys.executable, "-c", KILLED_INDEXER, str(root)], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert run.returncode == 1, run.stderr
    assert "a worker process stopped (SIGKILL), out of memory perhaps; nothing was published" in run.stderr
    assert "Traceback" not in run.stderr
    assert site_tree(root / "site") == before  # the edit is not half published
    assert build(load_settings(root)).stats.written  # and the next build publishes it


KILLED_RENDERER = """
import os, signal, sys
from zonearchive.render import pages
pages.PARALLEL_FROM = 0  # rendered in a pool, as a large archive's pages are
main_pid = os.getpid()
made = pages._render_job
def job(i):
    if os.getpid() != main_pid and i == 1:  # a pool worker, under way
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return made(i)
pages._render_job = job
from zonearchive.cli import main
sys.exit(main(["--root", sys.argv[1], "build"]))
"""


def test_a_render_worker_killed_under_a_build_is_a_sentence_not_a_wait_forever(project):
    import subprocess
    import sys

    from conftest import REPO, site_tree

    root = project(seeds=True)
    build(load_settings(root))
    before = site_tree(root / "site")
    page = sorted((root / "seeds").glob("*.txt"))[0]  # its articles' pages are rendered again
    page.write_text(page.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", KILLED_RENDERER, str(root)], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert run.returncode == 1, run.stderr
    assert "a worker process stopped" in run.stderr and "nothing was published" in run.stderr
    assert "Traceback" not in run.stderr
    assert site_tree(root / "site") == before
    assert build(load_settings(root)).stats.written  # and the next build publishes it
