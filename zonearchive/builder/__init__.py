"""The build: runs the layers below it, and the live preview's session."""

from .outdir import check as check_output
from .outdir import clean
from .pipeline import BuildResult, build, build_pages, build_search, load_articles


def __getattr__(name: str):
    # The preview's Session holds the search index (numpy): loaded when asked for, so a
    # build with nothing changed does not pay for it.
    if name == "Session":
        from .session import Session

        return Session
    raise AttributeError(name)


__all__ = ["BuildResult", "Session", "build", "build_pages", "build_search", "check_output", "clean", "load_articles"]
