"""Shared fixtures: projects made from inline files, a built seed site, a loopback
static server, and real Chromium (skipped, with the reason, when not installed).

The tests own their archive: ``tests/fixtures/pages/`` holds frozen copies of the two
seed pages and ``tests/fixtures/zones.toml`` of the gazetteer. No test reads the
editorial ``seeds/`` (what editors add, fix or delete there never decides whether the
tests pass) except ``test_archive_smoke.py``, which builds whatever the archive holds.
``templates/``, ``static/`` and ``pyproject.toml`` are used as they are: they are the
software (editors work only in ``seeds/``, see the README), and ``static/search.js`` and
``static/tokenize.js`` are code under test that a frozen copy would stop testing."""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import posixpath
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from zonearchive import i18n
from zonearchive.builder import build
from zonearchive.config import load_settings

# A shell script's background job (`bash .ci/run &`, nohup) starts with SIGINT ignored,
# and what it starts inherits that: the serve tests' Ctrl-C would do nothing and each
# stop would time out. The tests stand for a terminal's Ctrl-C, which serve must obey.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
FIXTURE_PAGES = FIXTURES / "pages"  # frozen copies of the two seed pages
FIXTURE_ZONES = FIXTURES / "zones.toml"  # frozen copy of the seed gazetteer
# The `extract --json` contract (README): exactly these keys, in this order.
EXTRACT_JSON_KEYS = [
    "id",
    "source",
    "url",
    "title",
    "title_derived",
    "subtitle",
    "kicker",
    "zone",
    "byline",
    "dateline",
    "continued_from",
    "blocks",
]

RAM_DISK = "/dev/shm"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config):
    # Tests build as on an editor's machine: a SITE_URL in the shell would move every
    # absolute URL, and on GitHub Actions a build without SITE_URL is refused.
    for name in ("SITE_URL", "GITHUB_ACTIONS"):
        os.environ.pop(name, None)
    # The tests read messages in English; on a Chinese desktop (LANG=zh_CN.UTF-8) they
    # would be Chinese. tests/test_messages_zh.py sets the locale it tests itself.
    if i18n.language() != "en":
        os.environ["LC_ALL"] = "C.UTF-8"
    # Builds make and swap thousands of small files and folders: on a RAM-backed folder
    # where the machine has one (a folder of this run's own, removed at its end), not
    # on a disk where one mkdir can take milliseconds.
    if config.option.basetemp is None and os.access(RAM_DISK, os.W_OK):
        config.option.basetemp = config._zonearchive_ram = tempfile.mkdtemp(prefix="zonearchive-tests-", dir=RAM_DISK)


def pytest_collection_modifyitems(items):
    for item in items:
        if {"browser", "page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    # The longest tests first: the workers take tests in this order, so a minute-long
    # test started last would leave the other workers idle at the end of the run.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_unconfigure(config):
    ram = getattr(config, "_zonearchive_ram", None)
    if ram:
        shutil.rmtree(ram, ignore_errors=True)


def make_project(root: Path, files: dict[str, str | bytes] | None = None, seeds: bool = False) -> Path:
    """A project folder using the repo's templates and static files, plus ``files``;
    with ``seeds=True`` its seeds/ holds the fixture pages and gazetteer."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "seeds").mkdir(exist_ok=True)
    if seeds:
        shutil.copytree(FIXTURE_PAGES, root / "seeds", dirs_exist_ok=True)
        shutil.copy(FIXTURE_ZONES, root / "seeds" / "zones.toml")
    for name, content in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    """project(files, seeds=False) -> a project folder (Hugo-style inline fixtures)."""
    counter = iter(range(1000))
    return lambda files=None, seeds=False: make_project(tmp_path / f"p{next(counter)}", files, seeds)


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The fixture pages and gazetteer, built once with the real settings, into a
    temporary folder."""
    root = make_project(tmp_path_factory.mktemp("seed") / "project", seeds=True)
    out = root / "site"
    result = build(load_settings(root, environ={}), out)
    assert not result.errors
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's 404.html, as GitHub Pages does."""

    not_found_page = None

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.not_found_page and self.not_found_page.exists():
            body = self.not_found_page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class StaticServer:
    """Serve a folder on 127.0.0.1 (optionally under a sub-path, like GitHub Pages)."""

    def __init__(self, folder: Path, prefix: str = ""):
        self.prefix = prefix.strip("/")
        root = folder
        self._holder = None
        if self.prefix:
            # A temporary folder, never beside ``folder``: served from a project's own
            # site/ (benchmarks/query_speed.py site) it left a symlink in the project.
            self._holder = Path(tempfile.mkdtemp(prefix="zonearchive-serve-"))
            (self._holder / self.prefix).parent.mkdir(parents=True, exist_ok=True)
            (self._holder / self.prefix).symlink_to(folder.resolve())
            root = self._holder
        handler = type("Handler", (_Quiet,), {"not_found_page": folder / "404.html"})
        handler = functools.partial(handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        return base + (self.prefix + "/" if self.prefix else "")

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._holder:
            shutil.rmtree(self._holder, ignore_errors=True)


@pytest.fixture
def static_server():
    servers = []

    def start(folder, prefix=""):
        server = StaticServer(Path(folder), prefix)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium); .ci/run installs it")
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed (pip install -e .[test])"
    )
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def lunr_oracle(articles, zone_names=None):
    """One unsplit lunr.py index over ``articles`` (refs are list positions): the
    oracle the sharded index and the browser's ranking are compared with.
    ``zone_names``: zone name -> its names, as the build indexes them."""
    import lunr

    from zonearchive.render.search import BOOSTS, FIELDS, document_fields

    builder = lunr.get_default_builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("ref")
    for f in FIELDS:
        builder.field(f, boost=BOOSTS[f])
    for i, a in enumerate(articles):
        builder.add({"ref": str(i), **document_fields(a, zone_names)})
    return builder.build()


def indexed_pages(site: Path, term: str) -> set[str]:
    """The article pages (URLs from the site's root) whose documents hold ``term``
    in the built search index, found as search.js finds them."""
    import json

    from zonearchive.render.search import read_lengths, read_shard, read_urls, shard_for

    index = site / "search" / "index"
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    name = shard_for(manifest, term)
    if name is None:
        return set()

    def read(file: str) -> bytes:
        return (index / file).read_bytes()

    postings = read_shard(read(name), manifest, read_lengths(manifest, read)).get(term, {})
    pages = read_urls(manifest, read)
    return {pages[doc] for scored in postings.values() for doc, _ in scored}


def site_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Links(html.parser.HTMLParser):
    """Links a reader follows or a browser loads (not canonical / og:url metadata)."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            return
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])


def page_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def check_internal_links(site: Path) -> int:
    """Assert that every internal link of every page (but 404.html, which links from
    site_url's path) is relative and resolves to a file; return how many were checked."""
    checked = 0
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        for link in page_links(page):
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#") or link.startswith("//"):
                continue
            assert not link.startswith("/"), f"{page}: root-absolute link {link} breaks under a sub-path"
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(page.relative_to(site).as_posix()), parts.path)
            )
            path = site / target
            if link.endswith("/") or path.is_dir():
                path = path / "index.html"
            assert path.exists(), f"{page}: {link}"
            checked += 1
    return checked
