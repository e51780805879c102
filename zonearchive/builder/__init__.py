"""The build: runs the layers below it, and the live preview's session."""

from .pipeline import BuildResult, build, load_articles
from .session import Session

__all__ = ["BuildResult", "Session", "build", "load_articles"]
