"""The live preview's protocol, tested in this process without sockets or
browsers (as MkDocs tests its livereload): which file events rebuild, the
long-poll and its reload decision, the Host check, the overlay script, the
debounced rebuilder, and the builds it drives keeping the last good site."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from conftest import indexed_pages

from zonearchive.preview.child import SessionBuilder
from zonearchive.preview.rebuild import Outcome, Rebuilder
from zonearchive.preview.reload import BuildState
from zonearchive.preview.server import Preview, host_allowed
from zonearchive.preview.watch import edited_path

OUT = Path("/p/site")


@pytest.mark.parametrize(
    "event, src, dest, is_dir, only, edited",
    [
        ("modified", "/p/seeds/a.txt", "", False, None, "/p/seeds/a.txt"),
        ("created", "/p/seeds/new.md", "", False, None, "/p/seeds/new.md"),
        ("deleted", "/p/seeds/a.txt", "", False, None, "/p/seeds/a.txt"),
        ("moved", "/p/seeds/.a.txt.swp", "/p/seeds/a.txt", False, None, "/p/seeds/a.txt"),  # save by rename
        ("moved", "/p/seeds/a.txt", "/p/seeds/a.txt~", False, None, None),  # the backup copy
        ("opened", "/p/seeds/a.txt", "", False, None, None),  # reads are not edits
        ("closed_no_write", "/p/seeds/a.txt", "", False, None, None),
        ("closed", "/p/seeds/a.txt", "", False, None, None),
        ("modified", "/p/seeds", "", True, None, None),  # a folder's time stamp
        ("created", "/p/seeds/sub", "", True, None, "/p/seeds/sub"),
        ("modified", "/p/seeds/.#a.txt", "", False, None, None),  # Emacs lock
        ("modified", "/p/seeds/#a.txt#", "", False, None, None),  # Emacs autosave
        ("created", "/p/seeds/4913", "", False, None, None),  # vim's probe
        ("created", "/p/seeds/a.txt.swp", "", False, None, None),
        ("created", "/p/templates/.goutputstream-XYZ", "", False, None, None),  # GNOME
        ("created", "/p/seeds/a.txt.crdownload", "", False, None, None),
        ("modified", "/p/site/index.html", "", False, None, None),  # the output itself
        ("modified", "/p/seeds/__pycache__/x.pyc", "", False, None, None),
        ("modified", "/p/.git/index", "", False, None, None),
        ("modified", "/p/pyproject.toml", "", False, "pyproject.toml", "/p/pyproject.toml"),
        ("modified", "/p/README.md", "", False, "pyproject.toml", None),  # the root: settings only
    ],
)
def test_which_events_are_edits(event, src, dest, is_dir, only, edited):
    assert edited_path(event, src, dest, is_dir, OUT, only) == edited


# -- the long-poll ---------------------------------------------------------------


def test_a_waiting_page_is_answered_when_a_build_changes_it():
    state = BuildState()
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(state.wait(0, "articles/a/", timeout=60)))
    waiter.start()
    state.finished({"articles/a/index.html", "index.html"}, None)
    waiter.join()
    assert answers == [{"version": 1, "reload": True, "error": None}]


def test_only_pages_whose_file_changed_reload():
    state = BuildState()
    state.finished({"articles/a/index.html"}, None)
    assert state.wait(0, "articles/a/")["reload"] is True
    assert state.wait(0, "articles/b/")["reload"] is False
    assert state.wait(0, "")["reload"] is False  # the home page: index.html did not change
    state.finished({"index.html"}, None)
    assert state.wait(0, "")["reload"] is True  # changes add up over the builds a page missed
    assert state.wait(1, "articles/a/")["reload"] is False


def test_a_build_error_reaches_the_waiting_page_and_a_mended_build_clears_it():
    state = BuildState()
    state.finished(set(), "templates/article.html:3: template error")
    assert state.wait(0, "x/") == {"version": 1, "reload": False, "error": "templates/article.html:3: template error"}
    state.finished({"x/index.html"}, None)
    assert state.wait(1, "x/") == {"version": 2, "reload": True, "error": None}


def test_a_poll_without_news_is_answered_no_change_at_its_timeout():
    state = BuildState()
    state.finished(set(), None)
    assert state.wait(1, "x/", timeout=0) == {"version": 1, "reload": False, "error": None}


def test_a_page_from_an_earlier_run_of_the_preview_reloads():
    state = BuildState()
    state.finished(set(), None)
    assert state.wait(7, "x/", timeout=60)["reload"] is True


def test_stopping_wakes_every_waiting_page():
    state = BuildState()
    waiter = threading.Thread(target=lambda: state.wait(0, "x/", timeout=600))
    waiter.start()
    state.stop()
    waiter.join(timeout=30)
    assert not waiter.is_alive()


def _waiting(state: BuildState, page: str) -> threading.Thread:
    """A page's long-poll, waiting in a thread (as the server holds it)."""
    waiter = threading.Thread(target=lambda: state.wait(state.version, page, timeout=60))
    waiter.start()
    while not state.polls:  # registered: the build to come will tell it
        threading.Event().wait(0.001)
    return waiter


def test_the_search_step_waits_for_the_pages_told_to_reload_to_load():
    # The search files are made on the CPU the reloading pages load with: they wait
    # (at most a grace time) until those pages have loaded and polled again.
    state = BuildState()
    waiter = _waiting(state, "articles/a/")
    state.finished({"articles/a/index.html"}, None)
    waiter.join(timeout=30)
    done = threading.Event()
    step = threading.Thread(target=lambda: (state.wait_reloaded(60), done.set()))
    step.start()
    assert not done.wait(0.2)  # the page has not loaded yet
    state.loaded()  # its first poll after the reload
    step.join(timeout=30)
    assert done.is_set()


def test_nothing_to_wait_for_when_no_open_page_reloads():
    state = BuildState()
    waiter = _waiting(state, "articles/b/")
    state.finished({"articles/a/index.html"}, None)  # another page changed
    waiter.join(timeout=30)
    state.wait_reloaded(60)  # returns at once (the test would hang otherwise)
    # A page closed before it loaded again is waited for the grace time only, once.
    waiter = _waiting(state, "articles/a/")
    state.finished({"articles/a/index.html"}, None)
    waiter.join(timeout=30)
    state.wait_reloaded(0.05)
    state.wait_reloaded(60)


def test_a_page_answered_reload_after_the_build_is_waited_for_too():
    state = BuildState()
    state.finished({"articles/a/index.html"}, None)  # no page waiting at that moment
    assert state.wait(0, "articles/a/")["reload"] is True  # its poll comes just after
    done = threading.Event()
    step = threading.Thread(target=lambda: (state.wait_reloaded(60), done.set()))
    step.start()
    assert not done.wait(0.2)
    state.loaded()
    step.join(timeout=30)
    assert done.is_set()


# -- HTTP answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host, bound, allowed",
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("LOCALHOST.:8000", "127.0.0.1", True),
        ("app.localhost:8000", "127.0.0.1", True),
        ("[::1]:8000", "127.0.0.1", True),
        ("192.168.1.20:8000", "0.0.0.0", True),  # an address: no other site can be one
        ("attacker.example:8000", "127.0.0.1", False),  # DNS rebinding
        ("attacker.example", "0.0.0.0", False),
        ("localhost.attacker.example", "127.0.0.1", False),
        ("preview.lan:8000", "preview.lan", True),  # the name serve was told to bind
        (None, "127.0.0.1", True),  # HTTP/1.0 tools send none; browsers always do
    ],
)
def test_the_host_check(host, bound, allowed):
    assert host_allowed(host, bound) is allowed


def test_this_computers_own_name_is_allowed_when_bound_to_every_interface():
    import socket

    assert host_allowed(f"{socket.gethostname()}:8000", "0.0.0.0")
    assert not host_allowed(f"{socket.gethostname()}.attacker.example:8000", "0.0.0.0")


@pytest.fixture
def preview(tmp_path):
    out = tmp_path / "site"
    (out / "articles" / "a").mkdir(parents=True)
    (out / "articles" / "a" / "index.html").write_text("<html><body><h1>甲</h1></body></html>", encoding="utf-8")
    (out / "404.html").write_text("<html><body>没有这一页</body></html>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("draft")
    return Preview(out, "/archive/", BuildState())


def test_a_foreign_host_gets_nothing_of_the_site(preview):
    response = preview.respond("/archive/articles/a/", "attacker.example:8000")
    assert response.status == 403 and "甲".encode() not in response.body
    wait = preview.respond("/archive/__zonearchive/wait?since=0&path=", "attacker.example")
    assert wait.status == 403  # nor the error overlay's text


def test_pages_are_served_under_the_base_with_the_live_script(preview):
    response = preview.respond("/archive/articles/a/", "127.0.0.1:8000")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/html")
    html = response.body.decode()
    assert html.index("<h1>甲</h1>") < html.index("__zonearchive/wait") < html.index("</body>")
    assert preview.respond("/", "localhost").headers["Location"] == "/archive/"
    assert preview.respond("/archive/articles/a", "localhost").headers["Location"] == "/archive/articles/a/"


@pytest.mark.parametrize(
    "target",
    [
        "/archive/../secret.txt",
        "/archive/%2e%2e/secret.txt",
        "/archive/a%00b",
        "/archive/..%5csecret.txt",
        "/elsewhere/",
    ],
)
def test_nothing_outside_the_site_is_served(preview, target):
    response = preview.respond(target, "localhost")
    assert response.status == 404 and b"draft" not in response.body
    assert "没有这一页".encode() in response.body or target == "/archive/a%00b"


def test_the_overlay_text_cannot_end_the_script(preview):
    preview.state.finished(set(), "seeds/a.md:2: </script><script>window.__pwned=1</script>")
    html = preview.respond("/archive/articles/a/", "localhost").body.decode()
    script = html[html.index("<script>") :]
    assert script.count("</script>") == 1  # only the injected script's own end
    assert "\\u003c/script\\u003e" in script


def test_the_wait_answer_through_http(preview):
    preview.state.finished({"articles/a/index.html"}, None)
    response = preview.respond("/archive/__zonearchive/wait?since=0&path=articles/a/", "localhost")
    assert json.loads(response.body) == {"version": 1, "reload": True, "error": None}
    assert preview.state.reloading == 1
    # The reloaded page's first poll says it has loaded (the live script sends it).
    html = preview.respond("/archive/articles/a/", "localhost").body.decode()
    assert "poll(1)" in html and '"&loaded=1"' in html
    preview.respond("/archive/__zonearchive/wait?since=9&path=articles/a/&loaded=1", "localhost")  # answered at once
    assert preview.state.reloading == 0


# -- the rebuilder -----------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_a_burst_of_edits_is_one_build_and_an_edit_during_a_build_one_more():
    clock = FakeClock()
    calls = []

    def builder():
        calls.append(clock.now)
        if len(calls) == 1:
            rebuilder.poke()  # saved again while the first build runs
            rebuilder.poke()
        yield Outcome({"index.html"}, None, summary="built")

    state = BuildState()
    rebuilder = Rebuilder(builder, state, log=lambda line: None, clock=clock, sleep=clock.sleep)
    for _ in range(30):
        rebuilder.poke()
        clock.now += 0.001
    assert rebuilder.run_once()
    assert len(calls) == 1 and calls[0] >= 100.03 + rebuilder.debounce  # after a quiet spell
    assert rebuilder.pending.is_set()
    assert rebuilder.run_once()
    assert len(calls) == 2 and not rebuilder.pending.is_set() and state.version == 2


def test_pages_then_search_files_are_two_versions_for_open_pages():
    state = BuildState()
    steps = [
        Outcome({"articles/a/index.html"}, None),
        Outcome({"search/index/manifest.json", "search/index.html"}, None, "built"),
    ]
    seen = []
    logged = []

    def builder():
        for step in steps:
            yield step
            seen.append(state.wait(0, "articles/a/", timeout=0))

    Rebuilder(builder, state, log=logged.append).rebuild_now()
    assert seen[0] == {"version": 1, "reload": True, "error": None}  # the page reloads before the search files exist
    assert state.wait(1, "search/", timeout=0)["reload"] is True
    assert logged == ["built"]


def test_a_builder_that_raises_shows_the_error_and_the_next_edit_builds_again():
    state = BuildState()
    attempts = []

    def builder():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("worker blew up")
        yield Outcome({"index.html"}, None, "built")

    rebuilder = Rebuilder(builder, state, log=lambda line: None)
    rebuilder.rebuild_now()
    assert state.error == "RuntimeError: worker blew up"
    rebuilder.rebuild_now()
    assert state.error is None and len(attempts) == 2


def test_stop_ends_the_rebuild_loop():
    rebuilder = Rebuilder(lambda: iter(()), BuildState(), log=lambda line: None)
    rebuilder.start()
    rebuilder.stop()
    rebuilder.thread.join(timeout=30)
    assert not rebuilder.thread.is_alive()


# -- the builds the preview drives: the last good version stays ------------------------

ARTICLE_MD = (
    '+++\nid = "notice"\ntitle = "开发区发布新政"\nzone = "晋城经济技术开发区"\ndate = 2024-07-01\n+++\n'
    "晋城经济技术开发区近日发布新政，支持企业创新。\n"
)


def _build(builder) -> str | None:
    outcomes = list(builder())
    assert outcomes and outcomes[-1].summary, outcomes  # both commits ran
    return outcomes[-1].error


def _site_text(site: Path, pattern: str) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(site.glob(pattern)))


@pytest.mark.parametrize(
    "broken, where",
    [
        (
            ARTICLE_MD.replace("date = 2024-07-01\n", 'date = 2024-07-01\ncolour = "red"\n'),
            "seeds/notes/notice.md:6: unknown front matter key",
        ),
        (
            ARTICLE_MD.replace('title = "开发区发布新政"', 'title = "开发区发布新政'),
            "seeds/notes/notice.md:3: ",
        ),  # unclosed quote
        (
            ARTICLE_MD.replace("开发区发布新政", "开发区发布了新政").encode("gbk"),
            "seeds/notes/notice.md: Markdown files must be UTF-8",
        ),
    ],
)
def test_an_article_whose_file_breaks_keeps_its_last_good_version(project, broken, where):
    root = project(
        {
            "seeds/notes/notice.md": ARTICLE_MD,
            "seeds/other.md": ARTICLE_MD.replace("notice", "other").replace("发布新政", "召开大会"),
        }
    )
    site = root / "site"
    builder = SessionBuilder(root, site)
    assert _build(builder) is None
    file = root / "seeds" / "notes" / "notice.md"
    (file.write_bytes if isinstance(broken, bytes) else file.write_text)(broken)
    error = _build(builder)
    assert error is not None and where in error
    # The page, its zone, the lists and the search keep the last good version.
    assert "开发区发布新政" in (site / "articles" / "notice" / "index.html").read_text(encoding="utf-8")
    assert "开发区发布新政" in _site_text(site, "zones/*/index.html")
    assert "开发区发布新政" in (site / "index.html").read_text(encoding="utf-8")
    assert indexed_pages(site, "新政") == {"articles/notice/"}
    assert _build(builder) == error  # still broken: said again
    file.write_text(ARTICLE_MD.replace("开发区发布新政", "开发区发布最新政策"), encoding="utf-8")
    assert _build(builder) is None  # mended: the overlay goes
    assert "开发区发布最新政策" in (site / "articles" / "notice" / "index.html").read_text(encoding="utf-8")


def test_a_raw_page_that_becomes_unreadable_keeps_its_articles(project):
    root = project({"seeds/2024-07-01_A1.txt": "新政发布\n本报讯 开发区新项目今日开工，投资五亿元。 王波\n"})
    site = root / "site"
    builder = SessionBuilder(root, site)
    assert _build(builder) is None
    articles = sorted(p.name for p in (site / "articles").iterdir())
    (root / "seeds" / "2024-07-01_A1.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    error = _build(builder)
    assert "seeds/2024-07-01_A1.txt" in error
    assert sorted(p.name for p in (site / "articles").iterdir()) == articles
    assert "五亿元" in _site_text(site, "articles/*/index.html")


_FLAKY_WORKER = """
import json, sys
from pathlib import Path
from zonearchive.preview.child import SessionBuilder
from zonearchive.sources import extract
root = Path(sys.argv[1]); site = root / "site"
builder = SessionBuilder(root, site)
errors = [o.error for o in builder()]
before = {str(p): p.read_bytes().hex() for p in site.rglob("*") if p.is_file()}
real = extract.extract_page
def flaky(text, label, key):
    if label.endswith("p07.txt"):
        raise RuntimeError("a bug in a worker")
    return real(text, label, key)
extract.extract_page = flaky  # before the pool forks: its workers get it
for i in range(40):
    (root / f"seeds/p{i:02d}.txt").write_text(f"短讯{i}\\n本报讯 第{i}篇稿件改了，项目进展顺利。 王波\\n", encoding="utf-8")
failed = [o.error for o in builder()]
after = {str(p): p.read_bytes().hex() for p in site.rglob("*") if p.is_file()}
extract.extract_page = real
mended = [o.error for o in builder()]
page = (site / "articles" / "p07-01" / "index.html").read_text(encoding="utf-8")
print(json.dumps({"first": errors, "failed": failed, "same": before == after, "mended": mended, "page": page}))
"""


def test_a_worker_that_raises_leaves_the_site_and_the_next_edit_builds_again(project):
    # In a process of its own: this one may run threads (the browser tests'), and a
    # pool forks, so that its workers get the fault, only where no thread runs.
    import subprocess
    import sys

    pages = {f"seeds/p{i:02d}.txt": f"短讯{i}\n本报讯 第{i}篇测试稿件，项目进展顺利。 王波\n" for i in range(40)}
    root = project(pages)
    done = subprocess.run(
        [sys.executable, "-c", _FLAKY_WORKER, str(root)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
        env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["first"] == [None, None]
    assert seen["failed"] == ["RuntimeError: a bug in a worker"]
    assert seen["same"]  # the last good site, whole
    assert seen["mended"] == [None, None]
    assert "第7篇稿件改了" in seen["page"]


def test_a_build_command_beside_the_preview_does_not_stop_its_builds(project):
    from zonearchive.builder import build
    from zonearchive.config import load_settings

    root = project({"seeds/notes/notice.md": ARTICLE_MD})
    site = root / "site"
    builder = SessionBuilder(root, site)
    assert _build(builder) is None  # leaves its old tree to become the next mirror when idle
    (root / "seeds" / "notes" / "notice.md").write_text(ARTICLE_MD.replace("发布新政", "发布新规"), encoding="utf-8")
    build(load_settings(root))  # clears what other builds left beside site/, the preview's old tree too
    builder.idle()
    (root / "seeds" / "notes" / "notice.md").write_text(ARTICLE_MD.replace("发布新政", "发布新法"), encoding="utf-8")
    assert _build(builder) is None
    assert "开发区发布新法" in (site / "articles" / "notice" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "address, printed",
    [
        (("0.0.0.0", 8123), "http://0.0.0.0:8123/archive/"),  # not 127.0.0.1: every interface is open
        (("127.0.0.1", 8000), "http://127.0.0.1:8000/archive/"),
        (("::1", 8000, 0, 0), "http://[::1]:8000/archive/"),
    ],
)
def test_the_address_printed_is_the_one_bound(address, printed):
    from zonearchive.preview.server import shown_url

    class Bound:
        server_address = address

    assert shown_url(Bound(), "/archive/") == printed  # type: ignore[arg-type]


@pytest.mark.parametrize("asked_before_the_edit", [0, 1])
def test_an_edit_waiting_skips_or_stops_the_search_files_its_build_makes_anyway(project, asked_before_the_edit):
    """An edit already waiting when the pages are out (0) skips this build's search
    files; one saved while they are made (1) stops them, unwritten. Either way the
    pages stay out and the waiting edit's build makes the search files."""
    from conftest import site_tree

    from zonearchive.builder import build
    from zonearchive.config import load_settings

    page = "seeds/2024-07-01_A1.txt"
    root = project({page: "新政发布\n本报讯 开发区新项目今日开工，投资五亿元。 王波\n"})
    site = root / "site"
    builder = SessionBuilder(root, site)
    assert _build(builder) is None
    search_before = {p: b for p, b in site_tree(site).items() if p.startswith("search/")}
    (root / page).write_text("新政发布\n本报讯 开发区新项目今日开工，投资八亿元。 王波\n", encoding="utf-8")
    asked = []

    def go_on():
        asked.append(True)
        return len(asked) <= asked_before_the_edit

    outcomes = list(builder(go_on=go_on))
    assert len(asked) == 1 + asked_before_the_edit  # when stopping, asked again as the files were made
    assert outcomes[-1].summary and outcomes[-1].error is None and builder.skipped
    assert "八亿元" in _site_text(site, "articles/*/index.html")  # the pages are out
    assert {p: b for p, b in site_tree(site).items() if p.startswith("search/")} == search_before
    (root / page).write_text("新政发布\n本报讯 开发区新项目今日开工，投资九亿元。 王波\n", encoding="utf-8")
    assert _build(builder) is None  # the waiting edit's build makes the search files
    fresh = project({page: (root / page).read_text(encoding="utf-8")})
    build(load_settings(fresh, environ={}), fresh / "site")
    assert site_tree(site) == site_tree(fresh / "site")
