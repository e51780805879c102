"""The build: runs the layers below it, and the live preview's session."""

from .pipeline import BuildResult, build, build_pages, build_search, load_articles
from .session import Session

__all__ = ["BuildResult", "Session", "build", "build_pages", "build_search", "load_articles"]
