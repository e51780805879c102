"""Jinja2 rendering: templates from templates/, links relative to the page shown, and
a record of what each render loaded and read (see deps.py)."""

from __future__ import annotations

import json
import re

import jinja2
import jinja2.ext
import jinja2.lexer

from .. import urls
from ..config import Settings
from ..errors import ZoneArchiveError
from ..i18n import _
from .deps import LAZY, Deps, Recording
from .issues import cn_date, page_name


class RecordingEnvironment(jinja2.Environment):
    """An environment that notes, for the render under way, every template it loads
    (get_template, include, import and extends all come through _load_template) and
    every lazy attribute a template reads (all attribute and item access in compiled
    templates goes through getattr/getitem)."""

    recording: Recording | None = None

    def _load_template(self, name, globals):
        if self.recording is not None:
            self.recording.templates.add(name)
        return super()._load_template(name, globals)

    def getattr(self, obj, attribute):
        self._note(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self._note(obj, argument)
        return super().getitem(obj, argument)

    def _note(self, obj, name) -> None:
        if self.recording is not None and isinstance(name, str) and (type(obj).__name__, name) in LAZY:
            self.recording.lazy.add((type(obj).__name__, name))


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of the process, by name and
    source: a new environment (after any template edit) recompiles only the templates
    whose source changed, and another folder with the same templates none."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], bytes] = {}

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return name

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()
_ENVIRONMENTS: dict[str, tuple[RecordingEnvironment, dict]] = {}


def _environment(templates_dir, digests: dict[str, str]) -> RecordingEnvironment:
    """One environment per templates folder for the life of the process (the preview
    rebuilds often). Its compiled templates are dropped whenever any template's bytes
    changed: file times can miss an edit made within their resolution."""
    key = str(templates_dir)
    if key in _ENVIRONMENTS and _ENVIRONMENTS[key][1] == digests:
        return _ENVIRONMENTS[key][0]
    env = RecordingEnvironment(
        loader=_Unindented(templates_dir, followlinks=True),
        extensions=[_BlockBreaks],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=_BYTECODE,
    )
    _ENVIRONMENTS[key] = (env, dict(digests))
    return env


class _Unindented(jinja2.FileSystemLoader):
    """Templates lose their lines' indentation as they load: it is there for the people
    who edit them; in the pages it would be ~250 bytes of every article's."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return _INDENT.sub("", source), filename, uptodate


_INDENT = re.compile(r"^[ \t]+", re.M)


class _BlockBreaks(jinja2.ext.Extension):
    """The line break after or before a block element's tag leaves the template's text
    (~65 bytes of every article page): it is there for the people who edit templates,
    and a browser shows none. A break beside inline elements (links, spans, inputs)
    stays: there it is a visible space. Done on the parsed template's text tokens, so
    comments and expressions are untouched and errors still name the template's line."""

    def filter_stream(self, stream):
        pending = ""  # a tag whose ">" is still to come (an expression in its attributes)
        for token in stream:
            if token.type == "data":
                text = token.value
                if pending and _BLOCK_NAME.fullmatch(pending):
                    text = _TAG_END_BREAK.sub(r"\1", text, count=1)
                text = _BLOCK_BREAK.sub(_tag_only, text)
                opened, closed = token.value.rfind("<"), token.value.rfind(">")
                if opened > closed:
                    pending = _TAG_NAME.match(token.value, opened).group(1)
                elif closed >= 0:
                    pending = ""
                token = jinja2.lexer.Token(token.lineno, token.type, text)
            yield token


_BLOCKS = (
    "html|head|body|meta|link|title|script|style|header|footer|main|nav|section|article|aside|div|p|ul|ol|li"
    "|h[1-6]|form|dl|dt|dd|table|thead|tbody|tr|td|th|figure|figcaption"
)
_BLOCK_NAME = re.compile(_BLOCKS)
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]*)")
_TAG_END_BREAK = re.compile(r"^([^<>]*>)\n")
_BLOCK_BREAK = re.compile(rf"(</?(?:{_BLOCKS})\b[^<>]*>)\n|\n(?=</?(?:{_BLOCKS})\b)")


def _tag_only(match: re.Match) -> str:
    return match.group(1) or ""


class Renderer:
    def __init__(self, settings: Settings, template_digests: dict[str, str]):
        self.settings = settings
        self.env = _environment(settings.templates_dir, template_digests)
        self.env.globals["site"] = settings
        self.env.globals["urls"] = urls
        self.env.filters["json_ld"] = _json_for_script
        self.env.filters["cn_date"] = cn_date  # 2025-01-06 -> 2025年1月6日
        self.env.filters["page_name"] = page_name  # A3 -> 第A3版
        self.env.globals.setdefault("feeds", True)

    def render(self, template: str, url: str, absolute_links: bool = False, **context) -> tuple[str, Deps]:
        """Render a page that will be served at ``url`` (root-relative); return it with
        what the render loaded and read. With ``absolute_links`` (the 404 page, served
        at any depth) links start at the site's path instead of being relative."""
        base = self.settings.base_path
        link = (lambda target: base + target) if absolute_links else urls.linker(url)
        recording = self.env.recording = Recording()
        try:
            tpl = self.env.get_template(template)
            html = tpl.render(
                page_url=url,
                link=link,
                absolute=lambda target: urls.absolute(target, self.settings.site_url),
                **context,
            )
        except jinja2.TemplateSyntaxError as error:
            raise ZoneArchiveError(
                error.filename or template, _("template error: {why}").format(why=error.message), error.lineno
            ) from None
        except jinja2.TemplateNotFound as error:
            raise ZoneArchiveError(self.settings.templates_dir / str(error.name), _("template not found")) from None
        except jinja2.UndefinedError as error:
            raise ZoneArchiveError(
                self.settings.templates_dir / template, _("template error: {why}").format(why=error.message)
            ) from None
        finally:
            self.env.recording = None
        return html, recording.deps()


def _json_for_script(value) -> str:
    """JSON safe inside <script>: no "</" or "<!--" can close or confuse the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return jinja2.utils.markupsafe.Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
