"""The build: sources -> articles -> zones -> pages -> one atomic commit to site/."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import urls
from ..config import Settings
from ..errors import SourceWarning, ZoneArchiveError
from ..fsutil import write_atomically
from ..i18n import _
from ..publish.guard import write_failure
from ..publish.writer import CommitStats, Output
from . import outdir
from .stamp import Stamp, fingerprint, with_published
from .version import code_version

# The layers that read and render (numpy, Jinja, the ingest) are imported where they are
# used: a build with nothing changed answers from the stamp without loading them.
if TYPE_CHECKING:
    from ..render.permalinks import Plan
    from .session import Session


@dataclass
class BuildResult:
    articles: int = 0
    zones: int = 0
    pages: int = 0
    stats: CommitStats = field(default_factory=CommitStats)
    errors: list[ZoneArchiveError] = field(default_factory=list)
    repairs: dict = field(default_factory=dict)
    warnings: list[SourceWarning] = field(default_factory=list)  # what was left out, with file and line
    seconds: float = 0.0

    def summary(self) -> str:
        return _(
            "built {articles} articles in {zones} zones from {pages} pages: "
            "{written} files written, {unchanged} unchanged, "
            "{removed} removed in {seconds:.2f}s"
        ).format(
            articles=self.articles,
            zones=self.zones,
            pages=self.pages,
            written=self.stats.written,
            unchanged=self.stats.unchanged,
            removed=self.stats.removed,
            seconds=self.seconds,
        )


def load_articles(
    settings: Settings, paths=None, session: Session | None = None, cache: bool = True, known: dict | None = None
):
    from ..sources.extract import extract_all
    from ..sources.gazetteer import load_gazetteer
    from ..zones.assign import assign_zones
    from .facts import analyse
    from .slugbook import SlugBook

    extraction = extract_all(
        paths or [(settings.seeds_dir, settings.seeds)],
        cache_dir=settings.cache_dir if cache else None,
        memo=(session.sources if session else None),
        version=code_version(),
        analyse=analyse,
        also_read=[settings.gazetteer_path, settings.published_path],
        known=known,
    )
    gazetteer_repairs: list = []
    gazetteer = load_gazetteer(settings.gazetteer_path, settings.shown(settings.gazetteer_path), gazetteer_repairs)
    if gazetteer_repairs:
        extraction.repairs[settings.shown(settings.gazetteer_path)] = gazetteer_repairs
    book = None if session else SlugBook(settings.cache_dir if cache else None)
    zones = assign_zones(
        extraction.articles, gazetteer, memo=(session.zones if session else None), slugs=book.slugs if book else None
    )
    if book:
        book.save()
    return extraction, zones


def build(
    settings: Settings,
    out_dir: Path | None = None,
    progress=None,
    session: Session | None = None,
    wait: float | None = None,
    on_wait=None,
    collect: bool = True,
) -> BuildResult:
    """Build the whole site. Fatal errors raise and leave the previous site as it was;
    a page that cannot be read is listed in result.errors, the rest is published.
    In a session this is build_pages() then build_search(): two atomic commits. The
    output folder must be the build's (outdir.check); another build of it is waited
    for (``wait``: at most so many seconds; ``on_wait(message)`` says whose build).
    ``collect``: False for a process that ends with the build (build.py leaves with
    os._exit): the collector stays off and what the build read is never freed (its
    first collection would walk every object the build made, and freeing them one by
    one takes as long: each a tenth of a second at 10,000 articles)."""
    if session is None:
        # Reading 10,000 articles makes millions of objects, none of them garbage: a
        # collection would walk them all, again and again (a second of an edit's build).
        gc.disable()
        try:
            return _build(settings, out_dir, progress, None, wait, on_wait, linger=None if collect else _LINGER)
        finally:
            if collect:
                gc.enable()
    result = build_pages(settings, out_dir, session, progress, wait, on_wait)
    started = time.perf_counter()
    search = build_search(settings, session, wait, on_wait)
    stats = result.stats
    result.stats = search
    search.written += stats.written
    search.removed += stats.removed
    search.unchanged += stats.unchanged  # carried-over files are counted where they were made
    search.changed |= stats.changed
    result.seconds += time.perf_counter() - started
    return result


def build_pages(
    settings: Settings, out_dir: Path | None, session: Session, progress=None, wait: float | None = None, on_wait=None
) -> BuildResult:
    """The live preview's first step: publish every page, the search files as the
    last build left them. build_search() makes the new ones."""
    session.settle()
    # A session holds every article: a cyclic garbage collection in the middle of a
    # build walks them all (a quarter second at 10,000 articles). The preview collects
    # after the build instead, while it waits for the next edit. With a search step to
    # come, the collector stays off until it is over: turned on, its first collection
    # walks everything the build made (40 ms between the pages and the open pages' reload).
    gc.disable()
    try:
        return _build(settings, out_dir, progress, session, wait, on_wait)
    finally:
        if session.pending is None:
            gc.enable()


def build_search(
    settings: Settings, session: Session, wait: float | None = None, on_wait=None, go_on=None
) -> CommitStats:
    """The live preview's second step: the search files of the pages build_pages()
    published, in a commit of their own (under the output's lock, as every commit).
    Nothing to do when build_pages() did not succeed. ``go_on()``, asked as the index
    is made: False gives it up (errors.Stopped), the site and the session as the pages
    left them; the next build's pages carry the search files over, and its search
    step makes them."""
    pending, session.pending = session.pending, None
    if pending is None:
        gc.enable()  # build_pages() left it off for this step
        return CommitStats()
    add_search, out, state_path = pending
    session.settle()  # the pages' commit left its old tree to be made the mirror: this commit needs it
    gc.disable()
    try:
        with outdir.lock(settings, out, wait, on_wait):
            output = Output(out, state_path=state_path, state=session.site)
            output.carry_over(lambda rel: not rel.startswith(urls.SEARCH_DATA))
            try:
                add_search(output, go_on)
            except BaseException:
                output.give_back()
                raise
            stats = _written(out, settings, lambda: output.commit(settle_later=True))
        session.site, session.unsettled = output.state, output
    finally:
        gc.enable()
    return stats


def _written(out: Path, settings: Settings, commit):
    """commit(), with a full disk or a read-only folder said in one line naming it."""
    try:
        return commit()
    except OSError as error:
        failure = write_failure(out, error, settings.root)
        if failure is None:
            raise
        raise failure from None


_LINGER: list = []  # what builds with collect=False read: kept till the process ends


def _build(
    settings: Settings,
    out_dir: Path | None,
    progress,
    session: Session | None,
    wait: float | None,
    on_wait,
    linger: list | None = None,
) -> BuildResult:
    started = time.perf_counter()
    if not settings.seeds_dir.is_dir():
        raise ZoneArchiveError(settings.shown(settings.seeds_dir), _("the seeds folder does not exist"))
    out = Path(out_dir or settings.output_dir).resolve()
    outdir.check(settings, out)  # before anything is touched
    with outdir.lock(settings, out, wait, on_wait):
        return _written(out, settings, lambda: _build_locked(settings, out, progress, session, started, linger))


def _build_locked(
    settings: Settings, out: Path, progress, session: Session | None, started: float, linger: list | None = None
) -> BuildResult:
    stamps = Stamp(settings, out)
    # A session builds because something changed: no need to read every file to know.
    seen: dict[str, bytes] = {}  # the sha1 of each page the no-change check read
    stamp = fingerprint(settings, seen) if session is None else None
    last = stamps.matches(stamp) if stamp else None
    if last:
        # Nothing the build reads has changed since it last succeeded: nothing to do.
        return BuildResult(
            articles=last["articles"],
            zones=last["zones"],
            pages=last["pages"],
            stats=CommitStats(unchanged=last["files"]),
            seconds=time.perf_counter() - started,
            warnings=[SourceWarning(*w) for w in last.get("warnings", [])],
        )
    stamps.forget()
    from ..render.pages import generate
    from ..render.permalinks import plan
    from ..render.related import RelatedMemo
    from ..sources.published import read_published
    from . import keptfile
    from .searchstate import SearchState

    report = progress or (lambda phase, done, total: None)
    report(_("reading pages"), 0, 0)
    extraction, zones = load_articles(settings, session=session, known=seen)
    shown = settings.shown(settings.published_path)
    links = plan(read_published(settings.published_path, shown), extraction.articles, zones)
    report(_("rendering"), 0, len(extraction.articles))
    state_path = outdir.state_path(settings, out)
    # A command build keeps on disk what the live preview keeps in memory.
    related_path = None if session else settings.cache_dir / "related.pickle"
    related_memo = session.related if session else (keptfile.load(related_path) or RelatedMemo())
    output = Output(out, state_path=state_path, state=(session.site if session else None))
    try:
        add_search = generate(
            settings,
            extraction.articles,
            zones,
            output,
            progress=report,
            code=code_version(),
            search=(session.search if session else None),
            redirects=links.redirects,
            stored=(
                SearchState(outdir.search_state_dir(settings, out), out, output.digest) if session is None else None
            ),
            related_memo=related_memo,
        )
        for url, original in extraction.originals.items():  # the printed pages, linked as 查看原版
            output.add(url, original.read_bytes(), f"original page {url}")
        if session is None:
            add_search(output)
        else:
            # The pages are published now, the search files as they were until build_search().
            output.carry_over(lambda rel: rel.startswith(urls.SEARCH_DATA))
    except BaseException:
        output.abort()  # the site stays exactly as the last commit left it
        raise
    if session is None:
        stats = output.commit()
        keptfile.save(related_path, related_memo)
    else:
        stats = output.commit(settle_later=True)
        # The mirror is brought up to date by build_search(), once the pages are announced.
        session.site, session.unsettled = output.state, output
        session.pending = (add_search, out, state_path)
    result = BuildResult(
        articles=len(extraction.articles),
        zones=len(zones),
        pages=extraction.pages,
        stats=stats,
        errors=extraction.errors,
        repairs=extraction.repairs,
        warnings=extraction.warnings + _lost(links, shown),
        seconds=time.perf_counter() - started,
    )
    if session is None:  # the preview shows what would be published; `build` records it
        written = _record_published(settings, links, result)
        if stamp and written is not None:
            stamp = with_published(stamp, written)
    if stamp and not result.errors:  # a failed page must be reported again next time
        try:
            stamps.save(
                stamp,
                result.warnings,
                articles=result.articles,
                zones=result.zones,
                pages=result.pages,
                files=len(output.owners),
            )
        except OSError:  # a full cache disk: the site is in; the next build just does the work
            pass
    if linger is not None:
        linger.append((extraction, zones, links, output, related_memo))
    return result


def _lost(links: Plan, shown: str) -> list[SourceWarning]:
    return [
        SourceWarning(
            shown,
            _(
                "/{url} was published ({kind} {name}) and is no longer built: its readers' "
                "links break. Restore it, or delete this line to let the URL go"
            ).format(url=entry.url, kind=entry.kind, name=entry.name),
            entry.line,
        )
        for entry in links.lost
    ]


def _record_published(settings: Settings, links: Plan, result: BuildResult) -> bytes | None:
    """Add what this build published to the record the editor commits; the bytes
    written, or None when the file was already up to date (or could not be written)."""
    from ..sources.published import format_published

    data = format_published(links.entries).encode("utf-8")
    path = settings.published_path
    try:
        if path.exists() and path.read_bytes() == data:
            return None
        write_atomically(path, data)
    except OSError as error:
        result.warnings.append(
            SourceWarning(
                settings.shown(path),
                _("could not record the published URLs: {reason}").format(reason=error.strerror or error),
            )
        )
        return None
    return data
