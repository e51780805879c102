"""Trust: hostile and broken input never crashes ingest or loses text; a killed build
never leaves a half-written site; builds are deterministic."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from conftest import FIXTURE_PAGES, REPO, site_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from zonearchive.errors import ZoneArchiveError
from zonearchive.ingest.decode import decode_page
from zonearchive.ingest.page import extract_page

HAN = re.compile(r"[\u4e00-\u9fff]")
_T2S = OpenCC("t2s")
MARKERS = re.compile(r"[（(]\s*(上接|下转)\s*[A-Za-z]{0,2}\s*\d{1,3}\s*版\s*[）)]")
PIECES = [
    "。",
    "，",
    "、",
    "！",
    "？",
    "“",
    "”",
    "———",
    "——",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "（上接 A1 版）",
    "（下转A2版）",
    "科学导报讯 ",
    "本报讯",
    "新华社太原1月2日电 ",
    " 王波",
    "佚名",
    "150益",
    "360毅",
    "3伊4",
    ",",
    "(",
    ")",
    "经济技术开发区",
    "高新区",
    "开发区",
    "以下简称",
    "TPU",
    "19 亿元",
    "<script>",
    "{{ x }}",
    "𠀋",
    "\u3000",
    "\ufeff",
]


def _nothing_lost(text: str):
    page = extract_page(text, "fuzz.txt", "fuzz")
    articles = page.articles
    fields: Counter = Counter()
    for a in articles:
        assert a.id and a.title and len(a.title) <= 120  # a headline is at most a few short lines
        values = [a.kicker, a.subtitle, a.byline, a.dateline] + [b.text for b in a.blocks]
        if not a.title_derived:
            values.append(a.title)
        for value in values:
            fields.update(HAN.findall(value or ""))
    from zonearchive.ingest.repair import normalise_forms, repair_line

    # The repairs are the only changes: glyphs, and radicals or compatibility forms to ideographs.
    repaired = "\n".join(
        repair_line(normalise_forms(line, 0, []), 0, [])
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )
    expected = Counter(HAN.findall(MARKERS.sub("", repaired)))
    # So are Traditional-only characters in a Simplified page, each logged, each the one
    # OpenCC's own converter gives.
    for repair in page.repairs:
        if repair.kind == "variant form":
            assert repair.before != repair.after == _T2S.convert(repair.before)
            expected[repair.before] -= 1
            expected[repair.after] += 1
    assert fields == Counter({c: n for c, n in expected.items() if n})


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PIECES),
            st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80), max_size=30),
        ),
        max_size=80,
    )
)
def test_fuzz_page_like_text_loses_nothing(pieces):
    _nothing_lost("".join(pieces))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_fuzz_arbitrary_text_never_raises_and_loses_nothing(text):
    _nothing_lost(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=400))
def test_fuzz_arbitrary_bytes_decode_or_fail_clearly(data):
    try:
        text, _ = decode_page(data, "fuzz.bin")
    except ZoneArchiveError as error:
        assert "fuzz.bin" in str(error) and "byte offset" in str(error)
        return
    _nothing_lost(text)


def test_pages_of_only_punctuation_or_only_bylines():
    _nothing_lost("。，、！？“”\n" * 500)
    _nothing_lost("王波\n佚名\n李阳\n" * 300)
    _nothing_lost("。 王波\n" * 300)


def test_giant_lines_and_thousands_of_tiny_lines_stay_linear():
    line = "开发区项目建设稳步推进，企业生产经营持续向好。" * 20000  # one 460k-character line
    started = time.perf_counter()
    _nothing_lost(line)
    tiny = "项\n" * 50000
    _nothing_lost(tiny)
    assert time.perf_counter() - started < 120  # a bound on runaway growth, not a speed target


def test_a_page_over_the_size_limit_is_refused_naming_the_limit(project):
    root = project({"seeds/huge.txt": "开" * (21 * 1024 * 1024 // 3)}, seeds=True)
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "seeds/huge.txt" in result.stderr and "20 MiB limit" in result.stderr
    assert (root / "site" / "index.html").exists()  # the other pages were built


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_previous_site_complete(project):
    root = project(seeds=True)
    for i in range(40):  # enough work that a kill lands mid-build
        shutil.copy(FIXTURE_PAGES / "000_5b8fe1ee034655b8.txt", root / "seeds" / f"copy{i:02d}.txt")
    cmd = [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    old = site_tree(root / "site")
    (root / "templates" / "base.html").write_text((root / "templates" / "base.html").read_text() + "<!-- v2 -->")
    assert subprocess.run(cmd + ["--out", str(root / "new")], capture_output=True).returncode == 0
    new = site_tree(root / "new")
    outcomes = set()
    for delay in (0.05, 0.15, 0.3, 0.5, 0.8, 1.2, 2.0):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = site_tree(root / "site")
        assert now in (old, new), f"killed after {delay}s: a half-written site"
        outcomes.add("old" if now == old else "new")
        if now == new:
            break
    assert "old" in outcomes  # at least one kill landed mid-build
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert site_tree(root / "site") == new
    assert not list(root.glob(".site.staging-*"))


def test_removed_articles_leave_no_stale_files_but_cname_stays(project):
    root = project({"static/CNAME": "archive.example.org\n"}, seeds=True)
    cmd = [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"]
    subprocess.run(cmd, check=True, capture_output=True)
    assert (root / "site" / "articles" / "000_5b8fe1ee034655b8-01").exists()
    (root / "seeds" / "000_5b8fe1ee034655b8.txt").unlink()
    subprocess.run(cmd, check=True, capture_output=True)
    assert not (root / "site" / "articles" / "000_5b8fe1ee034655b8-01").exists()
    assert (root / "site" / "CNAME").read_text() == "archive.example.org\n"
    assert (root / "site" / ".nojekyll").exists()


def test_builds_are_identical_across_hash_seed_listing_order_and_time_zone(project, tmp_path):
    first = project(seeds=True)
    second = tmp_path / "second"
    shutil.copytree(first, second)
    # Same files, created in the reverse order (a different directory listing order).
    shutil.rmtree(second / "seeds")
    (second / "seeds").mkdir()
    for name in sorted(os.listdir(first / "seeds"), reverse=True):
        shutil.copy(first / "seeds" / name, second / "seeds" / name)
    base = [sys.executable, str(REPO / "build.py")]
    env = {**os.environ}
    subprocess.run(
        base + ["--root", str(first), "build"],
        check=True,
        capture_output=True,
        env={**env, "PYTHONHASHSEED": "1", "TZ": "UTC"},
    )
    subprocess.run(
        base + ["--root", str(second), "build"],
        check=True,
        capture_output=True,
        env={**env, "PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati"},
    )
    assert site_tree(first / "site") == site_tree(second / "site")


def test_two_headlines_that_can_only_claim_the_same_body():
    # Found by benchmarks/fuzz.py: a headline at each edge of a one-article page
    # can both only go to the one body; neither may crash the page or be lost.
    text = "第一条标题文字\n本报讯 正文内容，项目推进顺利。\n第二条标题文字\n"
    _nothing_lost(text)
    titles = [a.title for a in extract_page(text, "p.txt", "p").articles]
    assert sorted(titles) == ["第一条标题文字", "第二条标题文字"]
