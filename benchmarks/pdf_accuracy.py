"""Per-tool, per-field accuracy on generated newspaper PDFs (tests/pdfgen.py).

    python benchmarks/pdf_accuracy.py [--pages 200] [--tools pdf,pdftotext,pdfminer,pymupdf]

"pdf" reads the PDF itself (ingest/pdf) over every page; the text tools' output goes
through the text ingest, scored on the pages whose reading order the tool kept (each
article's body text appears whole and in order in the tool's text). Generated PDFs
are kept in --cache (keyed by seed and the generator's source) so reruns are quick.
A benchmark, not a test: it reports, it does not fail."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import pdfgen  # noqa: E402

from zonearchive.ingest.page import extract_page  # noqa: E402
from zonearchive.ingest.pdf.page import extract_pdf  # noqa: E402

FIELDS = ["title", "subtitle", "kicker", "byline", "dateline", "continuation", "headings", "text"]


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_pages(n: int, cache: Path, simple: bool = False) -> list[tuple[Path, list, dict]]:
    version = hashlib.sha1((ROOT / "tests" / "pdfgen.py").read_bytes() + (ROOT / "tests" / "pagegen.py").read_bytes())
    folder = cache / version.hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    maker = None
    try:
        for seed in range(n):
            path = folder / f"{'s' if simple else ''}{seed}.pdf"
            _, truth, info = pdfgen.page_html(seed, simple)
            if not path.exists():
                if maker is None:
                    maker = pdfgen.PdfMaker().__enter__()
                path.write_bytes(maker.page(seed, simple)[0])
            out.append((path, truth, info))
    finally:
        if maker:
            maker.__exit__(None, None, None)
    return out


def tool_text(tool: str, path: Path) -> str:
    if tool == "pdftotext":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if tool == "pdfminer":
        from pdfminer.high_level import extract_text

        return extract_text(str(path))
    if tool == "pymupdf":
        import pymupdf

        with pymupdf.open(str(path)) as doc:
            return "".join(page.get_text() for page in doc)
    raise ValueError(tool)


def order_kept(text: str, truth) -> bool:
    bare, at = _bare(text), 0
    for art in truth:
        body = _bare("".join(t for _, t in art.blocks))
        found = bare.find(body[:40], at)
        if found < 0:
            return False
        at = found
    return True


def _breaks(blocks: list[tuple[str, str]]) -> set[int]:
    out, at = set(), 0
    for _, text in blocks[:-1]:
        at += len(_bare(text))
        out.add(at)
    return out


def score(got, truth, right: dict, total: dict, para: dict) -> None:
    total["count"] += 1
    right["count"] += len(got) == len(truth)
    for t in truth:
        lead = _bare(t.blocks[0][1])[:20]
        match = [a for a in got if lead and lead in _bare("".join(b.text for b in a.blocks))]
        a = match[0] if match else None
        want = {
            "title": t.title,
            "subtitle": t.subtitle,
            "kicker": t.kicker,
            "byline": t.byline,
            "dateline": t.dateline,
            "continuation": getattr(t, "continued_from", None),
            "headings": [x for k, x in t.blocks if k == "heading"],
            "text": _bare("".join(x for _, x in t.blocks)),
        }
        for f in FIELDS:
            total[f] += 1
            if a is None:
                continue
            have = {
                "title": None if a.title_derived else a.title,
                "subtitle": a.subtitle,
                "kicker": a.kicker,
                "byline": a.byline,
                "dateline": a.dateline,
                "continuation": a.continued_from,
                "headings": [b.text for b in a.blocks if b.type == "heading"],
                "text": _bare("".join(b.text for b in a.blocks)),
            }[f]
            right[f] += have == want[f]
        if a is not None:
            got_breaks = _breaks([(b.type, b.text) for b in a.blocks])
            true_breaks = _breaks(t.blocks)
            para["tp"] += len(got_breaks & true_breaks)
            para["got"] += len(got_breaks)
            para["true"] += len(true_breaks)
        else:
            para["true"] += len(t.blocks) - 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--tools", default="pdf,pdftotext,pdfminer,pymupdf")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "zonearchive-pdfbench")
    parser.add_argument("--show", action="store_true", help="print the pages with a wrong field")
    args = parser.parse_args()
    reason = pdfgen.skip_reason()
    if reason:
        sys.exit(reason)
    tools = args.tools.split(",")
    pages = pdf_pages(args.pages, args.cache)
    # The text tools are also scored on pages of one column an article, which they keep in order.
    simple = pdf_pages(args.pages, args.cache, simple=True) if tools != ["pdf"] else []
    report = {
        "pages": len(pages),
        "multi_column_pages": sum(i["multi_column"] for _, _, i in pages),
        "one_column_pages": len(simple),
        "tools": {},
    }
    for tool in tools:
        right = dict.fromkeys(["count", *FIELDS], 0)
        total = dict.fromkeys(right, 0)
        para = {"tp": 0, "got": 0, "true": 0}
        kept = 0
        times = []
        for path, truth, _info in pages if tool == "pdf" else pages + simple:
            if tool == "pdf":
                started = time.perf_counter()
                got = extract_pdf(path.read_bytes(), path.name, "g").articles
                times.append(time.perf_counter() - started)
            else:
                try:
                    text = tool_text(tool, path)
                except (ImportError, OSError, subprocess.CalledProcessError) as error:
                    print(f"{tool}: skipped ({error})", file=sys.stderr)
                    break
                if not order_kept(text, truth):
                    continue
                got = extract_page(text, path.name, "g").articles
            kept += 1
            misses = sum(total.values()) - sum(right.values())
            score(got, truth, right, total, para)
            if args.show and sum(total.values()) - sum(right.values()) > misses:
                print(f"{tool}: a field is wrong on {path}", file=sys.stderr)
        if not kept:
            continue
        checks = sum(total.values())
        entry = {
            "pages_scored": kept,
            "field_checks": round(sum(right.values()) / checks, 4) if checks else None,
            "fields": {f: round(right[f] / total[f], 4) if total[f] else None for f in right},
            "paragraph_precision": round(para["tp"] / para["got"], 4) if para["got"] else None,
            "paragraph_recall": round(para["tp"] / para["true"], 4) if para["true"] else None,
        }
        if times:
            entry["ms_per_page_median"] = round(statistics.median(times) * 1000, 1)
            entry["ms_per_page_max"] = round(max(times) * 1000, 1)
        report["tools"][tool] = entry
        print(
            f"{tool}: {kept} pages scored, field checks {entry['field_checks']:.2%}, paragraphs P {entry['paragraph_precision']} R {entry['paragraph_recall']}"
        )
        print("   " + "  ".join(f"{f} {v:.2%}" for f, v in entry["fields"].items() if v is not None))
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
