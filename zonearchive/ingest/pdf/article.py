"""One article from its drafted lines: the headline run split by type size into
kicker, title and subtitle; blocks by indent and weight; the dateline, continuation
markers and bylines taken out of the text into their fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model.article import HEADING, PARAGRAPH, Article, Block
from ..assemble import _join_bylines, _read_dateline
from ..byline import Byline, parse_byline
from ..headline import derive_title
from ..lines import Line
from ..markers import CONT_FROM, CONT_TO, SUBTITLE, continuation
from ..repair import join_lines, tidy_spaces
from .geometry import PrintedLine


@dataclass
class _Line:
    no: int
    text: str
    printed: PrintedLine
    kind: str = "body"  # "head" | "heading" | "body" | "byline"
    starts: bool = False  # an indented first line of a paragraph


@dataclass
class _Draft:
    head: list[_Line] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)


def _blocks(lines: list[_Line]) -> list[tuple[str, list[_Line]]]:
    blocks: list[tuple[str, list[_Line]]] = []
    for line in lines:
        if line.kind == "heading":
            if blocks and blocks[-1][0] == HEADING:
                blocks[-1][1].append(line)
            else:
                blocks.append((HEADING, [line]))
        elif line.starts or not blocks or blocks[-1][0] == HEADING:
            blocks.append((PARAGRAPH, [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


_WIDE = re.compile("\u2003+")


def build_article(draft: _Draft, source: str, article_id: str, position: int, notes) -> Article:
    people: list[Byline] = []
    kicker = title = subtitle = None
    heads = [line for line in draft.head if line.kind == "head"]
    for line in draft.head:
        if line.kind != "head":
            byline = parse_byline(_WIDE.sub(" ", line.text))
            if byline:
                people.append(byline)
    if heads:
        biggest = max(line.printed.size for line in heads)
        tops = [k for k, line in enumerate(heads) if line.printed.size >= biggest - 0.5]
        first, last = tops[0], tops[-1]
        kicker = _field(heads[:first])
        title = _field(heads[first : last + 1])
        subtitle = _field(heads[last + 1 :])
        if subtitle:
            subtitle = SUBTITLE.sub("", subtitle) or None
    blocks = _blocks(draft.lines)
    continued_from = continued_to = dateline = None
    texts: list[tuple[str, str, int]] = []
    for kind, lines in blocks:
        text = join_lines([_WIDE.sub(" ", line.text) for line in lines])
        texts.append((kind, text, lines[0].no))
    # An inline byline: the last line's tail after a wide gap.
    if draft.lines and not draft.bylines:
        final = draft.lines[-1].text
        if "\u2003" in final:
            cut = final.rsplit("\u2003", 1)[1]
            tail = parse_byline(cut)
            if tail and texts:
                kind, text, no = texts[-1]
                texts[-1] = (kind, text[: len(text) - len(tidy_spaces(cut))].rstrip(), no)
                draft.bylines.append(tail)
    out: list[Block] = []
    for kind, text, no in texts:
        if CONT_FROM.search(text):
            continued_from = continued_from or continuation(CONT_FROM, text)
            text = CONT_FROM.sub("", text).strip()
        if CONT_TO.search(text):
            continued_to = continuation(CONT_TO, text)
            text = CONT_TO.sub("", text).strip()
        if kind == PARAGRAPH and not out and dateline is None:
            opening = [Line(no, text)]
            dateline, inside = _read_dateline(opening)
            text = opening[0].text
            if inside:
                people.insert(0, inside)
        if text:
            out.append(Block(kind, text, no))
    people.extend(draft.bylines)
    derived = title is None
    if derived:
        title = derive_title("\n".join(b.text for b in out if b.type == PARAGRAPH))
        at = draft.lines[0].no if draft.lines else 0
        notes.append((at, f"no headline printed over this article; its title is taken from the lead: {title}"))
    return Article(
        id=article_id,
        source=source,
        title=title or "",
        title_derived=derived,
        subtitle=subtitle,
        kicker=kicker,
        byline=_join_bylines(people),
        dateline=dateline,
        continued_from=continued_from,
        continued_to=continued_to,
        blocks=out,
        position=position,
    )


def _field(lines: list[_Line]) -> str | None:
    text = join_lines([_WIDE.sub(" ", line.text) for line in lines])
    return text or None
