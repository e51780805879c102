"""Shared fixtures: projects made from inline files, a built seed site, a loopback
static server, and real Chromium (skipped, with the reason, when not installed)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from zonearchive.builder import build
from zonearchive.config import load_settings

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def make_project(root: Path, files: dict[str, str | bytes] | None = None, seeds: bool = False) -> Path:
    """A project folder using the repo's templates and static files, plus ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "seeds").mkdir(exist_ok=True)
    if seeds:
        for page in SEEDS.iterdir():
            shutil.copy(page, root / "seeds" / page.name)
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
    """The real seeds, built once with the real settings, into a temporary folder."""
    out = tmp_path_factory.mktemp("seed") / "site"
    result = build(load_settings(REPO, environ={}), out)
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
        if self.prefix:
            self._holder = folder.parent / f".serve-{self.prefix.replace('/', '-')}"
            shutil.rmtree(self._holder, ignore_errors=True)
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
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install -e .[test])")
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


def lunr_oracle(articles):
    """One unsplit lunr.py index over ``articles`` (refs are list positions): the
    oracle the sharded index and the browser's ranking are compared with."""
    import lunr

    from zonearchive.render.search import BOOSTS, FIELDS, document_fields
    builder = lunr.get_default_builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("ref")
    for f in FIELDS:
        builder.field(f, boost=BOOSTS[f])
    for i, a in enumerate(articles):
        builder.add({"ref": str(i), **document_fields(a)})
    return builder.build()


def site_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
