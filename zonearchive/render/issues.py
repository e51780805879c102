"""The archive as a newspaper: issues (a date) made of printed pages (版, a label such
as A3), each page's articles in print order. Only what the editor gave counts: an
article without a date belongs to no issue, and nothing here guesses one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import urls
from ..model.article import Article


@dataclass
class PrintedPage:
    """One page (版) of an issue; ``label`` None for articles whose page is unknown."""

    date: str
    label: str | None
    articles: list[Article] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        return urls.issue_page_url(self.date, self.label) if self.label else None


@dataclass
class Issue:
    date: str  # ISO
    pages: list[PrintedPage] = field(default_factory=list)

    @property
    def url(self) -> str:
        return urls.issue_url(self.date)


def label_order(label: str | None) -> tuple:
    """Print order of page labels: A1, A2, … A10, B1; unknown pages last."""
    if label is None:
        return (1,)
    parts = re.findall(r"\d+|\D+", label)
    return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p.upper()) for p in parts), label)


def print_order(article: Article) -> tuple:
    """Within a page: the file it came from, then its place in that file."""
    return (article.source, article.position, article.id)


def make_issues(articles: list[Article]) -> list[Issue]:
    """Every dated article in its issue and page; issues oldest first."""
    by_date: dict[str, dict[str | None, list[Article]]] = {}
    for article in articles:
        if article.date:
            by_date.setdefault(article.date, {}).setdefault(article.page or None, []).append(article)
    issues = []
    for date in sorted(by_date):
        pages = [
            PrintedPage(date, label, sorted(found, key=print_order))
            for label, found in sorted(by_date[date].items(), key=lambda item: label_order(item[0]))
        ]
        issues.append(Issue(date, pages))
    return issues


def neighbours(items: list, at: int) -> tuple:
    return (items[at - 1] if at > 0 else None, items[at + 1] if at + 1 < len(items) else None)


def nav(item) -> dict | None:
    """What a 上一期/下一期 or 上一版/下一版 link shows: a URL and a label, no more (so
    that a page's key does not hold its neighbour's articles)."""
    if item is None:
        return None
    if isinstance(item, Issue):
        return {"url": item.url, "date": item.date, "label": None}
    return {"url": item.url, "date": item.date, "label": item.label}


def by_year(issues: list[Issue]) -> list[dict]:
    """The date archive: years newest first, each with its months and issue days in
    calendar order, and how many pages and articles each issue holds."""
    years: dict[int, dict[int, list[dict]]] = {}
    for issue in issues:
        year, month, day = (int(part) for part in issue.date.split("-"))
        years.setdefault(year, {}).setdefault(month, []).append(
            {
                "date": issue.date,
                "day": day,
                "url": issue.url,
                "pages": sum(1 for p in issue.pages if p.label),
                "articles": sum(len(p.articles) for p in issue.pages),
            }
        )
    return [
        {"year": year, "months": [{"month": m, "issues": days} for m, days in sorted(months.items())]}
        for year, months in sorted(years.items(), reverse=True)
    ]


def cn_date(iso: str | None) -> str:
    """2025-01-06 -> 2025年1月6日 (as Chinese readers write a date); unknown: 日期不详."""
    if not iso:
        return "日期不详"
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def page_name(label: str | None) -> str:
    """A3 -> 第A3版."""
    return f"第{label}版" if label else "版次不详"
