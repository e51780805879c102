"""The record of every URL the site has published (seeds/published-urls.txt): the
build adds what it publishes, the editor commits the file, and a later build — in any
clone — keeps each recorded URL working (a redirect) or says that it would disappear.

One URL a line, sorted: ``/zones/jincheng-etdz/<TAB>zone<TAB>晋城经济技术开发区``. The
kind and name say what the URL showed, so that it can be found again when its URL
changes. Lines starting with # are comments; delete a line to let a URL go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ZoneArchiveError
from ..fsutil import read_source
from ..i18n import _

KINDS = ("page", "article", "zone", "issue", "issue-page")
HEADER = (
    "# URLs this site has published, kept working by every build (see README: URLs that stay).\n"
    "# Written by `build`; commit it. Delete a line to let that URL go.\n"
)


@dataclass(frozen=True)
class Published:
    url: str  # root-relative, as urls.py makes it ("" for the home page)
    kind: str
    name: str
    line: int = 0


def read_published(path: Path, shown: str) -> list[Published]:
    """The recorded URLs; none when the file does not exist yet."""
    if not path.exists():
        return []
    data = read_source(path, shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ZoneArchiveError(shown, _("not UTF-8 (byte offset {offset})").format(offset=error.start)) from None
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].startswith("/") or parts[1] not in KINDS:
            raise ZoneArchiveError(
                shown, _("expected /url<TAB>kind<TAB>name, kind one of {kinds}").format(kinds=", ".join(KINDS)), number
            )
        out.append(Published(parts[0][1:], parts[1], parts[2], number))
    return out


def format_published(entries: list[Published]) -> str:
    rows = sorted({(e.url, e.kind, e.name) for e in entries})
    return HEADER + "".join(f"/{url}\t{kind}\t{name}\n" for url, kind, name in rows)
