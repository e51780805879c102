"""The preview's HTTP side: answers a request from the output folder (no sockets
needed to test it), injects the live-reload script, refuses foreign Host names;
and the threaded server that carries it."""

from __future__ import annotations

import errno
import http.server
import ipaddress
import json
import posixpath
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..i18n import _
from .reload import BuildState

IDLE_TIMEOUT = 60.0  # seconds a connection may send nothing before it is closed
WILDCARDS = {"", "0.0.0.0", "::"}

_LIVE_SCRIPT = """<script>/* zonearchive live preview: injected by serve, not part of the site */
(function(){var v=%(version)d,p=%(path)s,e=%(error)s,g=%(progress)s,k=0;
function overlay(msg){var o=document.getElementById("__za_error");if(!msg){if(o)o.remove();return;}
if(!o){o=document.createElement("pre");o.id="__za_error";o.setAttribute("role","alert");
o.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1em;background:#7a1010;color:#fff;font:14px/1.5 monospace;z-index:99999;white-space:pre-wrap";
document.body.appendChild(o);}o.textContent=%(failed)s+"\\n"+msg;}
function bar(s){var b=document.getElementById("__za_progress"),l=document.getElementById("__za_phase");k=s?s.id:0;
if(!s){if(b)b.remove();if(l)l.remove();return;}
if(!document.getElementById("__za_style")){var c=document.createElement("style");c.id="__za_style";c.textContent=%(css)s;document.head.appendChild(c);}
if(!b){b=document.createElement("div");b.id="__za_progress";b.setAttribute("role","progressbar");b.appendChild(document.createElement("div"));
l=document.createElement("div");l.id="__za_phase";l.setAttribute("aria-hidden","true");document.body.appendChild(b);document.body.appendChild(l);}
var n=s.total>0,t=%(building)s.replace("{phase}",function(){return s.phase;});
b.className=n?"":"za-busy";b.setAttribute("aria-label",t);b.setAttribute("aria-valuemin","0");
if(n){b.setAttribute("aria-valuemax",String(s.total));b.setAttribute("aria-valuenow",String(s.done));b.firstChild.style.width=Math.min(100,100*s.done/s.total)+"%%";}
else{b.removeAttribute("aria-valuemax");b.removeAttribute("aria-valuenow");b.firstChild.style.width="";}
l.textContent=t+(n?" "+s.done+"/"+s.total:"");}
function poll(f){fetch(%(wait)s+"?since="+v+"&bar="+k+"&path="+encodeURIComponent(p)+(f?"&loaded=1":"")).then(function(r){return r.json();}).then(function(s){
if(s.reload){location.reload();return;}v=s.version;overlay(s.error);bar(s.progress||null);poll();}).catch(function(){setTimeout(poll,1000);});}
overlay(e);bar(g);poll(1);})();</script>"""

# The progress bar: fixed above the page (nothing moves), no clicks caught; when the
# total is unknown a sliding segment, which stands still for reduced motion.
_BAR_CSS = (
    "#__za_progress{position:fixed;top:0;left:0;right:0;height:3px;margin:0;padding:0;overflow:hidden;"
    "z-index:99999;pointer-events:none;background:rgba(21,101,192,.25)}"
    "#__za_progress>div{height:100%;width:0;background:#1565c0;transition:width .2s linear}"
    "#__za_progress.za-busy>div{width:30%;animation:za-slide 1.2s ease-in-out infinite}"
    "@keyframes za-slide{from{transform:translateX(-100%)}to{transform:translateX(340%)}}"
    "#__za_phase{position:fixed;top:3px;right:0;margin:0;padding:2px 8px;z-index:99999;pointer-events:none;"
    "background:#1565c0;color:#fff;font:12px/1.5 system-ui,sans-serif;border-bottom-left-radius:4px}"
    "@media (prefers-reduced-motion:reduce){#__za_progress>div{transition:none}"
    "#__za_progress.za-busy>div{width:100%;animation:none;opacity:.5}}"
)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",  # the printed pages, linked as 查看原版
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}


def content_type(name: str) -> str:
    return _TYPES.get(posixpath.splitext(name)[1].lower(), "application/octet-stream")


def host_allowed(header: str | None, bound: str) -> bool:
    """Whether a request's Host names this computer. A page on another site can
    make its own name resolve to 127.0.0.1 (DNS rebinding) and then read drafts
    and error overlays; its requests still carry its name. Allowed: localhost
    names, IP addresses (no other site can be one), the name the preview was told
    to bind, and, bound to every interface, this computer's own name."""
    if header is None:
        return True  # HTTP/1.0 tools; a browser always sends Host
    host = header.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":")[0]
    host = host.rstrip(".")
    if host == "localhost" or host.endswith(".localhost") or host == bound.lower():
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    return bound in WILDCARDS and host in {socket.gethostname().lower(), socket.getfqdn().lower()}


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Preview:
    """What the server answers: the output folder under the site's base path,
    pages with the live script, and the long-poll."""

    def __init__(self, out: Path, base: str, state: BuildState, bound: str = "127.0.0.1"):
        self.out = out
        self.base = base
        self.state = state
        self.bound = bound

    def respond(self, target: str, host: str | None) -> Response:
        if not host_allowed(host, self.bound):
            body = (
                _("zonearchive preview: {host!r} is not this computer's name; open the address serve printed").format(
                    host=host
                )
                + "\n"
            ).encode()
            return Response(403, body, {"Content-Type": "text/plain; charset=utf-8"})
        parts = urlsplit(target)
        path = unquote(parts.path)
        if path == self.base + "__zonearchive/wait":
            query = parse_qs(parts.query)
            try:
                since = int(query.get("since", ["0"])[0])
            except ValueError:
                since = 0
            try:
                bar: int | None = int(query["bar"][0])
            except (KeyError, ValueError):
                bar = None  # a client that draws no bar: answered on builds only
            if "loaded" in query:  # a page's first poll: it has loaded
                self.state.loaded()
            answer = self.state.wait(since, query.get("path", [""])[0], bar=bar)
            return Response(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})
        if not path.startswith(self.base):
            if path in ("/", "") or path + "/" == self.base:
                return Response(302, headers={"Location": self.base})
            return self.not_found()
        rel = path[len(self.base) :]
        file = self.resolve(rel)
        if file is None:
            return self.not_found()
        if file.is_dir():
            if not path.endswith("/"):
                return Response(302, headers={"Location": path + "/"})
            file = file / "index.html"
            if not file.is_file():
                return self.not_found()
        return self.file(file, 200, page=rel)

    def file(self, file: Path, status: int, page: str) -> Response:
        try:
            data = file.read_bytes()
        except OSError:
            return self.not_found() if status != 404 else Response(404, b"404 not found")
        ctype = content_type(file.name)
        if ctype.startswith("text/html"):
            data = self.inject(data, page)
        return Response(status, data, {"Content-Type": ctype})

    def not_found(self) -> Response:
        missing = self.out / "404.html"
        if missing.is_file():
            return self.file(missing, 404, page="404.html")
        return Response(404, b"404 not found", {"Content-Type": "text/plain; charset=utf-8"})

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

    def inject(self, data: bytes, page: str) -> bytes:
        # The overlay and the progress bar are drawn by the script (from JSON, as
        # text), for the first load and after every rebuild alike.
        script = _LIVE_SCRIPT % {
            "version": self.state.version,
            "path": _script_json(page),
            "wait": _script_json(self.base + "__zonearchive/wait"),
            "error": _script_json(self.state.error),
            "progress": _script_json(self.state.shown_progress()),
            "failed": _script_json(_("Build failed:")),
            "building": _script_json(_("Rebuilding: {phase}")),
            "css": _script_json(_BAR_CSS),
        }
        at = data.rfind(b"</body>")
        blob = script.encode("utf-8")
        return data[:at] + blob + data[at:] if at >= 0 else data + blob


def _script_json(value) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "zonearchive-preview"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT  # a slow or idle client is dropped, its thread freed
    # Headers and body go out in two writes on a kept-alive connection: with Nagle's
    # algorithm the body waits for the browser's delayed ACK of the headers, 40 ms a
    # request (three requests stand between a saved edit and the page showing it).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        response = self.server.app.respond(self.path, self.headers.get("Host"))  # type: ignore[attr-defined]
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True


class PortBusy(Exception):
    """The address cannot be listened on; the message says what to do."""


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # every open page holds a long-poll; the default 5 drops connects


class Server6(Server):
    address_family = socket.AF_INET6


def listen(host: str, port: int, app: Preview) -> Server:
    """A server bound (not yet serving) to host:port, or PortBusy saying why not."""
    server_class = Server6 if ":" in host else Server
    try:
        server = server_class((host, port), Handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortBusy(
                _(
                    "port {port} is in use by another program (another preview?); choose another with --port {next}"
                ).format(port=port, next=port + 1)
            ) from None
        raise PortBusy(
            _("cannot listen on {host}:{port}: {reason}").format(host=host, port=port, reason=error.strerror or error)
        ) from None
    server.app = app  # type: ignore[attr-defined]
    return server


def shown_url(server: Server, base: str) -> str:
    """The address the server really bound, as a URL."""
    host, port = str(server.server_address[0]), server.server_address[1]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}{base}"
