"""What the live preview keeps between builds."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ZoneArchiveError
from ..publish.guard import OutputLock
from ..publish.writer import Output, SiteState
from ..render.related import RelatedMemo
from ..render.search import SearchIndex
from ..sources.extract import SourceMemo
from ..zones.assign import ZoneMemo


@dataclass
class Session:
    """What the live preview keeps between builds: the sources as extracted, the
    search postings and what site/ holds. A build in a session makes the same site as
    one without, only sooner: it re-reads changed sources alone and re-makes only
    the files they change."""

    sources: SourceMemo = field(default_factory=SourceMemo)
    zones: ZoneMemo = field(default_factory=ZoneMemo)
    search: SearchIndex = field(default_factory=SearchIndex)
    related: RelatedMemo = field(default_factory=RelatedMemo)
    site: SiteState | None = None
    unsettled: Output | None = None  # its old tree is not yet the next build's mirror
    pending: tuple | None = None  # build_pages() done: what build_search() needs to finish

    def settle(self) -> None:
        """Ready the next build's mirror of site/ (the preview calls this while idle)."""
        if self.unsettled is not None:
            output, self.unsettled = self.unsettled, None
            try:
                with OutputLock(output.out_dir):  # a `build` beside the preview may be writing the folder
                    output.settle()
            except ZoneArchiveError:
                pass  # no lock to be had: the next build, which needs it too, says why
            except OSError:
                pass  # a `build` beside the preview took the old tree: the next build clones the site
