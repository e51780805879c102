"""URLs that stay: what this build publishes, checked against what was published
before (sources/published.py). A zone whose slug changed keeps its old URL as a
redirect; any other recorded URL the build no longer makes is reported."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import urls
from ..model.article import Article
from ..sources.published import Published
from ..zones.assign import Zone
from .issues import make_issues


@dataclass
class Plan:
    redirects: dict[str, str] = field(default_factory=dict)  # old URL -> new URL
    lost: list[Published] = field(default_factory=list)  # recorded, and no longer made
    entries: list[Published] = field(default_factory=list)  # what the record holds after this build


def current(articles: list[Article], zones: list[Zone]) -> list[Published]:
    """Every page a reader may have linked to (not the numbered list pages)."""
    out = [
        Published(urls.home_url(), "page", "首页"),
        Published(urls.zones_index_url(), "page", "开发区"),
        Published(urls.search_url(), "page", "搜索"),
        Published(urls.issues_index_url(), "page", "往期"),
    ]
    out += [Published(urls.zone_url(z.slug), "zone", z.name) for z in zones]
    out += [Published(a.url, "article", a.id) for a in articles]
    for issue in make_issues(articles):
        out.append(Published(issue.url, "issue", issue.date))
        out += [Published(p.url, "issue-page", f"{p.date} {p.label}") for p in issue.pages if p.url]
    return out


def plan(recorded: list[Published], articles: list[Article], zones: list[Zone]) -> Plan:
    made = current(articles, zones)
    live = {p.url for p in made}
    zone_by_name = {name: z for z in zones for name in {z.name, *z.names}}
    result = Plan()
    kept = []
    for entry in recorded:
        if entry.url in live:
            continue
        kept.append(entry)
        zone = zone_by_name.get(entry.name) if entry.kind == "zone" else None
        if zone is not None:
            result.redirects[entry.url] = urls.zone_url(zone.slug)
        else:
            result.lost.append(entry)
    result.entries = made + kept
    return result
