"""One article does not carry two bylines at its two ends: where it seems to, the
text holds two articles, and the second one's title read like a section heading (or
it had none, and only its own column width shows where it starts)."""

from __future__ import annotations

import re

from ..i18n import _
from .byline import Byline, glued_byline, parse_byline
from .layout import ends_sentence
from .lines import Line
from .markers import DATELINE, DATELINE_BRACKET, is_headline_like
from .widthcuts import Marks, column_change


def split_second_bylines(lines: list[Line], cuts: set[int], dated: list[bool], marks: Marks, note) -> None:
    """An article printed with its byline at its start (in the dateline's brackets or
    under its headline) does not end with another: a second byline at its end closes
    a second article, which opens where the column width changes after a finished
    sentence, or else at the last short head-like line after one (its title, which
    read alone looks like a section heading). With neither, a name alone on its line
    right over a headline is that headline's byline, printed before it by the tool."""
    bounds = sorted(cuts)
    cols = marks.cols
    # Without blank lines (PyMuPDF) a tool may print a headline away from its body:
    # a short line is no evidence of a title there.
    blanks = any(line.joined or line.edge is not None for line in lines)
    # A name under a headline opens the article below it only on a page that sets
    # headlines over their bodies: one that opens with a headline and ends with none.
    heads_over = _headline_at(lines[0]) and not _headline_at(lines[-1]) if lines else False
    for s, e in zip(bounds, bounds[1:]):
        last = lines[e - 1]
        if e - s < 4 or not last.byline or last.leads:
            continue
        opening, printed_first = _opening(lines, s, e, dated[s])
        if opening is None or not (printed_first or heads_over):
            continue
        # A name at both ends: one article its writer signed twice, not two.
        same = not set(opening.names).isdisjoint(last.byline.names)
        # Where the column width changes after a finished sentence is plainer evidence
        # of the second article's start than a short line (a heading may be one).
        changes = [k for k in range(s + 2, e - 1) if column_change(marks, k, s, e)]
        starts = [
            k
            for k in range(s + 2, e - 1)
            if is_headline_like(lines[k].text)
            and not is_headline_like(lines[k - 1].text)
            and ends_sentence(lines[k - 1].text)
            and (lines[k].edge if lines[k].edge is not None else blanks and cols.short(k, 2.5))
        ]
        if changes and not same:
            cuts.add(changes[-1])
            what = _(
                "'{line}' read as the start of a new article where the column width changes: "
                "the one above opened with its byline, '{byline}' ends this"
            )
            note(lines[changes[-1]].no, what.format(line=lines[changes[-1]].text, byline=last.byline.text))
        elif not printed_first:
            # A name under a headline may sign the article above it (a page that sets
            # headlines under their bodies): no cut without a change of column, and
            # nothing to say here (if this article takes both, its assembly says so).
            continue
        elif starts:
            # A headline of two short lines or more (kicker and title) over one line
            # (which may be a heading inside the second article).
            whole = [k for k in starts if is_headline_like(lines[k + 1].text) and cols.short(k + 1, 2.5)]
            starts = whole or starts
            cuts.add(starts[-1])
            what = _(
                "'{title}' read as the title of a new article: the one above opened with its byline, '{byline}' ends this"
            )
            note(lines[starts[-1]].no, what.format(title=lines[starts[-1]].text, byline=last.byline.text))
        elif not same and last.tail == last.text and e < len(lines) and is_headline_like(lines[e].text):
            # A name alone on its line right over a headline, after an article signed
            # already: the next article's byline, which a tool (PyMuPDF) printed
            # before the headline it stands under.
            cuts.add(e - 1)
            last.leads = True
            what = _("'{byline}' read as the byline of the headline under it: the article above opened with its byline")
            note(last.no, what.format(byline=last.byline.text))
        else:
            note_second_byline(last.no, last.byline, note)


def _opening(lines: list[Line], s: int, e: int, dated: bool) -> tuple[Byline | None, bool]:
    """The byline the article in lines[s:e] opens with, if any: its first line, the
    dateline's brackets (which a tool may print on the next line), or a name printed
    under a headline (the headline's lines open the run, or stand right before it).
    And whether it is printed in the article's first line: a name under a headline
    may be the byline of the article above, on a page that sets headlines under
    their bodies."""
    first = lines[s]
    if first.leads:
        return first.byline, True
    if dated:
        match = DATELINE.match(first.text)
        bracket = match.group(2) if match else None
        if match and not bracket and match.end() == len(first.text) and s + 1 < e:
            after = _BRACKET.match(lines[s + 1].text)  # 新华社太原1月2日电 / （杨文娜） 古庆…
            bracket = after.group(0) if after else None
        found = parse_byline(bracket) if bracket else None
        if found:
            return found, True
        return _under_headline(lines, s - 1, lines[s:e]), False
    for k in range(s + 1, min(e - 1, s + 6)):
        if not is_headline_like(lines[k - 1].text):
            break
        if not is_headline_like(lines[k + 1].text) and (found := _under_headline(lines, k, lines[k + 1 : e])):
            return found, False
        if not is_headline_like(lines[k].text):
            # The body starts at k: a tool may have run the byline into the headline's
            # last line (鼓谢英桂).
            glued = glued_byline(
                [line.text for line in lines[max(s, k - 2) : k]], "".join(line.text for line in lines[k:e])
            )
            return (glued[1] if glued else None), False
    return None, False


def _headline_at(line: Line) -> bool:
    return line.byline is None and not DATELINE.match(line.text) and is_headline_like(line.text)


def _under_headline(lines: list[Line], k: int, body: list[Line]) -> Byline | None:
    """The name alone on line k, right under a head-like line; not the headline's
    wrapped end (``全力加快项目建设`` / ``进度``: words the body uses, as assemble reads it)."""
    if k < 1 or not is_headline_like(lines[k - 1].text):
        return None
    found = parse_byline(lines[k].text)
    if not found or not found.name_like:
        return None
    text, above = lines[k].text.strip(), lines[k - 1].text.strip()
    body_text = "".join(line.text for line in body)
    return None if text in body_text or (above[-1:] + text[:1]) in body_text else found


_BRACKET = re.compile("^" + DATELINE_BRACKET)  # the dateline's, on the line after it


def note_second_byline(no: int, byline: Byline, note) -> None:
    """Say that the byline on line ``no`` is a second one of an article, which may be
    two (the cuts and the article's assembly say it in the same words: a page gives
    it once)."""
    what = _("'{byline}' is a second byline of one article, which may be two")
    note(no, what.format(byline=byline.text))
