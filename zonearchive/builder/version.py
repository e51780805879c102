"""The one digest of the code and libraries that shape every output (light: the
no-change check needs it before anything heavy is imported)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..i18n import language

# Libraries whose version can change what a build writes.
SHAPING_LIBRARIES = ("jinja2", "markdown", "markupsafe", "numpy", "pypinyin", "nh3", "pypdfium2")


def code_version() -> str:
    """One digest of the package's code and the versions of the libraries that shape
    output: any change to either voids every cached extraction and every kept page.
    The language of messages counts too: a cached page keeps its notes as they were said."""
    return _code_version(language())


@lru_cache(maxsize=2)
def _code_version(lang: str) -> str:
    digest = hashlib.sha1(lang.encode() + b"\0")
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.mo")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for library in SHAPING_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=?\0".encode())
    return digest.hexdigest()[:20]
