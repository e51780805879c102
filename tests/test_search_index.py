"""The sharded index ranks exactly like one unsplit lunr index (lunr.py as oracle)."""

from __future__ import annotations

import json
import random

from lunr.index import Index
from lunr.query import QueryPresence

from conftest import lunr_oracle
from zonearchive.articles.model import Article, Block
from zonearchive.site import search
from zonearchive.site.search import FIELDS, build_search, compute_scores, field_counts, read_shard
from zonearchive.site.tokenize import tokenize, utf16_key

WORDS = ["锂电池", "隔膜", "开发区", "项目", "招商", "企业", "新能源", "TPU", "薄膜", "产业", "园区", "高质量",
         "发展", "冷链", "物流", "座谈会", "示范区", "科技", "创新", "投资", "19亿元", "150℃", "𠀋𠀌", "ＴＰＵ"]


def _articles(n: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = "".join(rng.choice(WORDS) + rng.choice("，。、") for _ in range(rng.randint(5, 60)))
        out.append(Article(
            id=f"a{i}", source="gen", title="".join(rng.sample(WORDS, 3)), zone=rng.choice(["甲区", "乙区", None]),
            kicker=rng.choice([None, "山西智创新材料科技有限公司"]),
            blocks=[Block("paragraph", body), Block("heading", rng.choice(WORDS))]))
    return out


def _query(index, terms):
    """Ranked (ref, score); scores to 1e-9 (the dot product's summation order differs
    with term numbering), ties in ref order."""
    query = index.create_query()
    for t in terms:
        query.term(t, presence=QueryPresence.REQUIRED, use_pipeline=False)
    ranked = [(r["ref"], round(r["score"], 9)) for r in index.query(query)]
    return sorted(ranked, key=lambda r: (-r[1], r[0]))


def lunr_index_json(terms: dict[str, dict[str, list[tuple[int, float]]]]) -> dict:
    """A lunr 2.3.9 serialized index holding just ``terms`` (what search.js builds from the shards it fetched)."""
    inverted = []
    vectors: dict[str, list] = {}
    for index, term in enumerate(sorted(terms, key=utf16_key)):
        posting = {"_index": index}
        for f in FIELDS:
            posting[f] = {}
            for doc, score in terms[term].get(f, []):
                posting[f][str(doc)] = {}
                vectors.setdefault(f"{f}/{doc}", []).extend((index, score))
        inverted.append([term, posting])
    return {
        "version": "2.3.9",
        "fields": FIELDS,
        "fieldVectors": [[ref, vec] for ref, vec in sorted(vectors.items())],
        "invertedIndex": inverted,
        "pipeline": [],
    }


def _sharded_query(files, terms):
    """What search.js does: fetch the shards for the terms, merge, load, query."""
    manifest = json.loads(files["search/index/manifest.json"])
    needed = {}
    for t in set(terms):
        at = max((i for i, first in enumerate(manifest["first"]) if utf16_key(first) <= utf16_key(t)), default=None)
        if at is None:
            continue
        shard = read_shard(files["search/index/" + manifest["shards"][at]])
        if t in shard:
            needed[t] = shard[t]
    return _query(Index.load(lunr_index_json(needed)), terms)


def test_scores_equal_lunr_builder_scores():
    articles = _articles(300)
    oracle = lunr_oracle(articles).serialize()
    terms, R, F, D, S = compute_scores([field_counts(a) for a in articles])
    mine: dict = {}
    for r, f, d, s in zip(R.tolist(), F.tolist(), D.tolist(), S.tolist()):  # noqa: B020
        mine.setdefault(terms[r], {}).setdefault(FIELDS[f], []).append((d, s / 1000))
    theirs = {}
    terms = {term: posting["_index"] for term, posting in oracle["invertedIndex"]}
    index_to_term = {v: k for k, v in terms.items()}
    for ref, vector in oracle["fieldVectors"]:
        field, doc = ref.split("/")
        for k in range(0, len(vector), 2):
            theirs.setdefault(index_to_term[vector[k]], {}).setdefault(field, []).append((int(doc), vector[k + 1]))
    for term in theirs:
        for field in theirs[term]:
            theirs[term][field].sort()
    assert {t: {f: sorted(v) for f, v in d.items()} for t, d in mine.items()} == theirs


def test_sharded_ranking_equals_one_unsplit_index(monkeypatch):
    monkeypatch.setattr(search, "SHARD_ROWS", 300)  # many shards, so queries span several
    articles = _articles(300, seed=2)
    files = build_search(articles, {a.id: "x" for a in articles})
    assert len(json.loads(files["search/index/manifest.json"])["shards"]) > 10
    oracle = lunr_oracle(articles)
    queries = ["锂电池", "隔膜项目", "TPU", "ｔｐｕ薄膜", "19亿元", "招商 企业 新能源", "150℃", "𠀋𠀌", "不存在的词", "园区发展"]
    for q in queries:
        terms = tokenize(q)
        expected = _query(oracle, terms)
        assert _sharded_query(files, terms) == expected, q
    assert _query(oracle, tokenize("锂电池"))  # the queries do match documents


def test_shard_terms_are_in_utf16_order_and_cover_every_term():
    articles = _articles(120, seed=3)
    files = build_search(articles, {a.id: "x" for a in articles})
    manifest = json.loads(files["search/index/manifest.json"])
    seen = []
    for name in manifest["shards"]:
        seen.extend(read_shard(files["search/index/" + name]))
    assert seen == sorted(seen, key=utf16_key)
    assert seen == compute_scores([field_counts(a) for a in articles])[0]
    assert "𠀋𠀌" in seen  # outside the BMP: lunr.js needs UTF-16, not code point, order
