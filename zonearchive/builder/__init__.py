"""The build: runs the layers below it, and the live preview's session."""

from .outdir import check as check_output
from .outdir import clean
from .pipeline import BuildResult, build, build_pages, build_search, load_articles
from .session import Session

__all__ = ["BuildResult", "Session", "build", "build_pages", "build_search", "check_output", "clean", "load_articles"]
