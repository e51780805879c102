"""Scale benchmark: generate N articles' worth of raw pages, build, measure.

    python benchmarks/bench.py --articles 10000 [--keep DIR]

Prints a table and a JSON line: full build wall/CPU time, peak RSS, output size,
search index size, bytes a first query fetches (gzip, as GitHub Pages serves), a
no-change rebuild, and rebuilds after one edited page (a word fixed; an article
added) both as the live preview makes them (pages published, then search files)
and as a fresh `build` command does. A benchmark, not a test."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from pagegen import (  # noqa: E402
    CORPUS,
    DATELINES,
    GIVEN,
    PLACE_CHARS,
    SURNAMES,
    ZONE_SUFFIXES,
    TrueArticle,
    _clause,
    typeset_article,
)


def make_archive(folder: Path, n_articles: int, seed: int = 0) -> int:
    """Pages of 2-8 articles of ~1500 characters; ~60 zones, Zipf-spread."""
    rng = random.Random(seed)
    zones = []
    while len(zones) < 60:
        z = "".join(rng.sample(PLACE_CHARS, 2)) + rng.choice(ZONE_SUFFIXES)
        if z not in zones:
            zones.append(z)
    weights = [1 / (i + 1) for i in range(len(zones))]
    made = page_no = 0
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    while made < n_articles:
        count = min(rng.randint(2, 8), n_articles - made)
        lines = []
        for _ in range(count):
            zone = rng.choices(zones, weights)[0]
            paragraphs = []
            while sum(len(p) for p in paragraphs) < 1400:
                text = "".join(rng.choice(CORPUS) for _ in range(rng.randint(3, 6)))
                paragraphs.append(text)
            paragraphs[0] = zone + "：" + paragraphs[0]
            blocks = [("paragraph", p) for p in paragraphs]
            title = _clause(rng, 6, 16, source=paragraphs[1:] or paragraphs)
            article = TrueArticle(
                title, zone, None, rng.choice(SURNAMES) + rng.choice(GIVEN), rng.choice(DATELINES), blocks
            )
            lines.extend(typeset_article(article, rng, headline_after=False, byline_inline=True))
        text = "\n\n".join(lines) + "\n"
        (folder / "seeds" / f"{page_no:05d}.txt").write_text(text, encoding="utf-8")
        made += count
        page_no += 1
    return page_no


def timed_build(root: Path, code: Path = ROOT) -> dict:
    """One `build` process of the code at ``code`` (this checkout, or --base's)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(code / "build.py"), "--root", str(root), "build"],
            stdout=out,
            stderr=err,
            env={**os.environ, "PYTHONPATH": str(code)},
        )
        _, status, usage = os.wait4(process.pid, 0)  # this process's own CPU and peak RSS
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(err.read())
        return {
            "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "summary": out.read().strip().splitlines()[-1],
        }


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def _manifest(site: Path) -> dict:
    return json.loads((site / "search/index/manifest.json").read_text())


PAGE, PREFETCH_LENGTHS = 5, 16  # as in static/search.js


def _lengths(site: Path, manifest: dict):
    from zonearchive.render.search import read_lengths

    return read_lengths(manifest, lambda name: (site / "search/index" / name).read_bytes())


def query_bytes(site: Path, term: str) -> dict:
    """Bytes (gzip) a browser fetches for a first query of ``term``: the search page,
    tokenizer, search.js, CSS, manifest, shards, the field lengths of the documents
    found, the URLs files of the results shown, and their article pages."""
    from zonearchive.render.search import read_shard, read_urls, shard_for
    from zonearchive.render.search.index import LENGTH_DOCS, URL_DOCS
    from zonearchive.render.search.reading import lengths_file, urls_file
    from zonearchive.render.tokenize import tokenize

    manifest = _manifest(site)
    lengths = _lengths(site, manifest)
    fixed = sum(
        gz(site / p)
        for p in [
            "search/index.html",
            "static/tokenize.js",
            "static/search.js",
            "static/style.css",
            "search/index/manifest.json",
        ]
    )
    shards = set()
    hits = None
    for t in set(tokenize(term)):
        name = shard_for(manifest, t)
        shards.add(name)
        entry = read_shard((site / "search/index" / name).read_bytes(), manifest, lengths).get(t, {})
        docs = {doc for postings in entry.values() for doc, _ in postings}
        hits = docs if hits is None else hits & docs
    shard_bytes = sum(gz(site / "search/index" / s) for s in shards)
    chunks = {d // LENGTH_DOCS for d in hits or []}
    if len(manifest["lengths"]) <= PREFETCH_LENGTHS:  # search.js fetches them all as the page loads
        chunks = set(range(len(manifest["lengths"])))
    length_bytes = sum(gz(site / "search/index" / lengths_file(k, manifest["lengths"][k])) for k in chunks)
    shown = sorted(hits or [])[:PAGE]
    pages = read_urls(manifest, lambda name: (site / "search/index" / name).read_bytes())
    listed = {d // URL_DOCS for d in shown}  # the URLs files, then the result pages themselves
    doc_bytes = sum(gz(site / "search/index" / urls_file(k, manifest["urls"][k])) for k in listed)
    doc_bytes += sum(gz(site / pages[d] / "index.html") for d in shown)
    return {
        "term": term,
        "matches": len(hits or []),
        "total_kb": round((fixed + shard_bytes + length_bytes + doc_bytes) / 1024, 1),
        "shards_kb": round(shard_bytes / 1024, 1),
        "lengths_kb": round(length_bytes / 1024, 1),
        "fixed_kb": round(fixed / 1024, 1),
        "results_kb": round(doc_bytes / 1024, 1),
    }


def pick_terms(site: Path, n_docs: int) -> tuple[str, str]:
    """A two-character term in ~10% of articles, and the most common term."""
    from zonearchive.render.search import read_shard, shard_names

    manifest = _manifest(site)
    lengths = _lengths(site, manifest)
    best_ten = (None, 1e9)
    best_all = (None, -1)
    for name in filter(None, shard_names(manifest)):
        for term, entry in read_shard((site / "search/index" / name).read_bytes(), manifest, lengths).items():
            if len(term) != 2 or not all("\u4e00" <= c <= "\u9fff" for c in term):
                continue
            df = len(entry.get("body", []))
            if abs(df - n_docs / 10) < abs(best_ten[1] - n_docs / 10):
                best_ten = (term, df)
            if df > best_all[1]:
                best_all = (term, df)
    return best_ten[0], best_all[0]


def _page(root: Path, k: int) -> Path:
    pages = sorted((root / "seeds").glob("*.txt"))
    return pages[(3 + 7 * k) % len(pages)]  # spread over the archive


def word_fix(root: Path, k: int) -> None:
    """An editor's correction inside one article: a few characters into its text."""
    page = _page(root, k)
    page.write_text(page.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")


def article_added(root: Path, k: int) -> None:
    """A short item added to a page: every later article's number moves."""
    page = _page(root, k)
    page.write_text(page.read_text(encoding="utf-8") + "\n本报讯 新增的一篇短讯，内容简短。 王波\n", encoding="utf-8")


EDITS = {"word_fix": word_fix, "article_added": article_added}


def session_edits(root: Path, rounds: int = 3) -> dict:
    """What the live preview does: one session, an initial build, then edits; each
    timed until its pages are published and until the search files are."""
    import gc

    from zonearchive import builder
    from zonearchive.builder import Session, build
    from zonearchive.config import load_settings

    def pages_then_search(settings, session) -> tuple[float, float]:
        started = time.perf_counter()
        if hasattr(builder, "build_pages"):
            builder.build_pages(settings, None, session)
            pages = time.perf_counter() - started
            builder.build_search(settings, session)
        else:  # an older main (--base): one call, its pages announced by a callback
            marks = []
            build(settings, session=session, on_pages=lambda *_: marks.append(time.perf_counter() - started))
            pages = marks[0]
        return pages, time.perf_counter() - started

    session = Session()
    started = time.perf_counter()
    build(load_settings(root), session=session)
    out = {"initial_s": round(time.perf_counter() - started, 2)}
    k = 2
    for name, edit in EDITS.items():
        runs = []
        for _ in range(rounds):
            session.settle()  # as the preview does while the editor reads
            gc.collect()
            time.sleep(0.3)
            edit(root, k)
            k += 1
            runs.append(pages_then_search(load_settings(root), session))
        out[name] = {"pages_s": [round(p, 3) for p, _ in runs], "search_s": [round(a, 3) for _, a in runs]}
    return out


def _project(work: Path, code: Path, seeds: Path, markdown: bool) -> Path:
    """A project of the code at ``code`` (its templates and settings) with a copy of ``seeds``;
    ``markdown``: every page turned into Markdown articles (`extract --write`, README "Editing")."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy(code / "pyproject.toml", work / "pyproject.toml")
    shutil.copytree(code / "templates", work / "templates")
    shutil.copytree(code / "static", work / "static")
    shutil.copytree(seeds, work / "seeds")
    if markdown:
        run = subprocess.run(
            [sys.executable, str(code / "build.py"), "--root", str(work), "extract", str(work / "seeds"), "--write"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(code)},
        )
        if run.returncode != 0:
            raise SystemExit(run.stderr)
        for page in (work / "seeds").glob("*.txt"):
            page.unlink()  # the Markdown files are the source now
    return work


def md_word_fix(root: Path, k: int) -> None:
    """word_fix in a Markdown article."""
    files = sorted((root / "seeds").rglob("*.md"))
    path = files[(3 + 7 * k) % len(files)]
    path.write_text(path.read_text(encoding="utf-8").replace("。", "（更正）。", 1), encoding="utf-8")


def side_by_side(args) -> None:
    """The same steps with this checkout ("new") and the code at --base ("base"),
    interleaved (base, new, base, new, ...) so a noisy machine weighs on both alike;
    medians of --rounds runs."""
    sides = {"base": Path(args.base).resolve(), "new": ROOT}
    seeds = Path(args.seeds) if args.seeds else None
    work = Path(args.keep or tempfile.mkdtemp(prefix="zonearchive-bench-"))
    if seeds is None:
        seeds = work / "generated"
        make_archive(seeds, args.articles)
        seeds = seeds / "seeds"
    kinds = ["raw"] + (["markdown"] if args.markdown else [])
    table: dict = {}
    for kind in kinds:
        projects = {
            side: _project(work / f"{side}-{kind}", code, seeds, kind == "markdown") for side, code in sides.items()
        }
        if kind == "raw":
            projects_raw = projects
        fix = word_fix if kind == "raw" else md_word_fix
        steps = [("full build", None)] if kind == "raw" else []
        steps += [("build after a word fixed", fix)]
        if kind == "raw":
            steps += [("build after an article added", article_added)]
        if kind == "markdown":  # one full build to start from
            for side, code in sides.items():
                timed_build(projects[side], code)
        k = 0
        for step, edit in steps:
            runs: dict = {side: [] for side in sides}
            for _ in range(args.rounds):
                k += 1
                for side, code in sides.items():
                    root = projects[side]
                    if edit is None:
                        shutil.rmtree(root / "site", ignore_errors=True)
                        shutil.rmtree(root / ".zonearchive-cache", ignore_errors=True)
                    else:
                        edit(root, k)
                    runs[side].append(timed_build(root, code))
                    print(f"{kind:<8} {step:<30} {side:<4} {runs[side][-1]}", flush=True)
            table[(kind, step)] = {
                side: {m: median(r[m] for r in rs) for m in ("wall_s", "cpu_s", "peak_rss_mib")}
                for side, rs in runs.items()
            }
    for side, code in sides.items():  # the live preview: one session, edits timed until pages, then search
        run = subprocess.run(
            [sys.executable, __file__, "--session", str(projects_raw[side]), "--code", str(code), "--rounds", "3"],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise SystemExit(run.stderr)
        edits = json.loads(run.stdout.strip().splitlines()[-1])
        for name in EDITS:
            for part in ("pages_s", "search_s"):
                step = f"preview {name.replace('_', ' ')}: {part[:-2]}"
                table.setdefault(("raw", step), {})[side] = {
                    "wall_s": median(edits[name][part]),
                    "cpu_s": float("nan"),  # in the session's process, with its initial build
                    "peak_rss_mib": float("nan"),
                }
    print(
        f"\n{'':<40} {'base wall':>10} {'new wall':>9} {'ratio':>6} {'base CPU':>9} {'new CPU':>8} {'base RSS':>9} {'new RSS':>8}"
    )
    for (kind, step), m in table.items():
        b, n = m["base"], m["new"]
        line = (
            f"{kind + ': ' + step:<40} {b['wall_s']:>9.2f}s {n['wall_s']:>8.2f}s {n['wall_s'] / b['wall_s']:>6.2f}"
            f" {b['cpu_s']:>8.2f}s {n['cpu_s']:>7.2f}s {b['peak_rss_mib']:>6.0f}MiB {n['peak_rss_mib']:>5.0f}MiB"
        )
        print(line.replace("nans", "   -").replace("nanMiB", "     -"))  # the preview: wall time only
    print(json.dumps({f"{k[0]}: {k[1]}": v for k, v in table.items()}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", help="keep the generated project in this folder")
    parser.add_argument("--session", help=argparse.SUPPRESS)  # internal: time preview edits in this project
    parser.add_argument("--code", help=argparse.SUPPRESS)  # internal: with --session, the checkout to import
    parser.add_argument("--base", help="side by side with the code at this checkout (e.g. the previous main)")
    parser.add_argument("--seeds", help="with --base: use these seeds (a folder) instead of generating")
    parser.add_argument("--rounds", type=int, default=3, help="with --base: runs of each step (median)")
    parser.add_argument("--markdown", action="store_true", help="with --base: also with every page as Markdown")
    args = parser.parse_args()
    if args.session:
        if args.code:  # the code under test comes first (--base runs the previous main's)
            sys.path.insert(0, str(Path(args.code).resolve()))
        print(json.dumps(session_edits(Path(args.session), args.rounds)))
        return
    if args.base:
        side_by_side(args)
        return
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="zonearchive-bench-"))
    if work.exists():
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("pyproject.toml",):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "templates", work / "templates")
    shutil.copytree(ROOT / "static", work / "static")
    pages = make_archive(work, args.articles)
    shutil.rmtree(work / ".zonearchive-cache", ignore_errors=True)
    full = timed_build(work)
    print(f"full build          {full}", flush=True)
    site = work / "site"
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = sum(p.stat().st_size for p in (site / "search").rglob("*") if p.is_file())
    ten, common = pick_terms(site, args.articles)
    q_ten = query_bytes(site, ten)
    q_all = query_bytes(site, common)
    nochange = timed_build(work)
    cli = {}
    for number, (name, edit) in enumerate(EDITS.items()):
        edit(work, number)
        cli[name] = timed_build(work)
    run = subprocess.run([sys.executable, __file__, "--session", str(work)], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(run.stderr)
    preview = json.loads(run.stdout.strip().splitlines()[-1])
    report = {
        "articles": args.articles,
        "pages": pages,
        "full_build": full,
        "no_change_rebuild": nochange,
        "one_page_edited_cli": cli,
        "one_page_edited_preview": preview,
        "output_mib": round(size / 2**20, 1),
        "search_index_mib": round(index / 2**20, 1),
        "first_query_10pct": q_ten,
        "first_query_common": q_all,
    }
    print(f"articles            {args.articles} ({pages} pages)")
    print(f"full build          {full['wall_s']} s wall, {full['cpu_s']} s CPU, {full['peak_rss_mib']} MiB peak RSS")
    print(f"no-change rebuild   {nochange['wall_s']} s")
    for name in EDITS:
        p, a = preview[name]["pages_s"], preview[name]["search_s"]
        print(
            f"{name:<19} preview: pages {median(p):.2f} s (max {max(p):.2f}), search {median(a):.2f} s (max {max(a):.2f});"
            f" build command: {cli[name]['wall_s']} s"
        )
    print(f"output              {report['output_mib']} MiB (search {report['search_index_mib']} MiB)")
    print(f"first query ~10%    {q_ten['term']}: {q_ten['matches']} matches, {q_ten['total_kb']} KB gzip fetched")
    print(f"first query common  {q_all['term']}: {q_all['matches']} matches, {q_all['total_kb']} KB gzip fetched")
    print(json.dumps(report, ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
