"""Atom and JSON Feed 1.1 for the archive and each zone; sitemap.xml; robots.txt.
Absolute URLs come from site_url. No clock is read and no date is invented: feeds are
given dated articles only (newest issue first), and a feed's ``updated`` is its newest
issue date, so builds stay byte-identical."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from .. import urls
from ..config import Settings
from ..model.article import Article

FEED_SIZE = 50


def _stamp(article: Article) -> str:
    if not article.date:
        raise ValueError(f"{article.id} has no date: feeds hold dated articles only")
    return f"{article.date}T00:00:00Z"


def _author(article: Article) -> str | None:
    return article.byline if article.byline and article.byline != "佚名" else None


def atom(settings: Settings, title: str, page_url: str, feed_url: str, articles: list[Article]) -> str:
    site = settings.site_url
    items = articles[:FEED_SIZE]
    updated = max(_stamp(a) for a in items)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(settings.language)}>',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(urls.absolute(page_url, site))}</id>",
        f'<link rel="alternate" type="text/html" href={quoteattr(urls.absolute(page_url, site))}/>',
        f'<link rel="self" type="application/atom+xml" href={quoteattr(urls.absolute(feed_url, site))}/>',
        f"<updated>{updated}</updated>",
        f"<author><name>{escape(settings.publisher or settings.title)}</name></author>",
    ]
    for a in items:
        link = urls.absolute(a.url, site)
        out.append("<entry>")
        out.append(f"<title>{escape(a.title)}</title>")
        out.append(f"<id>{escape(link)}</id>")
        out.append(f'<link rel="alternate" type="text/html" href={quoteattr(link)}/>')
        out.append(f"<updated>{_stamp(a)}</updated>")
        author = _author(a)
        if author:
            out.append(f"<author><name>{escape(author)}</name></author>")
        out.append(f"<category term={quoteattr(a.zone or '其他')}/>")
        out.append(f"<summary>{escape(a.lead[:200])}</summary>")
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def json_feed(settings: Settings, title: str, page_url: str, feed_url: str, articles: list[Article]) -> str:
    site = settings.site_url
    items = []
    for a in articles[:FEED_SIZE]:
        item: dict[str, object] = {
            "id": urls.absolute(a.url, site),
            "url": urls.absolute(a.url, site),
            "title": a.title,
            "content_text": "\n\n".join(b.text for b in a.blocks),
            "summary": a.lead[:200],
            "tags": [a.zone or "其他"],
            "language": settings.language,
        }
        item["date_published"] = _stamp(a)
        author = _author(a)
        if author:
            item["authors"] = [{"name": author}]
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": urls.absolute(page_url, site),
        "feed_url": urls.absolute(feed_url, site),
        "language": settings.language,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def sitemap(settings: Settings, page_urls: list[tuple[str, str | None]]) -> str:
    """``page_urls``: (URL, ISO issue date or None); a real date becomes <lastmod>."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, date in page_urls:
        lastmod = f"<lastmod>{date}</lastmod>" if date else ""
        out.append(f"<url><loc>{escape(urls.absolute(url, settings.site_url))}</loc>{lastmod}</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def robots(settings: Settings) -> str:
    """Only for a site served at a host's root (a custom domain, or <owner>.github.io):
    crawlers never read /<repo>/robots.txt of a GitHub Pages project site."""
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute('sitemap.xml', settings.site_url)}\n"
