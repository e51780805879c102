"""The one place that makes URLs. Every internal URL is a path relative to the site
root ending in "/" for pages; templates turn it into a link relative to the page
that shows it, so the site works unchanged under any sub-path."""

from __future__ import annotations

import hashlib
import re

OTHER_ZONE_SLUG = "other"


def article_url(article_id: str) -> str:
    return f"articles/{article_id}/"


def zone_url(slug: str, page: int = 1) -> str:
    return f"zones/{slug}/" if page == 1 else f"zones/{slug}/page/{page}/"


def zones_index_url() -> str:
    return "zones/"


def issues_index_url() -> str:
    """The archive by date: years, months, issue dates (往期回顾)."""
    return "issues/"


def issue_url(date: str) -> str:
    """An issue, by its ISO date: 2025-01-06 -> issues/2025-01-06/."""
    return f"issues/{date}/"


def issue_page_url(date: str, label: str) -> str:
    """A printed page (版) of an issue: issues/2025-01-06/A3/."""
    return f"issues/{date}/{page_slug(label)}/"


def page_slug(label: str) -> str:
    """A page label as one folder name: A3 stays A3; anything else by a short digest."""
    if re.fullmatch(r"[A-Za-z0-9]{1,12}", label):
        return label
    return "p" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:10]


def search_url() -> str:
    return "search/"


def home_url(page: int = 1) -> str:
    return "" if page == 1 else f"page/{page}/"


SEARCH_DATA = ("search/index/",)  # what search.js fetches besides article pages; the page itself is search/


def search_index_url(name: str) -> str:
    """A file of the search index: manifest, zones, shards, lengths, URLs."""
    return f"search/index/{name}"


def original_url(page_key: str) -> str:
    """The printed page (PDF) an article was read from, copied into the site."""
    return f"pdf/{page_key}.pdf"


def static_url(name: str, version: str | None = None) -> str:
    """A static file; ``version`` (a digest of its bytes) makes a new file a new URL,
    so that a browser never runs a cached script against a newer search index."""
    return f"static/{name}" + (f"?v={version}" if version else "")


def output_path(url: str) -> str:
    """The file under site/ that serves ``url``."""
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url


def linker(from_url: str):
    """The links of the page at ``from_url``: root-relative URL -> relative link.

    Every page lives in a folder of its own (``x/y/`` -> ``x/y/index.html``). A link
    climbs only out of the folders the two do not share: from one article to another
    ``../b/``, not ``../../articles/b/`` (links are ~1/10 of an article page's bytes).
    Called for every link of every page: the page's folders are split once."""
    here = output_path(from_url).split("/")[:-1]
    # Longest shared folder path first; a page's folders hold no "?" or "#", so a
    # prefix match never reaches into a query or fragment.
    shared = [("/".join(here[:k]) + "/", "../" * (len(here) - k)) for k in range(len(here), 0, -1)]
    top = "../" * len(here)

    def link(url: str) -> str:
        for prefix, up in shared:
            if url.startswith(prefix):
                return up + url[len(prefix) :] or "./"
        return top + url or "./"

    return link


def absolute(url: str, site_url: str) -> str:
    return site_url.rstrip("/") + "/" + url


# Limits on the names URLs are made of: each becomes one folder name of the site,
# which file systems cap at 255 bytes (a zone's slug spells its name in pinyin, up
# to six letters a character).
MAX_ID = 120  # characters of an article id
MAX_ZONE_NAME = 30  # characters of a zone name
