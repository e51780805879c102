"""What the build derives from each article where it is extracted."""

from __future__ import annotations

from ..model.article import Article, Facts, digest_blocks
from ..render.related import companies
from ..render.search import body_counts, heading_counts
from ..zones.mentions import alias_texts, article_mentions


def analyse(article: Article) -> Facts:
    """Run in the extraction worker; the result is cached with the page."""
    return Facts(
        blocks_digest=digest_blocks(article.blocks, article.markdown),
        search_counts=(body_counts(article), heading_counts(article)),
        zone_mentions=article_mentions(article),
        alias_texts=alias_texts(article),
        companies=tuple(sorted(companies(article))),
    )
