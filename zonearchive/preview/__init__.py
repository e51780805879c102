"""The live preview: build, serve site/ on 127.0.0.1, watch the sources, rebuild.

* Served under the path of site_url (so sub-path bugs show locally); "/" redirects.
* Open pages long-poll /__zonearchive/wait; after a rebuild only pages whose bytes
  changed reload. The script is injected into responses, never written to site/.
* A failed build never stops the preview: the last good site stays served with an
  error overlay naming file, line and message; mending the file clears it.
* A rebuild that runs long shows its phase and progress as a thin bar on open
  pages (reload.py decides when and how often).
* Builds run in a process of their own (child.py); the server never forks.

watch.py says which file events are edits, rebuild.py debounces them into builds,
reload.py tells open pages when to reload, server.py answers HTTP.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from ..builder import check_output
from ..config import Settings
from ..i18n import _
from .child import BuildProcess
from .rebuild import Rebuilder
from .reload import BuildState
from .server import WILDCARDS, PortBusy, Preview, listen, shown_url
from .watch import watch

__all__ = ["serve"]

RELOAD_GRACE = 0.5  # seconds the search files wait for reloading pages to load


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 8000, poll: bool = False, out=None, log=print
) -> int:
    out_dir = Path(out).resolve() if out else settings.output_dir.resolve()
    check_output(settings, out_dir)  # refused before anything is built or served
    state = BuildState()
    try:
        # Listen first: a busy port is said at once, before a build.
        httpd = listen(host, port, Preview(out_dir, settings.base_path, state, bound=host))
    except PortBusy as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        return 1
    builds = BuildProcess(settings.root, out_dir)
    rebuilder = Rebuilder(builds, state, log)

    def wanted() -> bool:
        # The open pages that reload load first: the search files' step would take the
        # CPU they load with (a third of a second of the edit's wait, at 10,000 articles).
        state.wait_reloaded(RELOAD_GRACE)
        # An edit saved while a build publishes its pages: skip that build's search
        # files, the next build (which the edit already asked for) makes them.
        return not rebuilder.pending.is_set()

    builds.wanted = wanted
    observer = None
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (a process manager, a test) stops as cleanly as Ctrl-C.
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        rebuilder.rebuild_now()
        out_dir.mkdir(parents=True, exist_ok=True)
        observer = watch(
            (settings.seeds_dir, settings.templates_dir, settings.static_dir),
            settings.root,
            out_dir,
            rebuilder.poke,
            poll,
        )
        rebuilder.start()
        url = shown_url(httpd, settings.base_path)
        if host in WILDCARDS:
            url += _("  (every interface; on this computer {url})").format(
                url=f"http://127.0.0.1:{httpd.server_address[1]}{settings.base_path}"
            )
        log(_("serving {folder} at {url}  (Ctrl-C to stop)").format(folder=out_dir, url=url))
        sys.stdout.flush()
        httpd.serve_forever()
    except KeyboardInterrupt:
        log(_("stopping"))
    finally:
        httpd.server_close()  # the port is free from here on
        state.stop()
        rebuilder.stop()
        builds.close()
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
    return 0


def _interrupt(*_):
    raise KeyboardInterrupt
