"""What the browser shows for a search result: one small JSON file per article,
holding the whole text, so the snippet is the best passage anywhere in it."""

from __future__ import annotations

import json

from ...model.article import Article

DOC_TEXT_CHARS = 20000  # a bound for a pathological article; news articles are far shorter


def result_json(article: Article, zone_slug: str) -> bytes:
    return compact_json(result_data(article, zone_slug))


def result_data(article: Article, zone_slug: str) -> dict:
    text = "\n".join(b.text for b in article.blocks)
    return {
        "title": article.title,
        "url": article.url,
        "zone": article.zone or "其他",
        "zoneSlug": zone_slug,
        "date": article.date,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "byline": article.byline if article.byline != "佚名" else None,
        "text": text[:DOC_TEXT_CHARS],
    }


def compact_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
