"""Search speed in Chromium on a built site: time to first results (fetching shards
and result data) and time once the data is loaded (the same query again).

    python benchmarks/query_speed.py SITE_DIR [QUERY ...]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_FLAGS, StaticServer  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

RUN = """async (q) => {
  const results = document.getElementById('search-results');
  const t = performance.now();
  history.pushState(null, '', '?q=' + encodeURIComponent(q));
  dispatchEvent(new PopStateEvent('popstate'));
  await new Promise(resolve => { const check = () => results.dataset.state === 'done' ? resolve() : setTimeout(check, 1); check(); });
  return [performance.now() - t, results.querySelectorAll('h3').length];
}"""


def main():
    site = Path(sys.argv[1])
    queries = sys.argv[2:] or ["发展", "项目", "锂电池隔膜", "开发区招商", "高质量发展", "tpu"]
    server = StaticServer(site, "zonearchive")
    report = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(server.url + "search/")
        page.wait_for_selector("#search-results[data-state=done]", state="attached")
        for q in queries:
            first, shown = page.evaluate(RUN, q)
            again = [page.evaluate(RUN, q)[0] for _ in range(5)]
            report[q] = {"first_ms": round(first, 1), "loaded_ms": round(statistics.median(again), 1), "shown": shown}
            print(f"{q:10} first {first:7.1f} ms   loaded {statistics.median(again):6.1f} ms   ({shown} shown)")
        browser.close()
    server.close()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
