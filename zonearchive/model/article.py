"""The Article: what ingest produces and every later stage reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .. import urls

HEADING = "heading"
PARAGRAPH = "paragraph"


@dataclass
class Block:
    type: str  # "paragraph" | "heading"
    text: str
    line: int = 0  # first source line, for messages

    def to_json(self) -> dict:
        return {"type": self.type, "text": self.text}


@dataclass
class Article:
    id: str
    source: str
    title: str
    title_derived: bool = False
    subtitle: str | None = None
    kicker: str | None = None
    zone: str | None = None
    byline: str | None = None
    dateline: str | None = None
    continued_from: str | None = None
    continued_to: str | None = None
    blocks: list[Block] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    date: str | None = None  # ISO date of the issue, when known
    page: str | None = None  # page label such as "A3", when known
    position: int = 0  # order on its page
    source_kind: str = "raw"  # "raw" page or "markdown" file
    zone_override: str | None = None  # a Markdown file's zone = …, which wins over detection
    markdown: str | None = None  # a Markdown file's body, as written
    file: str | None = None  # the Markdown file, when that is the source
    original: str | None = None  # URL of the printed page (PDF) it was read from, in the site
    facts: Facts | None = None  # derived once at extraction, cached with the page

    def own_data(self) -> list:
        """Every field an article holds but its derived facts (the blocks and Markdown body by digest)."""
        return [v for k, v in vars(self).items() if k not in _DIGESTED] + [blocks_digest(self)]

    @property
    def url(self) -> str:
        return urls.article_url(self.id)

    @property
    def lead(self) -> str:
        for block in self.blocks:
            if block.type == PARAGRAPH:
                return block.text
        return ""

    def to_json(self) -> dict:
        """The ``extract --json`` contract: exactly these keys, in this order."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "title_derived": self.title_derived,
            "subtitle": self.subtitle,
            "kicker": self.kicker,
            "zone": self.zone,
            "byline": self.byline,
            "dateline": self.dateline,
            "continued_from": self.continued_from,
            "blocks": [block.to_json() for block in self.blocks],
        }


@dataclass(frozen=True)
class Facts:
    """What later stages derive from an article's own text, computed once where it is
    extracted (in a worker) and cached with the page: the search token counts of body
    and headings, the zone-like names it mentions, its alias declarations, and a digest
    of its blocks. Each stage reads its own field; none is recomputed when present."""

    blocks_digest: str
    search_counts: tuple | None = None  # (body counts, heading counts), see render.search
    zone_mentions: tuple | None = None  # ((weight, Mention), ...), see zones.assign
    alias_texts: tuple | None = None  # texts declaring a short name (以下简称)
    companies: tuple | None = None  # companies the text names, see render.related


_DIGESTED = ("blocks", "facts", "markdown")  # own_data holds them as one digest: blocks_digest()


def digest_blocks(blocks: list[Block], markdown: str | None = None) -> str:
    """The blocks, and a Markdown article's body as written (its page is made from it)."""
    text = "\x1f".join(f"{b.type}\x1e{b.text}" for b in blocks)
    if markdown is not None:
        text += "\x1d" + markdown
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def blocks_digest(article: Article) -> str:
    """A digest of the article's blocks and Markdown body: from its facts when it has them."""
    return article.facts.blocks_digest if article.facts else digest_blocks(article.blocks, article.markdown)
