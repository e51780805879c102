"""The live preview: build, serve site/ on 127.0.0.1, watch the sources, rebuild.

* Served under the path of site_url (so sub-path bugs show locally); "/" redirects.
* Open pages long-poll /__zonearchive/wait; after a rebuild only pages whose bytes
  changed reload. The script is injected into responses, never written to site/.
* A failed build never kills the preview: the last good site stays served with an
  error overlay naming file, line and message; mending the file clears it.
* Watch hygiene: only created/modified/deleted/moved (a move counts by its
  destination), no editor temp or swap files, never the output; bursts are
  debounced into one rebuild, and an edit during a build gives exactly one more.
"""

from __future__ import annotations

import gc
import http.server
import json
import os
import posixpath
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .. import urls
from ..builder import Session, build, check_output
from ..config import Settings, load_settings
from ..errors import ZoneArchiveError

DEBOUNCE = 0.05  # seconds of quiet before a rebuild (a 100-file checkout lands well within it)
POLL_TIMEOUT = 25.0
RELOAD_HEAD_START = 0.1  # seconds between publishing pages and making the search files
_TEMP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".temp", "~", ".part", ".crdownload", ".bak")
_TEMP_NAMES = {"4913", ".DS_Store"}
_RELEVANT = {"created", "modified", "deleted", "moved"}


def is_editor_temp(path: str) -> bool:
    name = os.path.basename(path)
    return (name in _TEMP_NAMES or name.startswith((".#", "#", ".~")) or name.endswith(_TEMP_SUFFIXES)
            or (name.startswith(".") and name.endswith(".swp")) or name.startswith(".goutputstream"))


class BuildState:
    """The last build's outcome, and a condition to wake long-polls."""

    def __init__(self):
        self.version = 0
        self.changed: dict[int, set[str]] = {}
        self.error: str | None = None
        self.cond = threading.Condition()

    def finished(self, changed: set[str] | None, error: str | None):
        with self.cond:
            self.version += 1
            self.changed[self.version] = set(changed or ())
            self.error = error
            self.cond.notify_all()

    def changed_since(self, version: int) -> set[str] | None:
        """Files changed after ``version``; None when that history is gone."""
        out: set[str] = set()
        for v in range(version + 1, self.version + 1):
            if v not in self.changed:
                return None
            out |= self.changed[v]
        return out


class Rebuilder:
    """Debounced rebuilds on a thread of their own."""

    def __init__(self, settings: Settings, out: Path, state: BuildState, log=print):
        self.settings, self.out, self.state, self.log = settings, out, state, log
        self.session = Session()  # sources, search postings and site state kept between builds
        self.pending = threading.Event()
        self.last_event = 0.0
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()

    def poke(self):
        self.last_event = time.monotonic()
        self.pending.set()

    def rebuild_now(self):
        settings = self.settings
        try:
            settings = load_settings(self.settings.root)
        except ZoneArchiveError as error:
            self.state.finished(set(), str(error))
            self.log(f"error: {error}")
            return
        try:
            result = build(settings, self.out, session=self.session, on_pages=self._pages_out)
        except ZoneArchiveError as error:
            self.state.finished(set(), str(error))
            self.log(f"error: {error} (still serving the last good build)")
            return
        except Exception as error:  # a bug must not kill the preview either
            self.state.finished(set(), f"{type(error).__name__}: {error}")
            traceback.print_exc()
            return
        error = "\n".join(str(e) for e in result.errors) or None
        changed = set(result.stats.changed)
        if any(rel.startswith(urls.SEARCH_DATA) for rel in changed):
            changed.add(urls.output_path(urls.search_url()))  # an open search page asks the new index
        self.state.finished(changed, error)
        self.log(result.summary())
        if error:
            self.log(f"error: {error}")

    def _pages_out(self, stats, errors):
        # Pages are published before the search files: open pages reload now, and
        # get a moment to fetch them before the search files take the processor.
        self.state.finished(stats.changed, "\n".join(str(e) for e in errors) or None)
        time.sleep(RELOAD_HEAD_START)

    def _run(self):
        while not self.stopped:
            self.pending.wait()
            if self.stopped:
                return
            # Debounce: wait for a quiet spell, then build once.
            while time.monotonic() - self.last_event < DEBOUNCE:
                time.sleep(DEBOUNCE / 3)
            self.pending.clear()
            self.rebuild_now()
            # Now, while the editor reads: the next build's mirror of site/, and the
            # garbage collection builds run without (see builder.build).
            self.session.settle()
            gc.collect()

    def stop(self):
        self.stopped = True
        self.pending.set()


def make_watch_handler(rebuilder: Rebuilder, out: Path, only: str | None = None):
    """A watchdog handler that pokes the rebuilder for real edits: created, modified,
    deleted or moved (by the move's destination, as editors save by rename), never
    editor temp files, the output, caches or git. ``only``: react to that file name alone."""
    from watchdog.events import FileSystemEventHandler

    out = out.resolve()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type not in _RELEVANT or event.is_directory and event.event_type == "modified":
                return  # opened/closed/closed_no_write are reads, not edits
            path = (getattr(event, "dest_path", "") if event.event_type == "moved" else "") or event.src_path
            if only is not None and os.path.basename(path) != only:
                return
            if is_editor_temp(path) or Path(path).resolve().is_relative_to(out):
                return
            if "__pycache__" in path or "/.git/" in path:
                return
            rebuilder.poke()

    return Handler()


_LIVE_SCRIPT = """<script>/* zonearchive live preview: injected by serve, not part of the site */
(function(){var v=%(version)d,p=%(path)s,e=%(error)s;
function overlay(msg){var o=document.getElementById("__za_error");if(!msg){if(o)o.remove();return;}
if(!o){o=document.createElement("pre");o.id="__za_error";o.setAttribute("role","alert");
o.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1em;background:#7a1010;color:#fff;font:14px/1.5 monospace;z-index:99999;white-space:pre-wrap";
document.body.appendChild(o);}o.textContent="构建失败 Build failed:\\n"+msg;}
function poll(){fetch(%(wait)s+"?since="+v+"&path="+encodeURIComponent(p)).then(function(r){return r.json();}).then(function(s){
if(s.reload){location.reload();return;}v=s.version;overlay(s.error);poll();}).catch(function(){setTimeout(poll,1000);});}
overlay(e);poll();})();</script>"""


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    server_version = "zonearchive-preview"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    @property
    def app(self) -> "Preview":
        return self.server.app  # type: ignore[attr-defined]

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        app = self.app
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == app.base + "__zonearchive/wait":
            return self._wait(parse_qs(parts.query))
        if not path.startswith(app.base):
            if path in ("/", "") or path + "/" == app.base:
                return self._redirect(app.base)
            return self._not_found(head)
        rel = path[len(app.base):]
        file = app.resolve(rel)
        if file is None:
            return self._not_found(head)
        if file.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            file = file / "index.html"
            if not file.is_file():
                return self._not_found(head)
        self._send_file(file, 200, head, page=rel)

    def _send_file(self, file: Path, status: int, head: bool, page: str):
        try:
            data = file.read_bytes()
        except OSError:
            return self._not_found(head)
        ctype = _content_type(file.name)
        if ctype.startswith("text/html"):
            data = self.app.inject(data, page)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def _not_found(self, head: bool):
        missing = self.app.out / "404.html"
        if missing.is_file():
            return self._send_file(missing, 404, head, page="404.html")
        body = b"404 not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _wait(self, query):
        state = self.app.state
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        page = query.get("path", [""])[0]
        deadline = time.monotonic() + POLL_TIMEOUT
        with state.cond:
            while state.version <= since and time.monotonic() < deadline and not self.app.stopping:
                state.cond.wait(timeout=min(1.0, deadline - time.monotonic()))
            version, error = state.version, state.error
            changed = state.changed_since(since)
        file = self.app.page_file(page)
        reload = version > since and (changed is None or file in changed)
        body = json.dumps({"version": version, "reload": reload, "error": error}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _content_type(name: str) -> str:
    ext = posixpath.splitext(name)[1].lower()
    return {
        ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8", ".json": "application/json",
        ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
        ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
        ".ico": "image/x-icon", ".woff2": "font/woff2",
    }.get(ext, "application/octet-stream")


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # every open page holds a long-poll; the default 5 drops connects


class Preview:
    def __init__(self, settings: Settings, out: Path):
        self.settings = settings
        self.out = out
        self.base = settings.base_path
        self.state = BuildState()
        self.stopping = False

    def resolve(self, rel: str) -> Path | None:
        """The file under the output for a URL path; None for anything outside it."""
        if "\x00" in rel or "\\" in rel:
            return None
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            return None
        root = self.out.resolve()
        target = root.joinpath(*parts) if parts else root
        try:
            real = target.resolve()
        except OSError:
            return None
        if real != root and root not in real.parents:
            return None  # a symlink pointing out of the site
        return real if real.exists() else None

    def page_file(self, page: str) -> str:
        page = page.lstrip("/")
        if page == "" or page.endswith("/"):
            return page + "index.html"
        return page

    def inject(self, data: bytes, page: str) -> bytes:
        # The overlay is drawn by the script (from JSON, as text), for the first load
        # and after every rebuild alike.
        script = _LIVE_SCRIPT % {
            "version": self.state.version,
            "path": _script_json(page),
            "wait": _script_json(self.base + "__zonearchive/wait"),
            "error": _script_json(self.state.error),
        }
        marker = b"</body>"
        at = data.rfind(marker)
        blob = script.encode("utf-8")
        return data[:at] + blob + data[at:] if at >= 0 else data + blob


def _script_json(value) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, poll: bool = False, out=None, log=print) -> int:
    out_dir = Path(out).resolve() if out else settings.output_dir.resolve()
    check_output(settings, out_dir)  # refused before anything is built or served
    # Rebuilds run on a thread beside the server's: switching the GIL every 0.5 ms
    # (not 5) lets a page that reloads get its files while the search files are made.
    sys.setswitchinterval(0.0005)
    app = Preview(settings, out_dir)
    rebuilder = Rebuilder(settings, out_dir, app.state, log)
    rebuilder.rebuild_now()
    if not out_dir.exists():
        out_dir.mkdir(parents=True)
    if poll:
        from watchdog.observers.polling import PollingObserver as Observer
    else:
        from watchdog.observers import Observer
    observer = Observer()
    handler = make_watch_handler(rebuilder, out_dir)
    watched = []
    for folder in (settings.seeds_dir, settings.templates_dir, settings.static_dir):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
            watched.append(folder)
    observer.schedule(make_watch_handler(rebuilder, out_dir, only="pyproject.toml"), str(settings.root), recursive=False)
    observer.start()
    rebuilder.start()
    import signal
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (a process manager, a test) stops as cleanly as Ctrl-C.
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    httpd = PreviewServer((host, port), PreviewHandler)
    httpd.app = app  # type: ignore[attr-defined]
    shown = "127.0.0.1" if host in ("127.0.0.1", "0.0.0.0") else host
    log(f"serving {out_dir} at http://{shown}:{httpd.server_address[1]}{app.base}  (Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        log("stopping")
    finally:
        app.stopping = True
        with app.state.cond:
            app.state.cond.notify_all()
        rebuilder.stop()
        observer.stop()
        observer.join(timeout=5)
        httpd.server_close()
    return 0

