"""Zones: detection from the shape of names, normalisation, inference, gazetteer."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import FIXTURE_PAGES, FIXTURE_ZONES, REPO

from zonearchive.errors import ZoneArchiveError
from zonearchive.ingest.page import extract_page
from zonearchive.sources.extract import extract_all
from zonearchive.sources.gazetteer import load_gazetteer
from zonearchive.zones.assign import assign_zones
from zonearchive.zones.mentions import find_mentions

# What a careful reader puts each seed article under (seed-notes.md), in page order.
SEED_ZONES = [
    "永济经济技术开发区",
    "云冈经济技术开发区",
    "神池现代农业产业示范区",
    "平定经济技术开发区",
    "高平经济技术开发区",
    "中北高新区",
    "灵石经济技术开发区",
    "朔州经济开发区",
    "上党经济技术开发区",
    "山西转型综改示范区",
    "永济经济技术开发区",
]


def _seed_articles():
    return extract_all([(FIXTURE_PAGES, "seeds")]).articles


def test_seed_articles_land_in_their_zones_with_the_gazetteer():
    articles = _seed_articles()
    assign_zones(articles, load_gazetteer(FIXTURE_ZONES))
    assert [a.zone for a in articles] == SEED_ZONES


def test_seed_zones_are_found_without_any_gazetteer():
    articles = _seed_articles()
    zones = assign_zones(articles, [])
    got = [a.zone for a in articles]
    # Without the gazetteer the names are the ones the paper printed in full.
    assert got == SEED_ZONES
    assert len({z.slug for z in zones}) == len(zones)
    assert all(z.slug.isascii() for z in zones)


def test_the_mayors_visit_is_inferred_from_the_city():
    articles = _seed_articles()
    assign_zones(articles, [])
    mayor = articles[-1]
    assert mayor.kicker == "永济市委副书记、市长谢澎"
    assert mayor.zone == "永济经济技术开发区"
    assert not any(m.text == "永济经济技术开发区" for b in mayor.blocks for m in find_mentions(b.text))


def test_short_and_full_names_are_one_zone():
    page = (
        "科学导报讯 近日，晋城经济技术开发区（以下简称晋城经开区）新增企业10家。晋城经开区还召开了大会。 李明\n"
        "科学导报讯 长治高新技术产业开发区招商成果丰硕，长治高新区引进项目5个。 王强\n"
        "科学导报讯 记者日前从晋城经开区获悉，项目进展顺利，企业生产经营持续向好。 张丽\n"
    )
    articles = extract_page(page, "p.txt", "p").articles
    zones = assign_zones(articles, [])
    assert [a.zone for a in articles] == ["晋城经济技术开发区", "长治高新技术产业开发区", "晋城经济技术开发区"]
    assert {z.name: len(z.articles) for z in zones} == {"晋城经济技术开发区": 2, "长治高新技术产业开发区": 1}


def test_a_zone_absent_from_the_gazetteer_gets_its_own_zone_and_page(project):
    page = "科学导报讯 交城经济开发区今年新签约项目12个，总投资56亿元，交城经济开发区产业集聚效应显现。 李明\n"
    root = project({"seeds/p.txt": page}, seeds=True)
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    zone_pages = [p.parent.name for p in (root / "site" / "zones").glob("*/index.html")]
    assert "jiaocheng-jingkaiqu" in zone_pages
    html = (root / "site" / "zones" / "jiaocheng-jingkaiqu" / "index.html").read_text()
    assert "交城经济开发区" in html and "p-01" in html


def test_an_article_with_no_zone_is_listed_under_other():
    articles = extract_page("本报讯 今天天气晴朗，市民纷纷外出游玩，公园里人头攒动。 李明\n", "w.txt", "w").articles
    zones = assign_zones(articles, [])
    assert articles[0].zone is None
    assert [(z.name, z.slug, len(z.articles)) for z in zones] == [("其他", "other", 1)]


def test_generic_mentions_are_not_zones():
    names = [
        m.prefix + m.suffix
        for m in find_mentions("举全开发区之力，全面梳理和优化经开区顶层设计，为经开区经济增长注入动力")
    ]
    articles = extract_page(
        "本报讯 举全开发区之力，全面梳理和优化经开区顶层设计，为经开区经济增长注入动力。 李明\n", "g.txt", "g"
    ).articles
    assign_zones(articles, [])
    assert articles[0].zone is None
    assert names  # the suffixes were seen; none became a zone


@pytest.mark.parametrize(
    "content, line, words",
    [
        ('[[zone]]\nname = "甲经济开发区"\nslug = "Bad Slug"\n', 3, "bad slug"),
        ('[[zone]]\nname = "甲经济开发区"\ncolour = "red"\n', 3, "unknown key 'colour'"),
        (
            '[[zone]]\nname = "甲经济开发区"\naliases = ["甲经开区"]\n\n[[zone]]\nname = "乙经济开发区"\naliases = ["甲经开区"]\n',
            7,
            "duplicate name or alias '甲经开区'",
        ),
        (
            '[[zone]]\nname = "甲经济开发区"\nslug = "same"\n[[zone]]\nname = "乙经济开发区"\nslug = "same"\n',
            6,
            "already used by 甲经济开发区",
        ),
        ('[[zone]\nname = "x"\n', 1, "a [table] line is not closed by ]"),
    ],
)
def test_bad_gazetteer_data_names_file_and_line(tmp_path, content, line, words):
    path = tmp_path / "zones.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ZoneArchiveError) as info:
        load_gazetteer(path)
    assert info.value.path == str(path) and info.value.line == line
    assert words in str(info.value)


def test_slug_collision_is_an_error_naming_both_zones(tmp_path):
    # The gazetteer gives one zone the slug that another zone's name transliterates to.
    path = tmp_path / "zones.toml"
    path.write_text('[[zone]]\nname = "晋城经济技术开发区"\nslug = "taiyuan-gaoxinqu"\n', encoding="utf-8")
    page = (
        "本报讯 晋城经济技术开发区项目开工，晋城经济技术开发区招商顺利。 李明\n"
        "本报讯 太原高新技术产业开发区项目投产，太原高新区发展良好。 王强\n"
    )
    with pytest.raises(ZoneArchiveError) as info:
        assign_zones(extract_page(page, "p.txt", "p").articles, load_gazetteer(path))
    assert "晋城经济技术开发区" in str(info.value) and "太原高新技术产业开发区" in str(info.value)
    assert "taiyuan-gaoxinqu" in str(info.value)


def test_the_gazetteer_slug_wins_over_a_wrong_transliteration(tmp_path):
    page = "本报讯 长治高新技术产业开发区项目投产，长治高新区发展良好。 王强\n"
    # 长 is polyphonic (cháng/zhǎng); a transliterator may read 长治 as "zhangzhi".
    path = tmp_path / "zones.toml"
    path.write_text(
        '[[zone]]\nname = "长治高新技术产业开发区"\naliases = ["长治高新区"]\nslug = "changzhi-hitech"\n',
        encoding="utf-8",
    )
    zones = assign_zones(extract_page(page, "p.txt", "p").articles, load_gazetteer(path))
    assert [(z.name, z.slug) for z in zones] == [("长治高新技术产业开发区", "changzhi-hitech")]
