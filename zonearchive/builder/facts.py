"""What the build derives from each article where it is extracted, and the one digest
of the code and libraries that shape every output."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..i18n import language
from ..model.article import Article, Facts, digest_blocks
from ..render.related import companies
from ..render.search import body_counts, heading_counts
from ..zones.mentions import alias_texts, article_mentions

# Libraries whose version can change what a build writes.
SHAPING_LIBRARIES = ("jinja2", "markdown", "markupsafe", "numpy", "pypinyin", "nh3", "pypdfium2")


def analyse(article: Article) -> Facts:
    """Run in the extraction worker; the result is cached with the page."""
    return Facts(
        blocks_digest=digest_blocks(article.blocks),
        search_counts=(body_counts(article), heading_counts(article)),
        zone_mentions=article_mentions(article),
        alias_texts=alias_texts(article),
        companies=tuple(sorted(companies(article))),
    )


def code_version() -> str:
    """One digest of the package's code and the versions of the libraries that shape
    output: any change to either voids every cached extraction and every kept page.
    The language of messages counts too: a cached page keeps its notes as they were said."""
    return _code_version(language())


@lru_cache(maxsize=2)
def _code_version(lang: str) -> str:
    digest = hashlib.sha1(lang.encode() + b"\0")
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.mo")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for library in SHAPING_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=?\0".encode())
    return digest.hexdigest()[:20]
