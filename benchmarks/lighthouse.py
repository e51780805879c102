"""Lighthouse scores (performance, accessibility, best practices, SEO) for the home,
a zone and an article page of the seed site, served on 127.0.0.1 under a sub-path.

    npm ci && python benchmarks/lighthouse.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import CHROMIUM_FLAGS, StaticServer  # noqa: E402

from zonearchive.builder import build  # noqa: E402
from zonearchive.config import load_settings  # noqa: E402

PAGES = {"home": "", "zone": "zones/yongji-etdz/", "article": "articles/000_5b8fe1ee034655b8-01/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def main():
    out = Path(tempfile.mkdtemp()) / "site"
    build(load_settings(ROOT, environ={"SITE_URL": "http://127.0.0.1/zonearchive/"}), out)
    server = StaticServer(out, "zonearchive")
    lighthouse = ROOT / "node_modules" / ".bin" / "lighthouse"
    results = {}
    try:
        for name, path in PAGES.items():
            report = Path(tempfile.mkdtemp()) / "report.json"
            flags = " ".join(CHROMIUM_FLAGS + [f"--user-data-dir={tempfile.mkdtemp()}"])
            subprocess.run(
                [
                    str(lighthouse),
                    server.url + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--chrome-flags={flags}",
                    "--only-categories=" + ",".join(CATEGORIES),
                ],
                check=True,
                env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                timeout=300,
            )
            data = json.loads(report.read_text())
            results[name] = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
            failing = [
                a["id"]
                for a in data["audits"].values()
                if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "binary"
            ]
            print(
                f"{name:8} "
                + "  ".join(f"{c} {results[name][c]}" for c in CATEGORIES)
                + (f"  (below: {failing})" if failing else "")
            )
    finally:
        server.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
