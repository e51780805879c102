"""Articles as Markdown files: TOML front matter between +++ lines, then the body.

+++
id = "000_5b8fe1ee034655b8-01"
title = "向新求质 小隔膜做成大产业"
zone = "永济经济技术开发区"
+++
仲夏时节，蒲坂大地万物勃发……

## 生活处处离不开的“塑料薄膜”
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from pathlib import Path

from ..errors import DecodeError, SourceWarning, ZoneArchiveError
from ..fsutil import read_source
from ..i18n import _
from ..ingest.chars import clean_text
from ..ingest.repair import Repair
from ..model.article import Article
from ..model.limits import MAX_MARKDOWN_BYTES, check_markdown
from ..model.markdown import blocks_to_markdown, markdown_to_blocks
from ..tomlfile import key_lines, parse_toml
from ..urls import MAX_ID, MAX_ZONE_NAME

FENCE = "+++"
STRING_KEYS = [
    "id",
    "title",
    "subtitle",
    "kicker",
    "zone",
    "byline",
    "dateline",
    "date",
    "page",
    "continued_from",
    "continued_to",
    "source",
]
KEYS = set(STRING_KEYS) | {"title_derived"}
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def real_date(value: str) -> bool:
    """Whether a YYYY-MM-DD string names a day of the calendar (2025-02-30 does not)."""
    try:
        datetime.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def read_markdown_article(
    path: Path,
    label: str,
    warnings: list[SourceWarning] | None = None,
    repairs: list[Repair] | None = None,
    data: bytes | None = None,
) -> Article:
    """The article of one Markdown file (``data``: its bytes, when already read); what
    it holds that is ignored goes to ``warnings``; characters no output may carry are
    removed (and logged in ``repairs``); a body past a rendering limit is refused."""
    repairs = [] if repairs is None else repairs
    data = read_source(path, label) if data is None else data
    if len(data) > MAX_MARKDOWN_BYTES:
        raise ZoneArchiveError(
            label,
            _("Markdown file is larger than the {limit} MiB limit for one article").format(
                limit=MAX_MARKDOWN_BYTES // (1024 * 1024)
            ),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DecodeError(label, _("Markdown files must be UTF-8"), error.start) from None
    lines = clean_text(text.replace("\r\n", "\n"), 0, repairs, first_line=1).split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ZoneArchiveError(label, _("front matter must open with a {fence} line").format(fence=FENCE), 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise ZoneArchiveError(
            label, _("front matter is not closed by a {fence} line").format(fence=FENCE), 1
        ) from None
    front = "\n".join(lines[1:end])
    meta = parse_toml(front, label, first_line=2)
    where = key_lines(front, first_line=2)
    for key in meta:
        if key not in KEYS:
            raise ZoneArchiveError(
                label,
                _("unknown front matter key {key!r}; known: {known}").format(key=key, known=", ".join(sorted(KEYS))),
                where.get(key, 1),
            )
    for key in STRING_KEYS:
        value = meta.get(key)
        if key == "date" and isinstance(value, datetime.date):
            meta[key] = value.isoformat()
        elif value is not None and not isinstance(value, str):
            raise ZoneArchiveError(label, _("{key} must be a string").format(key=key), where.get(key, 1))
        elif value is not None:
            meta[key] = clean_text(value, where.get(key, 1), repairs)  # a TOML escape (\u001b)
    if meta.get("date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"]):
        raise ZoneArchiveError(
            label, _("date must look like 2024-07-01, not {date!r}").format(date=meta["date"]), where.get("date", 1)
        )
    if meta.get("date") and not real_date(meta["date"]):
        raise ZoneArchiveError(
            label, _("date {date} is not a real date").format(date=meta["date"]), where.get("date", 1)
        )
    zone = meta.get("zone")
    if zone is not None and not zone.strip() and warnings is not None:
        warnings.append(
            SourceWarning(
                label,
                _("zone is empty, so the zone is detected from the text (remove the line, or name the zone)"),
                where.get("zone", 1),
            )
        )
    if zone is not None and len(zone.strip()) > MAX_ZONE_NAME:
        raise ZoneArchiveError(
            label,
            _("zone name is {length} characters long; the limit is {limit}").format(
                length=len(zone.strip()), limit=MAX_ZONE_NAME
            ),
            where.get("zone", 1),
        )
    if not meta.get("title"):
        raise ZoneArchiveError(label, _("front matter needs a title"), 1)
    article_id = meta.get("id") or "md-" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:12]
    if not ID.match(article_id):
        raise ZoneArchiveError(
            label,
            _("id {id!r} must be lower-case ASCII letters, digits, - or _").format(id=article_id),
            where.get("id", 1),
        )
    if len(article_id) > MAX_ID:
        raise ZoneArchiveError(
            label,
            _("id is {length} characters long; the limit is {limit} (it names the article's URL)").format(
                length=len(article_id), limit=MAX_ID
            ),
            where.get("id", 1),
        )
    body = "\n".join(lines[end + 1 :])
    problem = check_markdown(body)
    if problem:
        line, message = problem
        raise ZoneArchiveError(
            label, _("Markdown body refused: {why}").format(why=message), None if line is None else end + 1 + line
        )
    body = body.strip("\n") + "\n"
    position = re.search(r"-(\d+)$", path.stem)
    article = Article(
        id=article_id,
        source=meta.get("source") or clean_text(label, 0, []),
        title=meta["title"],
        title_derived=bool(meta.get("title_derived", False)),
        subtitle=meta.get("subtitle"),
        kicker=meta.get("kicker"),
        byline=meta.get("byline"),
        dateline=meta.get("dateline"),
        continued_from=meta.get("continued_from"),
        continued_to=meta.get("continued_to"),
        blocks=markdown_to_blocks(body),
        date=meta.get("date"),
        page=meta.get("page"),
        position=int(position.group(1)) if position else 0,
        source_kind="markdown",
    )
    article.zone_override = meta.get("zone")
    article.markdown = body
    article.file = label
    return article


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string


def markdown_file_text(article: Article) -> str:
    """The Markdown file an editor gets for an extracted article."""
    lines = [FENCE]
    values = {
        "id": article.id,
        "title": article.title,
        "subtitle": article.subtitle,
        "kicker": article.kicker,
        "zone": article.zone,
        "byline": article.byline,
        "dateline": article.dateline,
        "date": article.date,
        "page": article.page,
        "continued_from": article.continued_from,
        "continued_to": article.continued_to,
        "source": article.source,
    }
    for key in STRING_KEYS:
        value = values[key]
        if value is not None:
            lines.append(f"{key} = {_toml_string(value)}")
    if article.title_derived:
        lines.append("title_derived = true")
    lines.append(FENCE)
    return "\n".join(lines) + "\n" + blocks_to_markdown(article.blocks)


def markdown_folder(page: Path) -> Path:
    """Where a raw page's articles go as Markdown: a folder named after the page."""
    return page.with_suffix("")
