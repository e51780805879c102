"""The Markdown dialect of article bodies: blocks <-> Markdown, and Markdown -> HTML
with raw HTML switched off (it shows as text). Reading a Markdown file and rendering a
body both go through here, so a page converted to Markdown reads back the same."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
from markdown.treeprocessors import Treeprocessor

from .article import HEADING, PARAGRAPH, Article, Block

_SAFE_URL = re.compile(r"^(?:https?:|mailto:|[^:]*$)", re.I)


class _DropUnsafeLinks(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not _SAFE_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                    del element.attrib[attribute]


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks become text
    md.inlinePatterns.deregister("html")  # and inline tags too
    md.treeprocessors.register(_DropUnsafeLinks(md), "drop_unsafe_links", 0)
    return md


_MD = None


def to_html(text: str) -> str:
    global _MD
    if _MD is None:
        _MD = _converter()
    _MD.reset()
    return _MD.convert(text)


_INLINE = re.compile(r"([\\`*_\[\]])")  # < needs none: raw HTML is off
_LINE_START = re.compile(r"^()([#+\->]|\d+(?=[.)]))")


def escape_text(text: str) -> str:
    """Literal text -> Markdown that renders as exactly that text."""
    text = text.replace("&", "&amp;")
    text = _INLINE.sub(r"\\\1", text)
    match = _LINE_START.match(text)
    if match:
        head = match.group(2)
        if head[0].isdigit():  # "1." would start a list
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[: match.start(2)] + "\\" + text[match.start(2):]
    return text


def one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text else text.strip()


def blocks_to_markdown(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        text = escape_text(one_line(block.text))
        out.append(f"## {text}" if block.type == HEADING else text)
    return "\n\n".join(out) + ("\n" if out else "")


class _TopBlocks(HTMLParser):
    """The top-level blocks of rendered Markdown, as plain text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.depth = 0
        self.kind = PARAGRAPH
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br",):
            self.text.append("\n")
            return
        if self.depth == 0:
            self.kind = HEADING if re.fullmatch(r"h[1-6]", tag) else PARAGRAPH
            self.text = []
        self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("br",):
            return
        self.depth -= 1
        if self.depth == 0:
            text = "".join(self.text).strip()
            if text:
                self.blocks.append(Block(self.kind, text))

    def handle_data(self, data):
        if self.depth > 0:
            self.text.append(data)
        elif data.strip():
            self.blocks.append(Block(PARAGRAPH, data.strip()))


def markdown_to_blocks(text: str) -> list[Block]:
    parser = _TopBlocks()
    parser.feed(to_html(text))
    parser.close()
    return parser.blocks


def body_markdown(article: Article) -> str:
    """The body as Markdown: as written in a Markdown file, or made from the blocks."""
    return article.markdown if article.markdown is not None else blocks_to_markdown(article.blocks)
