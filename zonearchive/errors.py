"""Errors a user sees: each names the file (and line or byte offset where known)."""

from __future__ import annotations

from dataclasses import dataclass


class ZoneArchiveError(Exception):
    """A problem with the user's input, reported as ``path:line: message``."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class DecodeError(ZoneArchiveError):
    """A page that is binary or in no encoding we read."""

    def __init__(self, path, message: str, offset: int):
        self.offset = offset
        super().__init__(path, f"{message} (byte offset {offset})")


@dataclass(frozen=True)
class SourceWarning:
    """Something the build left out or read in a way the user may not expect; the
    build goes on. Shown as ``path:line: message`` like an error."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
