"""The sharded index ranks exactly like one unsplit lunr index (lunr.py as oracle)."""

from __future__ import annotations

import json
import random
from collections import Counter

import numpy as np
import pytest
from conftest import lunr_oracle
from hypothesis import given
from hypothesis import strategies as st
from lunr.index import Index
from lunr.query import QueryPresence

from zonearchive.model.article import Article, Block
from zonearchive.render import search
from zonearchive.render.search import (
    FIELDS,
    SearchIndex,
    build_search,
    fields,
    layout,
    lookups,
    read_lengths,
    read_shard,
    shard_for,
    shard_names,
)
from zonearchive.render.search import index as search_index
from zonearchive.render.search.terms import Vocabulary, encode_terms
from zonearchive.render.tokenize import index_tokens, term_hash, term_hashes, tokenize, utf16_key

WORDS = [
    "锂电池",
    "隔膜",
    "开发区",
    "项目",
    "招商",
    "企业",
    "新能源",
    "TPU",
    "薄膜",
    "产业",
    "园区",
    "高质量",
    "发展",
    "冷链",
    "物流",
    "座谈会",
    "示范区",
    "科技",
    "创新",
    "投资",
    "19亿元",
    "150℃",
    "𠀋𠀌",
    "ＴＰＵ",
]


def _articles(n: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = "".join(rng.choice(WORDS) + rng.choice("，。、") for _ in range(rng.randint(5, 60)))
        out.append(
            Article(
                id=f"a{i}",
                source="gen",
                title="".join(rng.sample(WORDS, 3)),
                zone=rng.choice(["甲区", "乙区", None]),
                kicker=rng.choice([None, "山西智创新材料科技有限公司"]),
                subtitle=rng.choice([None, "锂电池隔膜项目投产"]),
                byline=rng.choice([None, "周明飞", "王波", "佚名"]),
                blocks=[Block("paragraph", body), Block("heading", rng.choice(WORDS))],
            )
        )
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


def _lengths(files, manifest):
    return read_lengths(manifest, lambda name: files["search/index/" + name])


def _all_postings(files) -> dict:
    manifest = json.loads(files["search/index/manifest.json"])
    lengths = _lengths(files, manifest)
    out = {}
    for name in filter(None, shard_names(manifest)):
        out.update(read_shard(files["search/index/" + name], manifest, lengths))
    return out


def _sharded_query(files, terms):
    """What search.js does: fetch the shards for the terms, score, load, query."""
    manifest = json.loads(files["search/index/manifest.json"])
    lengths = _lengths(files, manifest)
    needed = {}
    for t in set(terms):
        name = shard_for(manifest, t)
        shard = read_shard(files["search/index/" + name], manifest, lengths) if name else {}
        if t in shard:
            needed[t] = shard[t]
    return _query(Index.load(lunr_index_json(needed)), terms)


def test_scores_equal_lunr_builder_scores():
    articles = _articles(300)
    oracle = lunr_oracle(articles).serialize()
    mine = _all_postings(build_search(articles, {a.id: "x" for a in articles}))
    theirs = {}
    terms = {term: posting["_index"] for term, posting in oracle["invertedIndex"]}
    index_to_term = {v: k for k, v in terms.items()}
    for ref, vector in oracle["fieldVectors"]:
        field, doc = ref.split("/")
        for k in range(0, len(vector), 2):
            theirs.setdefault(index_to_term[vector[k]], {}).setdefault(field, []).append((int(doc), vector[k + 1]))
    assert {t: {f: sorted(v) for f, v in d.items()} for t, d in mine.items()} == {
        t: {f: sorted(v) for f, v in d.items()} for t, d in theirs.items()
    }


def test_sharded_ranking_equals_one_unsplit_index(monkeypatch):
    monkeypatch.setattr(search_index, "SHARD_ROWS", 300)  # many shards, so queries span several
    articles = _articles(300, seed=2)
    files = build_search(articles, {a.id: "x" for a in articles})
    assert len(shard_names(json.loads(files["search/index/manifest.json"]))) > 10
    oracle = lunr_oracle(articles)
    queries = [
        "锂电池",
        "隔膜项目",
        "TPU",
        "ｔｐｕ薄膜",
        "19亿元",
        "招商 企业 新能源",
        "150℃",
        "𠀋𠀌",
        "不存在的词",
        "园区发展",
        "周明飞",
        "膜",
        "10000吨",
        "新",
    ]
    for q in queries:
        terms = tokenize(q)
        expected = _query(oracle, terms)
        assert _sharded_query(files, terms) == expected, q
    assert _query(oracle, tokenize("锂电池"))  # the queries do match documents


def test_every_term_is_in_the_shard_its_hash_names_in_utf16_order(monkeypatch):
    monkeypatch.setattr(search_index, "SHARD_ROWS", 200)
    articles = _articles(120, seed=3)
    files = build_search(articles, {a.id: "x" for a in articles})
    manifest = json.loads(files["search/index/manifest.json"])
    count = len(shard_names(manifest))
    assert count > 4 and count & (count - 1) == 0  # a power of two: the browser masks the hash
    seen = []
    for k, name in enumerate(shard_names(manifest)):
        terms = list(read_shard(files["search/index/" + name], manifest, _lengths(files, manifest))) if name else []
        assert terms == sorted(terms, key=utf16_key)  # search.js binary-searches them
        assert all(term_hash(t) % count == k for t in terms)
        seen += terms
    expected = {t for a in articles for field in search.document_fields(a).values() for t in field}
    assert sorted(seen) == sorted(expected)
    assert "𠀋𠀌" in seen  # outside the BMP: lunr.js needs UTF-16, not code point, order


def test_term_hash_is_fnv1a_over_utf16():
    # Published FNV-1a 32-bit vectors (ASCII: one UTF-16 unit per byte).
    assert term_hash("a") == 0xE40C292C
    assert term_hash("foobar") == 0xBF9CF968
    terms = ["项目", "𠀋𠀌", "tpu", "19", "a" * 40]
    assert term_hashes(terms).tolist() == [term_hash(t) for t in terms]


def test_a_fresh_index_is_the_same_however_its_postings_are_sorted(monkeypatch):
    # A large archive packs its postings' sort keys otherwise (fewer bits for a term's
    # frequency as documents grow, another sort past 2**21 documents): same files.
    monkeypatch.setattr(search_index, "SHARD_ROWS", 300)
    articles = _articles(150, seed=5)
    zones = {a.id: "x" for a in articles}
    expected = build_search(articles, zones)
    frequencies = [n for a in articles for f in search.document_fields(a).values() for n in Counter(f).values()]
    assert max(frequencies) >= 3
    monkeypatch.setattr(layout, "GROUP_ROWS", 500)  # many groups of shards and documents
    assert build_search(articles, zones) == expected
    monkeypatch.setattr(layout, "KEY_BITS", 32 + 3 + 8 + 2)  # 150 documents: 8 bits; frequencies of 3 or more looked up
    monkeypatch.setattr(layout, "MIN_TF_BITS", 2)
    assert build_search(articles, zones) == expected
    monkeypatch.setattr(layout, "MIN_TF_BITS", 3)  # too few bits left for frequencies: sorted otherwise
    assert build_search(articles, zones) == expected


TERM_TEXT = st.text(
    alphabet=st.sampled_from(list("中国锂电池丁\u3400\u4dbf\u9fff\uf900\ufaff𠀋𠀌ＴＰＵtpu19.5亿元%℃ ，")), max_size=30
)


@given(TERM_TEXT)
def test_term_ids_keep_each_terms_text_hash_and_utf16_order(text):
    terms = sorted(set(index_tokens(text)), key=lambda t: -term_hash(t))  # in no particular order
    coded, ids = encode_terms(terms)
    long_coded, long_ids = encode_terms(terms * 64)  # a long list takes the vectorised way
    assert long_coded[: len(terms)].tolist() == coded.tolist() and long_ids[: len(ids)].tolist() == ids.tolist()
    vocabulary = Vocabulary()
    every = np.zeros(len(terms), np.uint32)
    every[coded] = ids
    every[~coded] = vocabulary.number([t for t, c in zip(terms, coded.tolist()) if not c])
    assert vocabulary.names(every) == terms
    assert vocabulary.hashes(every).tolist() == [term_hash(t) for t in terms]
    assert [terms[i] for i in np.lexsort(vocabulary.utf16_keys(every))] == sorted(terms, key=utf16_key)


@given(TERM_TEXT, st.integers(1, 8))
def test_a_texts_counted_terms_are_its_index_tokens(text, times):
    text *= times  # a long text is counted another way
    terms, tf = fields._expand(fields.text_counts(text))
    assert len(terms) == len(set(terms))
    assert dict(zip(terms, tf.tolist())) == Counter(index_tokens(text))


def test_the_homophone_map_lists_each_chinese_term_under_its_syllables(monkeypatch):
    monkeypatch.setattr(lookups, "HOMOPHONE_TERMS", 40)  # several shards
    # 兡 and 𠮷 have no syllable, 𤭢 and 𩽾 are beyond the BMP, 豈 (U+F900) sorts last in code point order.
    rng = random.Random(6)
    chars = "为伟位喡豈豈兡中国锂电池隔膜丁㐀𠮷𤭢𩽾"
    articles = [
        Article(id=f"a{i}", source="gen", title="标题", zone=None, blocks=[Block("paragraph", text)])
        for i, text in enumerate("".join(rng.choice(chars) for _ in range(40)) + " TPU19亿" for _ in range(30))
    ]
    files = build_search(articles, {a.id: "x" for a in articles})
    terms = {t for a in articles for field in search.document_fields(a).values() for t in field}
    expected: dict[str, list[str]] = {}
    for term in sorted(t for t in terms if all(ord(c) >= 0x3400 for c in t)):  # code point order
        syllables = [lookups.syllable(c) for c in term]
        if all(syllables):
            expected.setdefault(" ".join(syllables), []).append(term)  # type: ignore[arg-type]
    shards = sorted((k for k in files if "/h" in k), key=lambda k: int(k.split("/h")[1].split("-")[0]))
    assert len(shards) > 2
    seen = {}
    for k, path in enumerate(shards):
        shard = json.loads(files[path])
        assert list(shard) == [key for key in expected if term_hash(key) % len(shards) == k]  # keys in order too
        seen.update(shard)
    assert seen == expected and "wei" in seen and "an" in seen


def _edited(articles, at, text):
    changed = list(articles)
    old = changed[at]
    changed[at] = Article(
        id=old.id,
        source=old.source,
        title=old.title,
        zone=old.zone,
        kicker=old.kicker,
        blocks=[Block("paragraph", text)],
    )
    return changed


@pytest.mark.parametrize("renumber", [0.25, 1.0], ids=["laid-out-again", "renumbered-in-place"])
def test_a_kept_index_gives_the_files_of_a_fresh_one_after_edits(monkeypatch, renumber):
    monkeypatch.setattr(search_index, "SHARD_ROWS", 300)
    monkeypatch.setattr(search_index, "RENUMBER_AT_MOST", renumber)
    articles = _articles(200, seed=4)
    zones = {a.id: "x" for a in articles}
    kept = SearchIndex()
    first = kept.files(articles, zones)
    edited = _edited(articles, 17, "冷链物流园区开工，全新词语鲲鹏展翅。")
    second = kept.files(edited, zones)
    assert second == build_search(edited, zones)
    # Only shards holding the edited article's old or new terms changed.
    before, after = (shard_names(json.loads(f["search/index/manifest.json"])) for f in (first, second))
    terms = {t for a in (articles[17], edited[17]) for field in search.document_fields(a).values() for t in field}
    changed = {k for k, (x, y) in enumerate(zip(before, after)) if x != y}
    assert changed and changed <= {term_hash(t) % len(after) for t in terms}
    assert {term_hash(t) % len(after) for t in tokenize("鲲鹏展翅")} <= changed
    grown = edited + [
        Article(id="new", source="gen", title="新增一篇", zone=None, blocks=[Block("paragraph", "园区新闻。")])
    ]
    zones["new"] = "x"
    assert kept.files(grown, zones) == build_search(grown, zones)
    assert kept.files(grown[5:], zones) == build_search(grown[5:], zones)
    middle = grown[:50] + [grown[-1]] + grown[50:-1]  # an article moves; one goes in mid-archive
    assert kept.files(middle, zones) == build_search(middle, zones)
    swapped = middle[:10] + [middle[11], middle[10]] + middle[12:]
    assert kept.files(swapped, zones) == build_search(swapped, zones)
    assert kept.files([], {}) == build_search([], {})


def test_a_one_off_index_lets_its_rows_go_and_starts_again_on_each_call(monkeypatch):
    """What `build` uses (its index dies with the build): no rows held once the shards'
    bytes are made, and a second call is a fresh index, not an update of a rowless one."""
    monkeypatch.setattr(search_index, "SHARD_ROWS", 300)
    articles = _articles(120, seed=6)
    zones = {a.id: "x" for a in articles}
    one_off = SearchIndex(keep=False)
    assert one_off.files(articles, zones) == SearchIndex().files(articles, zones)
    assert not len(one_off._rows) and all(len(s.R) == 0 for s in one_off._shards if s)
    edited = _edited(articles, 7, "冷链物流园区开工，全新词语鲲鹏展翅。")
    assert one_off.files(edited, zones) == SearchIndex().files(edited, zones)


def test_shard_numbers_round_trip_as_printable_text():
    from zonearchive.render.search.shardfile import decode, decode_lengths, encode, encode_lengths

    # Frequencies at, below and far above where a row needs a second number.
    rows = ([0, 0, 1, 1], [0, 4, 1, 4], [3, 1, 2, 9000], [4, 3, 50, 1])
    R, F, D, TF = (np.array(c) for c in rows)
    data = encode(["锂电", "tpu"], R, F, D, TF)
    data.decode("utf-8")  # served as .txt: it is text
    assert all(b >= 0x20 or b == 10 for b in data)
    terms, per_term, fields, docs, tfs = decode(data)
    assert (terms, per_term, fields, tfs) == (["锂电", "tpu"], [2, 2], rows[1], rows[3])
    assert docs == [3, 1, 2, 9000]  # deltas only within a term's field run
    lengths = np.array([[5, 0, 9023, 3, 123456], [0, 47, 2208, 2209, 1]])  # documents x fields
    data = encode_lengths(lengths)
    assert data.decode("ascii").isprintable()
    assert decode_lengths(data, 5).tolist() == lengths.tolist()


def test_an_index_stopped_half_way_is_kept_as_it_was(monkeypatch):
    """The preview gives up a search step when another edit waits: wherever it stops,
    the kept index must go on as if that step had never run."""
    from zonearchive.errors import Stopped

    monkeypatch.setattr(search_index, "SHARD_ROWS", 20)  # hundreds of shards: stops inside the update too
    articles = _articles(200, seed=5)
    zones = {a.id: "x" for a in articles}
    added = Article(
        id="new", source="gen", title="新增", blocks=[Block("paragraph", "".join(map(chr, range(0x4E00, 0x4F00))))]
    )
    edited = _edited(articles, 30, "冷链物流园区开工，全新词语鲲鹏展翅。") + [added]  # terms in hundreds of shards
    zones["new"] = "x"
    final = _edited(edited, 31, "第二处更正：园区里的新词语。")
    stops = 0
    for allowed in range(6):
        kept = SearchIndex()
        kept.files(articles, zones)
        asked = []

        def go_on(allowed=allowed, asked=asked):
            asked.append(True)
            return len(asked) <= allowed

        try:
            kept.files(edited, zones, go_on=go_on)
        except Stopped:
            stops += 1
        assert kept.files(final, zones) == build_search(final, zones)
    assert stops >= 3  # stopped at several points, not only before or after the work


def test_each_characters_syllable_is_pypinyins():
    """lookups reads pypinyin's table of single characters itself (importing pypinyin
    costs every build a quarter second): the same syllable for every character."""
    from pypinyin import Style, lazy_pinyin

    def pypinyins(char):
        found = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
        return found[0] if found and found[0].isascii() and found[0].isalpha() else None

    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0x20000, 0x2A6E0, 7)] + ["a", "。", "〇"]
    assert lookups._single_readings() is not None  # the fast path is the one tested
    differing = [c for c in chars if lookups.syllable(c) != pypinyins(c)]
    assert differing == []
    assert lookups.syllable("绿") == "lv" and lookups.syllable("膜") == "mo"


@pytest.mark.parametrize("seed", range(6))
def test_a_kept_index_equals_a_fresh_one_after_mixed_edits(monkeypatch, seed):
    """Edited documents keep their unchanged rows in place; with documents added and
    removed in the same build their numbers move too."""
    monkeypatch.setattr(search_index, "SHARD_ROWS", 150)
    rng = random.Random(seed)
    articles = _articles(120, seed=seed)
    zones = {a.id: "x" for a in articles}
    kept = SearchIndex()
    kept.files(articles, zones)
    for step in range(5):
        for k in rng.sample(range(len(articles)), rng.randint(1, 3)):
            words = rng.sample(["锂电池", "隔膜", "冷链", "园区", "更正", "鲲鹏", "tpu", "2025年"], 3)
            articles = _edited(articles, k, "".join(words) + articles[k].lead[: rng.randint(0, 40)])
        if rng.random() < 0.5:
            at = rng.randrange(len(articles))
            new = Article(id=f"n{seed}-{step}", source="gen", title="新增", blocks=[Block("paragraph", "园区新闻。")])
            articles = articles[:at] + [new] + articles[at:]
            zones[new.id] = "x"
        if rng.random() < 0.5:
            articles.pop(rng.randrange(len(articles)))
        assert kept.files(articles, zones) == build_search(articles, zones), step
