"""The build: sources -> articles -> zones -> pages -> one atomic commit to site/."""

from __future__ import annotations

import gc
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import urls
from ..config import Settings
from ..errors import ZoneArchiveError
from ..publish.writer import CommitStats, Output
from ..render.pages import generate
from ..sources.extract import extract_all
from ..sources.gazetteer import load_gazetteer
from ..zones.assign import assign_zones
from .facts import analyse, code_version
from .session import Session
from .stamp import Stamp, fingerprint


@dataclass
class BuildResult:
    articles: int = 0
    zones: int = 0
    pages: int = 0
    stats: CommitStats = field(default_factory=CommitStats)
    errors: list[ZoneArchiveError] = field(default_factory=list)
    repairs: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"built {self.articles} articles in {self.zones} zones from {self.pages} pages: "
                f"{self.stats.written} files written, {self.stats.unchanged} unchanged, "
                f"{self.stats.removed} removed in {self.seconds:.2f}s")


def load_articles(settings: Settings, paths=None, session: Session | None = None, cache: bool = True):
    extraction = extract_all(paths or [(settings.seeds_dir, settings.seeds)], cache_dir=settings.cache_dir if cache else None,
                             memo=session and session.sources, version=code_version(), analyse=analyse)
    gazetteer_repairs: list = []
    gazetteer = load_gazetteer(settings.gazetteer_path, gazetteer_repairs)
    if gazetteer_repairs:
        extraction.repairs[settings.gazetteer] = gazetteer_repairs
    zones = assign_zones(extraction.articles, gazetteer, memo=session and session.zones)
    return extraction, zones


def build(settings: Settings, out_dir: Path | None = None, progress=None, session: Session | None = None,
          on_pages=None) -> BuildResult:
    """Build the whole site. Fatal errors raise and leave the previous site as it was;
    a page that cannot be read is listed in result.errors, the rest is published.
    In a session the pages are published first (then ``on_pages(stats, errors)``)
    and the search files in a second atomic commit."""
    if session is None:
        return _build(settings, out_dir, progress, None, None)
    session.settle()
    # A session holds every article: a cyclic garbage collection in the middle of a
    # build walks them all (a quarter second at 10,000 articles). The preview collects
    # after the build instead, while it waits for the next edit.
    gc.disable()
    try:
        return _build(settings, out_dir, progress, session, on_pages)
    finally:
        gc.enable()


def _build(settings: Settings, out_dir: Path | None, progress, session: Session | None, on_pages) -> BuildResult:
    started = time.perf_counter()
    if not settings.seeds_dir.is_dir():
        raise ZoneArchiveError(settings.seeds_dir, "the seeds folder does not exist")
    out = Path(out_dir or settings.output_dir).resolve()
    stamps = Stamp(settings, out)
    # A session builds because something changed: no need to read every file to know.
    stamp = fingerprint(settings) if session is None else None
    last = stamps.matches(stamp) if stamp else None
    if last:
        # Nothing the build reads has changed since it last succeeded: nothing to do.
        return BuildResult(articles=last["articles"], zones=last["zones"], pages=last["pages"],
                           stats=CommitStats(unchanged=last["files"]), seconds=time.perf_counter() - started)
    stamps.forget()
    report = progress or (lambda phase, done, total: None)
    report("reading pages", 0, 0)
    extraction, zones = load_articles(settings, session=session)
    report("rendering", 0, len(extraction.articles))
    state_path = settings.cache_dir / f"site-state-{hashlib.sha1(str(out).encode()).hexdigest()[:10]}.json"
    output = Output(out, state_path=state_path, state=session and session.site)
    first: CommitStats | None = None

    def publish_pages() -> Output:
        # The live preview shows the pages at once; the search files follow.
        nonlocal output, first
        output.carry_over(lambda rel: rel.startswith(urls.SEARCH_DATA))
        first = output.commit(settle_later=True)
        output.settle()  # synced however much changed: the search files' commit needs the mirror now
        session.site = output.state
        if on_pages:
            on_pages(first, extraction.errors)
        output = Output(out, state_path=state_path, state=output.state)
        output.carry_over(lambda rel: not rel.startswith(urls.SEARCH_DATA))
        return output

    try:
        generate(settings, extraction.articles, zones, output, progress=report, code=code_version(),
                 search=session and session.search, between=publish_pages if session else None)
    except BaseException:
        output.abort()  # the site stays exactly as the last commit left it
        raise
    stats = output.commit(settle_later=session is not None)
    if session:
        session.site, session.unsettled = output.state, output
    if first:
        stats.written += first.written
        stats.removed += first.removed
        stats.unchanged += first.unchanged  # carried-over files are counted where they were made
        stats.changed |= first.changed
    result = BuildResult(
        articles=len(extraction.articles), zones=len(zones), pages=extraction.pages, stats=stats,
        errors=extraction.errors, repairs=extraction.repairs, notes=extraction.notes,
        seconds=time.perf_counter() - started,
    )
    if stamp and not result.errors:  # a failed page must be reported again next time
        stamps.save(stamp, articles=result.articles, zones=result.zones, pages=result.pages, files=len(output.owners))
    return result


