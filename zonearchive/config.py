"""Site settings: the [tool.zonearchive] table of pyproject.toml, in one place.

SITE_URL in the environment overrides site_url (the Pages workflow sets it)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ZoneArchiveError
from .tomlfile import parse_toml


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
    def base_path(self) -> str:
        """The path the site lives under, e.g. "/zonearchive/" on a Pages project site."""
        path = urlsplit(self.site_url).path or "/"
        return path if path.endswith("/") else path + "/"


def load_settings(root: Path | str = ".", environ=None) -> Settings:
    root = Path(root).resolve()
    environ = os.environ if environ is None else environ
    values: dict = {}
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        data = parse_toml(pyproject.read_text(encoding="utf-8"), pyproject)
        values = data.get("tool", {}).get("zonearchive", {})
    known = {f.name for f in fields(Settings)} - {"root"}
    unknown = set(values) - known
    if unknown:
        raise ZoneArchiveError(pyproject, f"unknown setting(s) in [tool.zonearchive]: {', '.join(sorted(unknown))}")
    for key, value in values.items():
        if not isinstance(value, str):
            raise ZoneArchiveError(pyproject, f"setting {key!r} must be a string")
    settings = Settings(root=root, **values)
    if environ.get("SITE_URL"):
        settings.site_url = environ["SITE_URL"]
    if not settings.site_url.endswith("/"):
        settings.site_url += "/"
    return settings
