"""The one place that makes URLs. Every internal URL is a path relative to the site
root ending in "/" for pages; templates turn it into a link relative to the page
that shows it, so the site works unchanged under any sub-path."""

from __future__ import annotations

OTHER_ZONE_SLUG = "other"


def article_url(article_id: str) -> str:
    return f"articles/{article_id}/"


def zone_url(slug: str, page: int = 1) -> str:
    return f"zones/{slug}/" if page == 1 else f"zones/{slug}/page/{page}/"


def zones_index_url() -> str:
    return "zones/"


def search_url() -> str:
    return "search/"


def home_url(page: int = 1) -> str:
    return "" if page == 1 else f"page/{page}/"


SEARCH_DATA = ("search/index/", "search/docs/")  # what search.js fetches; the page itself is search/


def search_index_url(name: str) -> str:
    """A file of the search index: manifest, zones, shards."""
    return f"search/index/{name}"


def search_result_url(number: int) -> str:
    """The data search.js shows for result ``number`` (search.js builds the same path)."""
    return f"search/docs/{number}.json"


def original_url(page_key: str) -> str:
    """The printed page (PDF) an article was read from, copied into the site."""
    return f"pdf/{page_key}.pdf"


def static_url(name: str) -> str:
    return f"static/{name}"


def output_path(url: str) -> str:
    """The file under site/ that serves ``url``."""
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url


def relative(url: str, from_url: str) -> str:
    """Link from the page at ``from_url`` to ``url``, both root-relative.

    Every page lives in a folder of its own (``x/y/`` -> ``x/y/index.html``), so the
    way back to the root is one ``../`` per folder: no path arithmetic needed."""
    depth = output_path(from_url).count("/")
    up = "../" * depth
    if url == "":
        return up or "./"
    return up + url


def absolute(url: str, site_url: str) -> str:
    return site_url.rstrip("/") + "/" + url


# Limits on the names URLs are made of: each becomes one folder name of the site,
# which file systems cap at 255 bytes (a zone's slug spells its name in pinyin, up
# to six letters a character).
MAX_ID = 120  # characters of an article id
MAX_ZONE_NAME = 30  # characters of a zone name
