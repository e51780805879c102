"""Site settings: the [tool.zonearchive] table of pyproject.toml, in one place.

SITE_URL in the environment overrides site_url (the Pages workflow sets it)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ZoneArchiveError
from .fsutil import shown_path
from .i18n import _
from .tomlfile import parse_toml, read_toml_text, table_key_lines


@dataclass
class Settings:
    root: Path
    title: str = "开发区新闻档案"
    description: str = ""
    language: str = "zh-CN"
    site_url: str = "http://127.0.0.1:8000/"
    publisher: str = ""
    seeds: str = "seeds"
    templates: str = "templates"
    static: str = "static"
    output: str = "site"
    gazetteer: str = "seeds/zones.toml"
    published: str = "seeds/published-urls.txt"  # every URL published so far (written by build)

    @property
    def seeds_dir(self) -> Path:
        return self.root / self.seeds

    @property
    def templates_dir(self) -> Path:
        return self.root / self.templates

    @property
    def static_dir(self) -> Path:
        return self.root / self.static

    @property
    def output_dir(self) -> Path:
        return self.root / self.output

    @property
    def cache_dir(self) -> Path:
        """Extraction cache; outside every watched folder and the output."""
        return self.root / ".zonearchive-cache"

    @property
    def gazetteer_path(self) -> Path:
        return self.root / self.gazetteer

    @property
    def published_path(self) -> Path:
        return self.root / self.published

    def shown(self, path) -> str:
        """``path`` as messages name it: relative to the project when inside it."""
        return shown_path(path, self.root)

    @property
    def base_path(self) -> str:
        """The path the site lives under, e.g. "/zonearchive/" on a Pages project site."""
        path = urlsplit(self.site_url).path or "/"
        return path if path.endswith("/") else path + "/"


def load_settings(root: Path | str = ".", environ=None) -> Settings:
    root = Path(root).resolve()
    environ = os.environ if environ is None else environ
    values: dict = {}
    pyproject, shown = root / "pyproject.toml", "pyproject.toml"
    lines: dict[str, int] = {}
    if pyproject.exists():
        text = read_toml_text(pyproject, shown)
        data = parse_toml(text, shown)
        values = data.get("tool", {}).get("zonearchive", {})
        lines = table_key_lines(text, "tool.zonearchive")
        if not isinstance(values, dict):
            raise ZoneArchiveError(shown, _("[tool.zonearchive] must be a table of settings"))
    known = {f.name for f in fields(Settings)} - {"root"}
    unknown = set(values) - known
    if unknown:
        first = min(unknown, key=lambda k: lines.get(k, 0))
        raise ZoneArchiveError(
            shown,
            _("unknown setting(s) in [tool.zonearchive]: {keys}").format(keys=", ".join(sorted(unknown))),
            lines.get(first),
        )
    for key, value in values.items():
        if not isinstance(value, str):
            raise ZoneArchiveError(
                shown, _("setting {key} must be a string (in quotes)").format(key=key), lines.get(key)
            )
    settings = Settings(root=root, **values)
    if environ.get("SITE_URL"):
        settings.site_url = environ["SITE_URL"]
    if not settings.site_url.endswith("/"):
        settings.site_url += "/"
    return settings
