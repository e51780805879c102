"""Jinja2 rendering: templates from templates/, links relative to the page shown."""

from __future__ import annotations

import json

import jinja2

from ..config import Settings
from ..errors import ZoneArchiveError
from .. import urls


_ENVIRONMENTS: dict = {}


def _environment(templates_dir) -> jinja2.Environment:
    """One environment per templates folder for the life of the process: the live
    preview rebuilds often, and Jinja recompiles only templates whose files changed."""
    key = str(templates_dir)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )
    return _ENVIRONMENTS[key]


class Renderer:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.env = _environment(settings.templates_dir)
        self.env.globals["site"] = settings
        self.env.globals["urls"] = urls
        self.env.filters["json_ld"] = _json_for_script

    def render(self, template: str, url: str, absolute_links: bool = False, **context) -> str:
        """Render a page that will be served at ``url`` (root-relative). With
        ``absolute_links`` (the 404 page, served at any depth) links start at the
        site's path instead of being relative."""
        base = self.settings.base_path
        link = (lambda target: base + target) if absolute_links else (lambda target: urls.relative(target, url))
        try:
            tpl = self.env.get_template(template)
            return tpl.render(page_url=url, link=link,
                              absolute=lambda target: urls.absolute(target, self.settings.site_url),
                              **context)
        except jinja2.TemplateSyntaxError as error:
            raise ZoneArchiveError(error.filename or template, f"template error: {error.message}", error.lineno) from None
        except jinja2.TemplateNotFound as error:
            raise ZoneArchiveError(self.settings.templates_dir / str(error.name), "template not found") from None
        except jinja2.UndefinedError as error:
            raise ZoneArchiveError(self.settings.templates_dir / template, f"template error: {error.message}") from None


def _json_for_script(value) -> str:
    """JSON safe inside <script>: no "</" or "<!--" can close or confuse the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return jinja2.utils.markupsafe.Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
