"""Command line: build, serve, extract, clean. A thin layer over the package."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .config import load_settings
from .errors import ZoneArchiveError
from .i18n import _


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zonearchive", description="Build the zone news archive site from raw newspaper pages."
    )
    parser.add_argument("--root", default=".", help="project folder holding pyproject.toml and seeds/ (default: .)")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser(
        "build",
        help="build the whole site into site/",
        description="Build the whole site. On failure the previous site is left as it was.",
    )
    p.add_argument("--out", help="output folder (default: site/ from the settings)")
    p.add_argument(
        "--verbose", "-v", action="store_true", help="list every repair made to the raw text, and every warning"
    )
    p.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help="while another build writes the same folder, wait at most this long (default: until it ends)",
    )

    p = verbs.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on change",
        description="Build, serve the site, watch sources and rebuild; open pages reload themselves.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--poll", action="store_true", help="poll for changes (file systems without inotify)")
    p.add_argument("--out", help="output folder (default: site/)")

    p = verbs.add_parser(
        "extract",
        help="print the articles found in raw pages",
        description="Extract the articles of raw pages (files or folders).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the articles as a JSON array (the documented contract)")
    p.add_argument(
        "--write",
        action="store_true",
        help="write each article as a Markdown file in a folder named after its page; "
        "from then on the Markdown files are the source and the page is skipped",
    )
    p.add_argument("--force", action="store_true", help="with --write: replace Markdown files that exist")

    verbs.add_parser(
        "clean",
        help="remove the built site",
        description=(
            "Remove the output folder (only one a build made: it holds the .zonearchive-output marker), "
            "the trees builds left beside it and its state in the cache."
        ),
    )
    return parser


def main(argv=None, *, process_ends: bool = False) -> int:
    """``process_ends``: the process ends with this command, without freeing what it
    made (build.py leaves with os._exit): a build need not collect or free it."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.root)
        if args.verb == "build":
            return _build(settings, args, collect=not process_ends)
        if args.verb == "serve":
            from .preview import serve

            return serve(settings, host=args.host, port=args.port, poll=args.poll, out=args.out)
        if args.verb == "extract":
            return _extract(settings, args)
        if args.verb == "clean":
            from .builder import clean

            for line in clean(settings):
                print(line)
            return 0
    except ZoneArchiveError as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 2


def _check_site_url(settings) -> str | None:
    """A published build needs SITE_URL: refused on GitHub Actions (before anything is
    built); locally, while site_url still points at this machine, the warning to print
    once the build is done."""
    if os.environ.get("SITE_URL"):
        return None
    if os.environ.get("GITHUB_ACTIONS") == "true":
        raise ZoneArchiveError(
            "SITE_URL",
            _(
                "not set on GitHub Actions; the Pages build needs the site's address "
                "(e.g. SITE_URL=https://<owner>.github.io/<repo>/) for its feeds, sitemap "
                "and canonical links"
            ),
        )
    if urlsplit(settings.site_url).hostname in ("127.0.0.1", "localhost"):
        return _(
            "warning: SITE_URL is not set: feeds, sitemap and canonical links point at {url} "
            "(set SITE_URL=https://<owner>.github.io/<repo>/ for a site to publish)"
        ).format(url=settings.site_url)
    return None


def _build(settings, args, collect: bool = True) -> int:
    from .builder import build

    site_url_warning = _check_site_url(settings)
    out = Path(args.out) if args.out else None
    progress = Progress(sys.stderr)
    result = build(settings, out, progress=progress, wait=args.wait, collect=collect)
    progress.finish()
    if args.verbose:
        for source, repairs in sorted(result.repairs.items()):
            for repair in repairs:
                print(f"repair {source}:{repair}")
    print_warnings(result.warnings, args.verbose)
    print(result.summary())
    if site_url_warning:
        print(site_url_warning, file=sys.stderr)
    for error in result.errors:
        print(_("error: {error}").format(error=error), file=sys.stderr)
    if result.errors:
        print(_("{count} page(s) failed; the other pages were built").format(count=len(result.errors)), file=sys.stderr)
        return 1
    return 0


class Progress:
    """A bar on a terminal; plain lines, one per phase, elsewhere (CI logs)."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()
        self.phase = None

    def __call__(self, phase: str, done: int, total: int):
        if self.tty:
            if total:
                filled = int(30 * done / total)
                self.stream.write(f"\r{phase:<14} [{'#' * filled}{' ' * (30 - filled)}] {done}/{total}")
            else:
                self.stream.write(f"\r{phase:<14}{' ' * 40}")
            if total and done == total:
                self.stream.write("\n")
            self.stream.flush()
        elif phase != self.phase and phase:
            self.stream.write(f"{phase}{f' ({total})' if total else ''}...\n")
            self.stream.flush()
        self.phase = phase

    def finish(self):
        if self.tty and self.phase:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def _extract(settings, args) -> int:
    from .builder import load_articles

    extraction, _zones = load_articles(settings, args.paths, cache=False)
    print_warnings(extraction.warnings, True, sys.stderr)  # stdout is the JSON contract
    if args.write:
        return _write_markdown(extraction, args, also_read=[settings.gazetteer_path, settings.published_path])
    if args.json:
        json.dump([a.to_json() for a in extraction.articles], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for a in extraction.articles:
            print(f"{a.id}\t{a.zone or '其他'}\t{a.title}")
    for error in extraction.errors:
        print(_("error: {error}").format(error=error), file=sys.stderr)
    return 1 if extraction.errors else 0


SHOWN_WARNINGS = 20  # a plain build shows this many; --verbose shows all


def print_warnings(warnings, every: bool, stream=None) -> None:
    """One line a warning (what the build left out, and why), sorted by file."""
    warnings = sorted(warnings, key=lambda w: (w.path, w.line or 0))
    shown = warnings if every else warnings[:SHOWN_WARNINGS]
    for warning in shown:
        print(_("warning: {warning}").format(warning=warning), file=stream or sys.stdout)
    if len(shown) < len(warnings):
        print(
            _("warning: ... and {count} more (build --verbose lists them all)").format(
                count=len(warnings) - len(shown)
            ),
            file=stream or sys.stdout,
        )


def _write_markdown(extraction, args, also_read) -> int:
    from .fsutil import write_atomically
    from .sources.extract import raw_pages
    from .sources.mdfiles import markdown_file_text, markdown_folder

    # Not the files the build reads for another purpose (seeds/published-urls.txt).
    pages = {label: path for path, label in raw_pages(args.paths, also_read)}
    for label, path in pages.items():
        articles = [a for a in extraction.articles if a.source == label and a.source_kind == "raw"]
        if not articles:  # nothing to write, and the page is not skipped: said, no empty folder made
            print(_("{page}: no articles read; nothing written").format(page=label), file=sys.stderr)
            continue
        folder = markdown_folder(path)
        if folder.exists() and any(folder.iterdir()) and not args.force:
            print(
                _("error: {folder} exists; nothing written for {page} (use --force to replace)").format(
                    folder=folder, page=label
                ),
                file=sys.stderr,
            )
            return 1
        folder.mkdir(parents=True, exist_ok=True)
        for article in articles:
            write_atomically(folder / f"{article.id}.md", markdown_file_text(article))
        print(
            _("{page}: {count} articles written to {folder}/; the page is skipped from now on").format(
                page=label, count=len(articles), folder=folder
            )
        )
    for error in extraction.errors:
        print(_("error: {error}").format(error=error), file=sys.stderr)
    return 1 if extraction.errors else 0
