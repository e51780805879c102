"""An article's body as HTML. Every article, from a raw page or a Markdown file, is
rendered as its Markdown renders, so a page converted to Markdown builds
byte-identical article pages.

Safety: raw HTML in Markdown is not passed through (it shows as text), and the HTML
Markdown makes passes an allow-list sanitiser (model.markdown.sanitise). A raw
page's text is text: it is escaped, never parsed as markup."""

from __future__ import annotations

import html

from ..model.article import HEADING
from ..model.markdown import body_markdown, one_line, to_html


def _text_html(text: str) -> str:
    # Escaped as the sanitiser's serialiser escapes text (it spells U+00A0 &nbsp;).
    return html.escape(text, quote=False).replace("\u00a0", "&nbsp;")


def article_body_html(article) -> str:
    """The body's HTML, as body_html(article.body_markdown, …) makes it. An article
    from a raw page skips the Markdown parser: its Markdown is escaped text, which
    renders as the text escaped (the tests check the two agree), in linear time
    where the parser takes quadratic time on long runs of escapes."""
    if article.markdown is None:
        texts = [one_line(b.text) for b in article.blocks]
        html_blocks = [
            f"<h2>{_text_html(t)}</h2>" if b.type == HEADING else f"<p>{_text_html(t)}</p>"
            for b, t in zip(article.blocks, texts)
            if t or b.type == HEADING
        ]
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
