"""相关文章 lists: what the live preview reuses after an edit must be what a fresh
computation gives."""

from __future__ import annotations

import random

import pytest

from zonearchive.model.article import Article, Block
from zonearchive.render import related as rel

WORDS = ["锂电池", "隔膜", "冷链物流", "招商引资", "光伏", "氢能", "数字经济", "新材料", "园区", "项目"]
COMPANIES = ["蓝科途", "湖大特塑", "华鑫", "晋能", "太钢"]


def _article(i: int, rng: random.Random) -> Article:
    title = "".join(rng.sample(WORDS, 2)) + f"第{i}期"
    company = rng.choice(COMPANIES)
    return Article(
        id=f"a{i:03d}", source="gen", title=title, blocks=[Block("paragraph", f"山西{company}新材料科技有限公司投产。")]
    )


def _zones(articles):
    names = ["甲开发区", "乙开发区", rel.OTHER]
    zone_of = {a.id: names[k % 3] for k, a in enumerate(articles)}
    lists = {n: [a for a in articles if zone_of[a.id] == n] for n in names}
    return zone_of, lists


def _fresh(articles, zone_of, lists):
    return {k: [a.id for a in v] for k, v in rel.related(articles, zone_of, lists).items()}


@pytest.mark.parametrize("seed", range(12))
def test_lists_after_an_edit_equal_a_fresh_computation(seed, monkeypatch):
    monkeypatch.setattr(rel, "MAX_POSTINGS", 8)  # features cross the followed / not followed line
    rng = random.Random(seed)
    articles = [_article(i, rng) for i in range(60)]
    zone_of, lists = _zones(articles)
    memo = rel.RelatedMemo()
    rel.related(articles, zone_of, lists, memo)
    for _ in range(4):
        for k in rng.sample(range(len(articles)), rng.choice([1, 1, 2, 5])):
            old = articles[k]
            title = rng.choice([old.title + rng.choice(WORDS), "".join(rng.sample(WORDS, 3)), old.title])
            company = rng.choice(COMPANIES + ["全新企业"])
            articles[k] = Article(
                id=old.id, source="gen", title=title, blocks=[Block("paragraph", f"{company}集团签约。")]
            )
        _, lists = _zones(articles)  # same ids, same places: the lists are rescored in part
        kept = {k: [a.id for a in v] for k, v in rel.related(articles, zone_of, lists, memo).items()}
        assert kept == _fresh(articles, zone_of, lists)


def test_an_edit_rescores_only_articles_that_share_a_feature(monkeypatch):
    rng = random.Random(7)
    articles = [_article(i, rng) for i in range(60)]
    zone_of, lists = _zones(articles)
    memo = rel.RelatedMemo()
    rel.related(articles, zone_of, lists, memo)
    before = dict(memo.last[1])
    old = articles[3]
    articles[3] = Article(id=old.id, source="gen", title="独一无二的标题", blocks=old.blocks)
    edited = {a.id: rel.features(a) for a in articles}
    affected = rel._affected(before, edited)
    assert "a003" in affected and len(affected) < len(articles)
