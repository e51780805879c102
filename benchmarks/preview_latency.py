"""Live preview figures: time from saving a raw page to the open page showing the
change in Chromium, and the serve process's CPU use while idle.

    python benchmarks/preview_latency.py [PROJECT_DIR] [--runs 5]

PROJECT_DIR defaults to a project made of the tests' fixture pages (the two seed
pages); pass a benchmark project (benchmarks/bench.py --keep DIR) for a 10,000-article
archive.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_FLAGS, make_project  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

# The epoch time (ms) the current document first painted content (its DOMContentLoaded
# where the browser keeps no paint entries).
PAINTED = """(() => {
  const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
  const nav = performance.getEntriesByType('navigation')[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
})()"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("project", nargs="?")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(args.project) if args.project else make_project(Path(tempfile.mkdtemp()) / "p", seeds=True)
    pages = sorted((root / "seeds").glob("*.txt"))
    page_file = pages[len(pages) // 2]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(root / "preview-bench.log", "w")  # noqa: SIM115 - the server writes it until it is stopped
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    # The first article of the edited page.
    stem = page_file.stem.lower()
    article = f"articles/{stem}-01/"
    latencies, seen = [], []
    original = page_file.read_bytes()  # put back however the run ends: a marker left in the page skews the next run
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(url + article)
            time.sleep(1.0)
            for run in range(args.runs):
                marker = f"预览测试{run}号"
                text = page_file.read_text(encoding="utf-8")
                # Put the marker at the start of the page's first sentence (first article).
                edited = re.sub(r"^(\s*(?:\S+讯 )?)", lambda m, marker=marker: m.group(1) + marker, text, count=1)
                started, saved = time.perf_counter(), time.time()
                page_file.write_text(edited, encoding="utf-8")
                page.wait_for_function(f"document.body.textContent.includes('{marker}')", timeout=60000)
                seen.append((time.perf_counter() - started) * 1000)
                # When the reloaded page was painted, by the browser's own clock (the
                # system's, as time.time()): Playwright sees it only once it has set its
                # wait up again in the new document, ~80 ms later.
                painted = page.evaluate(PAINTED)
                latencies.append(painted - saved * 1000)
                page_file.write_text(text, encoding="utf-8")
                page.wait_for_function(f"!document.body.textContent.includes('{marker}')", timeout=60000)
                time.sleep(2.5)  # an editor reads before saving again; the preview tidies up meanwhile
            time.sleep(3)  # the last rebuild's tidying (mirror, garbage collection) is over
            before = cpu_seconds(proc.pid)
            time.sleep(10)
            idle = (cpu_seconds(proc.pid) - before) / 10 * 100
            browser.close()
    finally:
        page_file.write_bytes(original)
        proc.terminate()
        proc.wait(timeout=10)
    print(
        f"edit -> browser shows it (first paint of the reloaded page): median {statistics.median(latencies):.0f} ms, "
        f"max {max(latencies):.0f} ms over {len(latencies)} edits"
    )
    print(f"   (Playwright saw it: median {statistics.median(seen):.0f} ms, max {max(seen):.0f} ms)")
    print(f"idle CPU of serve with one page open: {idle:.2f}% of a core")
    if not args.project:
        shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
