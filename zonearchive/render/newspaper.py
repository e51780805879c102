"""The pages that make the archive read as a newspaper: issues, their printed pages
(版), the archive by date, and what each article page adds (its page neighbours, its
citation, its RIS record); redirect pages for URLs that moved."""

from __future__ import annotations

from .. import urls
from ..config import Settings
from ..model.article import Article
from ..zones.assign import Zone
from . import cite
from .issues import Issue, by_year, nav, neighbours


def paper(settings: Settings) -> str:
    return cite.paper_name(settings.publisher, settings.title)


def add_issue_pages(add_page, issues: list[Issue]) -> None:
    """Each issue (its pages, each with its articles in print order), each labelled
    page, and the archive by year and month. ``add_page`` as in pages.generate."""
    for at, issue in enumerate(issues):
        older, newer = neighbours(issues, at)
        add_page(issue.url, f"issue {issue.date}", "issue.html", issue=issue, prev=nav(older), next=nav(newer))
        labelled = [p for p in issue.pages if p.url]
        for k, printed in enumerate(labelled):
            before, after = neighbours(labelled, k)
            add_page(
                printed.url,
                f"issue {issue.date}",
                "issue_page.html",
                printed=printed,
                prev=nav(before),
                next=nav(after),
                issue_pages=[nav(p) for p in labelled],
            )
    add_page(urls.issues_index_url(), "date archive", "issues.html", years=by_year(issues))


def article_extras(issues: list[Issue]) -> dict[str, dict]:
    """Article id -> what its page shows of the paper: the printed page it was on
    (a link, 上一篇/下一篇 on that page). Undated articles have none."""
    out = {}
    for issue in issues:
        for printed in issue.pages:
            for at, article in enumerate(printed.articles):
                before, after = neighbours(printed.articles, at)
                out[article.id] = {"printed": nav(printed), "page_prev": before, "page_next": after}
    return out


def citation(settings: Settings, article: Article) -> dict:
    name = paper(settings)
    return {
        "paper": name,
        "reference": cite.gbt7714(article, name),
        "meta": cite.meta_tags(article, name, settings.language),
    }


def json_ld(settings: Settings, article: Article, zone: Zone) -> dict:
    """schema.org NewsArticle; the page's address and language are said once, by its
    canonical link and its lang attribute."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "publisher": {"@type": "Organization", "name": paper(settings)},
        "about": {"@type": "Place", "name": zone.name},
    }
    names = cite.authors(article)
    if names:
        data["author"] = (
            [{"@type": "Person", "name": n} for n in names] if len(names) > 1 else {"@type": "Person", "name": names[0]}
        )
    if article.date:
        data["datePublished"] = article.date
    if article.page:
        data["printPage"] = article.page
    return data
