"""Per-field extraction accuracy on generated pages, and extraction time per page.

    python benchmarks/ingest_accuracy.py [--pages 1000]

Prints a table and JSON. A benchmark, not a test: it reports, it does not fail."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from pagegen import make_page  # noqa: E402

from zonearchive.ingest.decode import decode_page  # noqa: E402
from zonearchive.ingest.page import extract_file, extract_page  # noqa: E402

FIELDS = ["title", "kicker", "subtitle", "byline", "dateline"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    right = dict.fromkeys(FIELDS + ["headings", "paragraphs", "count"], 0)
    total = dict.fromkeys(right, 0)
    times = []
    pages_exact = 0
    for seed in range(args.pages):
        raw, _, truth = make_page(seed)
        started = time.perf_counter()
        text, _ = decode_page(raw, "g")
        got = extract_page(text, "g", "g").articles
        times.append(time.perf_counter() - started)
        total["count"] += 1
        right["count"] += len(got) == len(truth)
        if len(got) != len(truth):
            continue
        exact = True
        for a, t in zip(got, truth):
            for f in FIELDS:
                want = getattr(t, f)
                if f == "title" and want is None:
                    ok = a.title_derived
                else:
                    ok = getattr(a, f) == want
                total[f] += 1
                right[f] += ok
                exact &= ok
            heads = [b.text for b in a.blocks if b.type == "heading"] == [x for k, x in t.blocks if k == "heading"]
            paras = [b.text for b in a.blocks if b.type == "paragraph"]
            want_paras = [x for k, x in t.blocks if k == "paragraph"]
            total["headings"] += 1
            right["headings"] += heads
            # paragraphs: share of true paragraphs recovered exactly
            total["paragraphs"] += len(want_paras)
            right["paragraphs"] += len(set(paras) & set(want_paras))
            exact &= heads and paras == want_paras
        pages_exact += exact
    seed_times = []
    for page in sorted((ROOT / "seeds").glob("*.txt")):
        for _ in range(20):
            started = time.perf_counter()
            extract_file(page)
            seed_times.append(time.perf_counter() - started)
    report = {
        "pages": args.pages,
        "accuracy": {f: round(right[f] / total[f], 4) if total[f] else None for f in right},
        "pages_exactly_right": round(pages_exact / args.pages, 4),
        "ms_per_generated_page_median": round(statistics.median(times) * 1000, 2),
        "ms_per_seed_page_median": round(statistics.median(seed_times) * 1000, 2),
    }
    print(f"{'field':<12} accuracy")
    for f, v in report["accuracy"].items():
        print(f"{f:<12} {v:.2%}")
    print(f"pages exactly right: {report['pages_exactly_right']:.2%}")
    print(
        f"extraction: {report['ms_per_seed_page_median']} ms per seed page, "
        f"{report['ms_per_generated_page_median']} ms per generated page (median)"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
