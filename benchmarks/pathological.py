"""Pathological inputs: each is extracted (its zones assigned, its bodies rendered) in a fresh process,
reporting wall time, peak memory (max RSS) and whether it was refused (with the
message). Targets (issue 15): any input under the size limit extracts in <= 10 s and
<= 500 MB; pathological Markdown renders in <= 2 s or is refused.

    python benchmarks/pathological.py            # every case
    python benchmarks/pathological.py --case md-brackets-10k
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024
FRONT = '+++\nid = "x"\ntitle = "标题"\n+++\n'


def _nested_list(depth: int, indent: str = "    ") -> str:
    return "".join(indent * i + "- 项\n" for i in range(depth))


def _long_lines(size: int) -> str:
    paragraph = "开发区项目建设稳步推进，企业生产经营持续向好，各项指标保持增长。\n" * 3
    article = "科学导报讯 " + paragraph + "全年目标任务顺利完成。 王波\n"
    return article * (size // len(article.encode()))


# name -> (kind, content maker); kind "raw" is a page, "md" a Markdown file's body.
CASES = {
    "md-brackets-10k": ("md", lambda: "[" * 10_000),
    "md-brackets-50k": ("md", lambda: "[" * 50_000),
    "md-brackets-spread-500": ("md", lambda: ("[" + "开" * 200) * 500),
    "md-images-20k": ("md", lambda: "![" * 20_000),
    "md-open-links-20k": ("md", lambda: "[a](" * 20_000),
    "md-escapes-20k": ("md", lambda: "\\[" * 20_000),
    "md-list-500": ("md", lambda: _nested_list(500)),
    "md-list-2000": ("md", lambda: _nested_list(2000)),
    "md-list-2sp-2000": ("md", lambda: _nested_list(2000, "  ")),
    "md-quote-line-2000": ("md", lambda: ">" * 2000 + " 项\n"),
    "md-quotes-400": ("md", lambda: "".join(">" * i + " 项\n\n" for i in range(400))),
    "md-emphasis-100k": ("md", lambda: "*_" * 100_000),
    "md-at-the-limit-escapes": ("md", lambda: ("\\[开" * 2_400 + "\n\n") * 10),
    "md-at-the-limit-brackets": ("md", lambda: ("[" + "开" * 40) * 200),
    "md-plain-2mib": ("md", lambda: ("开发区项目建设稳步推进，企业生产经营持续向好。" * 20 + "\n\n") * 1400),
    "raw-mix-190k": ("raw", lambda: "[](`*" * 38_000),
    "raw-open-parens-1mib": ("raw", lambda: "（开" * 170_000),
    "raw-one-char-lines-20mib": ("raw", lambda: "项\n" * (20 * MIB // 4)),
    "raw-one-char-lines-at-limit": ("raw", lambda: "项\n" * 199_999),
    "raw-long-line-19mib": ("raw", lambda: "开发区项目建设稳步推进，企业生产经营持续向好。" * (19 * MIB // 69)),
    "raw-normal-at-line-limit": ("raw", lambda: _long_lines(199_990 * 330 // 5)),
    "raw-normal-19mib": ("raw", lambda: _long_lines(19 * MIB)),
    "raw-controls-1mib": ("raw", lambda: "开\x1b发\u202e区\ufffe。\n" * 60_000),
    "raw-headlines-run-on-at-limit": ("raw", lambda: _runs_on_page(199_000)),
    "raw-zone-names-20k": ("raw", lambda: _zone_names_page(20_000)),
    "raw-joined-digits-wide": ("raw", lambda: _joined_digits_page(16_000, 1)),
    "raw-joined-digits-many": ("raw", lambda: _joined_digits_page(200, 1_000)),
    "raw-subtitles-10k": ("raw", lambda: _subtitles_page(10_000)),
}


def _subtitles_page(blocks: int) -> str:
    """Headlines whose subtitle is followed by a short line that may be its wrapped end
    (a different one each time: each a question about the page's text near it)."""
    chars = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    sentence = "要紧盯时间节点，倒排工期、压茬推进，全力加快项目建设进度，推动项目早建成、早投产、早达效。" * 14
    body = [sentence[i : i + 60] for i in range(0, len(sentence), 60)]
    out = []
    for n in range(blocks):
        tag = "".join(chars[(n // len(chars) ** i) % len(chars)] for i in range(3))
        out += ["聚焦营商环境改善", "———走进瑞安高新技术产业开发区", "域" + tag + "建设", *body, "王波"]
    return "\n".join(out)


def _joined_digits_page(cells: int, blocks: int) -> str:
    """pdftotext's shape (blank lines at block edges), each block six lines that fill
    a column of ``cells`` and one line of digits as wide as a column and a half: each
    a candidate for a hyphen pdftotext dropped, to be looked for in a column's width."""
    line = "开" * (cells - 1) + "，"
    block = [line] * 6 + ["开" + "1" * (3 * cells) + "开。", ""]
    return "\n".join(block * blocks)


def _zone_names_page(count: int) -> str:
    """One short article per line, each naming a zone no other names, in full and short:
    an archive that knows tens of thousands of zone-like names (OCR noise makes them). Three-character
    places of one-syllable characters (ba, di, ku...), so that no two share a URL slug."""
    chars = "巴达卡拉马帕萨塔瓦哈比迪基里米皮西提布杜库鲁木普苏图胡夫"
    names = ["".join(p) for p in itertools.islice(itertools.product(chars, repeat=3), count)]
    # The short form (…开发区) is resolved against every full form's place.
    return "".join(f"本报讯 {name}经济开发区项目开工，{name}开发区投资一亿元。 王波\n" for name in names)


def _runs_on_page(lines: int) -> str:
    """Articles whose body's first line, set in one block with the headline, runs on
    into the next by a word the page prints (开发 / 区): each is a question about the
    whole page's text."""
    body = "要紧盯时间节点，倒排工期、压茬推进，全力加快项目建设进度，推动项目早建成、早投产、早达效。"
    second = "区：聚焦营商环境改善，依托省级直播电商基地，积极对接各类电商服务资源。一年当中，全区上下肩负使命任务。"
    wide = [body[i : i + 28] for i in range(0, len(body), 28)]
    narrow = [second[i : i + 13] for i in range(0, len(second), 13)]
    block = ["本报讯 瑞安高新技术产业开发区：" + wide[0], *wide[1:], "王波", "", "源宁高新技术产业开发区", ""]
    block += ["聚焦营商环境改善", "瑞安高新技术产业开发", *narrow, ""]
    return "\n".join(block * (lines // len(block)))


def run_case(name: str) -> dict:
    """In this process: make the input, extract it, render its bodies."""
    from zonearchive.errors import ZoneArchiveError
    from zonearchive.render.body import article_body_html
    from zonearchive.sources.extract import extract_all
    from zonearchive.zones.assign import assign_zones

    kind, make = CASES[name]
    text = make()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("page.txt" if kind == "raw" else "article.md")
        path.write_text(text if kind == "raw" else FRONT + text, encoding="utf-8")
        started = time.perf_counter()
        refused = None
        try:
            extraction = extract_all([(path, path.name)])
            assign_zones(extraction.articles, [])
            for article in extraction.articles:
                article_body_html(article)
            if extraction.errors:
                refused = str(extraction.errors[0])
        except ZoneArchiveError as error:
            refused = str(error)
        elapsed = time.perf_counter() - started
    return {
        "case": name,
        "bytes": len(text.encode()),
        "seconds": round(elapsed, 2),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "refused": refused,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--json", action="store_true", help="one case's figures as JSON (used internally)")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    if args.case and args.json:
        print(json.dumps(run_case(args.case)))
        return 0
    print(f"{'case':32} {'size':>9} {'time s':>7} {'peak MB':>8}  outcome")
    for name in [args.case] if args.case else CASES:
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--case", name, "--json"],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                cwd=ROOT,
                check=False,
            )
            row = json.loads(done.stdout)
        except subprocess.TimeoutExpired:
            print(f"{name:32} {'':>9} {'>' + str(int(args.timeout)):>7} {'':>8}  TIMEOUT")
            continue
        except json.JSONDecodeError:
            print(f"{name:32} crashed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        outcome = f"refused: {row['refused'][:90]}" if row["refused"] else "built"
        print(
            f"{name:32} {row['bytes'] / 1024:>8.0f}K {row['seconds']:>7.2f} {row['peak_mb']:>8}  {outcome}", flush=True
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
