"""Headline blocks: split into kicker (引题), title and subtitle; derive a missing title."""

from __future__ import annotations

import re

from .layout import width
from .markers import SUBTITLE
from .repair import CJK, join_lines

# A kicker names who or where: an organisation, a zone, a person with a post.
_ENTITY_END = re.compile(
    r"(开发区|高新区|经开区|示范区|农高区|园区|新区|公司|集团|中心|大学|学院|研究院|医院|银行|协会|商会|局|委|厅|办|院|所|站|县|市|区|镇|乡|村)$"
)
_PERSON_POST = re.compile(r"书记|市长|县长|区长|主任|局长|厅长|董事长|总经理|院长|主席|厂长|经理|负责人|代表|委员")


_INNER_SUBTITLE = re.compile(f"(?<=[{CJK}])[—－]{{2,}}(?=[{CJK}])")


def _is_entity(text: str) -> bool:
    return bool(_ENTITY_END.search(text) or _PERSON_POST.search(text))


def split_headline(
    lines: list[str], body: str, edges: list[bool | None] | None = None
) -> tuple[str | None, str | None, str | None]:
    """Return (kicker, title, subtitle) from a headline block's lines, top to bottom.

    edges[i] says whether lines[i] opens a block of the extractor's (None: the page
    does not tell). A kicker is set in its own type size, so a tool that marks blocks
    prints it as one: then a part never spans a block edge, and the title is never
    split into a kicker by guessing."""
    # The subtitle closes the block: lines after its ——— line are its own, wrapped
    # (a narrow column breaks a headline's every part over lines). A tool may run the
    # title's last line into it (``蒲坂大地万物勃`` / ``发———走进…``).
    for i, line in enumerate(lines):
        inner = _INNER_SUBTITLE.search(line)
        if inner:
            lines = [*lines[:i], line[: inner.start()], line[inner.start() :], *lines[i + 1 :]]
            if edges:
                edges = [*edges[: i + 1], False, *edges[i + 1 :]]
            break
    at = next((i for i, line in enumerate(lines) if SUBTITLE.match(line)), len(lines))
    main = lines[:at]
    subtitle = join_lines([SUBTITLE.sub("", lines[at]), *lines[at + 1 :]]) if at < len(lines) else None
    kicker = None
    if edges and edges[0] is not None:
        kicker_ends = next((i for i in range(1, at) if edges[i]), None)
        if kicker_ends:
            kicker, main = join_lines(main[:kicker_ends]), main[kicker_ends:]
    elif wrapped := _wrapped_kicker(main):
        kicker, main = join_lines(main[:wrapped]), main[wrapped:]
    elif len(main) >= 2 and join_lines(main) in body:
        pass  # the lines join into words the body prints: one title, wrapped
    elif len(main) >= 3 or (len(main) == 2 and _kicker_then_title(main[0], main[1], body)):
        kicker, main = main[0], main[1:]
    title = join_lines(main) if main else None
    if title is None and subtitle:
        title, subtitle = subtitle, None
    return (join_lines([kicker]) if kicker else None), title, subtitle


def _wrapped_kicker(main: list[str]) -> int:
    """How many lines a kicker wrapped over two lines or more takes (``丰康高新技术产业开发``
    / ``区``): the first lines that join into a name, the title still to come; else 0."""
    for k in range(2, len(main)):
        if _is_entity(join_lines(main[:k])) and not _is_entity(main[0]):
            return k
    return 0


def _kicker_then_title(first: str, second: str, body: str) -> bool:
    """Two lines: a kicker over a title, or one title wrapped over two lines?"""
    if _is_entity(first):
        return True
    junction = first.strip()[-1:] + second.strip()[:1]
    if re.fullmatch(f"[{CJK}]{{2}}", junction) and junction in body:
        return False  # the line break splits a word the body also uses: a wrapped title
    # A wrapped title fills its first line; a kicker is usually the shorter line.
    return width(first) < width(second)


_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_OPEN, _CLOSE = re.compile(r"[（(]"), re.compile(r"[）)]")
_CLAUSE_SPLIT = re.compile(r"[，；：,;:]")
_TEMPORAL = re.compile(
    r"^(近日|日前|近年来|今年以来|去年以来|目前|当前|眼下|同时|此外|其中|据悉|据了解|[0-9０-９年月日上下半旬初底末至—\-]+)$"
)
_SPEECH = re.compile(r"(说道?|表示|介绍道?|指出|强调|认为|称)$")
_LOCATIVE = re.compile(r"(内|中|里|上|下|间|期间|方面)$")
MAX_TITLE = 30


def _drop_parentheses(text: str) -> str:
    """Each "(" through the next ")" removed, as re.sub(r"[（(][^）)]*[）)]", "") does,
    in linear time: that regex rescans the rest of the text from every unclosed "("."""
    out, start = [], 0
    while (opened := _OPEN.search(text, start)) and (closed := _CLOSE.search(text, opened.end())):
        out.append(text[start : opened.start()])
        start = closed.end()
    out.append(text[start:])
    return "".join(out)


def derive_title(text: str) -> str:
    """A readable title (at most 30 characters) from the lead, for articles printed
    without a headline: the main clause of the first sentence that says something."""
    depth = 0
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        quoted = depth > 0 or sentence.lstrip().startswith(("“", "「"))
        depth += sentence.count("“") - sentence.count("”")
        depth = max(depth, 0)
        if quoted:
            continue
        clean = _drop_parentheses(sentence).rstrip("。！？!?")
        clean = re.sub(r"[“”‘’「」]", "", clean.split("“")[0] if "：“" in clean else clean)
        clauses = [c.strip() for c in _CLAUSE_SPLIT.split(clean)]
        candidates = [
            c
            for c in clauses
            if len(c) >= 6 and not _TEMPORAL.match(c) and not _SPEECH.search(c) and not _LOCATIVE.search(c)
        ]
        if candidates:
            fitting = [c for c in candidates if len(c) <= MAX_TITLE]
            best = max(fitting, key=len) if fitting else candidates[0][: MAX_TITLE - 1] + "…"
            return best
    flat = re.sub(r"\s+", "", text)
    return (flat[: MAX_TITLE - 1] + "…") if len(flat) > MAX_TITLE else (flat or "无题")
