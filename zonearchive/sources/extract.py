"""Where articles come from: the raw pages (and, later, Markdown) under seeds/."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceWarning, ZoneArchiveError
from ..fsutil import read_source
from ..i18n import _
from ..ingest.chars import clean_text
from ..ingest.decode import decode_page
from ..ingest.page import Page, extract_page, page_key
from ..ingest.pdf.page import extract_pdf
from ..ingest.repair import Repair
from ..model.article import Article, Facts
from ..tomlfile import key_lines, parse_toml, read_toml_text
from ..urls import MAX_ID, original_url
from ..workers import on_cores
from . import readcache
from .mdfiles import read_markdown_article, real_date
from .scan import PDF_SUFFIXES, _suffix, scan_sources

PARALLEL_FROM = 32  # pages; below this a process pool costs more than it saves


@dataclass
class Extraction:
    articles: list[Article] = field(default_factory=list)
    errors: list[ZoneArchiveError] = field(default_factory=list)
    repairs: dict[str, list[Repair]] = field(default_factory=dict)
    warnings: list[SourceWarning] = field(default_factory=list)  # what was left out, and why
    pages: int = 0
    originals: dict[str, Path] = field(default_factory=dict)  # site URL -> printed page (PDF) to copy


_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:_([A-Za-z]{0,2}\d{1,3}))?(?:_|$)")


def page_meta(path: Path, label: str) -> tuple[str | None, str | None]:
    """A raw page's issue date and page label: from a sidecar ``<page>.toml``
    (date = 2024-07-01, page = "A3"), else from a name like 2024-07-01_A3_anything.txt."""
    sidecar = path.with_suffix(".toml")
    if sidecar.exists():
        shown = Path(label).with_suffix(".toml").as_posix()
        text = read_toml_text(sidecar, shown)
        meta = parse_toml(text, shown)
        lines = key_lines(text)
        for key in meta:
            if key not in ("date", "page"):
                raise ZoneArchiveError(
                    shown, _("unknown key {key!r}; a page sidecar holds date and page").format(key=key), lines.get(key)
                )
        date = meta.get("date")
        date = date.isoformat() if isinstance(date, datetime.date) else date
        if date is not None and not (isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)):
            raise ZoneArchiveError(
                shown, _("date must look like 2024-07-01, not {date!r}").format(date=date), lines.get("date")
            )
        if date is not None and not real_date(date):
            raise ZoneArchiveError(shown, _("date {date} is not a real date").format(date=date), lines.get("date"))
        page = meta.get("page")
        return date, (clean_text(str(page), lines.get("page", 1), []) if page is not None else None)
    named = _DATED_NAME.match(path.name)
    if named:
        if not real_date(named.group(1)):
            raise ZoneArchiveError(
                label,
                _("the date {date} in the file name is not a real date; the page is published without a date").format(
                    date=named.group(1)
                ),
            )
        return named.group(1), named.group(2)
    return None, None


def markdown_files(paths) -> list[tuple[Path, str]]:
    return scan_sources(paths).markdown


def raw_pages(paths, also_read=()) -> list[tuple[Path, str]]:
    """Raw pages among ``paths``. A file named explicitly is read as a page whatever
    its ending, unless it is Markdown; ``also_read``: files the build reads for another
    purpose, never pages."""
    return scan_sources(paths, also_read).pages


Analyse = Callable[[Article], Facts]  # module-level, so a worker process can be handed it


def _extract_bytes(job: tuple[bytes, str, str, Analyse | None]) -> tuple[Page, str] | ZoneArchiveError:
    """A page's extraction and a digest of its text as an editor sees it (encoding,
    line ends and blank lines aside): the same page saved twice has the same digest."""
    data, label, key, analyse = job
    try:
        if _suffix(label) in PDF_SUFFIXES:
            page = extract_pdf(data, label, key)
            for article in page.articles:
                article.original = original_url(key)
        else:
            text, _ = decode_page(data, label)
            page = extract_page(text, label, key)
        for article in page.articles:  # the file name is shown: it may carry a bidi override
            article.source = clean_text(label, 0, [])
        if analyse:
            for article in page.articles:
                article.facts = analyse(article)  # here, in the worker, and cached with the page
        if _suffix(label) in PDF_SUFFIXES:
            return page, hashlib.sha1(data).hexdigest()
        lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        return page, hashlib.sha1("\n".join(line for line in lines if line).encode("utf-8")).hexdigest()
    except ZoneArchiveError as error:
        return error


class SourceMemo:
    """What a live preview remembers of its sources between builds: each file's
    extraction, by path and stat. A file changed within RACY seconds of being read
    is read again (its stat cannot prove it unchanged: the "racy git" rule)."""

    RACY = 0.1

    def __init__(self):
        self.entries: dict[str, tuple[tuple, float, object]] = {}

    def get(self, path: Path, version: str):
        try:
            st = os.stat(path)
        except OSError:
            return None
        entry = self.entries.get(str(path))
        if (
            entry
            and entry[0] == (st.st_mtime_ns, st.st_size, st.st_ino, version)
            and st.st_mtime_ns / 1e9 < entry[1] - self.RACY
        ):
            return entry[2]
        return None

    def put(self, path: Path, version: str, value, read_at: float) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        self.entries[str(path)] = ((st.st_mtime_ns, st.st_size, st.st_ino, version), read_at, value)

    def last(self, path: Path, version: str):
        """The last good value read from ``path``, however the file has changed since:
        the preview keeps showing it while the file fails to read."""
        entry = self.entries.get(str(path))
        return entry[2] if entry and entry[0][3] == version else None

    def forget_except(self, paths: set[str]) -> None:
        self.entries = {p: e for p, e in self.entries.items() if p in paths}


MarkdownRead = tuple[Article, list[SourceWarning], list[Repair]]


def _markdown_bytes(job: tuple[bytes, Path, str, Analyse | None]) -> MarkdownRead | ZoneArchiveError:
    """One Markdown file's article (with its facts), warnings and repairs."""
    data, path, label, analyse = job
    warnings: list[SourceWarning] = []
    repairs: list[Repair] = []
    try:
        article = read_markdown_article(path, label, warnings, repairs, data=data)
    except ZoneArchiveError as error:
        return error
    if analyse:
        article.facts = analyse(article)
    return article, warnings, repairs


@dataclass
class _MarkdownSource:
    path: Path
    label: str
    held: MarkdownRead | None = None  # what the file holds, once known
    key: str | None = None  # its reading's cache entry
    data: bytes = b""  # its bytes, while a worker is to read them


def _read_markdown(
    files, result: Extraction, cache_dir, workers, memo, version: str, analyse, started: float, known=None
):
    """(path, label, what it holds, its cache key) of each Markdown file that can be
    read, in order: from the preview's memory, the cache (by its bytes, as a raw
    page), or read (on every core when there are many). A file that fails is
    reported; in a session its last good version stays."""
    sources: list[_MarkdownSource] = []
    todo: list[_MarkdownSource] = []
    for path, label in files:
        source = _MarkdownSource(path, label, memo.get(path, version + label) if memo else None)
        checked = known.get(str(path)) if known and cache_dir and source.held is None else None
        if checked is not None:  # as for a raw page: no second read when the cache holds it
            source.key = readcache.key_of(version, "md", label, path, checked)
            source.held = readcache.get(cache_dir, source.key)
        if source.held is None:
            try:
                data = read_source(path, label)
            except ZoneArchiveError as error:
                result.errors.append(error)
                source.held = memo.last(path, version + label) if memo else None
                if source.held is None:
                    continue
            else:
                source.key = readcache.key(version, "md", label, path, data) if cache_dir else None
                source.held = readcache.get(cache_dir, source.key)
                if source.held is None:
                    source.data = data
                    todo.append(source)
                elif memo:
                    memo.put(path, version + label, source.held, started)
        sources.append(source)
    jobs = [(s.data, s.path, s.label, analyse) for s in todo]
    for source, outcome in zip(todo, on_cores(_markdown_bytes, jobs, workers, PARALLEL_FROM)):
        source.data = b""
        if isinstance(outcome, ZoneArchiveError):
            result.errors.append(outcome)
            source.held = memo.last(source.path, version + source.label) if memo else None  # as for a raw page
            source.key = None
            continue
        if cache_dir and source.key:
            readcache.put(cache_dir, source.key, outcome)
        if memo:
            memo.put(source.path, version + source.label, outcome, started)
        source.held = outcome
    return [(s.path, s.label, s.held, s.key) for s in sources if s.held is not None]


def _copies(articles: list[Article]) -> list[Article]:
    # Later stages set zones and titles on articles: a remembered page stays as
    # extracted. (copy.copy, without its generic protocol: 10,000 articles an edit.)
    out = []
    for article in articles:
        twin = object.__new__(Article)
        twin.__dict__.update(article.__dict__)
        out.append(twin)
    return out


def extract_all(
    paths,
    cache_dir: Path | None = None,
    workers: int | None = None,
    memo: SourceMemo | None = None,
    version: str = "",
    analyse: Analyse | None = None,
    also_read=(),
    known: dict[str, bytes] | None = None,
) -> Extraction:
    """Extract every page; a page that fails is reported, the others still come out.
    Pages whose bytes (and ``version``, a digest of the code that makes them) are
    unchanged come from the cache (and from ``memo``, without being read, when the
    stat says so). ``analyse`` derives each article's facts where it is extracted.
    ``also_read``: other files the build reads among ``paths`` (the gazetteer).
    ``known``: path -> sha1 of the bytes the no-change check read a moment ago: a source
    the cache holds by that digest is not read again (one changed since comes as the
    check saw it, which the build's stamp records: the next build reads it)."""
    result = Extraction()
    sources = scan_sources(paths, also_read)
    result.errors.extend(sources.errors)
    result.warnings.extend(sources.warnings)
    jobs: list[tuple[bytes, str, str, Analyse | None]] = []
    keys: list[str | None] = []
    metas: list[tuple[str | None, str | None]] = []
    pages: list[tuple[Page, str] | ZoneArchiveError | None] = []
    paths_of: list[Path] = []
    started = time.time()
    for path, label in sources.pages:
        if label in sources.shadowed:
            result.warnings.append(
                SourceWarning(
                    label,
                    _(
                        "skipped; its Markdown files in {folder}/ "
                        "are the source, so edits to this page are not published"
                    ).format(folder=sources.shadowed[label]),
                )
            )
            continue
        stem_key = page_key(path.stem)
        if len(stem_key) + 3 > MAX_ID:  # ids are key-NN
            result.errors.append(
                ZoneArchiveError(
                    label,
                    _(
                        "the file name is too long: its articles' ids (and URLs) would be "
                        "{length} characters, the limit is {limit}; shorten the name"
                    ).format(length=len(stem_key) + 3, limit=MAX_ID),
                )
            )
            continue
        try:
            meta = page_meta(path, label)
        except ZoneArchiveError as error:
            result.errors.append(error)
            meta = (None, None)
        remembered = memo.get(path, version + label) if memo else None
        entry: str | None = None
        checked = known.get(str(path)) if known and cache_dir and not remembered else None
        if checked is not None:  # read a moment ago by the no-change check: the cache may hold it
            entry = readcache.key_of(version, "", label, path, checked)
            remembered = readcache.get(cache_dir, entry)
        try:
            data = b"" if remembered else read_source(path, label)
        except ZoneArchiveError as error:
            result.errors.append(error)
            continue
        if not remembered:
            entry = readcache.key(version, "", label, path, data) if cache_dir else None
        jobs.append((data, label, stem_key, analyse))
        metas.append(meta)
        pages.append(remembered)
        paths_of.append(path)
        keys.append(entry)
    todo = []
    for i, key in enumerate(keys):
        if pages[i] is None:
            pages[i] = readcache.get(cache_dir, key)
            if pages[i] is None:
                todo.append(i)
    for i, outcome in zip(todo, on_cores(_extract_bytes, [jobs[i] for i in todo], workers, PARALLEL_FROM)):
        pages[i] = outcome
    fresh = set(todo)
    texts: dict[str, str] = {}  # text digest -> the first page with that text
    for i, done in enumerate(pages):
        if isinstance(done, ZoneArchiveError):
            result.errors.append(done)
            # A session keeps the last good version (not remembered as this file's
            # reading: the next build reads the file again, and reports it again).
            done = memo.last(paths_of[i], version + jobs[i][1]) if memo else None
            if done is None:
                continue
        else:
            assert done is not None
            entry = keys[i]
            if cache_dir and entry and i in fresh:
                readcache.put(cache_dir, entry, done)
            if memo:
                memo.put(paths_of[i], version + jobs[i][1], done, started)
        page, digest = done
        if not page.articles:
            result.warnings.append(
                SourceWarning(page.source, _("empty page: it holds no text, so nothing is published from it"))
            )
            continue
        if digest in texts:
            result.warnings.append(
                SourceWarning(
                    page.source,
                    _("the same text as {other}; its articles are left out (delete one of the two)").format(
                        other=texts[digest]
                    ),
                )
            )
            continue
        texts[digest] = page.source
        result.pages += 1
        date, page_label = metas[i]
        articles = _copies(page.articles)
        for article in articles:
            article.date, article.page = date, page_label
            if article.original:
                result.originals[article.original] = paths_of[i]
        result.articles.extend(articles)
        result.repairs[page.source] = page.repairs
        # Decisions taken on weak evidence (a byline, a boundary): said, with the line.
        result.warnings.extend(SourceWarning(page.source, what, line) for line, what in page.notes)
    markdown = _read_markdown(sources.markdown, result, cache_dir, workers, memo, version, analyse, started, known)
    for path, label, (article, warnings, repairs), key in markdown:
        result.pages += 1
        result.warnings.extend(warnings)
        if repairs:
            result.repairs[label] = repairs
        paths_of.append(path)
        keys.append(key)  # kept by the pruning
        result.articles.extend(_copies([article]))
    if memo:
        memo.forget_except({str(p) for p in paths_of})
    elif cache_dir:
        readcache.prune(cache_dir, {key for key in keys if key})
    ids: dict[str, str] = {}
    unique = []
    for article in result.articles:
        where = article.file or article.source
        if article.id in ids:
            result.errors.append(
                ZoneArchiveError(
                    where, _("article id {id} is also claimed by {other}").format(id=article.id, other=ids[article.id])
                )
            )
            continue
        ids[article.id] = where
        unique.append(article)
    result.articles = unique
    return result
