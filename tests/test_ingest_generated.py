"""Property tests: pages laid out in ways the seeds are not still give back exactly
the articles that were typeset into them, and nothing is lost."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings, strategies as st

from pagegen import make_page
from zonearchive.ingest.decode import decode_page
from zonearchive.ingest.page import extract_page

HAN = re.compile(r"[\u4e00-\u9fff]")


def _extract(raw: bytes):
    text, _ = decode_page(raw, "generated.txt")
    return text, extract_page(text, "generated.txt", "gen").articles


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_generated_pages_give_back_their_articles(seed):
    raw, encoding, truth = make_page(seed)
    _, got = _extract(raw)
    assert len(got) == len(truth), (encoding, [a.title for a in got])
    for article, expected in zip(got, truth):
        if expected.title:
            assert article.title == expected.title
            assert not article.title_derived
        else:
            assert article.title_derived and len(article.title) <= 30
        assert article.kicker == expected.kicker
        assert article.subtitle == expected.subtitle
        assert article.byline == expected.byline
        assert article.dateline == expected.dateline
        assert [(b.type, b.text) for b in article.blocks] == expected.blocks


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_nothing_lost_nothing_invented(seed):
    raw, _, _ = make_page(seed)
    text, got = _extract(raw)
    page = Counter(HAN.findall(text))
    fields: Counter = Counter()
    for a in got:
        values = [a.kicker, a.subtitle, a.byline, a.dateline] + [b.text for b in a.blocks]
        if not a.title_derived:
            values.append(a.title)
        for value in values:
            fields.update(HAN.findall(value or ""))
    assert fields == page


def test_ids_are_stable_when_the_same_page_is_extracted_again():
    raw, _, _ = make_page(7)
    _, first = _extract(raw)
    _, again = _extract(raw)
    assert [a.id for a in first] == [a.id for a in again]
    assert len({a.id for a in first}) == len(first)
