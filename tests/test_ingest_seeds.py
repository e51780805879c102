"""The two real pages (frozen in tests/fixtures/pages/), end to end through
`extract --json`. Every expected value was
read off the raw pages by a person (see ../shared/docs/seed-notes.md), not copied
from the extractor's output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter

import pytest
from conftest import EXTRACT_JSON_KEYS, FIXTURE_PAGES, REPO, make_project

# (title or None when the page prints no headline, subtitle, kicker, zone, byline,
#  dateline, continued_from, section headings)
EXPECTED = [
    (
        "向新求质 小隔膜做成大产业",
        "走进山西蓝科途新材料科技有限公司",
        None,
        "永济经济技术开发区",
        "周明飞",
        None,
        None,
        ["生活处处离不开的“塑料薄膜”", "自主研发实现“5微米”的飞跃", "向“新”发力隔膜产业正当其时"],
    ),
    (
        "枝繁巢暖引凤栖 乘风而上开新局",
        "走进云冈经济技术开发区",
        None,
        "云冈经济技术开发区",
        "佚名",
        None,
        None,
        ["锚定航向 改革创新增活力", "厚积薄发 招大引强壮实力", "服务至上 优化营商聚合力"],
    ),
    (None, None, None, "神池现代农业产业示范区", None, None, None, []),
    (None, None, None, "平定经济技术开发区", "王波", "科学导报讯", None, []),
    (
        "知重负重向“新”行 干事创业见行动",
        None,
        "高平经济技术开发区",
        "高平经济技术开发区",
        "王波",
        "科学导报讯",
        None,
        [],
    ),
    (
        "12家机构入选太原市新型研发机构认定名单和培育名单",
        None,
        "中北高新区",
        "中北高新区",
        "郑婷",
        "科学导报讯",
        None,
        [],
    ),
    (
        "精准发力强服务助力企业“小升规”",
        None,
        "灵石经济技术开发区",
        "灵石经济技术开发区",
        "耿林平",
        "科学导报讯",
        None,
        [],
    ),
    (None, None, None, "朔州经济开发区", "麻洁琼", None, "A1", ["电商产业激发新质效"]),
    (
        "召开现代物流园冷链物流企业座谈会",
        None,
        "上党经济技术开发区",
        "上党经济技术开发区",
        "张丽",
        "科学导报讯",
        None,
        [],
    ),
    (
        "高端TPU薄膜新材料项目进入试生产阶段",
        None,
        "山西智创新材料科技有限公司",
        "山西转型综改示范区",
        "李阳",
        "科学导报讯",
        None,
        [],
    ),
    (
        "实地调研开发区部分重点项目",
        None,
        "永济市委副书记、市长谢澎",
        "永济经济技术开发区",
        "进晓宇",
        "科学导报讯",
        None,
        [],
    ),
]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("ingest") / "project", seeds=True)
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "extract", "seeds", "--json"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def test_every_seed_article_is_found_with_every_field(extracted):
    assert len(extracted) == len(EXPECTED)
    for article, (title, subtitle, kicker, zone, byline, dateline, cont, headings) in zip(extracted, EXPECTED):
        assert list(article) == EXTRACT_JSON_KEYS
        if title is None:
            assert article["title_derived"] is True
            assert 0 < len(article["title"]) <= 30
        else:
            assert article["title_derived"] is False
            assert article["title"] == title
        assert article["subtitle"] == subtitle
        assert article["kicker"] == kicker
        assert article["zone"] == zone
        assert article["byline"] == byline
        assert article["dateline"] == dateline
        assert article["continued_from"] == cont
        assert [b["text"] for b in article["blocks"] if b["type"] == "heading"] == headings


def test_ids_urls_and_sources(extracted):
    ids = [a["id"] for a in extracted]
    assert len(set(ids)) == len(ids)
    for a in extracted:
        assert a["id"].isascii() and re.fullmatch(r"[a-z0-9_-]+", a["id"])
        assert a["url"] == f"articles/{a['id']}/"
        assert a["source"].startswith("seeds/")
    assert [a["source"] for a in extracted] == ["seeds/000_5b8fe1ee034655b8.txt"] * 3 + [
        "seeds/001_e20a2f8db6f05151.txt"
    ] * 8


def test_paragraphs_are_rebuilt_where_the_print_broke_them(extracted):
    first = [b["text"] for b in extracted[0]["blocks"] if b["type"] == "paragraph"]
    # The print's paragraphs start at the indented lines (read off the raw page).
    assert first[0].startswith("仲夏时节，蒲坂大地") and first[0].endswith("锂电池隔膜有序下线。")
    assert first[1].startswith("山西蓝科途新材料科技有限公司（以下简称蓝科途）占地217亩，总投资19亿元")
    assert first[1].endswith("为推动行业发展贡献着力量。")
    assert first[-1].endswith("实现新能源电池的高质量发展。")
    yungang = [b["text"] for b in extracted[1]["blocks"]]
    assert "开发区是投资兴业、产业集聚的高地。" in yungang  # a one-line paragraph
    shuozhou = [b["text"] for b in extracted[7]["blocks"]]
    assert shuozhou[0].startswith("“目前交货期已排到2025年1月份")
    # "———培育。…人才是关键。" is an indented first line followed by a full line:
    # the paragraph goes on (a one-line paragraph would be followed by an indent).
    assert any(
        p.startswith("———培育。电子商务发展，人才是关键。朔州经济开发区除了每个月固定的招聘会外") for p in shuozhou
    )
    assert sum(p.startswith("———") for p in shuozhou) == 4
    assert "敢谋，才能有大格局、大气魄；实干，才能有大手笔、做出大成效。" in shuozhou
    for article in extracted:
        for block in article["blocks"]:
            if block["type"] == "paragraph":
                # never a paragraph broken mid-sentence
                assert re.search(r"[。！？”’）…；：]$", block["text"]), block["text"][-20:]


def test_extraction_damage_is_repaired_and_only_that(extracted):
    text = {a["id"]: "\n".join(b["text"] for b in a["blocks"]) for a in extracted}
    everything = "\n".join(text.values())
    assert "150℃以上的温度" in everything and "150益" not in everything
    assert "20—25℃太阳底下" in everything
    assert "360°服务到位" in everything
    assert "承诺事项清单，涵盖" in everything and "8个承诺事项，并制作" in everything
    assert "总投资19亿元" in everything and "19 亿元" not in everything
    assert "高端TPU薄膜" in everything
    assert "已完成标准地”460.92亩" in everything  # the paper's own typo stays
    assert "优选优引 优选优育" in everything  # a real space between Chinese stays


def test_nothing_lost_on_the_seeds(extracted):
    from zonearchive.ingest.repair import repair_line

    for source in ("000_5b8fe1ee034655b8.txt", "001_e20a2f8db6f05151.txt"):
        raw = (FIXTURE_PAGES / source).read_text(encoding="utf-8")
        repaired = "\n".join(repair_line(line, 0, []) for line in raw.splitlines())
        repaired = re.sub(r"[（(]\s*(上接|下转)\s*[A-Z]?\d+\s*版\s*[）)]", "", repaired)
        page_chars = Counter(ch for ch in repaired if "\u4e00" <= ch <= "\u9fff")
        got: Counter = Counter()
        for a in extracted:
            if not a["source"].endswith(source):
                continue
            fields = [a["subtitle"], a["kicker"], a["byline"], a["dateline"]] + [b["text"] for b in a["blocks"]]
            if not a["title_derived"]:
                fields.append(a["title"])
            for value in fields:
                got.update(ch for ch in value or "" if "\u4e00" <= ch <= "\u9fff")
        assert got == page_chars


def test_verbose_build_logs_every_repair(project):
    root = project(seeds=True)
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build", "--verbose"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    repairs = [line for line in run.stdout.splitlines() if line.startswith("repair ")]
    assert any("001_e20a2f8db6f05151.txt:line 29: glyph '益' -> '℃'" in line for line in repairs)
    assert any("line 468: glyph '毅' -> '°'" in line for line in repairs)
    assert any("line 569: punctuation ',' -> '，'" in line for line in repairs)
