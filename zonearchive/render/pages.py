"""Every page of the site, handed to the Output (the one writer): lists, articles,
feeds, sitemap, search files and static files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from .. import urls
from ..config import Settings
from ..i18n import _
from ..model.article import Article
from ..workers import beside, fork_context, pool_map
from ..zones.assign import Zone
from . import feeds, newspaper
from .body import article_body_html
from .deps import Deps, Keys, template_digests
from .issues import make_issues
from .related import RelatedMemo, related
from .search import SearchIndex, search_order
from .search.rows import Unreadable
from .templates import Renderer

INDEX_BESIDE_AT = 200  # articles; a smaller archive's index takes less time than forking a process for it


class Output(Protocol):
    """Where rendered files go (publish.writer.Output): rendering never writes itself."""

    def recorded(self, path: str) -> Deps | None: ...

    def reuse(self, path: str, key: str, owner: str) -> bool: ...

    def keep(self, path: str, owner: str) -> None: ...

    def add(
        self, path: str, data: bytes | str, owner: str, key: str | None = None, deps: Deps | None = None
    ) -> None: ...


class SearchStore(Protocol):
    """Where a `build` command keeps its search index between runs (builder/searchstate.py)."""

    def restore(self) -> SearchIndex | None: ...

    def fresh(self) -> SearchIndex: ...

    def save(self, index: SearchIndex, files: dict[str, bytes | None]) -> None: ...


def sort_articles(articles: list[Article]) -> list[Article]:
    """Newest issue first; within an issue, page and position order."""
    return sorted(articles, key=lambda a: (_neg_date(a.date), a.source, a.position))


def _neg_date(date: str | None) -> tuple:
    # Undated articles after dated ones; ISO dates sort as strings.
    return (1, "") if not date else (0, "".join(chr(0x10FFFF - ord(c)) for c in date))


def generate(
    settings: Settings,
    articles: list[Article],
    zones: list[Zone],
    output: Output,
    progress=None,
    search: SearchIndex | None = None,
    code: str = "",
    redirects: dict[str, str] | None = None,
    stored: SearchStore | None = None,
    related_memo: RelatedMemo | None = None,
):
    """Hand every file of the site but the search files to ``output``, and return the
    step that makes those: ``add_search(output)``, called with the same Output, or
    (the live preview, which publishes the pages first) with the next commit's. A
    page is rendered again only when something it read last time changed (deps.py).
    ``redirects``: old URL -> new URL, each made a redirect page (permalinks.py).
    ``stored``: where a `build` command keeps its search index (none: a one-off index).
    ``related_memo``: what the last build's related lists leave this one (updated)."""
    report = progress or (lambda phase, done, total: None)
    digests = template_digests(settings.templates_dir)
    renderer = Renderer(settings, digests)
    ordered = sort_articles(articles)
    dated = [a for a in ordered if a.date]
    # Feeds hold dated articles only; with none, no feed is made or linked (every page says so).
    renderer.env.globals["feeds"] = bool(dated)
    keys = Keys(_base_key(settings, code) + ("+feeds" if dated else ""), digests)
    issues = make_issues(ordered)
    zone_of = {a.id: z for z in zones for a in z.articles}
    by_name = {z.name: z for z in zones}
    for zone in zones:
        zone.articles = sort_articles(zone.articles)
    slugs = {a.id: zone_of[a.id].slug for a in ordered}
    names = {z.name: sorted(z.names | {z.name}) for z in zones}  # a zone is found by any of its names
    searched = search_order(ordered, slugs)
    if search is None:
        restored = stored.restore() if stored else None

        def fresh_index(start: SearchIndex | None) -> dict:
            """Every shard laid out; the rows of ``start`` (the last build's index) reused."""
            index = start or (stored.fresh() if stored else SearchIndex(keep=False))
            if start is not None:
                start.lay_out_afresh()
            try:
                files = index.files(searched, slugs, zone_names=names)
            except Unreadable:  # the kept rows are not as written: counted again
                return fresh_index(None)
            if stored:
                stored.save(index, files)
            return files

        if restored is not None and restored.only_edits(searched, names):
            # The last build's index, kept on disk: a few articles edited, a few shards re-made.
            def make_search(go_on) -> dict:
                assert restored is not None and stored is not None
                try:
                    files = restored.files(searched, slugs, zone_names=names)
                except Unreadable:
                    return fresh_index(None)
                stored.save(restored, files)
                return files
        else:
            # Made in a process of its own while the pages are made here (for a small
            # archive the fork costs more than the index: made when asked).
            index = beside(lambda: fresh_index(restored), worth_it=len(searched) >= INDEX_BESIDE_AT)

            def make_search(go_on) -> dict:
                return index()

    else:
        kept = search

        def make_search(go_on) -> dict:
            return kept.files(searched, slugs, zone_names=names, go_on=go_on)

    def add_page(url: str, owner: str, template: str, absolute_links: bool = False, **context) -> None:
        path = urls.output_path(url)
        if _reused(output, keys, path, owner, context):
            return
        html, deps = renderer.render(template, url, absolute_links=absolute_links, **context)
        output.add(path, html, owner, key=keys.key(deps, context), deps=deps)

    for number, chunk, pager in paginate(ordered, urls.home_url):
        add_page(
            urls.home_url(number),
            "home page",
            "home.html",
            articles=chunk,
            total=len(ordered),
            zones=zones if number == 1 else [],  # later pages: the list alone (nor redrawn when a zone grows)
            pager=pager,
            latest=issues[-1] if issues and number == 1 else None,
        )
    add_page(urls.zones_index_url(), "zone index", "zones.html", zones=zones)
    for zone in zones:
        for number, chunk, pager in paginate(zone.articles, lambda n, slug=zone.slug: urls.zone_url(slug, n)):
            add_page(
                urls.zone_url(zone.slug, number),
                f"zone {zone.name}",
                "zone.html",
                articles=chunk,
                zone=zone,
                pager=pager,
                feed=any(a.date for a in zone.articles),
            )
    newspaper.add_issue_pages(add_page, issues)
    for old, new in sorted((redirects or {}).items()):
        add_page(old, "redirect", "redirect.html", target=new)
    position = {a.id: i for z in zones for i, a in enumerate(z.articles)}
    related_to = related(
        ordered,
        {a.id: z.name for z in zones for a in z.articles},
        {z.name: z.articles for z in zones},
        memo=related_memo,
    )
    extras = newspaper.article_extras(issues)
    no_page = {"printed": None, "page_prev": None, "page_next": None}
    todo = []
    for article in ordered:
        zone = zone_of[article.id]
        siblings = zone.articles
        at = position[article.id]
        context = dict(
            article=article,
            zone=zone,
            prev=siblings[at - 1] if at > 0 else None,
            next=siblings[at + 1] if at + 1 < len(siblings) else None,
            related=related_to[article.id],
            mentions=[by_name[m] for m in article.mentions if m in by_name],
            **extras.get(article.id, no_page),
        )
        path = urls.output_path(article.url)
        if not _reused(output, keys, path, article.source, context):
            todo.append((path, article.source, context))
    for done, (path, owner, context, html, deps) in enumerate(render_articles(renderer, todo), start=1):
        output.add(path, html, owner, key=keys.key(deps, context), deps=deps)
        if done % 500 == 0 or done == len(todo):
            report(_("rendering"), done, len(todo))
    add_page(urls.search_url(), "search page", "search.html", zones=zones, versions=_versions(settings.static_dir))
    add_page("404.html", "404 page", "404.html", absolute_links=True)
    output.add(".nojekyll", b"", "GitHub Pages marker")

    title = settings.title
    _add_feeds(settings, output, "", title, dated, "feed")
    for zone in zones:
        zone_dated = [a for a in zone.articles if a.date]
        _add_feeds(
            settings, output, urls.zone_url(zone.slug), f"{zone.name} - {title}", zone_dated, f"zone {zone.name}"
        )
    page_urls: list[tuple[str, str | None]] = [(u, None) for u in (urls.home_url(), urls.zones_index_url())]
    page_urls += [(urls.search_url(), None), (urls.issues_index_url(), issues[-1].date if issues else None)]
    page_urls += [(urls.home_url(n), None) for n in range(2, -(-len(ordered) // PER_PAGE) + 1)]
    page_urls += [(urls.zone_url(z.slug), None) for z in zones]
    page_urls += [(u, i.date) for i in issues for u in [i.url] + [p.url for p in i.pages if p.url]]
    page_urls += [(a.url, a.date) for a in ordered]
    output.add("sitemap.xml", feeds.sitemap(settings, page_urls), "sitemap")
    if settings.base_path == "/":  # crawlers read robots.txt only at a host's root, never under /<repo>/
        output.add("robots.txt", feeds.robots(settings), "robots.txt")
    _copy_static(settings.static_dir, output)

    def add_search(output: Output, go_on=None) -> None:
        """``go_on()``: see SearchIndex.files (the preview's kept index only)."""
        report(_("search index"), 0, 0)
        files: dict[str, bytes | None] = make_search(go_on)
        for path, data in files.items():
            if data is None:  # a restored index's shard that no edit changed: as the site has it
                output.keep(path, "search index")
            else:
                output.add(path, data, "search index")

    return add_search


def _reused(output: Output, keys: Keys, path: str, owner: str, context: dict) -> bool:
    """Keep the page as it is when everything it read last time is unchanged."""
    deps = output.recorded(path)
    return deps is not None and output.reuse(path, keys.key(deps, context), owner)


SEARCH_SCRIPTS = ("tokenize.js", "search.js")


def _versions(static_dir) -> dict[str, str | None]:
    """The search page's scripts, by name: a digest of each one's bytes (None: no such file)."""
    out: dict[str, str | None] = {}
    for name in SEARCH_SCRIPTS:
        try:
            out[name] = hashlib.sha1((static_dir / name).read_bytes()).hexdigest()[:10]
        except OSError:
            out[name] = None
    return out


def _base_key(settings: Settings, code: str) -> str:
    """What shapes every output: the code and libraries (one version), the settings."""
    return hashlib.sha1(repr((code, sorted((k, str(v)) for k, v in vars(settings).items()))).encode()).hexdigest()


def _add_feeds(settings: Settings, output: Output, base: str, name: str, articles: list[Article], owner: str) -> None:
    # Made every build (a few dozen entries each); the writer keeps unchanged bytes.
    # Only dated articles are given: without them there is no feed (Atom needs a real date).
    if not articles:
        return
    for path, make in ((base + "feed.xml", feeds.atom), (base + "feed.json", feeds.json_feed)):
        output.add(path, make(settings, name, base, path, articles), owner)


PER_PAGE = 50


def paginate(items: list, url_of):
    """(page number, items on it, pager) for each page of a long list; page 1 at url_of(1)."""
    pages = max(1, -(-len(items) // PER_PAGE))
    for number in range(1, pages + 1):
        pager = {
            "number": number,
            "pages": pages,
            "prev": url_of(number - 1) if number > 1 else None,
            "next": url_of(number + 1) if number < pages else None,
        }
        yield number, items[(number - 1) * PER_PAGE : number * PER_PAGE], pager


_JOBS: list = []
_RENDERER: Renderer | None = None
PARALLEL_FROM = 400  # pages; fewer are rendered faster in this process


def _render_article(renderer: Renderer, context: dict) -> tuple[str, Deps]:
    article, settings = context["article"], renderer.settings
    # The body's HTML, the citation and the JSON-LD are made here, in the (parallel)
    # render, only for pages that change: they derive from the article, its zone and
    # the settings, which the page's key already holds.
    return renderer.render(
        "article.html",
        article.url,
        body_html=Markup(article_body_html(article)),
        citation=newspaper.citation(settings, article),
        json_ld=newspaper.json_ld(settings, article, context["zone"]),
        **context,
    )


def _render_job(i: int) -> tuple[bytes, Deps]:
    _path, _owner, context = _JOBS[i]
    assert _RENDERER is not None  # set by render_articles before the pool starts
    html, deps = _render_article(_RENDERER, context)
    return html.encode("utf-8"), deps


def render_articles(renderer: Renderer, todo: list):
    """Render article pages, on every core when there are many. Forked workers
    inherit the articles; only the finished pages come back."""
    global _JOBS, _RENDERER
    workers = os.cpu_count() or 1
    fork = fork_context()  # None in a threaded process: the jobs are inherited, not sent
    if len(todo) < PARALLEL_FROM or workers < 2 or fork is None:
        for path, owner, context in todo:
            yield (path, owner, context, *_render_article(renderer, context))
        return
    _JOBS, _RENDERER = todo, renderer
    try:
        made = pool_map(_render_job, range(len(todo)), fork, workers, chunksize=64)
        for (path, owner, context), (html, deps) in zip(todo, made, strict=True):
            yield path, owner, context, html, deps
    finally:
        _JOBS, _RENDERER = [], None


def _copy_static(static_dir: Path, output: Output) -> None:
    if not static_dir.is_dir():
        return
    for path in sorted(static_dir.rglob("*"), key=lambda p: p.as_posix()):
        if path.is_file() and not path.name.startswith("."):
            rel = path.relative_to(static_dir).as_posix()
            # CNAME belongs at the site root for GitHub Pages.
            target = rel if rel == "CNAME" else urls.static_url(rel)
            output.add(target, path.read_bytes(), f"static/{rel}")
