"""One raw page -> its articles.

The page is read as visual lines. Fixed cues cut it into runs: a byline ends an
article, a dateline or a 上接 marker starts one. Headline blocks (short lines with
no sentence punctuation) sit next to those cuts; each is given to the body before
or after it by evidence (how many of its words that body uses, which side the page's
edge blocks fall on, and the page keeping one layout habit), never by a fixed rule.
Bylines are read in every printed form (byline.py); one taken or refused on weak
evidence is written to ``Page.notes`` with its line (the build names the file).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.article import HEADING, PARAGRAPH, Article, Block
from .byline import Byline, parse_byline
from .chars import clean_text
from .decode import decode_page
from .headline import derive_title, split_headline
from .layout import column_widths, ends_sentence, paragraph_breaks, width
from .markers import (
    CONT_FROM,
    CONT_TO,
    DATELINE,
    SUBTITLE,
    continuation,
    is_headline_like,
)
from .repair import CJK, Repair, join_lines, repair_line, tidy_spaces


@dataclass
class Line:
    no: int  # 1-based line number in the file
    text: str
    byline: Byline | None = None  # the byline this line carries
    tail: str = ""  # the byline as it stands at the end of the line (all of it when alone)
    leads: bool = False  # the byline opens its article (printed under the headline)


@dataclass
class Page:
    source: str
    articles: list[Article]
    repairs: list[Repair] = field(default_factory=list)
    # Decisions taken on weak evidence ("file:line N: what was decided"), for people to check.
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what was decided on weak evidence)


def extract_file(path, source: str | None = None) -> Page:
    path = Path(path)
    data = path.read_bytes()
    text, _ = decode_page(data, source or path)
    return extract_page(text, source or str(path), page_key(path.stem))


def page_key(stem: str) -> str:
    """An ASCII key for the page, stable for the same file name (ids build on it)."""
    clean = stem.strip().lower()
    if clean and re.fullmatch(r"[a-z0-9][a-z0-9_-]*", clean):
        return clean
    return "p" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10]


def read_lines(text: str, repairs: list[Repair]) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for no, raw in enumerate(text.split("\n"), start=1):
        raw = clean_text(raw, no, repairs)
        stripped = raw.replace("\u3000", " ").replace("\t", " ").strip()
        if stripped:
            lines.append(Line(no, repair_line(stripped, no, repairs)))
    return lines


def extract_page(text: str, source: str, key: str) -> Page:
    repairs: list[Repair] = []
    notes: list[tuple[int, str]] = []
    lines = read_lines(text, repairs)
    items = _segment(lines, lambda line, what: notes.append((line, what)))
    pairs = _assign_headlines(items)
    articles = []
    for index, (head, body) in enumerate(pairs, start=1):
        articles.append(_build_article(head, body, source, f"{key}-{index:02d}", index))
    return Page(source, articles, repairs, notes)


# --- segmentation -------------------------------------------------------------

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


def _headline_follows(lines: list[Line], i: int, columns: list[float]) -> bool:
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
    return all(width(lines[k].text) < columns[k] - 2.5 for k in run)


def _runs_on(lines: list[Line], i: int, name: str, page_text: str) -> bool:
    """Does the candidate's last character make a word with the next line's first, a
    word the page uses elsewhere ("高质量发" / "展…")? Then the line runs on."""
    if i + 1 >= len(lines) or not lines[i + 1].text:
        return False
    junction = name[-1] + lines[i + 1].text[0]
    return page_text.count(junction) > 1


def _read_byline(lines: list[Line], i: int, page_text: str, columns: list[float],
                 note) -> tuple[Byline, str, bool] | None:
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
                if _headline_above(lines, i, columns):
                    return alone, "", True
                note(lines[i].no, f"'{alone.text}' kept as text: under lines that may be a headline "
                                  "or a sentence running on (no subtitle, not narrower than the column)")
            return None
        return _judge(lines, i, alone, "", page_text, columns, note)
    match = _INLINE.match(text)
    if match:
        candidate = parse_byline(match.group(2))
        if candidate is not None:
            return _judge(lines, i, candidate, match.group(1).rstrip(), page_text, columns, note)
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


def _headline_above(lines: list[Line], i: int, columns: list[float]) -> bool:
    """Plain evidence that the head-like lines right above lines[i] are a headline: the
    page starts there, one is a ——— subtitle, all are clearly narrower than the
    column, or a dateline follows the byline."""
    k = i - 1
    while k >= 0 and i - k <= 4 and lines[k].byline is None and is_headline_like(lines[k].text):
        k -= 1
    run = range(k + 1, i)
    if k < 0 or (i + 1 < len(lines) and DATELINE.match(lines[i + 1].text)):
        return True
    return any(SUBTITLE.match(lines[j].text) for j in run) or all(
        width(lines[j].text) < columns[j] - 2.5 for j in run)


def _judge(lines, i, byline: Byline, rest: str, page_text: str, columns: list[float], note):
    after = _what_follows(lines, i)
    where = "at the end of the line" if rest else "alone on its line"
    if byline.strong or (byline.bracketed and byline.name_like):
        return byline, rest, False
    if after == "continues":
        if byline.name_like:
            note(lines[i].no, f"'{byline.text}' {where} kept as text: the next line continues a sentence")
        return None
    if byline.name_like:
        if after == "body":
            note(lines[i].no, f"'{byline.text}' {where} read as a byline (a name after a finished "
                              "sentence; no headline, dateline or page end follows)")
        return byline, rest, False
    # Not a name by its form: only a clear boundary after it makes it a byline.
    short = all(len(n) <= 3 for n in byline.names)
    boundary = after in ("end", "start") or (
        after == "head" and short and _headline_follows(lines, i, columns)
        and not _runs_on(lines, i, byline.names[-1], page_text))
    if boundary:
        note(lines[i].no, f"'{byline.text}' {where} read as a byline: not a common name, "
                          f"but the {'page ends' if after == 'end' else 'next article starts'} after it")
        return byline, rest, False
    return None


def _segment(lines: list[Line], note=lambda line, what: None) -> list[tuple[str, list[Line]]]:
    """Cut the page into ("H", headline lines) and ("B", body lines) items."""
    n = len(lines)
    cuts = {0, n}
    byline = [False] * n
    page_text = "".join(line.text for line in lines)
    columns = column_widths([width(line.text) for line in lines])
    for i, line in enumerate(lines):
        found = _read_byline(lines, i, page_text, columns, note)
        if found:
            line.byline, line.tail, line.leads = found[0], line.text[len(found[1]):], found[2]
            byline[i] = True
            cuts.add(i if line.leads else i + 1)
        forward = CONT_TO.search(line.text)
        if forward and forward.end() >= len(line.text) - 1:
            cuts.add(i + 1)
        if (DATELINE.match(line.text) or CONT_FROM.match(line.text)) and not (i and lines[i - 1].leads):
            cuts.add(i)
    head_like = [
        is_headline_like(line.text) and not byline[i] and not DATELINE.match(line.text)
        and not CONT_FROM.search(line.text) and not CONT_TO.search(line.text)
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
        for a, b in _headline_runs(lines, i, j, cuts, columns):
            for k in range(a, b):
                in_head[k] = True
        i = j
    items: list[tuple[str, list[Line]]] = []
    for i, line in enumerate(lines):
        kind = "H" if in_head[i] else "B"
        if items and items[-1][0] == kind and i not in cuts:
            items[-1][1].append(line)
        else:
            items.append((kind, [line]))
    return _merge_adjacent(items)


def _headline_runs(lines, a: int, b: int, cuts: set[int], columns: list[float]):
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
    narrow = b - a >= 2 and all(width(lines[k].text) < columns[k] - 2.5 for k in range(a, b))
    if not (after_cut or before_cut or has_subtitle or narrow):
        return  # one short line inside a body: a section heading, not a headline
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
            b = last_sub + 1
        else:
            if b - a > 3:
                b = a + 3
            # The body's first line may carry no punctuation. It shows by the line
            # after it opening with a push-out, or with a number that did not fit
            # (leaving this line a few cells short). Its width is no evidence: a body
            # opens with an indented line, and a headline may be any width.
            while b > a and b < len(lines) and (
                    _PUSHED_OUT.match(lines[b].text)
                    or (_NUMBER_START.match(lines[b].text) and width(lines[b - 1].text) >= columns[b - 1] - 4)):
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

_CJK_RUN = re.compile(f"[{CJK}]+")


def _bigrams(text: str) -> set[str]:
    grams = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            grams.add(run)
    return grams


def _overlap(head: list[Line], body: list[Line]) -> float:
    grams = _bigrams(" ".join(line.text for line in head))
    if not grams:
        return 0.0
    body_text = "".join(line.text for line in body)
    return sum(1 for g in grams if g in body_text) / len(grams)


HABIT = 0.15  # what breaking the page's layout habit costs a headline (overlap is 0..1)


def _assign_headlines(items) -> list[tuple[list[Line] | None, list[Line]]]:
    """Give each headline block to its left or right body, at most one per body,
    maximising how much of the headline each chosen body uses."""
    bodies = [lines for kind, lines in items if kind == "B"]
    heads = []  # (lines, left body index or None, right body index or None)
    b = -1
    for kind, lines in items:
        if kind == "B":
            b += 1
        else:
            heads.append((lines, b if b >= 0 else None, b + 1 if b + 1 < len(bodies) else None))
    # The page's edges are the plainest evidence of the paper's habit.
    edge = sum(1 for _, left, right in heads if right is None and left is not None) \
        - sum(1 for _, left, right in heads if left is None and right is not None)
    prior = 0.3 if edge > 0 else -0.3 if edge < 0 else 0.0

    def score(head, body_index, side):
        if body_index is None:
            return None
        body = bodies[body_index]
        s = _overlap(head, body) + (prior if side == "L" else -prior)
        # Weak local habit, for ties: a headline follows its byline (after-layout) or
        # precedes its dateline (before-layout).
        if side == "L" and body and body[-1].byline and not body[-1].leads:
            s += 0.05
        if side == "R" and body and DATELINE.match(body[0].text):
            s += 0.05
        if side == "R" and body and body[0].leads:
            s += 0.5  # a byline printed right under the headline: plain evidence
        return s

    def assign(habit: str):
        """DP over heads in order (state: did the last head take its right body); a
        head that breaks the page's habit pays a little: a page keeps one layout."""
        best = {False: (0.0, [])}
        for lines, left, right in heads:
            nxt: dict[bool, tuple[float, list]] = {}
            for took_right, (total, choice) in best.items():
                for side, body_index in (("L", left), ("R", right)):
                    s = score(lines, body_index, side)
                    if s is None:
                        continue
                    if side == "L" and took_right and choice and choice[-1] == ("R", left):
                        s -= 10  # that body has the previous head already: a last resort
                    if side != habit:
                        s -= HABIT
                    state = side == "R"
                    candidate = (total + s, choice + [(side, body_index)])
                    if state not in nxt or candidate[0] > nxt[state][0]:
                        nxt[state] = candidate
                if left is None and right is None:
                    nxt[took_right] = (total, choice + [("N", None)])
            best = nxt
        return max(best.values(), key=lambda c: c[0])

    _, choices = max(assign("L"), assign("R"), key=lambda c: c[0]) if heads else (0.0, [])

    owned: dict[int, list[Line]] = {}
    orphans = []
    for (lines, _, _), (side, body_index) in zip(heads, choices):
        if body_index is None or body_index in owned:
            orphans.append(lines)
        else:
            owned[body_index] = lines
    pairs = [(owned.get(i), body) for i, body in enumerate(bodies)]
    # A headline with no body of its own still is an article: nothing is dropped.
    for lines in orphans:
        pairs.append((lines, []))
    if not bodies and not orphans and heads:
        pairs = [(heads[0][0], [])]
    return pairs


# --- one article -------------------------------------------------------------------

def _build_article(head, body: list[Line], source: str, article_id: str, position: int) -> Article:
    body = [Line(line.no, line.text, line.byline, line.tail, line.leads) for line in body]
    continued_from = continued_to = dateline = byline = None
    people: list[Byline] = []  # bylines, in printed order
    if body and body[0].byline and body[0].leads:
        people.append(body.pop(0).byline)
    # Continuation markers are furniture wherever they stand: fields, not text.
    for line in body:
        if CONT_FROM.search(line.text):
            continued_from = continued_from or continuation(CONT_FROM, line.text)
            line.text = CONT_FROM.sub("", line.text).strip()
        if CONT_TO.search(line.text):
            continued_to = continuation(CONT_TO, line.text)
            line.text = CONT_TO.sub("", line.text).strip()
    body = [line for line in body if line.text]
    if body:
        dateline, inside = _read_dateline(body)
        if inside:
            people.append(inside)
    last = body[-1] if body else None
    if last and last.byline and not last.leads and last.text.endswith(last.tail) \
            and (len(body) > 1 or last.text != last.tail):
        people.append(last.byline)
        last.text = last.text[:-len(last.tail)].rstrip()
    body = [line for line in body if line.text.strip()]
    byline = _join_bylines(people)
    blocks = reflow(body)
    body_text = "\n".join(block.text for block in blocks)
    kicker = title = subtitle = None
    if head:
        kicker, title, subtitle = split_headline([line.text for line in head], body_text)
    derived = title is None
    if derived:
        title = derive_title("\n".join(b.text for b in blocks if b.type == PARAGRAPH))
    return Article(
        id=article_id, source=source, title=title, title_derived=derived,
        subtitle=subtitle, kicker=kicker, byline=byline,
        dateline=dateline, continued_from=continued_from, continued_to=continued_to,
        blocks=blocks, position=position,
    )


_OPEN_BRACKET = re.compile(r"\s*[（(][^）)]*$")


def _read_dateline(body: list[Line]) -> tuple[str | None, Byline | None]:
    """The dateline opening body[0] and the byline in its brackets (本报讯（记者 王波）),
    both taken out of the text. A bracket that does not read as a byline stays in
    the body; one that a narrow column wrapped onto the next line is read over both."""
    first = body[0].text
    match = DATELINE.match(first)
    if not match:
        return None, None
    dateline = tidy_spaces(match.group(1))
    if match.group(2):
        inside = parse_byline(match.group(2))
        if inside:
            body[0].text = first[match.end():]
            return dateline, inside
    elif len(body) > 1 and _OPEN_BRACKET.match(first[match.end(1):]):
        for glue in ("", " "):
            joined = first + glue + body[1].text
            wrapped = DATELINE.match(joined)
            if wrapped and wrapped.group(2) and wrapped.end(2) > len(first) + len(glue):
                inside = parse_byline(wrapped.group(2))
                if inside:
                    body[0].text, body[1].text = "", joined[wrapped.end():]
                    return dateline, inside
    body[0].text = first[match.end(1):].lstrip()
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


_PUSHED_OUT = re.compile(r"^.[，。、；：？！”’）]")
_NUMBER_START = re.compile(r"^[0-9A-Za-z.%]+ ?[^\x00-\x7f]")


def _is_heading(lines: list[Line], i: int, columns: list[float]) -> bool:
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
    if _PUSHED_OUT.match(lines[i + 1].text):
        return False
    return ends_sentence(lines[i - 1].text) and width(text) < columns[i] - 4


def reflow(lines: list[Line]) -> list[Block]:
    """Visual lines -> paragraphs and section headings."""
    if not lines:
        return []
    columns = column_widths([width(line.text) for line in lines])
    blocks: list[Block] = []
    run: list[Line] = []

    def flush():
        if not run:
            return
        breaks = paragraph_breaks([line.text for line in run])
        start = 0
        for k, brk in enumerate(breaks):
            if brk:
                text = join_lines([line.text for line in run[start:k + 1]])
                if text:
                    blocks.append(Block(PARAGRAPH, text, run[start].no))
                start = k + 1
        run.clear()

    for i, line in enumerate(lines):
        if _is_heading(lines, i, columns):
            flush()
            blocks.append(Block(HEADING, join_lines([line.text]), line.no))
        else:
            run.append(line)
    flush()
    return blocks
