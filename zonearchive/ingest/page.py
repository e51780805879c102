"""One raw page -> its articles.

The page is read as visual lines. Fixed cues cut it into runs: a byline ends an
article, a dateline or a 上接 marker starts one. Headline blocks (short lines with
no sentence punctuation) sit next to those cuts; each is given to the body before
or after it by evidence (how many of its words that body uses, which side the page's
edge blocks fall on, and the page keeping one layout habit), never by a fixed rule.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.article import HEADING, PARAGRAPH, Article, Block
from .chars import clean_text
from .decode import decode_page
from .headline import derive_title, split_headline
from .layout import ends_sentence, paragraph_breaks, width, column_widths
from .markers import (
    CONT_FROM, CONT_TO, DATELINE, INLINE_BYLINE, STANDALONE_BYLINE, SUBTITLE,
    continuation, is_headline_like, looks_like_name,
)
from .repair import CJK, Repair, join_lines, repair_line, tidy_spaces


@dataclass
class Line:
    no: int  # 1-based line number in the file
    text: str


@dataclass
class Page:
    source: str
    articles: list[Article]
    repairs: list[Repair] = field(default_factory=list)


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
    lines = read_lines(text, repairs)
    items = _segment(lines)
    pairs = _assign_headlines(items)
    articles = []
    for index, (head, body) in enumerate(pairs, start=1):
        articles.append(_build_article(head, body, source, f"{key}-{index:02d}", index))
    return Page(source, articles, repairs)


# --- segmentation -------------------------------------------------------------

def _is_byline_line(lines: list[Line], i: int) -> bool:
    """A name alone on its line after a finished sentence: a byline when it reads as a
    person's name, or when what follows starts a new article."""
    text = lines[i].text
    if not STANDALONE_BYLINE.match(text):
        return False
    if i == 0 or not ends_sentence(lines[i - 1].text):
        return False
    if i + 1 == len(lines) or looks_like_name(text):
        return True
    nxt = lines[i + 1].text
    return bool(is_headline_like(nxt) or DATELINE.match(nxt) or CONT_FROM.match(nxt))


def _segment(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Cut the page into ("H", headline lines) and ("B", body lines) items."""
    n = len(lines)
    cuts = {0, n}
    byline = [False] * n
    for i, line in enumerate(lines):
        if INLINE_BYLINE.match(line.text) or _is_byline_line(lines, i):
            byline[i] = True
            cuts.add(i + 1)
        forward = CONT_TO.search(line.text)
        if forward and forward.end() >= len(line.text) - 1:
            cuts.add(i + 1)
        if DATELINE.match(line.text) or CONT_FROM.match(line.text):
            cuts.add(i)
    head_like = [
        is_headline_like(line.text) and not byline[i] and not DATELINE.match(line.text)
        and not CONT_FROM.search(line.text) and not CONT_TO.search(line.text)
        for i, line in enumerate(lines)
    ]
    columns = column_widths([width(line.text) for line in lines])
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
        if side == "L" and body and (INLINE_BYLINE.match(body[-1].text) or STANDALONE_BYLINE.match(body[-1].text)):
            s += 0.05
        if side == "R" and body and DATELINE.match(body[0].text):
            s += 0.05
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

    best_total, choices = max(assign("L"), assign("R"), key=lambda c: c[0]) if heads else (0.0, [])

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
    body = [Line(line.no, line.text) for line in body]
    continued_from = continued_to = dateline = byline = None
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
        match = DATELINE.match(body[0].text)
        if match:
            dateline = tidy_spaces(match.group(1))
            body[0].text = body[0].text[match.end():]
    if body:
        match = INLINE_BYLINE.match(body[-1].text)
        if match:
            body[-1].text, byline = match.group(1), match.group(2)
        elif len(body) > 1 and _is_byline_line(body, len(body) - 1):
            byline = body.pop().text
    body = [line for line in body if line.text.strip()]
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
        subtitle=subtitle, kicker=kicker, byline=tidy_spaces(byline) if byline else None,
        dateline=dateline, continued_from=continued_from, continued_to=continued_to,
        blocks=blocks, position=position,
    )


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
