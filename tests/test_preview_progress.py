"""A long rebuild shows its progress in the open pages: a thin bar with the phase.
The protocol in this process (a driven clock, no sockets), the build process that
reports it, and real Chromium drawing the bar."""

from __future__ import annotations

import json
import threading

import pytest

from zonearchive.i18n import _
from zonearchive.preview.child import BuildProcess, SessionBuilder
from zonearchive.preview.rebuild import Outcome, Progress, Rebuilder
from zonearchive.preview.reload import PROGRESS_EVERY, SHOW_AFTER, BuildState
from zonearchive.preview.server import Preview, listen


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _poll(state: BuildState, since: int, bar: int = 0) -> dict:
    """A page's poll, answered at once with what it would be told."""
    return state.wait(since, "x/", timeout=0, bar=bar)


def test_a_long_build_shows_its_progress_until_it_ends():
    clock = Clock()
    state = BuildState(clock)
    state.finished(set(), None)
    state.begin()
    state.progress("reading pages", 0, 0)
    assert "progress" not in _poll(state, 1)  # a quick edit flashes no bar
    clock.now += SHOW_AFTER
    shown = _poll(state, 1)["progress"]
    assert shown["phase"] == "reading pages" and (shown["done"], shown["total"]) == (0, 0)
    # A waiting page that shows it is woken by the next phase.
    answers: list[dict] = []
    waiter = threading.Thread(target=lambda: answers.append(state.wait(1, "x/", timeout=60, bar=shown["id"])))
    waiter.start()
    clock.now += PROGRESS_EVERY
    state.progress("rendering", 500, 2000)
    waiter.join(timeout=30)
    assert answers[0]["reload"] is False
    assert {k: answers[0]["progress"][k] for k in ("phase", "done", "total")} == {
        "phase": "rendering",
        "done": 500,
        "total": 2000,
    }
    # The build is over: a page that shows the bar is woken and told it is gone.
    shown_id = answers[0]["progress"]["id"]
    waiter = threading.Thread(target=lambda: answers.append(state.wait(1, "x/", timeout=60, bar=shown_id)))
    waiter.start()
    state.end()
    waiter.join(timeout=30)
    assert answers[1] == {"version": 1, "reload": False, "error": None}
    state.finished({"x/index.html"}, None)
    assert _poll(state, 1) == {"version": 2, "reload": True, "error": None}


def test_a_quick_build_never_shows_a_bar():
    clock = Clock()
    state = BuildState(clock)
    answers: list[dict] = []
    waiter = threading.Thread(target=lambda: answers.append(state.wait(0, "x/", timeout=60, bar=0)))
    waiter.start()
    state.begin()
    for phase in ("reading pages", "rendering", "search index"):
        clock.now += SHOW_AFTER / 4
        state.progress(phase, 0, 0)
    state.finished({"x/index.html"}, None)
    state.end()
    waiter.join(timeout=30)
    assert answers == [{"version": 1, "reload": True, "error": None}]


def test_progress_wakes_pages_at_most_a_few_times_a_second():
    clock = Clock()
    state = BuildState(clock)
    state.begin()
    clock.now += SHOW_AFTER
    for done in range(1, 10_001):  # 10,000 articles rendered in one second
        clock.now += 0.0001
        state.progress("rendering", done, 10_000)
    shown = _poll(state, 0)["progress"]
    assert shown["id"] <= 1 / PROGRESS_EVERY + 1  # so many different answers, each a request per page
    assert _poll(state, 0, bar=shown["id"])["progress"] == shown  # no news yet: the same
    clock.now += PROGRESS_EVERY
    assert _poll(state, 0, bar=shown["id"])["progress"]["done"] == 10_000  # the latest is never lost


def test_a_failed_build_ends_the_bar_and_shows_the_error():
    clock = Clock()
    state = BuildState(clock)
    seen = []

    def builder():
        clock.now += SHOW_AFTER
        yield Progress("rendering", 3, 10)
        seen.append(_poll(state, 0))
        raise RuntimeError("worker blew up")

    Rebuilder(builder, state, log=lambda line: None).rebuild_now()
    assert seen[0]["progress"]["phase"] == "rendering"
    assert _poll(state, 0) == {"version": 1, "reload": False, "error": "RuntimeError: worker blew up"}


def test_the_wait_answer_and_the_page_carry_the_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    (tmp_path / "index.html").write_text("<html><body><h1>甲</h1></body></html>", encoding="utf-8")
    clock = Clock()
    preview = Preview(tmp_path, "/archive/", BuildState(clock))
    preview.state.begin()
    clock.now += SHOW_AFTER
    preview.state.progress("</script><script>window.__pwned=1</script>", 1, 2)
    answer = json.loads(preview.respond("/archive/__zonearchive/wait?since=0&bar=0&path=", "localhost").body)
    assert answer["progress"]["phase"].startswith("</script>")
    html = preview.respond("/archive/", "localhost").body.decode()
    script = html[html.index("<script>") :]
    assert script.count("</script>") == 1 and "\\u003c/script\\u003e" in script  # a phase cannot end the script
    assert json.dumps(_("Rebuilding: {phase}")) in script and "正在重新构建" in _("Rebuilding: {phase}")


def test_the_builds_report_their_phases(project):
    root = project(
        {
            "seeds/a.md": '+++\nid = "a"\ntitle = "开发区新政"\nzone = "平定经济技术开发区"\n+++\n平定经济技术开发区发布新政。\n',
            "seeds/b.md": '+++\nid = "b"\ntitle = "项目开工"\nzone = "平定经济技术开发区"\n+++\n平定经济技术开发区项目开工。\n',
        }
    )
    reports: list[tuple[str, int, int]] = []
    outcomes = list(SessionBuilder(root, root / "site", lambda *report: reports.append(report))())
    assert outcomes[-1].summary and not outcomes[-1].error
    phases = [phase for phase, _done, _total in reports]
    assert phases[0] == _("reading pages") and phases[-1] == _("search index")
    assert (_("rendering"), 2, 2) in reports  # both articles


@pytest.mark.process
def test_the_build_process_sends_its_progress(project):
    root = project({"seeds/a.md": '+++\nid = "a"\ntitle = "开发区新政"\n+++\n开发区发布新政。\n'})
    builds = BuildProcess(root, root / "site")
    try:
        sent = list(builds())
    finally:
        builds.close()
    phases = [item.phase for item in sent if isinstance(item, Progress)]
    assert phases[0] == "reading pages" and "rendering" in phases and phases[-1] == "search index"
    assert isinstance(sent[-1], Outcome) and sent[-1].summary and not sent[-1].error


# -- in Chromium -----------------------------------------------------------------------


def test_the_bar_shows_the_phase_while_a_long_build_runs_and_goes_when_it_ends(page, tmp_path):
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head><title>预览</title></head><body><h1>开发区新闻</h1></body></html>",
        encoding="utf-8",
    )
    state = BuildState()
    state.finished(set(), None)
    server = listen("127.0.0.1", 0, Preview(tmp_path, "/", state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gates = [threading.Event(), threading.Event()]

    def builder():  # a long build, held in each phase until the test has looked
        yield Progress("reading pages")
        gates[0].wait(30)
        yield Progress("rendering", 3, 10)
        gates[1].wait(30)
        yield Outcome(set(), None, summary="built")  # this page did not change: no reload

    build = threading.Thread(target=Rebuilder(builder, state, log=lambda line: None).rebuild_now)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        heading = page.locator("h1").bounding_box()
        page.evaluate("window.__stay = 1")
        build.start()
        bar = page.wait_for_selector("#__za_progress", timeout=10000)
        assert bar.get_attribute("role") == "progressbar"
        assert bar.get_attribute("aria-label") == _("Rebuilding: {phase}").format(phase="reading pages")
        assert bar.get_attribute("aria-valuenow") is None  # the total is unknown: indeterminate
        assert page.text_content("#__za_phase") == _("Rebuilding: {phase}").format(phase="reading pages")
        box = bar.bounding_box()
        assert box is not None and (box["y"], box["height"]) == (0, 3)
        assert page.locator("h1").bounding_box() == heading  # drawn over the page: nothing moved
        slide = "getComputedStyle(document.querySelector('#__za_progress > div')).animationName"
        assert page.evaluate(slide) == "za-slide"
        page.emulate_media(reduced_motion="reduce")
        assert page.evaluate(slide) == "none"

        gates[0].set()
        page.wait_for_selector("#__za_progress[aria-valuenow='3']", timeout=10000)
        assert (bar.get_attribute("aria-valuemin"), bar.get_attribute("aria-valuemax")) == ("0", "10")
        assert bar.get_attribute("aria-label") == _("Rebuilding: {phase}").format(phase="rendering")
        assert page.text_content("#__za_phase") == _("Rebuilding: {phase}").format(phase="rendering") + " 3/10"

        gates[1].set()
        page.wait_for_selector("#__za_progress", state="detached", timeout=10000)
        assert page.query_selector("#__za_phase") is None
        assert page.evaluate("window.__stay") == 1 and page.js_errors == []  # type: ignore[attr-defined]
    finally:
        for gate in gates:
            gate.set()
        build.join(timeout=30)
        state.stop()
        server.shutdown()
        server.server_close()
