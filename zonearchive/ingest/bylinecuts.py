"""One article does not carry two bylines at its two ends: where it seems to, the
text holds two articles, and the second one's title read like a section heading (or
it had none, and only its own column width shows where it starts)."""

from __future__ import annotations

from ..i18n import _
from .byline import Byline, parse_byline
from .layout import ends_sentence
from .lines import Line
from .markers import DATELINE, is_headline_like
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
    for s, e in zip(bounds, bounds[1:]):
        last = lines[e - 1]
        if e - s < 4 or not last.byline or last.leads:
            continue
        first = lines[s]
        bracket = DATELINE.match(first.text) if dated[s] else None
        opening = (
            first.byline if first.leads else parse_byline(bracket.group(2)) if bracket and bracket.group(2) else None
        )
        if opening is None:
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


def note_second_byline(no: int, byline: Byline, note) -> None:
    """Say that the byline on line ``no`` is a second one of an article, which may be
    two (the cuts and the article's assembly say it in the same words: a page gives
    it once)."""
    what = _("'{byline}' is a second byline of one article, which may be two")
    note(no, what.format(byline=byline.text))
