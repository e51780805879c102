"""Typeset known articles into raw pages the way PDF extraction leaves them.

Ground truth is made here, from sentences of the seed text and invented names,
never from the extractor's output. Layout choices: column width 13-28 per article,
headline block before or after the body, byline inline or on its own line,
datelines, blank line after each line or not, CRLF, a leading space, encodings.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

# The tests' own frozen copies of the seed pages (UTF-8), never the editorial seeds/.
FIXTURE_PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
_HALF = set("，。、；：？！“”‘’（）《》〈〉【】—…·「」『』")
# Invented places and people: not the seeds' zones or bylines.
PLACE_CHARS = "安宁泰和昌盛兴隆丰茂华康庆嘉瑞祥恒远清源沁阳河津孝义介休侯马霍州古交原平怀仁阳泉"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文斌"
ZONE_SUFFIXES = ["经济技术开发区", "高新技术产业开发区", "经济开发区", "现代农业产业示范区"]
DATELINES = ["科学导报讯", "本报讯", "新华社太原1月2日电"]


def width(text: str) -> float:
    return sum(0.5 if (c.isascii() or c in _HALF) else 1.0 for c in text if c != " ")


def _corpus() -> list[str]:
    text = ""
    for page in sorted(FIXTURE_PAGES.glob("*.txt")):
        for line in page.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            text += line
    text = re.sub(r"\s+", "", text)
    # Whole sentences only (a fragment would start a paragraph mid-sentence).
    sentences = [s for s in re.findall(r"[^。！？]+[。！？]", text) if 10 <= len(s) <= 70]
    keep = []
    for s in sentences:
        if s.count("“") != s.count("”") or s.count("‘") != s.count("’") or s.count("（") != s.count("）"):
            continue
        if re.search(r"[A-Za-z0-9][益毅伊依耀译臆逸窑滋]|上接|下转|报讯|[,;()]|———|\d{5,}", s):
            continue
        if s[0] in "”’）":
            continue
        keep.append(s)
    return keep


CORPUS = _corpus()


@dataclass
class TrueArticle:
    title: str | None
    kicker: str | None
    subtitle: str | None
    byline: str | None
    dateline: str | None
    blocks: list[tuple[str, str]] = field(default_factory=list)  # ("paragraph"|"heading", text)


def _clause(rng: random.Random, lo: int, hi: int, source: list[str] | None = None) -> str:
    for _ in range(200):
        s = rng.choice(source or CORPUS)
        for c in re.split(r"[，。；：！？、“”‘’]", s):
            if lo <= len(c) <= hi and not re.search(r"[A-Za-z0-9 （）—]", c):
                return c
    return "示例标题文字内容"


def make_article(rng: random.Random, with_headline: bool, with_byline: bool, with_dateline: bool) -> TrueArticle:
    place = "".join(rng.sample(PLACE_CHARS, 2))
    zone = place + rng.choice(ZONE_SUFFIXES)
    paragraphs = []
    for _ in range(rng.randint(2, 5)):
        text = "".join(rng.choice(CORPUS) for _ in range(rng.randint(2, 4)))
        while len(text) < 90:  # three lines or more at the widest column
            text += rng.choice(CORPUS)
        paragraphs.append(text)
    paragraphs = [zone + "：" + p for p in paragraphs[:1]] + paragraphs[1:]
    blocks: list[tuple[str, str]] = [("paragraph", p) for p in paragraphs]
    if rng.random() < 0.5 and len(blocks) >= 3:
        blocks.insert(rng.randint(1, len(blocks) - 1), ("heading", _clause(rng, 5, 8)))
    title = kicker = subtitle = None
    if with_headline:
        # A headline speaks of its own story: its words come from the body.
        title = _clause(rng, 6, 16, source=[paragraphs[0][len(zone) + 1 :], *paragraphs[1:]])
        if rng.random() < 0.5:
            kicker = zone
        if rng.random() < 0.4:
            subtitle = "走进" + zone
    byline = None
    if with_byline:
        byline = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
    return TrueArticle(title, kicker, subtitle, byline, rng.choice(DATELINES) if with_dateline else None, blocks)


def _wrap(text: str, first: float, rest: float) -> list[str]:
    """Fill lines: the first `first` wide (the indent), the rest `rest` wide, never
    wider. Latin/digit runs are not split; closing punctuation never starts a line
    (the character before it moves down with it, as typesetters do)."""
    tokens = re.findall(r"[A-Za-z0-9.%]+|.", text)
    lines: list[str] = []
    line, room, used = [], first, 0.0  # used: the line's width so far (halves and wholes add exactly)
    for tok in tokens:
        wide = width(tok)
        if line and used + wide > room:
            carry = []
            if tok in "，。、；：？！”’）" and len(line) > 1:
                carry = [line.pop()]
            lines.append("".join(line))
            line, room, used = carry, rest, sum(width(t) for t in carry)
        line.append(tok)
        used += wide
    if line:
        lines.append("".join(line))
    return lines


def _with_artefact_spaces(line: str) -> str:
    """PDF extraction puts spaces around Latin/digit runs next to Chinese."""
    return re.sub(r"(?<=[^\x00-\x7f])([A-Za-z0-9.%]+)(?=[^\x00-\x7f])", r" \1 ", line)


def typeset_article(article: TrueArticle, rng: random.Random, headline_after: bool, byline_inline: bool) -> list[str]:
    col = rng.randint(13, 28)
    body: list[str] = []
    first_paragraph = True
    for kind, text in article.blocks:
        if kind == "heading":
            body.append(text)
            continue
        if first_paragraph and article.dateline:
            text = article.dateline + " " + text
        first_paragraph = False
        # Paragraphs are made long enough for three lines or more: a two-line
        # paragraph whose first line ends a sentence reads exactly like two
        # one-line paragraphs, to a person as to the extractor.
        body.extend(_wrap(text, col - 2, col))
    if article.byline:
        if byline_inline:
            body[-1] = body[-1] + " " + article.byline
        else:
            body.append(article.byline)
    head: list[str] = []
    if article.kicker:
        head.append(article.kicker)
    if article.title:
        title = article.title
        if article.kicker and len(title) >= 10 and rng.random() < 0.5:
            cut = rng.randint(len(title) // 2, len(title) - 3)
            head.extend([title[:cut], title[cut:]])
        else:
            head.append(title)
    if article.subtitle:
        head.append("———" + article.subtitle)
    lines = [_with_artefact_spaces(line) for line in body]
    return lines + head if headline_after else head + lines


def make_page(seed: int, n_articles: int | None = None):
    """A random page: (raw bytes, encoding name, list of TrueArticle)."""
    rng = random.Random(seed)
    n = n_articles or rng.randint(2, 6)
    headline_after = rng.random() < 0.5
    byline_inline = rng.random() < 0.6
    articles = []
    for _i in range(n):
        has_head = rng.random() < 0.8
        has_byline = rng.random() < 0.7
        has_dateline = rng.random() < 0.6
        articles.append(make_article(rng, has_head, has_byline, has_dateline))
    # Every boundary needs a cue a reader of the text can see: a byline before it, a
    # dateline after it, or a headline block with a ——— subtitle between the two
    # bodies. (A headline without one, in a narrow column, reads like body lines
    # that happen to carry no punctuation; see the README's limits.)
    for prev, nxt in zip(articles, articles[1:]):
        between = prev if headline_after else nxt
        if not (prev.byline or nxt.dateline or (between.title and between.subtitle)):
            nxt.dateline = DATELINES[0]
    # A page edge without a headline on the layout's side keeps the same habit.
    lines: list[str] = []
    for article in articles:
        lines.extend(typeset_article(article, rng, headline_after, byline_inline))
    blank_after = rng.random() < 0.6
    newline = "\r\n" if rng.random() < 0.3 else "\n"
    out = []
    for line in lines:
        out.append(line)
        if blank_after and not re.search(r"[0-9A-Za-z]$", line):
            out.append("")
    text = newline.join(out) + newline
    if rng.random() < 0.5:
        text = " " + text
    encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030"])
    return text.encode(encoding), encoding, articles
