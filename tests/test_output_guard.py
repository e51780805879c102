"""The output folder is the build's alone: folders zonearchive did not make are
refused before anything is touched, one build at a time writes a folder, and a full
or read-only disk leaves the old site whole."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, site_tree

from zonearchive import cli
from zonearchive.builder import Session, build
from zonearchive.config import load_settings
from zonearchive.errors import ZoneArchiveError
from zonearchive.publish import tree as trees
from zonearchive.publish import writer
from zonearchive.publish.guard import MARKER, OutputLock

PAGE = "000_5b8fe1ee034655b8"


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder`` (folders as None), to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))}


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def errors(stderr: str) -> list[str]:
    """The error lines (progress lines aside); a traceback fails the test."""
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("error")]


def stale_trees(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob(".site.*") if p.is_dir())


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


@pytest.fixture
def user_folder(tmp_path):
    """A folder of someone's own files, a git repository among them."""
    folder = tmp_path / "mine"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "notes.txt").write_text("我的笔记\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "out, named, reason",
    [
        (".", None, "it is the project folder"),
        ("seeds", "seeds", "it is the seeds folder"),
        ("seeds/out", "seeds/out", "it is inside the seeds folder"),
        ("templates", "templates", "it is the templates folder"),
        ("static/site", "static/site", "it is inside the static folder"),
        (".zonearchive-cache", ".zonearchive-cache", "it is the cache folder"),
        ("..", None, "it holds the project folder"),
        ("user", None, "holds files zonearchive did not make (.git, notes.txt)"),
    ],
)
def test_refused_folders_are_named_and_left_byte_identical(project, user_folder, capsys, out, named, reason):
    root = project(seeds=True)
    (root / ".zonearchive-cache").mkdir()
    (root / ".zonearchive-cache" / "keep").write_text("x")
    target = user_folder if out == "user" else (root / out).resolve()
    whole = root.parent  # the project, its parent, and the user's folder beside it
    before = tree(whole)
    code, stdout, stderr = run_cli(capsys, "--root", str(root), "build", "--out", str(target))
    assert code == 1 and stdout == ""
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stderr.startswith(f"error: {named or target}: refused as output folder: ")
    assert reason in stderr and "nothing was written" in stderr
    assert tree(whole) == before


def test_output_dot_in_pyproject_is_refused(project, capsys):
    root = project(seeds=True)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('output = "site"', 'output = "."'), encoding="utf-8"
    )
    before = tree(root)
    code, _, stderr = run_cli(capsys, "--root", str(root), "build")
    assert code == 1 and f"error: {root}: refused as output folder: it is the project folder" in stderr
    code, _, stderr = run_cli(capsys, "--root", str(root), "clean")
    assert code == 1 and "it is the project folder" in stderr
    assert tree(root) == before


def test_the_home_folder_and_the_root_are_refused(project, tmp_path, monkeypatch, capsys):
    root = project(seeds=True)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "config").write_text("Host *\n")
    monkeypatch.setenv("HOME", str(home))
    before = tree(home)
    code, _, stderr = run_cli(capsys, "--root", str(root), "build", "--out", str(home))
    assert code == 1 and f"error: {home}: refused as output folder: it is the home folder" in stderr
    assert tree(home) == before
    top = sorted(os.listdir("/"))
    code, _, stderr = run_cli(capsys, "--root", str(root), "build", "--out", "/")
    assert code == 1 and "error: /: refused as output folder: it is the file-system root" in stderr
    assert sorted(os.listdir("/")) == top


def test_serve_refuses_a_folder_before_serving_anything(project, capsys):
    root = project(seeds=True)
    before = tree(root)
    code, stdout, stderr = run_cli(capsys, "--root", str(root), "serve", "--out", str(root / "seeds"), "--port", "0")
    assert code == 1 and "serving" not in stdout
    assert "error: seeds: refused as output folder: it is the seeds folder" in stderr
    assert tree(root) == before


def test_an_empty_folder_and_a_previous_build_are_written(project, tmp_path, capsys):
    root = project(seeds=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(capsys, "--root", str(root), "build", "--out", str(empty))[0] == 0
    assert (empty / MARKER).read_text().startswith("This folder is made by zonearchive")
    (root / "seeds" / f"{PAGE}.txt").unlink()
    assert run_cli(capsys, "--root", str(root), "build", "--out", str(empty))[0] == 0  # it carries the marker now
    assert not (empty / "articles" / f"{PAGE}-01").exists()


def test_a_site_built_before_the_marker_is_accepted_until_it_holds_a_foreign_file(project, capsys):
    root = project(seeds=True)
    assert run_cli(capsys, "--root", str(root), "build")[0] == 0
    stat = (root / "site").stat()
    (root / "site" / MARKER).unlink()  # as an older zonearchive left it: its files are in the cache's state
    os.utime(root / "site", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert run_cli(capsys, "--root", str(root), "build")[0] == 0
    assert (root / "site" / MARKER).exists()
    (root / "site" / MARKER).unlink()
    (root / "site" / "mine.html").write_text("<p>my own page</p>")
    before = tree(root / "site")
    code, _, stderr = run_cli(capsys, "--root", str(root), "build")
    assert code == 1 and "error: site: refused as output folder: it holds files zonearchive did not make" in stderr
    assert tree(root / "site") == before


def test_clean_refuses_what_a_build_would_and_removes_everything_a_build_made(project, user_folder, capsys):
    root = project(seeds=True)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('output = "site"', f'output = "{user_folder}"'), encoding="utf-8")
    before = tree(user_folder)
    code, _, stderr = run_cli(capsys, "--root", str(root), "clean")
    assert code == 1 and f"error: {user_folder}: refused as output folder" in stderr
    assert tree(user_folder) == before

    pyproject.write_text(text, encoding="utf-8")
    assert run_cli(capsys, "--root", str(root), "build")[0] == 0
    cache = sorted(p.name for p in (root / ".zonearchive-cache").iterdir())
    assert any(name.startswith("site-state-") for name in cache) and any(
        name.startswith("last-build-") for name in cache
    )
    gone = dead_pid()
    for name in (f".site.staging-{gone}", f".site.old-{gone}", f".site.spare-18f3a-{gone}"):
        (root / name / "articles").mkdir(parents=True)
        (root / name / "articles" / "index.html").write_text("stale")
    code, stdout, _ = run_cli(capsys, "--root", str(root), "clean")
    assert code == 0 and "removed site" in stdout
    assert not (root / "site").exists() and stale_trees(root) == []
    left = sorted(p.name for p in (root / ".zonearchive-cache").iterdir())
    assert not any(name.startswith(("site-state-", "last-build-")) for name in left)
    assert {"pyproject.toml", "seeds", "templates", "static"} <= set(os.listdir(root))
    code, stdout, _ = run_cli(capsys, "--root", str(root), "build")
    assert code == 0 and " 0 unchanged" in stdout  # no stale state: everything made again


def test_a_build_waits_for_the_build_holding_the_folder_and_names_it(project, tmp_path):
    root = project(seeds=True)
    out = root / "site"
    settings = load_settings(root)
    build(settings, out)
    before = site_tree(out)
    messages = []
    with OutputLock(out, root), pytest.raises(ZoneArchiveError) as caught:
        build(settings, out, wait=0.2, on_wait=messages.append)
    assert messages == [f"waiting for build pid {os.getpid()} holding .site.lock"]
    assert f"build pid {os.getpid()} is writing this output; gave up after 0.2 s" in str(caught.value)
    assert str(caught.value).startswith(".site.lock: ")
    assert site_tree(out) == before
    build(settings, out, wait=0)  # released: no wait at all


def test_a_build_beside_the_preview_session_and_the_session_after_it(project, tmp_path):
    # The preview holds the lock while it rebuilds, not while idle: a `build` runs
    # beside it, and the preview's next rebuild still equals a fresh build.
    root = project(seeds=True)
    out = root / "site"
    settings = load_settings(root)
    session = Session()
    build(settings, out, session=session)
    page = root / "seeds" / f"{PAGE}.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("锂电池隔膜", "锂电池隔膜（一）", 1), encoding="utf-8")
    build(settings, out, wait=0)  # the session's old tree is not yet settled
    session.settle()
    page.write_text(
        page.read_text(encoding="utf-8").replace("锂电池隔膜（一）", "锂电池隔膜（二）", 1), encoding="utf-8"
    )
    build(settings, out, session=session, wait=0)
    fresh = tmp_path / "fresh"
    build(settings, fresh)
    assert site_tree(out) == site_tree(fresh)
    assert "锂电池隔膜（二）" in (out / "articles" / f"{PAGE}-01" / "index.html").read_text(encoding="utf-8")


def test_staging_trees_of_dead_builds_are_removed_and_a_live_ones_kept(project):
    root = project(seeds=True)
    live = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        gone = dead_pid()
        for pid in (gone, live.pid):
            (root / f".site.staging-{pid}").mkdir()
            (root / f".site.staging-{pid}" / "index.html").write_text(f"made by {pid}")
        build(load_settings(root), root / "site")
        # (the spare mirror the build made for the next one is its own, not a stale tree)
        assert [name for name in stale_trees(root) if ".spare-" not in name] == [f".site.staging-{live.pid}"]
        assert (root / f".site.staging-{live.pid}" / "index.html").read_text() == f"made by {live.pid}"
    finally:
        live.stdin.close()
        live.wait()
    _edit_every_page(root)
    build(load_settings(root), root / "site")  # its maker gone, the next build removes it
    assert [name for name in stale_trees(root) if ".spare-" not in name] == []


def _edit_every_page(root: Path) -> None:
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "<!-- v2 -->", encoding="utf-8")


@pytest.mark.parametrize("code, after", [(errno.ENOSPC, 5), (errno.EDQUOT, 0), (errno.EROFS, 0), (errno.EACCES, 3)])
def test_a_full_or_read_only_disk_while_staging_leaves_the_old_site_whole(project, monkeypatch, capsys, code, after):
    root = project(seeds=True)
    assert run_cli(capsys, "--root", str(root), "build")[0] == 0
    before = site_tree(root / "site")
    _edit_every_page(root)
    written = []

    def failing_open(path, mode="r", *args, **kwargs):
        if "w" in mode:
            if len(written) >= after:
                raise OSError(code, os.strerror(code), path)
            written.append(path)
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", failing_open, raising=False)
    status, _, stderr = run_cli(capsys, "--root", str(root), "build")
    [line] = errors(stderr)
    assert status == 1 and line.startswith(
        f"error: site: could not write the new site ({os.strerror(code)}: .site.staging-"
    )
    assert line.endswith("the previous site is left as it was")
    assert site_tree(root / "site") == before
    assert not list(root.glob(".site.staging-*"))
    monkeypatch.undo()
    assert run_cli(capsys, "--root", str(root), "build")[0] == 0  # room again: the build goes through
    fresh = root.parent / f"{root.name}-fresh"
    build(load_settings(root), fresh)
    assert site_tree(root / "site") == site_tree(fresh)


def test_a_read_only_folder_at_the_swap_leaves_the_old_site_whole(project, monkeypatch, capsys):
    root = project(seeds=True)
    assert run_cli(capsys, "--root", str(root), "build")[0] == 0
    before = site_tree(root / "site")
    _edit_every_page(root)
    rename = os.rename

    def refusing_rename(source, target, *args, **kwargs):
        if Path(target) == root / "site" and ".site.staging-" in str(source):  # the new site may not go in
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        return rename(source, target, *args, **kwargs)

    monkeypatch.setattr(trees, "exchange", lambda a, b: False)  # the two-rename swap
    monkeypatch.setattr(os, "rename", refusing_rename)
    status, _, stderr = run_cli(capsys, "--root", str(root), "build")
    monkeypatch.undo()
    assert status == 1 and errors(stderr) == [
        ("error: site: could not write the new site (Read-only file system: site); the previous site is left as it was")
    ]
    assert site_tree(root / "site") == before
    assert not list(root.glob(".site.staging-*")) and not list(root.glob(".site.old-*"))


def _big_project(project, copies: int) -> Path:
    root = project(seeds=True)
    for i in range(copies):
        shutil.copy(REPO / "seeds" / f"{PAGE}.txt", root / "seeds" / f"copy{i:02d}.txt")
    return root


def test_two_builds_at_once_both_succeed_and_leave_the_fresh_site(project, tmp_path):
    root = _big_project(project, 40)
    cmd = [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"]
    assert subprocess.run(cmd, capture_output=True, check=False).returncode == 0
    _edit_every_page(root)
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes
    fresh = tmp_path / "fresh"
    assert subprocess.run(cmd + ["--out", str(fresh)], capture_output=True, check=False).returncode == 0
    assert site_tree(root / "site") == site_tree(fresh)
    assert not list(root.glob(".site.staging-*"))


_HOLDER = """
import sys
from pathlib import Path
from zonearchive.publish.guard import OutputLock
with OutputLock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_build_process_names_the_holder_waits_or_gives_up(project):
    root = project(seeds=True)
    cmd = [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(root / "site")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        quick = subprocess.run(cmd + ["--wait", "0.3"], capture_output=True, text=True, check=False)
        assert quick.returncode == 1 and not (root / "site").exists()
        assert quick.stderr.endswith(
            f"error: .site.lock: build pid {holder.pid} is writing this output; "
            "gave up after 0.3 s; nothing was written\n"
        )
        waiting = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr.readline() == f"waiting for build pid {holder.pid} holding .site.lock\n"
        assert waiting.poll() is None and not (root / "site").exists()
    finally:
        holder.stdin.close()
        holder.wait()
    stdout, _ = waiting.communicate()
    assert waiting.returncode == 0 and "built 11 articles" in stdout
