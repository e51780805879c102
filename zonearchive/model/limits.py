"""Limits that keep rendering a Markdown body bounded in time and memory.

Python-Markdown's inline pass restarts its pattern searches after every match (time:
markup characters x paragraph length), rescans from every "[" and "](" to the closing
bracket or the end of the paragraph, and recurses once per nesting level (a
RecursionError near 400 levels; nested block quotes are quadratic). Any article an
editor writes is far inside these limits; a body outside them is refused, naming the
limit, before the library sees it. Measured by benchmarks/pathological.py.
"""

from __future__ import annotations

import re

from ..i18n import _

MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
MAX_LINES = 50_000
MAX_DEPTH = 32  # nested lists and block quotes
MAX_PARAGRAPH = 100_000  # characters
MAX_MARKUP = 50_000  # markup characters in one body
MAX_PARAGRAPH_MARKUP = 5_000  # and in one paragraph
MAX_BRACKET_SCAN = 1_000_000  # characters the link patterns rescan

MARKUP = "\\`*_[]!<&"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# A line's container prefix: indentation, ">" and list markers, in any mix.
_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")
_BRACKETS = re.compile(r"\\.|\]\(|[\[\])]", re.DOTALL)


def check_markdown(text: str) -> tuple[int | None, str] | None:
    """(line or None, message) when ``text`` passes a limit, else None."""
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        return None, _("more than {limit:,} lines ({lines:,}); split the article").format(limit=MAX_LINES, lines=lines)
    markup = sum(text.count(c) for c in MARKUP)
    if markup > MAX_MARKUP:
        return (
            None,
            _("{count:,} Markdown markup characters ({chars}), more than the limit of {limit:,} in one file").format(
                count=markup, chars=MARKUP, limit=MAX_MARKUP
            ),
        )
    for no, text_line in enumerate(text.split("\n"), start=1):
        matched = _PREFIX.match(text_line)
        prefix = matched.group(0) if matched else ""
        depth = len(prefix.expandtabs(4)) // 4 + sum(1 for _ in re.finditer(r">|[-*+](?=[ \t])|\d+[.)]", prefix))
        if depth > MAX_DEPTH:
            return no, _("nesting of lists or quotes {depth} deep, more than the limit of {limit}").format(
                depth=depth, limit=MAX_DEPTH
            )
    start, line = 0, 1
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        problem = _check_paragraph(text[start:end])
        if problem:
            return line, problem
        if brk:
            line += text.count("\n", start, brk.end())
            start = brk.end()
    return None


def _check_paragraph(paragraph: str) -> str | None:
    if len(paragraph) > MAX_PARAGRAPH:
        return _("a paragraph of {length:,} characters, more than the limit of {limit:,}").format(
            length=len(paragraph), limit=MAX_PARAGRAPH
        )
    markup = sum(paragraph.count(c) for c in MARKUP)
    if markup > MAX_PARAGRAPH_MARKUP:
        return _("a paragraph with {count:,} Markdown markup characters, more than the limit of {limit:,}").format(
            count=markup, limit=MAX_PARAGRAPH_MARKUP
        )
    # Each "[" is scanned to its "]", each "](" to its ")", unclosed ones to the end.
    scan = 0
    brackets: list[int] = []
    parens: list[int] = []
    for match in _BRACKETS.finditer(paragraph):
        token, at = match.group(0), match.start()
        if token == "[":
            brackets.append(at)
        elif token == "]" and brackets:
            scan += at - brackets.pop()
        elif token == "](":
            if brackets:
                scan += at - brackets.pop()
            parens.append(at)
        elif token == ")" and parens:
            scan += at - parens.pop()
    scan += sum(len(paragraph) - at for at in brackets + parens)
    if scan > MAX_BRACKET_SCAN:
        return _(
            "brackets that close far away or never ([ without ], ]( without )) make the renderer "
            "rescan {scan:,} characters, more than the limit of {limit:,}"
        ).format(scan=scan, limit=MAX_BRACKET_SCAN)
    return None
