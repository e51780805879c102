"""The build: sources -> articles -> zones -> pages -> one atomic commit to site/."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .articles.gazetteer import load_gazetteer
from .articles.sources import extract_all
from .articles.zones import assign_zones
from .config import Settings
from .errors import ZoneArchiveError
from .site.pages import generate
from .site.writer import CommitStats, Output


@dataclass
class BuildResult:
    articles: int = 0
    zones: int = 0
    pages: int = 0
    stats: CommitStats = field(default_factory=CommitStats)
    errors: list[ZoneArchiveError] = field(default_factory=list)
    repairs: dict = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"built {self.articles} articles in {self.zones} zones from {self.pages} pages: "
                f"{self.stats.written} files written, {self.stats.unchanged} unchanged, "
                f"{self.stats.removed} removed in {self.seconds:.2f}s")


def load_articles(settings: Settings, paths=None):
    extraction = extract_all(paths or [(settings.seeds_dir, settings.seeds)], cache_dir=settings.cache_dir)
    gazetteer = load_gazetteer(settings.gazetteer_path)
    zones = assign_zones(extraction.articles, gazetteer)
    return extraction, zones


def build(settings: Settings, out_dir: Path | None = None) -> BuildResult:
    """Build the whole site. Fatal errors raise and leave the previous site as it was;
    a page that cannot be read is listed in result.errors, the rest is published."""
    started = time.perf_counter()
    if not settings.seeds_dir.is_dir():
        raise ZoneArchiveError(settings.seeds_dir, "the seeds folder does not exist")
    extraction, zones = load_articles(settings)
    output = Output(out_dir or settings.output_dir)
    try:
        generate(settings, extraction.articles, zones, output)
    except BaseException:
        output.abort()  # the previous site stays exactly as it was
        raise
    stats = output.commit()
    return BuildResult(
        articles=len(extraction.articles), zones=len(zones), pages=extraction.pages, stats=stats,
        errors=extraction.errors, repairs=extraction.repairs, seconds=time.perf_counter() - started,
    )
