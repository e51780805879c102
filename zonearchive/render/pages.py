"""Every page of the site, handed to the Output (the one writer): lists, articles,
feeds, sitemap, search files and static files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from ..model.article import Article
from ..zones.assign import Zone
from ..config import Settings
from ..workers import fork_context, init_worker
from .. import urls
from . import feeds
from .body import article_body_html
from .templates import Renderer
from .search import SearchIndex


class Output(Protocol):
    """Where rendered files go (publish.writer.Output): rendering never writes itself."""

    def reuse(self, path: str, key: str, owner: str) -> bool: ...

    def add(self, path: str, data: bytes | str, owner: str, key: str | None = None) -> None: ...


def sort_articles(articles: list[Article]) -> list[Article]:
    """Newest issue first; within an issue, page and position order."""
    return sorted(articles, key=lambda a: (_neg_date(a.date), a.source, a.position))


def _neg_date(date: str | None) -> tuple:
    # Undated articles after dated ones; ISO dates sort as strings.
    return (1, "") if not date else (0, "".join(chr(0x10FFFF - ord(c)) for c in date))


def generate(settings: Settings, articles: list[Article], zones: list[Zone], output: Output, progress=None,
             search: SearchIndex | None = None, code: str = ""):
    """Hand every file of the site but the search files to ``output``, and return the
    step that makes those: ``add_search(output)``, called with the same Output, or
    (the live preview, which publishes the pages first) with the next commit's."""
    report = progress or (lambda phase, done, total: None)
    renderer = Renderer(settings)
    ordered = sort_articles(articles)
    zone_of = {a.id: z for z in zones for a in z.articles}
    by_name = {z.name: z for z in zones}
    for zone in zones:
        zone.articles = sort_articles(zone.articles)
    templates = _templates_key(settings, code)
    digest = {a.id: article_digest(a) for a in ordered}
    zone_row = tuple((z.name, z.slug, len(z.articles)) for z in zones)

    def add_keyed(path, owner, key, make):
        # Made again only when what it shows changed (the key says what it shows).
        if not output.reuse(path, key, owner):
            output.add(path, make(), owner, key=key)

    def add_list(url, owner, template, chunk, extra, **context):
        add_keyed(urls.output_path(url), owner, _key(templates, url, [digest[a.id] for a in chunk], extra),
                  lambda: renderer.render(template, url, articles=chunk, **context))

    for number, chunk, pager in paginate(ordered, urls.home_url):
        add_list(urls.home_url(number), "home page", "home.html", chunk, (len(ordered), zone_row, pager),
                 total=len(ordered), zones=zones, pager=pager)
    output.add(urls.output_path(urls.zones_index_url()), renderer.render("zones.html", urls.zones_index_url(), zones=zones), "zone index")
    for zone in zones:
        about = (zone.name, zone.slug, zone.city, zone.description, sorted(zone.names), len(zone.articles))
        for number, chunk, pager in paginate(zone.articles, lambda n, slug=zone.slug: urls.zone_url(slug, n)):
            add_list(urls.zone_url(zone.slug, number), f"zone {zone.name}", "zone.html", chunk, (about, pager),
                     zone=zone, pager=pager)
    position = {a.id: i for z in zones for i, a in enumerate(z.articles)}
    todo = []
    for article in ordered:
        zone = zone_of[article.id]
        siblings = zone.articles
        at = position[article.id]
        context = dict(
            article=article, zone=zone,
            prev=siblings[at - 1] if at > 0 else None,
            next=siblings[at + 1] if at + 1 < len(siblings) else None,
            related=_related(siblings, at),
            mentions=[by_name[m] for m in article.mentions if m in by_name],
            source_label=Path(article.source).name,
            json_ld=_json_ld(settings, article, zone),
        )
        path = urls.output_path(article.url)
        key = _page_key(templates, digest[article.id], context)
        if not output.reuse(path, key, article.source):
            todo.append((path, key, article.source, context))
    slugs = {a.id: zone_of[a.id].slug for a in ordered}
    results = {urls.output_path(urls.search_result_url(n)): _key(digest[a.id], slugs[a.id]) for n, a in enumerate(ordered)}
    side = {}
    if search is None:
        # A one-off index: made by a worker while the others render the pages.
        reused = {path for path, key in results.items() if output.reuse(path, key, "search index")}
        side["job"] = lambda: SearchIndex().files(ordered, slugs, skip=reused.__contains__)
        make_search = lambda out: side["job"]()
    else:
        make_search = lambda out: search.files(ordered, slugs, skip=lambda path: out.reuse(path, results[path], "search index"))
    for done, (path, key, owner, html) in enumerate(render_articles(renderer, todo, side), start=1):
        output.add(path, html, owner, key=key)
        if done % 500 == 0 or done == len(todo):
            report("rendering", done, len(todo))
    output.add(urls.output_path(urls.search_url()), renderer.render("search.html", urls.search_url(), zones=zones), "search page")
    output.add("404.html", renderer.render("404.html", "404.html", absolute_links=True), "404 page")
    output.add(".nojekyll", b"", "GitHub Pages marker")

    def add_feeds(base, name, articles, owner):
        shown = [digest[a.id] for a in articles[:feeds.FEED_SIZE]]
        for path, make in ((base + "feed.xml", feeds.atom), (base + "feed.json", feeds.json_feed)):
            add_keyed(path, owner, _key(templates, path, name, shown),
                      lambda make=make, path=path: make(settings, name, base, path, articles))

    title = settings.title
    add_feeds("", title, ordered, "feed")
    for zone in zones:
        add_feeds(urls.zone_url(zone.slug), f"{zone.name} - {title}", zone.articles, f"zone {zone.name}")
    page_urls = [urls.home_url(), urls.zones_index_url(), urls.search_url()]
    page_urls += [urls.home_url(n) for n in range(2, -(-len(ordered) // PER_PAGE) + 1)]
    page_urls += [urls.zone_url(z.slug) for z in zones] + [a.url for a in ordered]
    output.add("sitemap.xml", feeds.sitemap(settings, page_urls), "sitemap")
    output.add("robots.txt", feeds.robots(settings), "robots.txt")
    _copy_static(settings.static_dir, output)

    def add_search(output: Output) -> None:
        report("search index", 0, 0)
        for path, data in (side.get("done") or make_search(output)).items():
            output.add(path, data, "search index", key=results.get(path))
    return add_search


PER_PAGE = 50


def paginate(items: list, url_of):
    """(page number, items on it, pager) for each page of a long list; page 1 at url_of(1)."""
    pages = max(1, -(-len(items) // PER_PAGE))
    for number in range(1, pages + 1):
        pager = {
            "number": number, "pages": pages,
            "prev": url_of(number - 1) if number > 1 else None,
            "next": url_of(number + 1) if number < pages else None,
        }
        yield number, items[(number - 1) * PER_PAGE: number * PER_PAGE], pager


_JOBS: list = []
_RENDERER = None
PARALLEL_FROM = 400  # pages; fewer are rendered faster in this process


def _render_article(renderer: Renderer, context: dict) -> str:
    article = context["article"]
    # The body's HTML is made here, in the (parallel) render, only for pages that change.
    html = Markup(article_body_html(article))
    return renderer.render("article.html", article.url, body_html=html, **context)


def _render_job(i: int) -> bytes:
    path, key, owner, context = _JOBS[i]
    return _render_article(_RENDERER, context).encode("utf-8")


def _side_job():
    return _SIDE["job"]()


_SIDE: dict = {}


def render_articles(renderer: Renderer, todo: list, side: dict | None = None):
    """Render article pages, on every core when there are many. Forked workers
    inherit the articles; only the finished pages come back. ``side["job"]``, a
    callable, is run by one of the workers meanwhile; its result is put in
    side["done"] (left out when the pages are rendered here, without workers)."""
    global _JOBS, _RENDERER, _SIDE
    workers = os.cpu_count() or 1
    fork = fork_context()  # None in a threaded process: the jobs are inherited, not sent
    if len(todo) < PARALLEL_FROM or workers < 2 or fork is None:
        for path, key, owner, context in todo:
            yield path, key, owner, _render_article(renderer, context)
        return
    _JOBS, _RENDERER, _SIDE = todo, renderer, side or {}
    try:
        with fork.Pool(workers, initializer=init_worker) as pool:
            extra = pool.apply_async(_side_job) if _SIDE.get("job") else None  # queued first: a worker starts on it
            for (path, key, owner, _), html in zip(todo, pool.imap(_render_job, range(len(todo)), chunksize=64)):
                yield path, key, owner, html
            if extra is not None:
                side["done"] = extra.get()
    finally:
        _JOBS, _RENDERER, _SIDE = [], None, {}


def _related(siblings: list[Article], at: int, count: int = 4) -> list[Article]:
    """Nearest neighbours in the zone's order, beyond the previous and next."""
    picks = []
    for step in range(2, len(siblings)):
        for k in (at - step, at + step):
            if 0 <= k < len(siblings) and len(picks) < count:
                picks.append(siblings[k])
        if len(picks) >= count:
            break
    return picks


def _templates_key(settings: Settings, code: str) -> str:
    """Everything besides an article's own data that shapes its page."""
    digest = hashlib.sha1()
    for path in sorted(settings.templates_dir.rglob("*"), key=lambda p: p.as_posix()):
        if path.is_file():
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(code.encode())
    digest.update(repr(sorted((k, str(v)) for k, v in vars(settings).items())).encode())
    return digest.hexdigest()


def _brief(article: Article | None):
    return None if article is None else [article.url, article.title]


def article_digest(article: Article) -> str:
    """Everything an article holds, as one digest (its own data, not its neighbours')."""
    return hashlib.sha1(repr(article.own_data()).encode("utf-8")).hexdigest()


def _key(*parts) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _page_key(templates: str, digest: str, context: dict) -> str:
    zone = context["zone"]
    return _key(templates, digest, zone.name, zone.slug, _brief(context["prev"]), _brief(context["next"]),
                [_brief(a) for a in context["related"]], [[m.name, m.slug] for m in context["mentions"]],
                context["source_label"])


def _json_ld(settings: Settings, article: Article, zone: Zone) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "inLanguage": settings.language,
        "mainEntityOfPage": urls.absolute(article.url, settings.site_url),
        "publisher": {"@type": "Organization", "name": settings.publisher or settings.title},
        "about": {"@type": "Place", "name": zone.name},
    }
    if article.byline and article.byline != "佚名":
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.date:
        data["datePublished"] = article.date
    return data


def _copy_static(static_dir: Path, output: Output) -> None:
    if not static_dir.is_dir():
        return
    for path in sorted(static_dir.rglob("*"), key=lambda p: p.as_posix()):
        if path.is_file() and not path.name.startswith("."):
            rel = path.relative_to(static_dir).as_posix()
            # CNAME belongs at the site root for GitHub Pages.
            target = rel if rel == "CNAME" else urls.static_url(rel)
            output.add(target, path.read_bytes(), f"static/{rel}")
