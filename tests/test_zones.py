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


PLACES = ["孝介", "云冈", "晋阳", "平遥", "永济"]
SUFFIXES_SEEN = ["经济技术开发区", "经开区", "高新区", "开发区", "示范区"]
BEFORE = ["", "", "，", "和", "号", "新", "号孝", "运城"]  # walked back into the prefix, or not


def _zoned(i, rng):
    from zonearchive.model.article import Article, Block

    def name():
        return rng.choice(PLACES) + rng.choice(SUFFIXES_SEEN)

    def sentence():
        return rng.choice(BEFORE) + name() + rng.choice(["开工", "签约", "举办推介会"]) + "。"

    text = "".join(sentence() for _ in range(rng.randint(0, 3)))
    if rng.random() < 0.05:
        text += "晋阳经济技术开发区（以下简称“晋阳园”）举办活动。"
    if rng.random() < 0.1:
        text += "运城市开发区企业座谈。"
    override = rng.choice(["平遥经开区", "新建园区"]) if rng.random() < 0.05 else None
    return Article(
        id=f"z{i:03d}",
        source="gen",
        title=rng.choice(BEFORE) + name() + "动态" if rng.random() < 0.5 else "园区动态",
        blocks=[Block("paragraph", text or "没有园区。")],
        zone_override=override,
    )


def _assigned(articles, zones):
    return (
        [(a.id, a.zone, a.mentions, a.title) for a in articles],
        [(z.name, z.slug, sorted(z.names), [a.id for a in z.articles]) for z in zones],
    )


@pytest.mark.parametrize("seed", range(16))
def test_the_previews_kept_verdicts_give_what_a_fresh_assignment_gives(seed):
    """The live preview keeps each article's zone verdict while the evidence it read
    is unchanged; after any edit, the zones must be those of a fresh assignment."""
    import copy
    import random

    from zonearchive.zones.assign import ZoneMemo

    rng = random.Random(seed)
    gazetteer = load_gazetteer(FIXTURE_ZONES) if seed % 2 else []  # without one, votes decide every prefix
    articles = [_zoned(i, rng) for i in range(80)]
    memo = ZoneMemo()
    assign_zones(copy.deepcopy(articles), gazetteer, memo=memo)
    for _ in range(6):
        for k in rng.sample(range(len(articles)), rng.choice([1, 1, 2, 4])):
            articles[k] = _zoned(k, rng)
        kept = copy.deepcopy(articles)
        fresh = copy.deepcopy(articles)
        assert _assigned(kept, assign_zones(kept, gazetteer, memo=memo)) == _assigned(
            fresh, assign_zones(fresh, gazetteer)
        )


@pytest.mark.parametrize(
    "texts, override",
    [
        (["来到号孝介经开区签约。"], None),  # its own name's prefix
        (["园区新闻。"], "号孝介经开区"),  # the zone an editor named
        (["运城市开发区企业座谈。"], None),  # the city's zone
        (["来到号孝介经开区（以下简称“云介经开区”）签约。", "云介经开区开工。"], None),  # a declared name
    ],
)
def test_a_vote_moved_by_another_article_changes_a_kept_verdict(texts, override):
    """Where a zone name starts is voted by the whole archive: an edit to one article
    can move another's zone (the kept verdicts of the live preview must follow)."""
    import copy

    from zonearchive.model.article import Article, Block
    from zonearchive.sources.gazetteer import GazetteerZone
    from zonearchive.zones.assign import ZoneMemo

    # Both places known: the vote moves a name between zones, the zones stay the same.
    gazetteer = [
        GazetteerZone("号孝介经济技术开发区", slug="haoxiaojie", city="运城市"),
        GazetteerZone("孝介经济技术开发区", slug="xiaojie"),
    ]

    def art(i, text, zone=None):
        return Article(
            id=f"v{i}", source="gen", title="园区动态", blocks=[Block("paragraph", text)], zone_override=zone
        )

    articles = [art(0, "园区新闻。")] + [art(i, t, override) for i, t in enumerate(texts, start=1)]
    memo = ZoneMemo()
    first = copy.deepcopy(articles)
    assign_zones(first, gazetteer, memo=memo)
    articles[0] = art(0, "，孝介经济技术开发区开工。")  # one more vote for the shorter place
    kept, fresh = copy.deepcopy(articles), copy.deepcopy(articles)
    assert _assigned(kept, assign_zones(kept, gazetteer, memo=memo)) == _assigned(fresh, assign_zones(fresh, gazetteer))
    assert (first[-1].zone, fresh[-1].zone) == ("号孝介经济技术开发区", "孝介经济技术开发区")
