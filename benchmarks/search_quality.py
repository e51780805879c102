"""Search quality and cost in Chromium (issue 17).

    python benchmarks/search_quality.py [--big SITE_OF_10K_ARTICLES]

Quality: builds the seed archive (seeds/) into a temporary folder and runs the judged
queries of benchmarks/search_queries.json through the search page: MRR over the
answerable queries, MRR of the Traditional ones, single-character queries with a
relevant article in the top 3, no-answer queries that return nothing.

Cost (with --big, a site built from bench.py's make_archive, e.g. 10,000 articles):
bytes a fresh browser fetches for a first query (page, code, index, the results shown)
and for a second query, counted as GitHub Pages serves them: gzip for the MIME types
it compresses (.html .css .js .json .txt .xml .svg), raw for the rest; requests per
query; typed -> results on a desktop profile and on a 4x slowed CPU with 150 ms round
trips.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import CHROMIUM, CHROMIUM_FLAGS, StaticServer, make_project  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

COMPRESSED = (".html", ".css", ".js", ".json", ".txt", ".xml", ".svg")
RUN = """async (q) => {
  const results = document.getElementById('search-results');
  const t = performance.now();
  history.pushState(null, '', '?q=' + encodeURIComponent(q));
  dispatchEvent(new PopStateEvent('popstate'));
  await new Promise(resolve => { const check = () => results.dataset.state === 'done' ? resolve() : setTimeout(check, 2); check(); });
  return performance.now() - t;
}"""


def _results(page, base: str, query: str) -> list[str]:
    page.goto(f"{base}search/?q={quote(query)}")
    page.wait_for_selector("#search-results[data-state=done]", state="attached")
    return [
        re.sub(r".*articles/([^/]+)/?$", r"\1", a.get_attribute("href"))
        for a in page.query_selector_all("#search-results h3 a")
    ]


def quality(browser) -> dict:
    from zonearchive.builder import build
    from zonearchive.config import load_settings

    judged = json.loads((ROOT / "benchmarks" / "search_queries.json").read_text(encoding="utf-8"))["queries"]
    root = make_project(Path(tempfile.mkdtemp(prefix="zonearchive-quality-")) / "project")
    for p in (ROOT / "seeds").iterdir():
        (root / "seeds" / p.name).write_bytes(p.read_bytes())
    build(load_settings(root, environ={}), root / "site")
    server = StaticServer(root / "site", "zonearchive")
    page = browser.new_page()
    rows = []
    for item in judged:
        got = _results(page, server.url, item["q"])
        rank = next((i + 1 for i, slug in enumerate(got) if slug in item["relevant"]), None)
        rows.append({**item, "got": got[:5], "rank": rank, "count": len(got)})
    page.close()
    server.close()
    answerable = [r for r in rows if r["relevant"]]

    def mrr(rs):
        return round(sum(1 / r["rank"] for r in rs if r["rank"]) / len(rs), 3) if rs else None

    single = [r for r in rows if r["cat"] == "single"]
    none = [r for r in rows if r["cat"] == "none"]
    by_cat = {c: mrr([r for r in answerable if r["cat"] == c]) for c in sorted({r["cat"] for r in answerable})}
    for r in rows:
        mark = "ok " if (r["rank"] == 1 or (not r["relevant"] and r["count"] == 0)) else "-- "
        print(f"{mark}{r['cat']:11} {r['q']:12} rank={r['rank']} shown={r['count']}")
    return {
        "queries": len(rows),
        "mrr": mrr(answerable),
        "mrr_traditional": by_cat.get("traditional"),
        "mrr_by_category": by_cat,
        "single_top3": f"{sum(1 for r in single if r['rank'] and r['rank'] <= 3)}/{len(single)}",
        "no_answer_empty": f"{sum(1 for r in none if r['count'] == 0)}/{len(none)}",
        "misses": [(r["q"], r["rank"], r["got"][:3]) for r in answerable if r["rank"] != 1],
    }


def _served_bytes(site: Path, prefix: str, url: str) -> int:
    path = unquote(urlsplit(url).path)[len(prefix) :]
    file = site / path
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    if not file.is_file():
        return 0
    data = file.read_bytes()
    return len(gzip.compress(data, 6)) if file.name.endswith(COMPRESSED) else len(data)


def _phrase(site: Path) -> str:
    """Seven characters of document 7's text (its article page's body)."""
    from zonearchive.render.search import read_urls

    manifest = json.loads((site / "search/index/manifest.json").read_text())
    url = read_urls(manifest, lambda name: (site / "search/index" / name).read_bytes())[7]
    page = (site / url / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "\n", page.split('<div class="body">', 1)[1])
    return re.findall(r"[\u4e00-\u9fff]{7}", text)[3]


class _ServerProcess:
    """The static server in its own process: timed in the same process, its thread
    competes with playwright for the interpreter and adds its waits to the query's."""

    def __init__(self, site: Path):
        code = (
            "import sys, time; sys.path.insert(0, sys.argv[1]); from conftest import StaticServer; "
            "s = StaticServer(__import__('pathlib').Path(sys.argv[2]), 'zonearchive'); print(s.url, flush=True); "
            "time.sleep(10 ** 6)"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(ROOT / "tests"), str(site)], stdout=subprocess.PIPE, text=True
        )
        self.url = self.process.stdout.readline().strip()

    def close(self):
        self.process.terminate()
        self.process.wait()


def cost(browser, site: Path) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench import pick_terms

    documents = json.loads((site / "search/index/manifest.json").read_text())["documents"]
    two, _ = pick_terms(site, documents)
    seven = _phrase(site)
    server = _ServerProcess(site)
    prefix = "/zonearchive/"
    out = {"documents": documents, "two_char_term": two, "seven_char_phrase": seven}

    def fresh(first: str, second: str, slow: bool) -> dict:
        context = browser.new_context()
        page = context.new_page()
        if slow:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": 150, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        urls: list[str] = []
        page.on("request", lambda r: urls.append(r.url))
        page.goto(server.url + "search/")
        page.wait_for_selector("#search-results[data-state=done]", state="attached")
        first_ms = page.evaluate(RUN, first)
        first_urls = list(urls)
        del urls[:]
        second_ms = page.evaluate(RUN, second)
        second_urls = list(urls)
        context.close()
        return {
            "first_kb": round(sum(_served_bytes(site, prefix, u) for u in first_urls) / 1024, 1),
            "first_requests": len(first_urls),
            "first_ms": round(first_ms),
            "second_kb": round(sum(_served_bytes(site, prefix, u) for u in second_urls) / 1024, 1),
            "second_requests": len(second_urls),
            "second_ms": round(second_ms),
        }

    # At scale: single characters still find, queries with no answer still find nothing.
    page = browser.new_page()
    out["found_at_scale"] = {
        q: len(_results(page, server.url, q)) for q in ["膜", "砜", "量子纠缠", "区块链金融", "奥运会", "比特币"]
    }
    page.close()

    def median_of(runs: list[dict]) -> dict:
        # Bytes are the same every run; times vary with the machine: the median of three.
        return {k: statistics.median(r[k] for r in runs) if k.endswith("_ms") else runs[0][k] for k in runs[0]}

    for name, a, b, slow in [
        ("two_then_seven_desktop", two, seven, False),
        ("seven_then_two_desktop", seven, two, False),
        ("two_then_seven_slow", two, seven, True),
        ("seven_then_two_slow", seven, two, True),
    ]:
        out[name] = median_of([fresh(a, b, slow) for _ in range(3)])
    shards = [p for p in (site / "search").rglob("*") if p.is_file() and p.parent.name == "index"]
    out["index_kb_per_article"] = round(sum(p.stat().st_size for p in shards) / documents / 1024, 2)
    sizes = [p.stat().st_size for p in shards if p.name.startswith("s")]
    out["shards"] = {"count": len(sizes), "median_kb": round(statistics.median(sizes) / 1024, 1)}
    server.close()
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=Path, help="a built site of a generated archive (bench.py make_archive)")
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    report = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        if not args.skip_quality:
            report["quality"] = quality(browser)
        if args.big:
            report["cost"] = cost(browser, args.big)
        browser.close()
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
