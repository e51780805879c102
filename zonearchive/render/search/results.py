"""What the browser shows for a search result: one small JSON file per article."""

from __future__ import annotations

import json

from ...model.article import Article

DOC_TEXT_CHARS = 900


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
        "text": text[:DOC_TEXT_CHARS],
    }


def compact_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
