"""Where articles come from: the raw pages (and, later, Markdown) under seeds/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ZoneArchiveError
from ..ingest.page import extract_file
from ..ingest.repair import Repair
from .model import Article

RAW_SUFFIXES = {".txt"}


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


def extract_all(paths) -> Extraction:
    """Extract every page; a page that fails is reported, the others still come out."""
    result = Extraction()
    for path, label in raw_pages(paths):
        result.pages += 1
        try:
            page = extract_file(path, label)
        except ZoneArchiveError as error:
            result.errors.append(error)
            continue
        except OSError as error:
            result.errors.append(ZoneArchiveError(label, f"cannot read: {error.strerror}"))
            continue
        result.articles.extend(page.articles)
        result.repairs[label] = page.repairs
    ids: dict[str, str] = {}
    for article in result.articles:
        if article.id in ids:
            result.errors.append(ZoneArchiveError(article.source, f"article id {article.id} is also used by {ids[article.id]}"))
        ids[article.id] = article.source
    return result
