"""Where articles come from: the raw pages (and, later, Markdown) under seeds/."""

from __future__ import annotations

import copy
from collections.abc import Callable
import datetime
import hashlib
import re
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ZoneArchiveError
from ..fsutil import write_atomically
from ..ingest.chars import clean_text
from ..ingest.decode import decode_page
from ..ingest.page import Page, extract_page, page_key
from ..ingest.repair import Repair
from ..model.article import Article, Facts
from ..tomlfile import key_lines, parse_toml
from .mdfiles import markdown_folder, read_markdown_article

RAW_SUFFIXES = {".txt"}
PARALLEL_FROM = 32  # pages; below this a process pool costs more than it saves


@dataclass
class Extraction:
    articles: list[Article] = field(default_factory=list)
    errors: list[ZoneArchiveError] = field(default_factory=list)
    repairs: dict[str, list[Repair]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # which source won, and why
    pages: int = 0


MARKDOWN_SUFFIXES = {".md"}
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:_([A-Za-z]{0,2}\d{1,3}))?(?:_|$)")


def page_meta(path: Path, label: str) -> tuple[str | None, str | None]:
    """A raw page's issue date and page label: from a sidecar ``<page>.toml``
    (date = 2024-07-01, page = "A3"), else from a name like 2024-07-01_A3_anything.txt."""
    sidecar = path.with_suffix(".toml")
    if sidecar.exists():
        text = sidecar.read_text(encoding="utf-8")
        meta = parse_toml(text, sidecar)
        for key in meta:
            if key not in ("date", "page"):
                raise ZoneArchiveError(sidecar, f"unknown key {key!r}; a page sidecar holds date and page", key_lines(text).get(key))
        date = meta.get("date")
        date = date.isoformat() if isinstance(date, datetime.date) else date
        if date is not None and not (isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)):
            raise ZoneArchiveError(sidecar, f"date must look like 2024-07-01, not {date!r}")
        page = meta.get("page")
        return date, (clean_text(str(page), key_lines(text).get("page", 1), []) if page is not None else None)
    named = _DATED_NAME.match(path.name)
    if named:
        return named.group(1), named.group(2)
    return None, None


def _walk(paths, suffixes) -> list[tuple[Path, str]]:
    """Files with one of ``suffixes`` among ``paths`` (files or folders, a path may
    come as (path, label) to name it as the user knows it), in a stable order."""
    found: list[tuple[Path, str]] = []
    for item in paths:
        path, given = (Path(item[0]), item[1]) if isinstance(item, tuple) else (Path(item), item)
        if path.is_dir():
            for rel in _files_under(str(path)):
                name = rel.rsplit("/", 1)[-1]
                if os.path.splitext(name)[1].lower() in suffixes and not name.startswith("."):
                    found.append((path / rel, (Path(given) / rel).as_posix()))
        elif path.is_file():
            if path.suffix.lower() in suffixes:
                found.append((path, str(given)))
        else:
            raise ZoneArchiveError(given, "no such file or folder")
    return found


def _files_under(folder: str) -> list[str]:
    """Relative POSIX paths of the files under ``folder``, sorted (scandir: the
    preview lists the seeds at every rebuild)."""
    out = []
    stack = [("", folder)]
    while stack:
        prefix, current = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir():
                    stack.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file():
                    out.append(prefix + entry.name)
    return sorted(out)


def markdown_files(paths) -> list[tuple[Path, str]]:
    return _walk(paths, MARKDOWN_SUFFIXES)


def _has_markdown(page: Path) -> bool:
    folder = markdown_folder(page)
    return folder.is_dir() and any(p.suffix.lower() in MARKDOWN_SUFFIXES for p in folder.iterdir())


def raw_pages(paths) -> list[tuple[Path, str]]:
    """Raw pages among ``paths``. A file named explicitly is read as a page whatever
    its ending, unless it is Markdown."""
    explicit = [item for item in paths if not Path(item[0] if isinstance(item, tuple) else item).is_dir()]
    named = [(Path(i[0]) if isinstance(i, tuple) else Path(i)) for i in explicit]
    found = _walk([i for i in paths if i not in explicit], RAW_SUFFIXES)
    for item, path in zip(explicit, named):
        label = item[1] if isinstance(item, tuple) else item
        if not path.exists():
            raise ZoneArchiveError(label, "no such file or folder")
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            found.append((path, str(label)))
    return found


Analyse = Callable[[Article], Facts]  # module-level, so a worker process can be handed it


def _extract_bytes(job: tuple[bytes, str, str, Analyse | None]) -> Page | ZoneArchiveError:
    data, label, key, analyse = job
    try:
        text, _ = decode_page(data, label)
        page = extract_page(text, label, key)
        for article in page.articles:  # the file name is shown: it may carry a bidi override
            article.source = clean_text(label, 0, [])
        if analyse:
            for article in page.articles:
                article.facts = analyse(article)  # here, in the worker, and cached with the page
        return page
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
        if entry and entry[0] == (st.st_mtime_ns, st.st_size, st.st_ino, version) \
                and st.st_mtime_ns / 1e9 < entry[1] - self.RACY:
            return entry[2]
        return None

    def put(self, path: Path, version: str, value, read_at: float) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        self.entries[str(path)] = ((st.st_mtime_ns, st.st_size, st.st_ino, version), read_at, value)

    def forget_except(self, paths: set[str]) -> None:
        self.entries = {p: e for p, e in self.entries.items() if p in paths}


def _copies(articles: list[Article]) -> list[Article]:
    # Later stages set zones and titles on articles: a remembered page stays as extracted.
    return [copy.copy(a) for a in articles]


def extract_all(paths, cache_dir: Path | None = None, workers: int | None = None,
                memo: SourceMemo | None = None, version: str = "", analyse: Analyse | None = None) -> Extraction:
    """Extract every page; a page that fails is reported, the others still come out.
    Pages whose bytes (and ``version``, a digest of the code that makes them) are
    unchanged come from the cache (and from ``memo``, without being read, when the
    stat says so). ``analyse`` derives each article's facts where it is extracted."""
    result = Extraction()
    jobs: list[tuple[bytes, str, str]] = []
    keys: list[str | None] = []
    metas: list[tuple[str | None, str | None]] = []
    pages: list[Page | ZoneArchiveError | None] = []
    paths_of: list[Path] = []
    started = time.time()
    for path, label in raw_pages(paths):
        if _has_markdown(path):
            result.notes.append(f"{label}: skipped; its Markdown files in {markdown_folder(Path(label)).as_posix()}/ are the source")
            continue
        result.pages += 1
        try:
            meta = page_meta(path, label)
        except ZoneArchiveError as error:
            result.errors.append(error)
            meta = (None, None)
        remembered = memo.get(path, version + label) if memo else None
        try:
            data = b"" if remembered else path.read_bytes()
        except OSError as error:
            result.errors.append(ZoneArchiveError(label, f"cannot read: {error.strerror}"))
            continue
        jobs.append((data, label, page_key(path.stem), analyse))
        metas.append(meta)
        pages.append(remembered)
        paths_of.append(path)
        keys.append(hashlib.sha1(f"{version}\0{label}\0{path.stem}\0".encode() + data).hexdigest() if cache_dir else None)
    todo = []
    for i, key in enumerate(keys):
        if pages[i] is not None:
            continue
        cached = cache_dir / "extract" / f"{key}.pickle" if cache_dir else None
        if cached and cached.exists():
            try:
                pages[i] = pickle.loads(cached.read_bytes())
                continue
            except Exception:  # a damaged cache entry is rebuilt, never trusted
                pass
        todo.append(i)
    if len(todo) >= PARALLEL_FROM and (workers or os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            for i, page in zip(todo, pool.map(_extract_bytes, [jobs[i] for i in todo], chunksize=8)):
                pages[i] = page
    else:
        for i in todo:
            pages[i] = _extract_bytes(jobs[i])
    fresh = set(todo)
    for i, page in enumerate(pages):
        if isinstance(page, ZoneArchiveError):
            result.errors.append(page)
            continue
        if cache_dir and i in fresh:
            write_atomically(cache_dir / "extract" / f"{keys[i]}.pickle", pickle.dumps(page))
        if memo:
            memo.put(paths_of[i], version + jobs[i][1], page, started)
        date, page_label = metas[i]
        articles = _copies(page.articles)
        for article in articles:
            article.date, article.page = date, page_label
        result.articles.extend(articles)
        result.repairs[page.source] = page.repairs
    for path, label in markdown_files(paths):
        result.pages += 1
        article = memo.get(path, version + label) if memo else None
        if article is None:
            repairs: list[Repair] = []
            try:
                article = read_markdown_article(path, label, repairs)
            except ZoneArchiveError as error:
                result.errors.append(error)
                continue
            if repairs:
                result.repairs[label] = repairs
            if analyse:
                article.facts = analyse(article)
            if memo:
                memo.put(path, version + label, article, started)
        paths_of.append(path)
        result.articles.extend(_copies([article]))
    if memo:
        memo.forget_except({str(p) for p in paths_of})
    ids: dict[str, str] = {}
    unique = []
    for article in result.articles:
        where = article.file or article.source
        if article.id in ids:
            result.errors.append(ZoneArchiveError(where, f"article id {article.id} is also claimed by {ids[article.id]}"))
            continue
        ids[article.id] = where
        unique.append(article)
    result.articles = unique
    return result

