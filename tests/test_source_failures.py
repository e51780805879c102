"""Everyday files and editor mistakes in the sources: each gives one message naming
the file (and line), relative to the project; the pages that can be built are built;
the result (and the exit code) says whether anything failed; nothing hangs."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from conftest import REPO

from zonearchive.builder import build
from zonearchive.config import load_settings
from zonearchive.errors import ZoneArchiveError

GOOD = "科学导报讯 近日，平定经济技术开发区龙川化工园区内，项目有序推进。\n办公楼封顶，手续办理完毕。 王波\n"
OTHER = "科学导报讯 近日，高平经济技术开发区新建厂房陆续投产，企业订单饱满。\n园区配套设施不断完善。 耿林平\n"
GOOD_PAGE = "articles/good-01/index.html"  # the article of seeds/good.txt


def md(front: str, body: str = "开发区里的新厂房投产了。\n") -> str:
    return f"+++\n{front}\n+++\n{body}"


def run(root, *args, timeout=120):
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=timeout,
        check=False,
    )


def build_here(root):
    return build(load_settings(root, environ={}), root / "site")


def find(messages, path):
    hits = [m for m in messages if m.path == path]
    assert hits, f"no message names {path}: {[str(m) for m in messages]}"
    return hits[0]


def check(root, result, kind, path, words, line=None):
    """The one message about ``path`` says ``words`` (at ``line``); only it failed."""
    messages = result.errors if kind == "error" else result.warnings
    message = find(messages, path)
    assert words in message.message and message.line == line, str(message)
    assert str(root) not in str(message)  # relative to the project
    assert (root / "site" / GOOD_PAGE).is_file()  # the other pages are built
    if kind == "warning":
        assert not result.errors, [str(e) for e in result.errors]


# -- what the walk of seeds/ meets -------------------------------------------------


def test_an_emacs_lock_link_is_ignored_without_a_word(project):
    root = project({"seeds/good.txt": GOOD})
    os.symlink("user@host.1:1", root / "seeds" / ".#good.txt")
    result = build_here(root)
    assert not result.errors and not result.warnings
    assert (root / "site" / GOOD_PAGE).is_file()


def test_a_broken_link_to_a_page_is_an_error_naming_it(project):
    root = project({"seeds/good.txt": GOOD})
    os.symlink("nowhere.txt", root / "seeds" / "gone.txt")
    check(root, build_here(root), "error", "seeds/gone.txt", "broken symbolic link to 'nowhere.txt'")


@pytest.mark.parametrize(
    "link, target, named",
    [
        ("seeds/loop", ".", "seeds/"),
        ("seeds/sub/up", "..", "seeds/"),
        ("seeds/sub/self", ".", "seeds/sub/"),
    ],
)
def test_a_symlink_loop_is_named_and_not_followed(project, link, target, named):
    root = project({"seeds/good.txt": GOOD, "seeds/sub/other.txt": OTHER})
    os.symlink(target, root / link)
    result = build_here(root)
    check(root, result, "warning", link, f"symbolic link loop: links back to {named}")
    assert result.articles == 2  # each page once, however many ways lead to it


def test_a_link_to_itself_is_named(project):
    root = project({"seeds/good.txt": GOOD})
    os.symlink("me.txt", root / "seeds" / "me.txt")
    check(root, build_here(root), "error", "seeds/me.txt", "symbolic link loop")


def test_a_symlinked_folder_is_followed_and_an_edit_inside_it_is_seen(project):
    root = project({"seeds/good.txt": GOOD, "elsewhere/other.txt": OTHER})
    os.symlink("../elsewhere", root / "seeds" / "linked")
    assert not build_here(root).errors
    page = root / "site" / "articles" / "other-01" / "index.html"
    assert "新建厂房陆续投产" in page.read_text(encoding="utf-8")
    (root / "elsewhere" / "other.txt").write_text(OTHER.replace("陆续投产", "全面投产"), encoding="utf-8")
    result = build_here(root)
    assert result.stats.written and "全面投产" in page.read_text(encoding="utf-8")


def test_a_fifo_in_seeds_neither_hangs_nor_fails_the_other_pages(project):
    root = project({"seeds/good.txt": GOOD})
    os.mkfifo(root / "seeds" / "pipe.txt")  # a would-be page: an error
    os.mkfifo(root / "seeds" / "x.fifo")  # any other name: a warning
    done = run(root, "build", timeout=120)  # a hang fails here, with TimeoutExpired
    assert done.returncode == 1
    assert "error: seeds/pipe.txt: not a regular file (a named pipe); not read" in done.stderr
    assert "warning: seeds/x.fifo: not a regular file (a named pipe); not read" in done.stdout
    assert "Traceback" not in done.stderr
    assert (root / "site" / GOOD_PAGE).is_file()


def _fail_open(monkeypatch, target, code):
    """Make the file system refuse one file (tests run as root: chmod cannot)."""
    real = os.open

    def fake(path, *args, **kwargs):
        if os.fspath(path) == os.fspath(target):
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake)


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.EACCES, "permission denied"),
        (errno.ENOENT, "deleted while the build read it"),  # removed between the walk and the read
    ],
)
def test_a_page_that_cannot_be_read_is_an_error_and_the_rest_is_built(project, monkeypatch, code, words):
    root = project({"seeds/good.txt": GOOD, "seeds/locked.txt": OTHER})
    _fail_open(monkeypatch, root / "seeds" / "locked.txt", code)
    result = build_here(root)
    check(root, result, "error", "seeds/locked.txt", words)
    assert result.articles == 1


def test_a_folder_that_cannot_be_listed_is_an_error(project, monkeypatch):
    root = project({"seeds/good.txt": GOOD, "seeds/private/other.txt": OTHER})
    real = os.scandir
    target = os.fspath(root / "seeds" / "private")

    def fake(path="."):
        if os.fspath(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", target)
        return real(path)

    monkeypatch.setattr(os, "scandir", fake)
    check(root, build_here(root), "error", "seeds/private", "permission denied: cannot list it")


def test_a_file_name_that_is_not_utf8_is_named_with_its_bytes(project):
    root = project({"seeds/good.txt": GOOD})
    with open(os.path.join(os.fsencode(root / "seeds"), b"\xb0\xa1.txt"), "w", encoding="utf-8") as handle:
        handle.write(OTHER)  # a GBK file name, as an old zip leaves it
    check(root, build_here(root), "error", "seeds/\\xb0\\xa1.txt", "the name is not UTF-8")
    done = run(root, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "seeds/\\xb0\\xa1.txt: the name is not UTF-8" in done.stderr


# -- files the build does not use, and pages that add nothing -----------------------


@pytest.mark.parametrize(
    "name, words",
    [
        ("seeds/photo.jpg", "not used: a .jpg file is not read"),
        ("seeds/notes/README", "not used: a file without an ending is not read"),
        ("seeds/extra.toml", "not used: a .toml file here is read only as the sidecar"),
    ],
)
def test_a_file_the_build_does_not_use_is_named_with_the_reason(project, name, words):
    root = project({"seeds/good.txt": GOOD, name: b"%PDF-1.4 whatever"})
    check(root, build_here(root), "warning", name, words)


def test_the_gazetteer_and_sidecars_are_not_reported_unused(project):
    root = project(
        {
            "seeds/good.txt": GOOD,
            "seeds/good.toml": 'page = "A3"\n',
            "seeds/zones.toml": '[[zone]]\nname = "平定经济技术开发区"\n',
        }
    )
    assert not build_here(root).warnings


@pytest.mark.parametrize("text", ["", "\n\n  \r\n"])
def test_an_empty_page_is_a_warning_and_not_counted(project, text):
    root = project({"seeds/good.txt": GOOD, "seeds/blank.txt": text})
    result = build_here(root)
    check(root, result, "warning", "seeds/blank.txt", "empty page")
    assert result.pages == 1


def test_a_page_saved_twice_is_published_once_and_the_copy_named(project):
    copy = ("\ufeff" + GOOD.replace("\n", "\r\n\r\n")).encode("utf-8")  # the same text, another editor's save
    root = project({"seeds/good.txt": GOOD, "seeds/good_copy.txt": copy})  # the first by name is kept
    result = build_here(root)
    check(root, result, "warning", "seeds/good_copy.txt", "the same text as seeds/good.txt; its articles are left out")
    assert result.articles == 1 and sorted(os.listdir(root / "site" / "articles")) == ["good-01"]


def test_a_raw_page_shadowed_by_its_markdown_folder_says_so(project):
    root = project(
        {
            "seeds/good.txt": GOOD,
            "seeds/other.txt": OTHER,
            "seeds/other/other-01.md": md('id = "other-01"\ntitle = "新厂房投产"'),
        }
    )
    check(
        root,
        build_here(root),
        "warning",
        "seeds/other.txt",
        "skipped; its Markdown files in seeds/other/ are the source, so edits to this page are not published",
    )


def test_an_empty_zone_in_front_matter_is_a_warning_at_its_line(project):
    root = project({"seeds/good.txt": GOOD, "seeds/a.md": md('title = "新厂房投产"\nzone = ""')})
    check(root, build_here(root), "warning", "seeds/a.md", "zone is empty", line=3)


def test_an_empty_zone_is_detected_from_the_text_as_the_warning_says(project):
    body = "平定经济技术开发区的新厂房投产了。\n"
    root = project({"seeds/a.md": md('id = "a"\ntitle = "新厂房投产"\nzone = ""', body)})
    build_here(root)
    assert not (root / "site" / "zones" / "other").exists()  # not put under 其他
    [zone] = [p for p in (root / "site" / "zones").iterdir() if p.is_dir()]
    assert "新厂房投产" in (zone / "index.html").read_text(encoding="utf-8")


def test_warnings_are_shown_again_when_nothing_changed(project):
    root = project({"seeds/good.txt": GOOD, "seeds/photo.jpg": b"\xff\xd8"})
    first = run(root, "build")
    again = run(root, "build")
    assert first.returncode == again.returncode == 0
    assert "0 files written" in again.stdout  # the no-change fast path...
    line = "warning: seeds/photo.jpg: not used: a .jpg file is not read"
    assert line in first.stdout and line in again.stdout  # ...still says what it leaves out


def test_extract_prints_warnings_beside_the_articles(project):
    root = project({"seeds/good.txt": GOOD, "seeds/blank.txt": ""})
    done = run(root, "extract", "seeds", "--json")
    assert done.returncode == 0
    assert "warning: seeds/blank.txt: empty page" in done.stderr
    assert '"id": "good-01"' in done.stdout


# -- values that cannot be published -----------------------------------------------


@pytest.mark.parametrize(
    "files, path, words, line",
    [
        (
            {"seeds/2025-02-30_A3_x.txt": OTHER},
            "seeds/2025-02-30_A3_x.txt",
            "the date 2025-02-30 in the file name is not a real date",
            None,
        ),
        (
            {"seeds/x.txt": OTHER, "seeds/x.toml": 'page = "A3"\ndate = "2025-02-30"\n'},
            "seeds/x.toml",
            "date 2025-02-30 is not a real date",
            2,
        ),
        (
            {"seeds/x.txt": OTHER, "seeds/x.toml": 'page = "A3"\ndate = 2025-02-30\n'},
            "seeds/x.toml",
            "not a real date",
            2,
        ),
        (
            {"seeds/a.md": md('title = "新厂房投产"\ndate = "2025-02-30"')},
            "seeds/a.md",
            "date 2025-02-30 is not a real date",
            3,
        ),
        (
            {"seeds/x.txt": OTHER, "seeds/x.toml": b"page = 'A3'\n" + "date = '二〇二五'\n".encode("gbk")},
            "seeds/x.toml",
            "TOML files must be saved as UTF-8 (byte offset 20)",
            None,
        ),
        (
            {"seeds/a.md": md('title = "新厂房投产"').encode("gbk")},
            "seeds/a.md",
            "Markdown files must be UTF-8 (byte offset",
            None,
        ),
        (
            {"seeds/a.md": md('id = "' + "a" * 300 + '"\ntitle = "新厂房投产"')},
            "seeds/a.md",
            "id is 300 characters long; the limit is 120",
            2,
        ),
        (
            {"seeds/" + "a" * 200 + ".txt": OTHER},
            "seeds/" + "a" * 200 + ".txt",
            "its articles' ids (and URLs) would be 203 characters, the limit is 120",
            None,
        ),
        (
            {"seeds/a.md": md('title = "新厂房投产"\nzone = "' + "长" * 40 + '开发区"')},
            "seeds/a.md",
            "zone name is 43 characters long; the limit is 30",
            3,
        ),
        (
            {"seeds/a.md": md('title = "新厂房投产"\nkicker = "开发区\nzone = "x"')},
            "seeds/a.md",
            "a quoted value is not closed",
            3,
        ),
    ],
)
def test_a_bad_value_is_an_error_at_its_file_and_line(project, files, path, words, line):
    root = project({"seeds/good.txt": GOOD, **files})
    result = build_here(root)
    check(root, result, "error", path, words, line)
    assert 'datetime="2025-02-30"' not in "".join(
        p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html")
    )


GBK_AFTER = "[[zone]]\nname = '平定'\ncity = '"  # then a value saved in GBK


@pytest.mark.parametrize(
    "gazetteer, words, line",
    [
        ('[[zone]]\nname = "平定经济技术开发区"\ncity = 5\n', "city must be a string", 3),
        (
            '[[zone]]\nname = "平定经济技术开发区"\naliases = ["' + "长" * 40 + '开发区"]\n',
            "is 43 characters long; the limit is 30",
            3,
        ),
        ('[[zone]]\nname = "平定经济技术开发区\ncity = "阳泉市"\n', "a quoted value is not closed", 2),
        ('[[zone]]\nname = "平定经济技术开发区"\nname = "平定经开区"\n', "name is given twice", 3),
        (GBK_AFTER.encode() + "阳泉市'\n".encode("gbk"), f"UTF-8 (byte offset {len(GBK_AFTER.encode())})", None),
    ],
)
def test_a_bad_gazetteer_stops_the_build_with_its_line(project, gazetteer, words, line):
    root = project({"seeds/good.txt": GOOD, "seeds/zones.toml": gazetteer})
    with pytest.raises(ZoneArchiveError) as info:
        build_here(root)
    assert info.value.path == "seeds/zones.toml" and info.value.line == line and words in info.value.message
    done = run(root, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"error: seeds/zones.toml{f':{line}' if line else ''}: " in done.stderr
    assert not (root / "site").exists()  # nothing half-made


def test_a_setting_of_the_wrong_type_names_its_line(project):
    root = project()
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, raw in enumerate(lines, start=1) if raw.startswith("language ="))
    lines[line - 1] = "language = 5"
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run(root, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"error: pyproject.toml:{line}: setting language must be a string" in done.stderr


def test_the_preview_logs_each_warning_once_when_it_appears(project):
    from zonearchive.preview.child import SessionBuilder
    from zonearchive.preview.rebuild import Rebuilder
    from zonearchive.preview.reload import BuildState

    root = project({"seeds/good.txt": GOOD, "seeds/photo.jpg": b"\xff\xd8"})
    logs: list[str] = []
    rebuilder = Rebuilder(SessionBuilder(root, root / "site"), BuildState(), log=logs.append)
    rebuilder.rebuild_now()
    photo = "warning: seeds/photo.jpg: not used: a .jpg file is not read"
    said = [line for line in logs if line.startswith("warning:")]
    assert len(said) == 1 and said[0].startswith(photo)
    (root / "seeds" / "blank.txt").write_text("", encoding="utf-8")
    logs.clear()
    rebuilder.rebuild_now()
    assert [line for line in logs if line.startswith("warning:")] == [
        "warning: seeds/blank.txt: empty page: it holds no text, so nothing is published from it"
    ]


def test_a_long_list_of_warnings_is_cut_short_and_verbose_lists_them_all(project):
    root = project({"seeds/good.txt": GOOD, **{f"seeds/photos/{i:02d}.jpg": b"\xff\xd8" for i in range(25)}})
    plain = run(root, "build").stdout.splitlines()
    assert sum(line.startswith("warning: seeds/photos/") for line in plain) == 20
    assert "warning: ... and 5 more (build --verbose lists them all)" in plain
    verbose = run(root, "build", "--verbose").stdout.splitlines()
    assert sum(line.startswith("warning: seeds/photos/") for line in verbose) == 25
