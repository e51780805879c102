"""An article's body as HTML. Every article, from a raw page or a Markdown file, is
rendered through this one path, so a page converted to Markdown builds
byte-identical article pages.

Safety: raw HTML in Markdown is not passed through (it shows as text), and links or
images with a scheme other than http, https or mailto lose their target."""

from __future__ import annotations

import html
import re

from ..model.article import HEADING
from ..model.markdown import body_markdown, one_line, to_html


# Text that Markdown renders as itself: no ASCII character it gives a meaning to
# (emphasis, code, links, escapes, entities, HTML, headings, line breaks). Most of a
# Chinese archive is such text; the tests check this path against Markdown's.
_PLAIN = re.compile(r"[^`*_\[\]\\!<>&#\t\r\n\x00-\x08\x0b\x0c\x0e-\x1f]*")


def article_body_html(article) -> str:
    """The body's HTML, as body_html(article.body_markdown, …) makes it; an article
    from a raw page whose text is plain skips the Markdown parser (half the cost of
    rendering its page)."""
    if article.markdown is None:
        texts = [one_line(b.text) for b in article.blocks]
        if all(t and _PLAIN.fullmatch(t) and "  " not in t for t in texts):
            html_blocks = [f"<h2>{html.escape(t, quote=False)}</h2>" if b.type == HEADING else f"<p>{html.escape(t, quote=False)}</p>"
                           for b, t in zip(article.blocks, texts)]
            return _with_dateline("\n".join(html_blocks), article.dateline)
    return body_html(body_markdown(article), article.dateline)


def body_html(markdown_text: str, dateline: str | None) -> str:
    """The article body's HTML; the dateline leads the first paragraph, in bold."""
    return _with_dateline(to_html(markdown_text), dateline)


def _with_dateline(rendered: str, dateline: str | None) -> str:
    if dateline and rendered.startswith("<p>"):
        rendered = f'<p><span class="dateline">{html.escape(dateline)}</span> ' + rendered[3:]
    elif dateline:
        rendered = f'<p><span class="dateline">{html.escape(dateline)}</span></p>\n' + rendered
    return rendered
