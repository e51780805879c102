"""Where articles come from: the raw pages (and, later, Markdown) under seeds/."""

from __future__ import annotations

import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ZoneArchiveError
from ..ingest.decode import decode_page
from ..ingest.page import Page, extract_page, page_key
from ..ingest.repair import Repair
from ..site.search import body_counts, heading_counts
from .model import Article
from .zones import article_mentions

RAW_SUFFIXES = {".txt"}
PARALLEL_FROM = 32  # pages; below this a process pool costs more than it saves


@dataclass
class Extraction:
    articles: list[Article] = field(default_factory=list)
    errors: list[ZoneArchiveError] = field(default_factory=list)
    repairs: dict[str, list[Repair]] = field(default_factory=dict)
    pages: int = 0


def raw_pages(paths) -> list[tuple[Path, str]]:
    """Expand files and folders into (path, source label) pairs, in a stable order.
    A path may come as (path, label) to name it as the user knows it (seeds/...)."""
    found: list[tuple[Path, str]] = []
    for item in paths:
        path, given = (Path(item[0]), item[1]) if isinstance(item, tuple) else (Path(item), item)
        if path.is_dir():
            for child in sorted(path.rglob("*"), key=lambda p: p.as_posix()):
                if child.is_file() and child.suffix.lower() in RAW_SUFFIXES and not child.name.startswith("."):
                    found.append((child, (Path(given) / child.relative_to(path)).as_posix()))
        elif path.is_file():
            found.append((path, str(given)))
        else:
            raise ZoneArchiveError(given, "no such file or folder")
    return found


def _ingest_version() -> str:
    """Extraction results are cached per page; a change to the code that makes them
    (ingest, the article model, the search token counts) voids them."""
    package = Path(__file__).parent.parent
    digest = hashlib.sha1()
    for source in [*sorted((package / "ingest").glob("*.py")), package / "articles" / "model.py",
                   package / "articles" / "zones.py",
                   package / "site" / "search.py", package / "site" / "tokenize.py"]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _extract_bytes(job: tuple[bytes, str, str]) -> Page | ZoneArchiveError:
    data, label, key = job
    try:
        text, encoding = decode_page(data, label)
        page = extract_page(text, label, key)
        page.encoding = encoding
        for article in page.articles:
            # Counted here, in the worker, and cached with the page.
            article._search_counts = (body_counts(article), heading_counts(article))
            article._zone_mentions = article_mentions(article)
        return page
    except ZoneArchiveError as error:
        return error


def extract_all(paths, cache_dir: Path | None = None, workers: int | None = None) -> Extraction:
    """Extract every page; a page that fails is reported, the others still come out.
    Pages whose bytes (and the ingest code) are unchanged come from the cache."""
    result = Extraction()
    jobs: list[tuple[bytes, str, str]] = []
    keys: list[str | None] = []
    version = _ingest_version() if cache_dir else ""
    for path, label in raw_pages(paths):
        result.pages += 1
        try:
            data = path.read_bytes()
        except OSError as error:
            jobs.append((b"", label, ""))
            keys.append(None)
            result.errors.append(ZoneArchiveError(label, f"cannot read: {error.strerror}"))
            continue
        jobs.append((data, label, page_key(path.stem)))
        keys.append(hashlib.sha1(f"{version}\0{label}\0{path.stem}\0".encode() + data).hexdigest() if cache_dir else None)
    pages: list[Page | ZoneArchiveError | None] = [None] * len(jobs)
    todo = []
    for i, key in enumerate(keys):
        if key is None and cache_dir:
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
    for i, page in enumerate(pages):
        if page is None:
            continue
        if isinstance(page, ZoneArchiveError):
            result.errors.append(page)
            continue
        if cache_dir and keys[i] and i in todo:
            _store(cache_dir / "extract" / f"{keys[i]}.pickle", pickle.dumps(page))
        result.articles.extend(page.articles)
        result.repairs[page.source] = page.repairs
    ids: dict[str, str] = {}
    for article in result.articles:
        if article.id in ids:
            result.errors.append(ZoneArchiveError(article.source, f"article id {article.id} is also used by {ids[article.id]}"))
        ids[article.id] = article.source
    return result


def _store(path: Path, data: bytes) -> None:
    """Cache writes go to a temp file first: a killed build leaves no torn entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
