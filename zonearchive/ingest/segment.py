"""Where a page's articles begin and end: bylines (in every printed form, judged by
what follows them), datelines, continuation markers, and the headline runs between."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..i18n import _
from .blocks import block_end, whole_blocks
from .byline import Byline, parse_byline
from .bylinecuts import split_second_bylines
from .layout import Columns, ends_sentence, width
from .lines import NUMBER_START, PUSHED_OUT, Line, PrintedWords
from .markers import (
    CONT_FROM,
    CONT_TO,
    DATELINE,
    SUBTITLE,
    is_headline_like,
)
from .widthcuts import Marks, width_cuts

# A byline's text after the sentence that ends the body's last line: "…。 周明飞",
# "…。（记者 王波）". The sentence must really end there: "企业“ 小升规” 培育入" is a
# quoted term followed by a space the extraction tool put in, not a byline.
_INLINE = re.compile(r"^(.*[。！？!?…][”’」』）)]*)(?:[ \u3000]+|(?=[（(]))(.+)$")
_CONTINUES = re.compile(r"^[，。、；：？！”’）)…,.;:?!]")


def _what_follows(lines: list[Line], i: int) -> str:
    """What the line after lines[i] is: "end" of page, "start" of an article (a
    dateline, a 上接 marker, a ——— subtitle), a "head"-like line, a line that
    "continues" a sentence (opens with closing punctuation), or "body" text."""
    if i + 1 >= len(lines):
        return "end"
    nxt = lines[i + 1].text
    if DATELINE.match(nxt) or CONT_FROM.match(nxt) or SUBTITLE.match(nxt):
        return "start"
    if _CONTINUES.match(nxt):
        return "continues"
    return "head" if is_headline_like(nxt) else "body"


def _headline_follows(lines: list[Line], i: int, cols: Columns) -> bool:
    """Does a headline block plainly start after lines[i]: a run of head-like lines
    with a ——— subtitle, or all clearly narrower than the column, or a dateline
    after it? (A full-width line without sentence punctuation is body text.)"""
    j = i + 1
    while j < len(lines) and j - i <= 4 and is_headline_like(lines[j].text):
        j += 1
    run = range(i + 1, j)
    if not run:
        return False
    if any(SUBTITLE.match(lines[k].text) for k in run) or (j < len(lines) and DATELINE.match(lines[j].text)):
        return True
    return all(cols.short(k, 2.5) for k in run)


def _runs_on(lines: list[Line], i: int, name: str, printed: PrintedWords) -> bool:
    """Does the candidate (ending line i) run on into the next line by a word?"""
    return i + 1 < len(lines) and bool(lines[i + 1].text) and printed.joins(name, lines[i + 1].text)


def _may_carry_byline(text: str) -> bool:
    """A quick no for most lines of running text: a byline alone on its line holds no
    ， or 。 (byline._SHAPE), and one after a sentence follows a space or a bracket
    (_INLINE)."""
    return not ("，" in text or "。" in text) or " " in text or "\u3000" in text or "（" in text or "(" in text


def _read_byline(
    lines: list[Line], i: int, printed: PrintedWords, cols: Columns, note
) -> tuple[Byline, str, bool] | None:
    """The byline lines[i] carries, as (byline, rest of the line, leads), or None.

    Evidence, not one fixed rule: the form (a role word, brackets, a dotted name or
    a name that reads as a Chinese person's name), what comes before (a finished
    sentence) and what follows (the page's end, a new article, a headline block).
    A byline taken or refused on weak evidence is noted."""
    text = lines[i].text
    alone = parse_byline(text)
    if alone is not None:
        prev_ends = i > 0 and ends_sentence(lines[i - 1].text)
        if not prev_ends:
            # Under a headline and over the body: a byline that opens its article.
            # Only a role word says so; a bare short line there is a headline's.
            if alone.roles and _under_headline(lines, i) and _what_follows(lines, i) != "continues":
                if _headline_above(lines, i, cols):
                    return alone, "", True
                note(
                    lines[i].no,
                    _(
                        "'{byline}' kept as text: under lines that may be a headline "
                        "or a sentence running on (no subtitle, not narrower than the column)"
                    ).format(byline=alone.text),
                )
            return None
        return _judge(lines, i, alone, "", printed, cols, note)
    match = _INLINE.match(text)
    if match:
        candidate = parse_byline(match.group(2))
        if candidate is not None:
            return _judge(lines, i, candidate, match.group(1).rstrip(), printed, cols, note)
    return None


def _under_headline(lines: list[Line], i: int) -> bool:
    """Is lines[i] at the top of the page or right under a headline block: a run of
    at most four head-like lines that starts after a finished sentence or a byline?"""
    k = i - 1
    while k >= 0 and i - k <= 4 and lines[k].byline is None and is_headline_like(lines[k].text):
        k -= 1
    if k == i - 1 and i > 0:
        return False  # no headline above it
    return k < 0 or lines[k].byline is not None or ends_sentence(lines[k].text)


def _headline_above(lines: list[Line], i: int, cols: Columns) -> bool:
    """Plain evidence that the head-like lines right above lines[i] are a headline: the
    page starts there, one is a ——— subtitle, all are clearly narrower than the
    column, or a dateline follows the byline."""
    k = i - 1
    while k >= 0 and i - k <= 4 and lines[k].byline is None and is_headline_like(lines[k].text):
        k -= 1
    run = range(k + 1, i)
    if k < 0 or (i + 1 < len(lines) and DATELINE.match(lines[i + 1].text)):
        return True
    return any(SUBTITLE.match(lines[j].text) for j in run) or all(cols.short(j, 2.5) for j in run)


def _judge(lines, i, byline: Byline, rest: str, printed: PrintedWords, cols: Columns, note):
    after = _what_follows(lines, i)
    where = _("at the end of the line") if rest else _("alone on its line")
    if byline.strong or (byline.bracketed and byline.name_like):
        return byline, rest, False
    if after == "continues":
        if byline.name_like:
            note(
                lines[i].no,
                _("'{byline}' {where} kept as text: the next line continues a sentence").format(
                    byline=byline.text, where=where
                ),
            )
        return None
    if byline.name_like:
        if after == "body":
            note(
                lines[i].no,
                _(
                    "'{byline}' {where} read as a byline (a name after a finished "
                    "sentence; no headline, dateline or page end follows)"
                ).format(byline=byline.text, where=where),
            )
        return byline, rest, False
    # Not a name by its form: only a clear boundary after it makes it a byline.
    short = all(len(n) <= 3 for n in byline.names)
    boundary = after in ("end", "start") or (
        after == "head"
        and short
        and _headline_follows(lines, i, cols)
        and not _runs_on(lines, i, byline.names[-1], printed)
    )
    if boundary:
        note(
            lines[i].no,
            (
                _("'{byline}' {where} read as a byline: not a common name, but the page ends after it")
                if after == "end"
                else _("'{byline}' {where} read as a byline: not a common name, but the next article starts after it")
            ).format(byline=byline.text, where=where),
        )
        return byline, rest, False
    return None


def segment(
    lines: list[Line], note=lambda line, what: None, measure: Callable[[str], float] = width
) -> list[tuple[str, list[Line]]]:
    """Cut the page into ("H", headline lines) and ("B", body lines) items."""
    n = len(lines)
    cuts = {0, n}
    byline = [False] * n
    page_text = "".join(line.text for line in lines)
    printed = PrintedWords(page_text)
    cols = Columns([line.text for line in lines], measure)
    # The markers' words, looked for once in the page: most pages have no marker, and
    # a dateline names its 讯 or 电.
    cont_from, cont_to = "上接" in page_text, "下转" in page_text
    dated = [("讯" in line.text or "电" in line.text) and DATELINE.match(line.text) is not None for line in lines]
    for i, line in enumerate(lines):
        text = line.text
        found = _read_byline(lines, i, printed, cols, note) if _may_carry_byline(text) else None
        if found:
            line.byline, line.tail, line.leads = found[0], text[len(found[1]) :], found[2]
            byline[i] = True
            cuts.add(i if line.leads else i + 1)
        forward = cont_to and CONT_TO.search(text)
        if forward and forward.end() >= len(text) - 1:
            cuts.add(i + 1)
        if (dated[i] or (cont_from and CONT_FROM.match(text))) and not (i and lines[i - 1].leads):
            cuts.add(i)
    marks = Marks(lines, cols)  # what both ask of each line, worked out once
    cuts |= width_cuts(marks, cuts, note)
    split_second_bylines(lines, cuts, dated, marks, note)
    head_like = [
        not byline[i]
        and not dated[i]
        and is_headline_like(line.text)
        and not (cont_from and CONT_FROM.search(line.text))
        and not (cont_to and CONT_TO.search(line.text))
        for i, line in enumerate(lines)
    ]
    in_head = [False] * n
    i = 0
    while i < n:
        if not head_like[i]:
            i += 1
            continue
        j = i
        while j < n and head_like[j] and (j == i or j not in cuts):
            j += 1
        for a, b in _headline_runs(lines, i, j, cuts, cols, printed):
            for k in range(a, b):
                in_head[k] = True
        i = j
    for i in range(n):
        if lines[i].leads and ((i and in_head[i - 1]) or (i + 1 < n and in_head[i + 1])):
            # A byline printed under a headline (or that a tool printed right before
            # it) is the headline's article's, and the headline may belong to the body
            # above it (a page that sets headlines under their bodies): it goes with
            # the headline (assemble takes it out).
            in_head[i] = True
        elif lines[i].leads:
            cuts.discard(i + 1)  # a byline that opens its article is no article alone
    items: list[tuple[str, list[Line]]] = []
    for i, line in enumerate(lines):
        kind = "H" if in_head[i] else "B"
        if items and items[-1][0] == kind and i not in cuts:
            items[-1][1].append(line)
        else:
            items.append((kind, [line]))
    return _merge_adjacent(items)


NEAR = 30  # lines either side of a subtitle where the name it wraps is looked for again


def _headline_runs(lines, a: int, b: int, cuts: set[int], cols: Columns, printed: PrintedWords):
    """Which part of the head-like run lines[a:b] is a headline block, if any."""
    after_cut = a in cuts
    before_cut = b in cuts
    has_subtitle = any(SUBTITLE.match(lines[k].text) for k in range(a, b))
    # A sentence cannot end without punctuation: lines continuing the previous
    # sentence are body, even when short.
    while a < b and a not in cuts and not ends_sentence(lines[a - 1].text):
        a += 1
    if a >= b:
        return
    # Two or more lines, all clearly narrower than the column, after a finished
    # sentence: a kicker and title (body lines fill the column or its indent).
    narrow = b - a >= 2 and all(cols.short(k, 2.5) for k in range(a, b))
    if narrow and b - a == 2 and lines[a].edge is None and not lines[a + 1].joined and any(x.joined for x in lines):
        # Blank lines after nearly every line but some (pdfminer.six): a headline's
        # lines are printed with none between them, so a line set apart under
        # another is a byline or the body's (indented) first line, not a title.
        narrow = parse_byline(lines[a + 1].text) is not None
    if not (after_cut or before_cut or has_subtitle or narrow):
        return  # one short line inside a body: a section heading, not a headline
    if before_cut and whole_blocks(lines, a, b):
        yield a, b  # a kicker, a title and a subtitle at most, each a block of its own
        return
    end = None if before_cut else block_end(lines, a, b, cols, printed)
    if end is not None:
        # The extractor's blank lines show where the body's block starts: every line
        # above it is the headline's, a wrapped title or subtitle included.
        if end - a > 1 or after_cut or has_subtitle:
            yield a, end
        return
    # Blank lines after nearly every line but none inside this run (pdfminer.six
    # prints a headline so, however many lines it wraps over), and the next line
    # stands apart: the run is one headline block.
    stands_apart = b == len(lines) or not lines[b].joined
    if b - a >= 2 and lines[a].edge is None and stands_apart and all(lines[k].joined for k in range(a + 1, b)):
        yield a, b
        return
    if b - a > 4 and not has_subtitle:
        # A headline block is a kicker, a title of one or two lines and a subtitle at
        # most; a longer run of short unpunctuated lines is body text. Keep the lines
        # next to the cut that makes this a headline.
        if after_cut or not before_cut:
            yield a, a + 3
        else:
            yield b - 3, b
        return
    if not before_cut:
        # The body follows: nothing of a headline follows its subtitle, and a
        # headline block has at most a kicker and a title over two lines.
        last_sub = max((k for k in range(a, b) if SUBTITLE.match(lines[k].text)), default=None)
        if last_sub is not None:
            # A name set right under the subtitle is the byline printed with the
            # headline (assemble takes it out): it goes with the headline, which
            # may sit under its own body. So does the subtitle's wrapped end: a short
            # line that makes, with it, a word the page prints (``…示`` / ``范区``).
            name = parse_byline(lines[last_sub + 1].text) if last_sub + 1 < b else None
            signed = name is not None and name.name_like
            wrapped = last_sub + 1 < b and _runs_on(lines, last_sub, lines[last_sub].text, printed)
            # The whole line goes on the subtitle's last words to make a name printed
            # again near it (``…茂州现代农业`` / ``产业示范区``): not a body's first line.
            whole = lines[last_sub].text[-3:] + lines[last_sub + 1].text
            ending = (
                wrapped
                and cols.short(last_sub + 1, 2.5)
                and any(whole in line.text for line in lines[max(0, last_sub - NEAR) : last_sub + 2 + NEAR])
            )
            b = last_sub + (2 if ending or (signed and not wrapped) else 1)
        else:
            if b - a > 3:
                b = a + 3
            # The body's first line may carry no punctuation. It shows by the line
            # after it opening with a push-out, or with a number that did not fit
            # (leaving this line a few cells short). Its width is no evidence: a body
            # opens with an indented line, and a headline may be any width.
            while (
                b > a
                and b < len(lines)
                and (
                    PUSHED_OUT.match(lines[b].text) or (NUMBER_START.match(lines[b].text) and not cols.short(b - 1, 4))
                )
            ):
                b -= 1
            if b == a:
                return
        if b - a == 1 and not after_cut:
            return
    yield a, b


def _merge_adjacent(items):
    merged: list[tuple[str, list[Line]]] = []
    for kind, lines in items:
        if merged and merged[-1][0] == "H" and kind == "H":
            merged[-1][1].extend(lines)
        else:
            merged.append((kind, lines))
    return merged


# --- which body owns which headline ---------------------------------------------
