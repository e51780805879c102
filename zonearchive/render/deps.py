"""What an output was made from, recorded while it is made, and the key that says
whether it can be reused.

A page is a deterministic function of the code, the settings, the templates it loads
and the values it reads. The key of a page digests exactly those: the one code
version, the settings, each template the render actually loaded (includes, imports
and ``extends`` too: recorded by the environment, not listed by hand) and the context
handed to the template. Collections that most pages never read (a zone's article
list) enter a page's key only when that page's render read them — so an edit to one
article re-renders the pages that show it, not every page of its zone, and a template
that starts reading ``zone.articles`` makes its pages depend on them from that render
on. When everything a page read last time is unchanged, the page is unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from ..model.article import Article

# Attributes read through templates that count only when read: (class name, attribute).
LAZY = {("Zone", "articles")}


@dataclasses.dataclass(frozen=True)
class Deps:
    """What one render read: template names, and the lazy attributes it touched."""

    templates: tuple[str, ...] = ()
    lazy: tuple[tuple[str, str], ...] = ()


class Recording:
    """Collects what one render loads and reads (see templates.RecordingEnvironment)."""

    def __init__(self) -> None:
        self.templates: set[str] = set()
        self.lazy: set[tuple[str, str]] = set()

    def deps(self) -> Deps:
        return Deps(tuple(sorted(self.templates)), tuple(sorted(self.lazy)))


class Keys:
    """Keys of one build. ``base``: the code version and settings; ``templates``: each
    template file's digest by name. Digests of archive objects are remembered for the
    build (the objects live as long as it does)."""

    def __init__(self, base: str, templates: dict[str, str]):
        self.base = base
        self.templates = templates
        self._memo: dict[tuple[int, tuple], tuple[object, str]] = {}
        self._articles: dict[int, tuple[Article, str]] = {}
        self._prefixes: dict[Deps, tuple] = {}

    def key(self, deps: Deps, context: dict) -> str:
        kept = self._prefixes.get(deps)
        if kept is None:  # the same few template sets for every page: digested once
            prefix = hashlib.sha1(self.base.encode())
            for name in deps.templates:
                prefix.update(f"\0{name}={self.templates.get(name, 'missing')}".encode())
            prefix.update(b"\0")
            kept = self._prefixes[deps] = (prefix, frozenset(deps.lazy))
        digest = kept[0].copy()
        digest.update(self.value(context, kept[1]).encode())
        return digest.hexdigest()

    def value(self, value, lazy: frozenset) -> str:
        """A canonical text of ``value``; archive objects by digest. Called some thirty
        times per page, so the common kinds are tested by exact type first."""
        kind = type(value)
        if kind is str or kind is int or value is None or kind is bool or kind is float:  # most values: first
            return repr(value)
        if kind is Article or isinstance(value, Article):  # seen again and again: remembered by identity
            kept = self._articles.get(id(value))
            if kept is None:
                # The object is kept with its digest: its id cannot be reused in this build.
                kept = self._articles[id(value)] = (value, _article_digest(value))
            return kept[1]
        if kind is dict:
            items = sorted(value.items())
            keys = [_NAMES[k] or self.value(k, lazy) for k, _ in items]
            values = self._values([v for _, v in items], lazy)
            return "{" + ",".join([k + ":" + v for k, v in zip(keys, values)]) + "}"
        if kind is list or kind is tuple:
            return "[" + ",".join(self._values(value, lazy)) + "]"
        if isinstance(value, Markup):  # before str: markup and text are different values
            return "M" + repr(str(value))
        if isinstance(value, (bool, int, float, str)):
            return repr(value)
        if isinstance(value, dict):
            return self.value(dict(value), lazy)
        if isinstance(value, (list, tuple)):
            return self.value(list(value), lazy)
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(self.value(v, lazy) for v in value)) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            name, fields, read = _shape(kind, lazy)  # type: ignore[arg-type]  # a class is hashable
            found = self._memo.get((id(value), read))
            if found is not None:
                return found[1]
            return self._memoised(
                value, read, lambda: name + self.value({field: getattr(value, field) for field in fields}, lazy)
            )
        raise TypeError(
            f"a page's context holds a {type(value).__name__}, which has no digest: add it to render/deps.py"
        )

    def _values(self, values, lazy: frozenset) -> list[str]:
        """value() of each; the archive objects already digested, and None, without a call."""
        articles, memo, out = self._articles, self._memo, []
        for value in values:
            if value is None:
                out.append("None")
                continue
            kind = type(value)
            if kind is list and value and type(value[0]) is Article:  # related articles, a page's list
                out.append("[" + ",".join(self._values(value, lazy)) + "]")
                continue
            if kind is Article:
                kept: tuple | None = articles.get(id(value))
            else:
                kept = memo.get((id(value), _shape(kind, lazy)[2]))  # type: ignore[arg-type]  # a class is hashable
            out.append(kept[1] if kept is not None and kept[0] is value else self.value(value, lazy))
        return out

    def _memoised(self, value, read: tuple, make) -> str:
        memo = (id(value), read)
        kept = self._memo.get(memo)
        if kept is None:
            # The object is kept with its digest: its id cannot be reused in this build.
            kept = self._memo[memo] = (value, hashlib.sha1(make().encode()).hexdigest())
        return kept[1]


def _article_digest(article: Article) -> str:
    """A digest of what an article holds (Article.own_data). The preview makes new
    Article objects each build, but holding the same strings: the values, hashed as a
    tuple (strings keep their hash), find the digest made last time without writing
    them out again."""
    data = article.own_data()
    try:
        values = tuple(tuple(v) if type(v) is list else v for v in data)
        kept = _DIGESTS.get(values)
    except TypeError:  # a value that cannot be hashed: digested every time
        return hashlib.sha1(repr(data).encode()).hexdigest()
    if kept is None:
        if len(_DIGESTS) > 200_000:
            _DIGESTS.clear()
        kept = _DIGESTS[values] = hashlib.sha1(repr(data).encode()).hexdigest()
    return kept


_DIGESTS: dict[tuple, str] = {}


class _Names(dict):
    """repr() of the names a context's dict is keyed by, made once each."""

    def __missing__(self, name):
        if type(name) is not str:
            return None
        made = repr(name)
        if len(self) < 4096:  # template variables; not every key of every dict a page is handed
            self[name] = made
        return made


_NAMES = _Names()


@functools.cache
def _shape(kind: type, lazy: frozenset) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A class's name, the fields a key reads (a lazy one only when the render read
    it) and those lazy fields read (asked for every value of a key)."""
    if not dataclasses.is_dataclass(kind):
        return kind.__name__, (), ()
    fields = tuple(f.name for f in dataclasses.fields(kind))
    read = tuple(f for f in fields if (kind.__name__, f) in LAZY and (kind.__name__, f) in lazy)
    return kind.__name__, tuple(f for f in fields if (kind.__name__, f) not in LAZY or f in read), read


def template_digests(folder: Path) -> dict[str, str]:
    """Each template file's digest by its loader name (symlinks followed)."""
    out = {}
    for path in _files(folder):
        out[path.relative_to(folder).as_posix()] = hashlib.sha1(path.read_bytes()).hexdigest()
    return out


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.as_posix())
