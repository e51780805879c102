"""The scale benchmark stays runnable (at a small N here; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.process  # runs zonearchive in processes of its own


@pytest.mark.slow
def test_benchmark_runs_and_reports_every_figure():
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench.py"), "--articles", "60"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["articles"] == 60
    assert "built 60 articles" in report["full_build"]["summary"]
    for run in (report["full_build"], report["no_change_rebuild"], *report["one_page_edited_cli"].values()):
        assert {"wall_s", "cpu_s", "peak_rss_mib"} <= set(run)
    assert "built 61 articles" in report["one_page_edited_cli"]["article_added"]["summary"]
    for edit in ("word_fix", "article_added"):
        preview = report["one_page_edited_preview"][edit]
        assert len(preview["pages_s"]) == len(preview["search_s"]) == 3
    assert report["first_query_10pct"]["matches"] > 0 and report["first_query_common"]["total_kb"] > 0
