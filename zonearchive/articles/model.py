"""The Article: what ingest produces and every later stage reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..site import urls

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

    @property
    def body_markdown(self) -> str:
        """The body as Markdown: as written in a Markdown file, or made from the blocks."""
        if self.markdown is not None:
            return self.markdown
        from ..site.body import blocks_to_markdown
        return blocks_to_markdown(self.blocks)

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


def blocks_digest(article: Article) -> str:
    """A digest of the article's blocks; made once at extraction and kept with it."""
    cached = article.__dict__.get("_blocks_digest")
    if cached is None:
        text = "\x1f".join(f"{b.type}\x1e{b.text}" for b in article.blocks)
        cached = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return cached
