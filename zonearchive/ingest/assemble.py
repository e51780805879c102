"""An article from its headline run and body lines: kicker, title and subtitle,
dateline and bylines, paragraphs rebuilt from line widths, section headings."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model.article import HEADING, PARAGRAPH, Article, Block
from .byline import Byline, glued_byline, parse_byline
from .bylinecuts import note_second_byline
from .headline import derive_title, split_headline
from .layout import Columns, ends_sentence, paragraph_breaks, width
from .lines import PUSHED_OUT, Line
from .markers import (
    CONT_FROM,
    CONT_TO,
    DATELINE,
    SUBTITLE,
    continuation,
    is_headline_like,
)
from .repair import join_lines, tidy_spaces


def build_article(
    head,
    body: list[Line],
    source: str,
    article_id: str,
    position: int,
    measure: Callable[[str], float] = width,
    note=None,
) -> Article:
    """``note(line, what)`` hears of a byline at the article's end after another at its
    start (which the cuts did not see: one a tool ran into the headline's last line)."""
    body = list(body)  # a line is copied before it is changed: the page's lines stay as read
    continued_from = continued_to = dateline = byline = None
    people: list[Byline] = []  # bylines, in printed order
    if body and body[0].byline and body[0].leads:
        people.append(body[0].byline)
        body.pop(0)
    head = _lead_byline(head, body, people)
    # Continuation markers are furniture wherever they stand: fields, not text.
    markers = any("上接" in line.text or "下转" in line.text for line in body)
    for k, line in enumerate(body if markers else ()):
        if CONT_FROM.search(line.text) or CONT_TO.search(line.text):
            line = body[k] = _copy(line)
        if CONT_FROM.search(line.text):
            continued_from = continued_from or continuation(CONT_FROM, line.text)
            line.text = CONT_FROM.sub("", line.text).strip()
        if CONT_TO.search(line.text):
            continued_to = continuation(CONT_TO, line.text)
            line.text = CONT_TO.sub("", line.text).strip()
    body = [line for line in body if line.text]
    if body:
        body[:2] = map(_copy, body[:2])
        dateline, inside = _read_dateline(body)
        if inside:
            people.append(inside)
    last = body[-1] if body else None
    if (
        last
        and last.byline
        and not last.leads
        and last.text.endswith(last.tail)
        and (len(body) > 1 or last.text != last.tail)
    ):
        opened = {name for person in people for name in person.names}
        if note is not None and opened and opened.isdisjoint(last.byline.names):
            note_second_byline(last.no, last.byline, note)
        people.append(last.byline)
        last = body[-1] = _copy(last)
        last.text = last.text[: -len(last.tail)].rstrip()
    body = [line for line in body if line.text.strip()]
    byline = _join_bylines(people)
    blocks = reflow(body, measure)
    body_text = "\n".join(block.text for block in blocks)
    kicker = title = subtitle = None
    if head:
        kicker, title, subtitle = split_headline([line.text for line in head], body_text, [line.edge for line in head])
    derived = title is None
    if title is None:
        title = derive_title("\n".join(b.text for b in blocks if b.type == PARAGRAPH))
    return Article(
        id=article_id,
        source=source,
        title=title,
        title_derived=derived,
        subtitle=subtitle,
        kicker=kicker,
        byline=byline,
        dateline=dateline,
        continued_from=continued_from,
        continued_to=continued_to,
        blocks=blocks,
        position=position,
    )


def _copy(line: Line) -> Line:
    return Line(line.no, line.text, line.byline, line.tail, line.leads, line.edge, line.joined)


def _lead_byline(head, body: list[Line], people: list[Byline]):
    """A byline set under the headline that the text gives as the headline block's
    last line (``记者 王波`` / ``许文``): taken out of the headline, unless the line is
    a wrapped piece of it (the word across the break is one the body uses). A tool may
    also run it into the headline's last line (``突破技术壁垒徐霞``): see byline.glued_byline."""
    if not head:
        return head
    # A byline a tool printed before its headline (segment read it so).
    while len(head) > 1 and head[0].leads and head[0].byline:
        people.append(head[0].byline)
        head = head[1:]
    # Lines segment already read as bylines under the headline (one or more).
    signed = len(head)
    while signed > 1 and head[signed - 1].leads and head[signed - 1].byline:
        signed -= 1
    if signed < len(head):
        people.extend(line.byline for line in head[signed:] if line.byline)
        return head[:signed]
    body_text = "".join(line.text for line in body)
    glued = glued_byline([line.text.strip() for line in head[-2:]], body_text)
    if glued:
        people.append(glued[1])
        return _cut_tail(head, glued[0])
    if len(head) < 2:
        return head
    last, before = head[-1].text.strip(), head[-2].text.strip()
    byline = parse_byline(last)
    if not byline or not (byline.strong or byline.name_like) or SUBTITLE.match(last):
        return head
    if (before and before[-1] + last[0] in body_text) or last in body_text:
        return head
    people.append(byline)
    return head[:-1]


def _cut_tail(head: list[Line], size: int) -> list[Line]:
    """The headline lines without their last `size` characters (a line left empty goes)."""
    out = list(head)
    while size and out:
        last = out.pop()
        text = last.text.rstrip()
        if len(text) > size:
            out.append(_copy(last))
            out[-1].text = text[:-size].rstrip()
            size = 0
        else:
            size -= len(text)
    return out


_OPEN_BRACKET = re.compile(r"\s*[（(][^）)]*$")


def _read_dateline(body: list[Line]) -> tuple[str | None, Byline | None]:
    """The dateline opening body[0] and the byline in its brackets (本报讯（记者 王波）),
    both taken out of the text. A bracket that does not read as a byline stays in
    the body; one that a narrow column wrapped onto the next line (or that opens the
    next line, the dateline filling its own) is read over both."""
    first = body[0].text
    match = DATELINE.match(first)
    if not match:
        return None, None
    dateline = tidy_spaces(match.group(1))
    if match.group(2):
        inside = parse_byline(match.group(2))
        if inside:
            body[0].text = first[match.end() :]
            return dateline, inside
    elif len(body) > 1 and (_OPEN_BRACKET.match(first[match.end(1) :]) or not first[match.end(1) :].strip()):
        # The bracket opened on the dateline's line, or the whole next line opens with it.
        for glue in ("", " "):
            joined = first + glue + body[1].text
            wrapped = DATELINE.match(joined)
            if wrapped and wrapped.group(2) and wrapped.end(2) > len(first) + len(glue):
                inside = parse_byline(wrapped.group(2))
                if inside:
                    body[0].text, body[1].text = "", joined[wrapped.end() :]
                    return dateline, inside
    body[0].text = first[match.end(1) :].lstrip()
    return dateline, None


def _join_bylines(people: list[Byline]) -> str | None:
    """One byline field from the bylines an article prints (in the dateline, under
    the headline, at the end): in printed order, a repeated name given once."""
    seen: set[str] = set()
    parts = []
    for byline in people:
        if not set(byline.names) <= seen:
            parts.append(byline.text)
            seen.update(byline.names)
    return " ".join(parts) or None


def _is_heading(lines: list[Line], i: int, cols: Columns) -> bool:
    text = lines[i].text
    if i == 0 or i == len(lines) - 1:
        return False
    if not is_headline_like(text) or SUBTITLE.match(text):
        return False
    if text[-1].isascii() and text[-1].isalnum():
        return False  # a line ending in a number runs on into the next
    if text.count("“") != text.count("”") or text.count("（") != text.count("）"):
        return False  # an open quote or bracket runs on into the next line
    # A next line opening with one character and closing punctuation ("里，…") is the
    # typesetter's push-out: this line runs on. A paragraph's indented first line is
    # about two cells short of the column (three when a number or a push-out moved
    # down); a heading is clearly shorter.
    if PUSHED_OUT.match(lines[i + 1].text):
        return False
    if lines[i].edge is not None:
        # The extractor marks blocks: a heading is set apart as a block of its own
        # (however narrow the column), and a line inside a block is never one.
        return bool(lines[i].edge and lines[i + 1].edge) and ends_sentence(lines[i - 1].text)
    # As measured: a heading's quotes and brackets make it no wider than it is.
    return ends_sentence(lines[i - 1].text) and cols.short(i, 4, exact=True)


def reflow(lines: list[Line], measure: Callable[[str], float] = width) -> list[Block]:
    """Visual lines -> paragraphs and section headings (widths by `measure`, the page's)."""
    if not lines:
        return []
    cols = Columns([line.text for line in lines], measure)
    blocks: list[Block] = []
    run: list[Line] = []

    def flush():
        if not run:
            return
        breaks = paragraph_breaks([line.text for line in run], measure)
        start = 0
        for k, brk in enumerate(breaks):
            if brk:
                text = join_lines([line.text for line in run[start : k + 1]])
                if text:
                    blocks.append(Block(PARAGRAPH, text, run[start].no))
                start = k + 1
        run.clear()

    for i, line in enumerate(lines):
        if _is_heading(lines, i, cols):
            flush()
            blocks.append(Block(HEADING, join_lines([line.text]), line.no))
        else:
            run.append(line)
    flush()
    return blocks
