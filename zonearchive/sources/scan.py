"""Which files under the given paths are sources (raw pages, Markdown articles,
sidecars), and every other file or entry with the reason it is not read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceWarning, ZoneArchiveError
from ..fsutil import ScanProblem, scan_tree
from ..i18n import N_, _

# The one place that says which files the build reads (a new kind of page, e.g. PDF,
# is added here and in extract.py).
RAW_SUFFIXES = {".txt", ".pdf"}  # pages: extracted text, or the printed page itself
PDF_SUFFIXES = {".pdf"}  # pages read from their geometry (ingest/pdf)
MARKDOWN_SUFFIXES = {".md"}
SIDECAR_SUFFIX = ".toml"
READ_SUFFIXES = RAW_SUFFIXES | MARKDOWN_SUFFIXES | {SIDECAR_SUFFIX}
_READS = N_("the build reads .txt and .pdf pages, .md articles and .toml sidecars")


@dataclass
class Sources:
    pages: list[tuple[Path, str]] = field(default_factory=list)  # raw pages, (path, label)
    markdown: list[tuple[Path, str]] = field(default_factory=list)
    shadowed: dict[str, str] = field(default_factory=dict)  # page label -> its Markdown folder's label
    errors: list[ZoneArchiveError] = field(default_factory=list)
    warnings: list[SourceWarning] = field(default_factory=list)


def _suffix(label: str) -> str:
    return os.path.splitext(label.rsplit("/", 1)[-1])[1].lower()


def scan_sources(paths, also_read=()) -> Sources:
    """Sources among ``paths`` (files or folders; an item may be (path, label) to name
    it as the user knows it). A file named explicitly is read as a page whatever its
    ending, unless it is Markdown. ``also_read``: other files the build reads (the
    gazetteer, the published URLs), which are neither sources nor reported as unused."""
    found = Sources()
    others = {_identity(p) for p in also_read} - {None}
    for item in paths:
        path, given = (Path(item[0]), str(item[1])) if isinstance(item, tuple) else (Path(item), str(item))
        if path.is_dir():
            files, problems = scan_tree(path, Path(given).as_posix())
            for problem in problems:
                _report(found, problem)
            _classify(found, files, others)
        elif path.exists() or path.is_symlink():
            if path.suffix.lower() in MARKDOWN_SUFFIXES:
                found.markdown.append((path, given))
            else:
                found.pages.append((path, given))
                folder = path.with_suffix("")
                if folder.is_dir() and any(
                    _suffix(label) in MARKDOWN_SUFFIXES for _, label in scan_tree(folder, "")[0]
                ):
                    found.shadowed[given] = Path(given).with_suffix("").as_posix()
        else:
            raise ZoneArchiveError(given, _("no such file or folder"))
    return found


def _report(found: Sources, problem: ScanProblem) -> None:
    # A folder or a would-be source that cannot be read is lost content: an error.
    # Anything else the build would not have read anyway: a warning.
    if problem.folder or _suffix(problem.label) in READ_SUFFIXES:
        found.errors.append(ZoneArchiveError(problem.label, problem.message))
    else:
        found.warnings.append(SourceWarning(problem.label, problem.message))


def _identity(path) -> tuple[int, int] | None:
    """The file ``path`` is (links followed), by device and inode: one stat, where
    comparing real paths took a dozen calls a file (an archive has thousands)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _classify(found: Sources, files: list[tuple[Path, str]], others: set) -> None:
    typed = [(path, label, _suffix(label)) for path, label in files]
    stems = {label[: -len(suffix)] for _, label, suffix in typed if suffix in RAW_SUFFIXES}
    folders = {label.rsplit("/", 1)[0] for _, label, suffix in typed if suffix in MARKDOWN_SUFFIXES}
    for path, label, suffix in typed:
        if others and _identity(path) in others:
            continue  # read by the build for another purpose (gazetteer, published URLs)
        if suffix in RAW_SUFFIXES:
            found.pages.append((path, label))
            if label[: -len(suffix)] in folders:
                found.shadowed[label] = label[: -len(suffix)]
        elif suffix in MARKDOWN_SUFFIXES:
            found.markdown.append((path, label))
        elif suffix == SIDECAR_SUFFIX:
            if label[: -len(suffix)] not in stems and _identity(path) not in others:
                found.warnings.append(
                    SourceWarning(
                        label,
                        _(
                            "not used: a .toml file here is read only as the sidecar "
                            "of the .txt or .pdf page of the same name, or as the gazetteer"
                        ),
                    )
                )
        else:
            kind = _("a {suffix} file").format(suffix=suffix) if suffix else _("a file without an ending")
            found.warnings.append(
                SourceWarning(label, _("not used: {kind} is not read ({reads})").format(kind=kind, reads=_(_READS)))
            )
