"""Errors a user sees: each names the file (and line or byte offset where known)."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import _


class ZoneArchiveError(Exception):
    """A problem with the user's input, reported as ``path:line: message``."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return _where(self.path, self.line, self.message)

    def __reduce__(self):
        # Pickled back from a worker process: Exception's default pickling calls
        # __init__(*self.args), whose one argument is the formatted message; that fails
        # in the parent and breaks the whole pool with no file named. Restore the
        # attributes instead, whatever a subclass's __init__ takes.
        return _restore, (type(self), self.args, self.__dict__.copy())


class Stopped(Exception):
    """A step given up because its result is no longer wanted (the preview's search
    files when another edit is waiting): nothing it would have changed is changed."""


class DecodeError(ZoneArchiveError):
    """A page that is binary or in no encoding we read."""

    def __init__(self, path, message: str, offset: int):
        self.offset = offset
        super().__init__(path, _("{message} (byte offset {offset})").format(message=message, offset=offset))


def _where(path: str, line: int | None, message: str) -> str:
    if line is None:
        return _("{path}: {message}").format(path=path, message=message)
    return _("{path}:{line}: {message}").format(path=path, line=line, message=message)


def _restore(cls, args, attributes):
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(attributes)
    return error


@dataclass(frozen=True)
class SourceWarning:
    """Something the build left out or read in a way the user may not expect; the
    build goes on. Shown as ``path:line: message`` like an error."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return _where(self.path, self.line, self.message)
