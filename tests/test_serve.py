"""The live preview, driven as an editor uses it: a real `serve` process, real
Chromium, real files edited on disk."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.process  # runs zonearchive in processes of its own

ARTICLE = "articles/001_e20a2f8db6f05151-03/"
OTHER = "articles/000_5b8fe1ee034655b8-01/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    def __init__(self, root, base=""):
        self.root = root
        self.port = _free_port()
        self.log = root / "serve.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if base:
            env["SITE_URL"] = f"http://127.0.0.1:{self.port}/{base}/"
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(self.port)],
            stdout=open(self.log, "w"),  # noqa: SIM115 - the server writes it until it is stopped
            stderr=subprocess.STDOUT,
            env=env,
        )
        self.url = f"http://127.0.0.1:{self.port}/" + (base + "/" if base else "")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(self.log.read_text())

    def builds(self) -> int:
        return len(re.findall(r"^built ", self.log.read_text(), re.M))

    def wait_builds(self, n: int, timeout: float = 15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.builds() >= n:
                return
            time.sleep(0.05)
        raise AssertionError(f"expected {n} builds:\n{self.log.read_text()}")

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


@pytest.fixture
def served(project):
    servers = []

    def start(base=""):
        server = Serve(project(seeds=True), base)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.proc.poll() is None:
            server.proc.kill()


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_shows_in_the_open_page_without_reloading_by_hand(served, page):
    server = served()
    page.goto(server.url + ARTICLE)
    assert "太原市科技局" in page.text_content(".body")
    _edit(server.root / "seeds" / "001_e20a2f8db6f05151.txt", "太原市科技局发布", "太原市科学技术局发布")
    page.wait_for_function("document.querySelector('.body').textContent.includes('太原市科学技术局')", timeout=10000)
    assert server.stop() == 0  # Ctrl-C exits cleanly


def test_a_page_whose_output_did_not_change_does_not_reload(served, page):
    server = served()
    page.goto(server.url + OTHER)
    page.evaluate("window.__stay = 1")
    before = server.builds()
    _edit(server.root / "seeds" / "001_e20a2f8db6f05151.txt", "太原市科技局发布", "太原市科学技术局发布")
    server.wait_builds(before + 1)
    time.sleep(1.0)
    assert page.evaluate("window.__stay") == 1


def test_a_broken_template_shows_an_overlay_and_mending_it_clears(served, page):
    server = served()
    page.goto(server.url + ARTICLE)
    template = server.root / "templates" / "article.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    page.wait_for_selector("#__za_error", timeout=10000)
    overlay = page.text_content("#__za_error")
    assert re.search(r"templates/article\.html:\d+: template error", overlay), overlay
    assert page.text_content("h1")  # the last good page is still there
    page.reload()
    assert page.query_selector("#__za_error") and page.text_content("h1")
    template.write_text(good.replace("<h1>", "<h1 data-mended>"), encoding="utf-8")
    page.wait_for_selector("h1[data-mended]", timeout=10000)
    assert page.query_selector("#__za_error") is None


def test_save_by_rename_and_a_burst_of_edits(served, page):
    server = served()
    page.goto(server.url + ARTICLE)
    seed = server.root / "seeds" / "001_e20a2f8db6f05151.txt"
    before = server.builds()
    # An editor saves by writing a temp file and renaming it over the page.
    temp = seed.with_name(".001_e20a2f8db6f05151.txt.swp")
    temp.write_text(
        seed.read_text(encoding="utf-8").replace("太原市科技局发布", "太原市科技部门发布"), encoding="utf-8"
    )
    os.replace(temp, seed)
    page.wait_for_function("document.querySelector('.body').textContent.includes('太原市科技部门发布')", timeout=10000)
    server.wait_builds(before + 1)
    time.sleep(0.5)
    settled = server.builds()
    # A burst (a checkout touching many files) is one rebuild.
    for i in range(30):
        (server.root / "seeds" / f"extra{i:02d}.txt").write_text(
            f"本报讯 第{i}篇测试稿件，项目进展顺利。 王波\n", encoding="utf-8"
        )
    server.wait_builds(settled + 1)
    time.sleep(1.0)
    assert server.builds() == settled + 1
    assert "extra29-01" in urllib.request.urlopen(server.url).read().decode()


def test_a_deleted_page_removes_its_articles(served):
    server = served()
    before = server.builds()
    (server.root / "seeds" / "000_5b8fe1ee034655b8.txt").unlink()
    server.wait_builds(before + 1)
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(server.url + OTHER)
    assert info.value.code == 404


def test_served_under_the_site_path_with_a_redirect_from_root(served):
    server = served(base="archive")
    root = f"http://127.0.0.1:{server.port}/"
    response = urllib.request.urlopen(root)
    assert response.geturl() == server.url
    assert "山西开发区新闻档案" in response.read().decode()
    for bad in [
        "../pyproject.toml",
        "%2e%2e/pyproject.toml",
        "%2E%2E%2Fpyproject.toml",
        "static/../../seeds/zones.toml",
    ]:
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(server.url + bad)
        assert info.value.code == 404, bad
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(server.url + "static/")  # no directory listings


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_preview_after_edits_equals_a_fresh_full_build(served, tmp_path):
    server = served()
    seed = server.root / "seeds" / "001_e20a2f8db6f05151.txt"
    before = server.builds()
    _edit(seed, "太原市科技局发布", "太原市科学技术局发布")
    server.wait_builds(before + 1)
    _edit(server.root / "templates" / "article.html", "<h1>", '<h1 class="t">')
    server.wait_builds(before + 2)
    time.sleep(0.3)
    fresh = tmp_path / "fresh"
    import shutil

    shutil.copytree(server.root / "seeds", fresh / "seeds")
    shutil.copytree(server.root / "templates", fresh / "templates")
    shutil.copytree(server.root / "static", fresh / "static")
    shutil.copy(server.root / "pyproject.toml", fresh / "pyproject.toml")
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(fresh), "build"], check=True, capture_output=True
    )
    assert _tree(server.root / "site") == _tree(fresh / "site")


def test_symlinks_out_of_the_site_are_refused(served):
    server = served()
    (server.root / "static" / "escape").symlink_to(server.root / "seeds")
    before = server.builds()
    (server.root / "static" / "touch.txt").write_text("x")
    server.wait_builds(before + 1)
    site_link = server.root / "site" / "out"
    site_link.symlink_to(server.root / "seeds")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(server.url + "out/zones.toml")
    assert info.value.code == 404


def test_many_long_poll_clients_and_a_client_that_disconnects(served):
    import concurrent.futures
    import json as _json

    server = served()
    wait_url = server.url + "__zonearchive/wait?since=%d&path=" % 1

    def poll(_):
        with urllib.request.urlopen(wait_url, timeout=60) as response:
            return _json.loads(response.read())

    # A client that goes away in the middle of a response.
    raw = socket.create_connection(("127.0.0.1", server.port))
    raw.sendall(b"GET /articles/000_5b8fe1ee034655b8-01/ HTTP/1.1\r\nHost: x\r\n\r\n")
    raw.recv(10)
    raw.close()
    with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
        futures = [pool.submit(poll, i) for i in range(200)]
        time.sleep(1.5)  # all 200 are waiting now
        _edit(server.root / "seeds" / "001_e20a2f8db6f05151.txt", "太原市科技局发布", "太原市科学技术局发布")
        answers = [f.result() for f in futures]
    assert len(answers) == 200 and all(a["version"] >= 2 for a in answers)
    assert urllib.request.urlopen(server.url, timeout=10).status == 200


def test_fixing_a_title_in_markdown_shows_in_the_preview(served, page):
    server = served()
    subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "--root",
            str(server.root),
            "extract",
            "seeds/001_e20a2f8db6f05151.txt",
            "--write",
        ],
        cwd=server.root,
        check=True,
        capture_output=True,
    )
    md = server.root / "seeds" / "001_e20a2f8db6f05151" / "001_e20a2f8db6f05151-04.md"
    page.goto(server.url + "articles/001_e20a2f8db6f05151-04/")
    page.wait_for_function(
        "document.querySelector('h1').textContent === '精准发力强服务助力企业“小升规”'", timeout=10000
    )
    _edit(md, 'title = "精准发力强服务助力企业“小升规”"', 'title = "精准发力强服务 助力企业“小升规”"')
    page.wait_for_function(
        "document.querySelector('h1').textContent === '精准发力强服务 助力企业“小升规”'", timeout=10000
    )


def test_a_settings_change_rebuilds(served):
    server = served()
    before = server.builds()
    _edit(server.root / "pyproject.toml", 'title = "山西开发区新闻档案"', 'title = "开发区档案"')
    server.wait_builds(before + 1)
    time.sleep(0.3)
    assert "<title>开发区档案</title>" in urllib.request.urlopen(server.url).read().decode()


def test_an_open_search_page_finds_words_an_edit_adds(served, page):
    server = served()
    page.goto(server.url + "search/?q=" + urllib.parse.quote("鲲鹏展翅"))
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0", timeout=10000)
    assert "没有找到" in page.text_content("#search-status")
    _edit(server.root / "seeds" / "001_e20a2f8db6f05151.txt", "太原市科技局发布", "太原市科技局鲲鹏展翅发布")
    # The search page itself is unchanged; it reloads because the index it reads did change.
    page.wait_for_function(
        "document.getElementById('search-status').textContent.startsWith('找到 1 篇')", timeout=15000
    )
    assert server.stop() == 0


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except FileNotFoundError:
            pass  # a thread that ended since the listing
    return found


def _group(pgid: int) -> list[int]:
    """Processes still in the process group ``pgid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                found.append(int(entry))
    return found


def _wait_answer(server, since: int) -> dict:
    import json as _json

    with urllib.request.urlopen(server.url + f"__zonearchive/wait?since={since}&path=", timeout=60) as response:
        return _json.loads(response.read())


def test_ctrl_c_leaves_nothing_that_holds_the_port(project):
    root = project(seeds=True)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline()
        while line and not line.startswith("serving"):
            line = proc.stdout.readline()
        assert f"at http://127.0.0.1:{port}/" in line
        assert _group(proc.pid)[1:], "the build process runs beside the server"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
        assert proc.wait(timeout=30) == 0
        with socket.socket() as again:  # a new serve on the same port, at once
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))
            again.listen()
        deadline = time.time() + 10  # the build process ends by the server's hand: wait for its exit
        while _group(proc.pid) and time.time() < deadline:
            time.sleep(0.05)
        assert _group(proc.pid) == []
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_busy_port_is_one_line_naming_it(project):
    root = project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode == 1
    assert (
        run.stderr.strip()
        == f"error: port {port} is in use by another program (another preview?); choose another with --port {port + 1}"
    )
    assert "Traceback" not in run.stdout + run.stderr


def test_a_killed_build_process_shows_the_overlay_and_the_next_edit_builds(served):
    server = served()
    seed = server.root / "seeds" / "001_e20a2f8db6f05151.txt"
    (builder,) = [
        pid for pid in _children(server.proc.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    os.kill(builder, signal.SIGKILL)
    version = _wait_answer(server, 0)["version"]
    _edit(seed, "太原市科技局发布", "太原市科学技术局发布")
    answer = _wait_answer(server, version)
    while answer["error"] is None:  # a build may have begun before the kill took
        answer = _wait_answer(server, answer["version"])
    assert "the build process stopped (killed by SIGKILL)" in answer["error"]
    assert urllib.request.urlopen(server.url + ARTICLE).status == 200  # the last good site
    before = server.builds()
    _edit(seed, "太原市科学技术局发布", "太原市科学技术局今日发布")
    server.wait_builds(before + 1, timeout=60)
    assert "今日发布" in urllib.request.urlopen(server.url + ARTICLE).read().decode()
    assert _wait_answer(server, 0)["error"] is None
    assert server.stop() == 0


def test_a_foreign_host_name_is_refused_by_the_real_server(served):
    server = served()
    raw = socket.create_connection(("127.0.0.1", server.port))
    raw.sendall(b"GET / HTTP/1.1\r\nHost: attacker.example:%d\r\nConnection: close\r\n\r\n" % server.port)
    answer = b""
    while chunk := raw.recv(4096):
        answer += chunk
    raw.close()
    assert answer.startswith(b"HTTP/1.1 403")
    assert "山西开发区新闻档案".encode() not in answer
