"""The Markdown dialect of article bodies: blocks <-> Markdown, and Markdown -> HTML
with raw HTML switched off (it shows as text) and the result passed through an
allow-list sanitiser. Reading a Markdown file and rendering a body both go through
here, so a page converted to Markdown reads back the same."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import nh3

from .article import HEADING, PARAGRAPH, Article, Block


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks become text
    md.inlinePatterns.deregister("html")  # and inline tags too
    return md


# What Python-Markdown (no extensions) makes, and nothing more. URLs: http, https,
# mailto and relative ones; nh3 decodes character references (javascript&#58;) as a
# browser does before it looks at the scheme, and drops the attribute otherwise.
_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "a",
    "img",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "hr",
    "br",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
_SCHEMES = {"http", "https", "mailto"}


def sanitise(html_text: str) -> str:
    """HTML from content, with only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html_text, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None, strip_comments=True
    )


_MD = None


def to_html(text: str) -> str:
    """Markdown -> sanitised HTML. Call check_markdown first: some inputs take the
    Markdown library quadratic time or overflow its recursion."""
    global _MD
    if _MD is None:
        _MD = _converter()
    _MD.reset()
    return sanitise(_MD.convert(text))


_INLINE = re.compile(r"([\\`*_\[\]#])")  # "#": a heading drops trailing ones
_LINE_START = re.compile(r"^()([#+\->]|\d+(?=[.)]))")


def escape_text(text: str) -> str:
    """Literal text -> Markdown that renders as exactly that text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")  # "<" opens autolinks
    text = _INLINE.sub(r"\\\1", text)
    match = _LINE_START.match(text)
    if match:
        head = match.group(2)
        if head[0].isdigit():  # "1." would start a list
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[: match.start(2)] + "\\" + text[match.start(2) :]
    return text


def one_line(text: str) -> str:
    # Markdown expands tabs; raw page text has none, but a block may.
    return " ".join(text.split()) if "\n" in text else text.replace("\t", " ").strip()


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
