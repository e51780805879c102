"""Publishing site/ to an S3-compatible object store with a standard sync tool, measured
and checked against a local S3 server (docs/publishing-object-store.md).

    pip install 'moto[server]' awscli     # in a venv of their own: benchmark tools only
    apt-get install rclone                # or a binary from rclone.org
    python benchmarks/objectstore.py --articles 2000 [--project PATH] [--keep DIR]

Generates N articles (benchmarks/bench.py's raw pages, plus one page whose file name
has Chinese characters and spaces), or copies the project at --project, and builds it
with SITE_URL set. Starts moto_server (an S3 API, in memory) on a free loopback port,
makes a bucket per sync command, and publishes site/ with each: `aws s3 sync --delete`
(size and modification time decide), `aws s3 sync --delete --size-only`, `rclone sync
--checksum --fast-list` (size and MD5; the bucket listed in pages of 1,000 keys), the
same without --fast-list (a listing per folder), and rclone in two steps (new files
first, then the HTML pages, the search manifest and the deletions), each setting
Cache-Control. Then, for each command: the sync run
again with nothing changed; one character of one article replaced by another (the
size stays the same) and `build` run; an article removed and `build` run; and a fresh
build, as a CI clone makes it (no site/, no cache: every file is new), after another
one-character fix. Reports per step and command the objects uploaded and deleted, the
bytes uploaded, the objects that had to be (their MD5 or presence differs), the
requests the store received (from moto's log: PUT, LIST, HEAD, DELETE) and the wall
time of the sync.

Checked after every sync: the bucket's keys are the files of site/ (less .nojekyll and
the .zonearchive-output marker, which are not published); every object's ETag is its
file's MD5; every object uploaded is downloaded back and equals its file, and its
Content-Type is the one its extension needs (text/html, text/css, JavaScript,
application/json, text/plain, XML; a charset, if any, utf-8) and its Cache-Control the
one given; every key is plain
ASCII (no Chinese characters, spaces or characters to escape); every link of every
page, resolved with index.html for a folder URL, is an object of the bucket; the
removed article's page is no longer in it. The times are moto's and the tools' on
this machine (no network): what a real store adds is per-request latency, so the
number of objects uploaded is the figure to read. A benchmark, not a test; it exits
non-zero when a check fails for a command expected to be exact."""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import posixpath
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import ROOT, make_archive, timed_build  # noqa: E402

SITE_URL = "https://archive.example.com/"
NOT_PUBLISHED = [".nojekyll", ".zonearchive-output"]  # GitHub Pages' flag; the output guard's marker
CACHE = "public, max-age=300"  # pages and search files change in place (docs/publishing-object-store.md)
AWS_EXCLUDE = [a for name in NOT_PUBLISHED for a in ("--exclude", name)] + ["--cache-control", CACHE]
RCLONE_EXCLUDE = [a for name in NOT_PUBLISHED for a in ("--exclude", "/" + name)]
RCLONE_EXCLUDE += ["--header-upload", f"Cache-Control: {CACHE}"]
# Uploaded first by the two-step sync: everything except what links to the rest.
LINKING = ["--exclude", "*.html", "--exclude", "/search/index/manifest.json"]
MODES = {
    "aws": [["aws", "s3", "sync", "{site}", "s3://{bucket}", "--delete", "--no-progress", *AWS_EXCLUDE]],
    "aws --size-only": [
        ["aws", "s3", "sync", "{site}", "s3://{bucket}", "--delete", "--size-only", "--no-progress", *AWS_EXCLUDE]
    ],
    "rclone --checksum": [
        ["rclone", "sync", "{site}", "store:{bucket}", "--checksum", "--fast-list", "-v", *RCLONE_EXCLUDE]
    ],
    "rclone no fast-list": [["rclone", "sync", "{site}", "store:{bucket}", "--checksum", "-v", *RCLONE_EXCLUDE]],
    "rclone two-step": [
        ["rclone", "copy", "{site}", "store:{bucket}", "--checksum", "--fast-list", "-v", *LINKING, *RCLONE_EXCLUDE],
        ["rclone", "sync", "{site}", "store:{bucket}", "--checksum", "--fast-list", "-v", *RCLONE_EXCLUDE],
    ],
}
EXACT = {"aws", "rclone --checksum", "rclone no fast-list", "rclone two-step"}  # --size-only misses a same-length edit
TYPES = {
    ".html": {"text/html"},
    ".css": {"text/css"},
    ".js": {"text/javascript", "application/javascript"},
    ".json": {"application/json"},
    ".txt": {"text/plain"},
    ".xml": {"application/xml", "text/xml"},
}
SAFE_KEY = re.compile(r"[A-Za-z0-9._~/-]+")
LINK = re.compile(r'\b(?:href|src)="([^"]*)"')
# moto routes a request by the service its credential names; it checks no signature.
AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
ODD_PAGE = "2024-07-01 A3 晋城 开发区.txt"  # a source file name with Chinese characters and spaces
ODD_TEXT = (
    "本报讯 晋城经济技术开发区今年新签约项目12个，总投资56亿元，晋城经开区产业集聚效应显现。 李明\n"
    "科学导报讯 晋城经开区企业生产经营持续向好，一季度产值同比增长百分之十二。 王波\n"
)


def tools_or_exit(modes: list[str]) -> dict[str, str]:
    needed = {"moto_server"} | {MODES[m][0][0] for m in modes}
    found = {name: shutil.which(name) for name in sorted(needed)}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise SystemExit(
            f"objectstore.py needs {', '.join(missing)} on PATH (benchmark tools, not zonearchive's):\n"
            "  pip install 'moto[server]' awscli   # in a venv of their own\n"
            "  apt-get install rclone              # or https://rclone.org/downloads/\n"
            "or choose the sync commands with --modes."
        )
    return {name: path for name, path in found.items() if path}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Store:
    """moto_server on a loopback port, read with plain HTTP (unsigned: moto does not check)."""

    def __init__(self, work: Path, moto: str):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        (work / "moto").mkdir()
        self.log_path = work / "moto.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [moto, "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=work / "moto",
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(work / "moto")},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.request("GET", "/")
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"moto_server did not start: see {work / 'moto.log'}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def request(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, headers={"Authorization": AUTH})
            response = connection.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()

    def mark(self) -> int:
        self.log.flush()
        return self.log_path.stat().st_size

    def requests_since(self, mark: int) -> dict[str, int]:
        """The S3 requests moto logged since ``mark``, by kind (a LIST is a GET of a bucket)."""
        time.sleep(0.3)  # the server logs a request just after answering it
        with open(self.log_path, "rb") as log:
            log.seek(mark)
            lines = log.read().decode("utf-8", "replace").splitlines()
        counts: Counter[str] = Counter()
        for line in lines:
            if m := re.search(r'"(GET|HEAD|PUT|POST|DELETE) /([^/? ]+)(/[^? ]*)?(\?\S*)? HTTP', line):
                method, key = m.group(1), m.group(3)
                counts["LIST" if method == "GET" and not key else method] += 1
        return dict(sorted(counts.items()))

    def make_bucket(self, bucket: str) -> None:
        status, _, body = self.request("PUT", f"/{bucket}")
        if status != 200:
            raise SystemExit(f"could not make bucket {bucket}: {status} {body[:300]!r}")

    def listing(self, bucket: str) -> dict[str, tuple[str, int]]:
        """key -> (ETag without quotes, size), every page of ListObjectsV2."""
        out: dict[str, tuple[str, int]] = {}
        ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
        token = None
        while True:
            query = "list-type=2&max-keys=1000" + (f"&continuation-token={quote(token, safe='')}" if token else "")
            status, _, body = self.request("GET", f"/{bucket}?{query}")
            if status != 200:
                raise SystemExit(f"listing {bucket}: {status} {body[:300]!r}")
            root = ET.fromstring(body)
            for item in root.iter(f"{ns}Contents"):
                key = item.findtext(f"{ns}Key") or ""
                out[key] = ((item.findtext(f"{ns}ETag") or "").strip('"'), int(item.findtext(f"{ns}Size") or 0))
            token = root.findtext(f"{ns}NextContinuationToken")
            if root.findtext(f"{ns}IsTruncated") != "true" or not token:
                return out


def local_files(site: Path) -> dict[str, Path]:
    files = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}
    for name in NOT_PUBLISHED:
        files.pop(name, None)
    return files


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def tool_env(work: Path, endpoint: str) -> dict[str, str]:
    """Fake credentials for moto; no AWS or rclone configuration of this machine is read."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_"))}
    (work / "rclone.conf").write_text("")
    env.update(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(work / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(work / "no-aws-credentials"),
        AWS_ENDPOINT_URL=endpoint,  # awscli >= 1.29 reads it; --endpoint-url is given too
        RCLONE_CONFIG=str(work / "rclone.conf"),
        RCLONE_CONFIG_STORE_TYPE="s3",
        RCLONE_CONFIG_STORE_PROVIDER="Other",
        RCLONE_CONFIG_STORE_ENDPOINT=endpoint,
        RCLONE_CONFIG_STORE_ACCESS_KEY_ID="test",
        RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY="test",
        RCLONE_CONFIG_STORE_REGION="us-east-1",
    )
    return env


def run_sync(mode: str, site: Path, bucket: str, env: dict[str, str], tools: dict[str, str]) -> dict:
    """The mode's commands, timed; the keys each uploaded and deleted, from its log."""
    uploaded: set[str] = set()
    deleted: set[str] = set()
    started = time.perf_counter()
    for template in MODES[mode]:
        command = [tools[template[0]]] + [a.format(site=site, bucket=bucket) for a in template[1:]]
        if template[0] == "aws":
            command[1:1] = ["--endpoint-url", env["AWS_ENDPOINT_URL"]]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise SystemExit(f"{shlex.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        for line in (done.stdout + done.stderr).splitlines():
            if template[0] == "aws":
                if m := re.match(r"upload: .*? to s3://[^/]+/(.*)$", line):
                    uploaded.add(m.group(1))
                elif m := re.match(r"delete: s3://[^/]+/(.*)$", line):
                    deleted.add(m.group(1))
            elif m := re.search(r"INFO  : (.*): Copied \((?:new|replaced existing)\)$", line):
                uploaded.add(m.group(1))
            elif m := re.search(r"INFO  : (.*): Deleted$", line):
                deleted.add(m.group(1))
    return {"wall_s": round(time.perf_counter() - started, 2), "uploaded": uploaded, "deleted": deleted}


def by_folder(keys: set[str]) -> dict[str, int]:
    """How many keys under each top folder (a file at the root by its name)."""
    return dict(Counter(k.split("/")[0] + ("/" if "/" in k else "") for k in keys).most_common())


def page_links(site: Path, files: dict[str, Path]) -> list[tuple[str, str]]:
    """(page, key) for every link of every page to this site: a folder URL gets index.html,
    as the store's index document (or the CDN's rewrite) serves it."""
    base = urlsplit(SITE_URL)
    out = []
    for rel, path in files.items():
        if not rel.endswith(".html"):
            continue
        for url in LINK.findall(path.read_text(encoding="utf-8")):
            url = url.replace("&amp;", "&")
            parts = urlsplit(url)
            if url.startswith(("#", "data:", "mailto:", "javascript:")) or not (parts.path or parts.query):
                continue
            if parts.scheme or parts.netloc:
                if parts.netloc != base.netloc:
                    continue  # another site
                target = parts.path[len(base.path) :]
            elif parts.path.startswith("/"):
                target = parts.path[len(base.path) :]
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), parts.path))
                target = "" if target == "." else target + ("/" if parts.path.endswith("/") else "")
            target = unquote(target)
            out.append((rel, target + "index.html" if target == "" or target.endswith("/") else target))
    return out


def check(
    store: Store,
    bucket: str,
    files: dict[str, Path],
    sums: dict[str, str],
    uploaded: set[str],
    links: list[tuple[str, str]],
    gone: list[str],
) -> dict:
    """What the bucket holds against site/; downloads back every object just uploaded."""
    listing = store.listing(bucket)
    problems = []
    missing, extra = sorted(files.keys() - listing.keys()), sorted(listing.keys() - files.keys())
    problems += [f"missing {k}" for k in missing[:5]] + [f"extra {k}" for k in extra[:5]]
    stale = sorted(k for k in files.keys() & listing.keys() if listing[k][0] != sums[k])
    problems += [f"stale (ETag is not its file's MD5) {k}" for k in stale[:5]]
    problems += [f"key not plain ASCII: {k!r}" for k in listing if not SAFE_KEY.fullmatch(k)][:5]
    types: dict[str, set[str]] = {}
    for key in sorted(uploaded & files.keys()):
        status, headers, body = store.request("GET", f"/{bucket}/{quote(key)}")
        if status != 200 or body != files[key].read_bytes():
            problems.append(f"downloaded {key} differs from its file (HTTP {status})")
        content_type = headers.get("content-type", "")
        ext = posixpath.splitext(key)[1]
        types.setdefault(ext, set()).add(content_type)
        mime, _, params = content_type.partition(";")
        charset = params.strip().lower()
        if ext in TYPES and (mime.strip() not in TYPES[ext] or charset not in ("", "charset=utf-8")):
            problems.append(f"{key}: Content-Type {content_type!r}")
        if headers.get("cache-control") != CACHE:
            problems.append(f"{key}: Cache-Control {headers.get('cache-control')!r}")
    broken = sorted({f"{page} -> {key}" for page, key in links if key not in listing})
    problems += [f"broken link {b}" for b in broken[:5]]
    problems += [f"removed article's page still there: {k}" for k in gone if k in listing]
    return {
        "objects": len(listing),
        "missing": len(missing),
        "extra": len(extra),
        "stale": len(stale),
        "links_checked": len(links),
        "broken_links": len(broken),
        "downloaded": len(uploaded & files.keys()),
        "types": {ext: sorted(v) for ext, v in sorted(types.items())},
        "problems": problems,
    }


def same_length_fix(root: Path, k: int) -> str:
    """One character of an article's text replaced by another of the same UTF-8 length:
    the article's page keeps its size (a typo fixed in Chinese text)."""
    swaps = {"的": "地", "是": "为", "在": "于"}
    sources = sorted(p for p in (root / "seeds").rglob("*") if p.suffix in (".txt", ".md") and p.name != ODD_PAGE)
    sources = [p for p in sources if p.name != "published-urls.txt"]
    for n in range(len(sources)):
        page = sources[(5 + 11 * k + n) % len(sources)]
        text = page.read_text(encoding="utf-8")
        body = text.find("本报讯")
        start = (body if body >= 0 else len(text) // 2) + 30  # past the headline and the zone's name
        at = next((i for i in range(start, len(text)) if text[i] in swaps), None)
        if at is not None:
            page.write_text(text[:at] + swaps[text[at]] + text[at + 1 :], encoding="utf-8")
            return f"{page.name}: {text[at]} -> {swaps[text[at]]}"
    raise SystemExit("no source has a character to fix (的, 是 or 在 in an article's text)")


def remove_article(root: Path) -> str:
    """The odd page's second article deleted from its source."""
    page = root / "seeds" / ODD_PAGE
    page.write_text(ODD_TEXT.splitlines(keepends=True)[0], encoding="utf-8")
    return f"{ODD_PAGE}: second article removed"


def prepare(work: Path, args) -> Path:
    project = work / "project"
    project.mkdir()
    if args.project:  # a copy: the benchmark edits its sources
        source = Path(args.project).resolve()
        for name in ("pyproject.toml", "templates", "static", "seeds"):
            if (source / name).is_dir():
                shutil.copytree(source / name, project / name)
            elif (source / name).exists():
                shutil.copy(source / name, project / name)
    else:
        shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
        shutil.copytree(ROOT / "templates", project / "templates")
        shutil.copytree(ROOT / "static", project / "static")
        make_archive(project, args.articles)
    (project / "seeds").mkdir(exist_ok=True)
    (project / "seeds" / ODD_PAGE).write_text(ODD_TEXT, encoding="utf-8")
    return project


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000, help="generated articles (without --project)")
    parser.add_argument("--project", help="a copy of this project instead of a generated one")
    parser.add_argument("--keep", help="work in this folder (emptied first) and keep it")
    parser.add_argument("--modes", default=",".join(MODES), help=f"sync commands, of: {', '.join(MODES)}")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if unknown := [m for m in modes if m not in MODES]:
        parser.error(f"unknown mode(s) {unknown}; choose from {list(MODES)}")
    tools = tools_or_exit(modes)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="zonearchive-objectstore-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    os.environ["SITE_URL"] = SITE_URL
    project = prepare(work, args)
    site = project / "site"
    store = Store(work, tools["moto_server"])
    env = tool_env(work, store.endpoint)
    buckets = {mode: f"site-{n}" for n, mode in enumerate(modes)}
    for bucket in buckets.values():
        store.make_bucket(bucket)
    steps: list[dict] = []
    failed = []
    try:
        listings: dict[str, dict[str, tuple[str, int]]] = {mode: {} for mode in modes}
        odd_pages: list[str] = []
        for step in (
            "first sync",
            "run again, nothing changed",
            "one character fixed",
            "article removed",
            "fresh build",
        ):
            note = ""
            if step == "one character fixed":
                note = same_length_fix(project, 0)
            elif step == "article removed":
                note = remove_article(project)
            elif step == "fresh build":
                note = same_length_fix(project, 1) + "; site/ and the cache deleted first, as in a CI clone"
                shutil.rmtree(site)
                shutil.rmtree(project / ".zonearchive-cache", ignore_errors=True)
            build = timed_build(project)
            files = local_files(site)
            sums = {k: md5(p) for k, p in files.items()}
            articles = sorted(k for k in files if k.startswith("articles/") and k.endswith("/index.html"))
            gone = [k for k in odd_pages if k not in files] if step == "article removed" else []
            # The odd page's articles: its file name is not a plain key, so its ids start with a digest.
            odd_pages = [k for k in articles if k.startswith("articles/p")]
            links = page_links(site, files)
            record = {
                "step": step,
                "edit": note,
                "build": build,
                "files": len(files),
                "bytes": sum(p.stat().st_size for p in files.values()),
                "gone": gone,
                "modes": {},
            }
            print(f"{step}: {note or '-'}; {build['summary']}" + (f"; gone: {gone}" if gone else ""), flush=True)
            for mode in modes:
                before = listings[mode]
                needed_up = {k for k in files if before.get(k, ("", 0))[0] != sums[k]}
                needed_del = before.keys() - files.keys()
                mark = store.mark()
                sync = run_sync(mode, site, buckets[mode], env, tools)
                requests = store.requests_since(mark)
                result = check(store, buckets[mode], files, sums, sync["uploaded"], links, gone)
                if needed_up - sync["uploaded"]:
                    result["problems"].append(
                        f"not uploaded though changed: {sorted(needed_up - sync['uploaded'])[:5]}"
                    )
                if sync["deleted"] != needed_del:
                    result["problems"].append(
                        f"deleted {sorted(sync['deleted'])[:5]}, expected {sorted(needed_del)[:5]}"
                    )
                listings[mode] = store.listing(buckets[mode])
                record["modes"][mode] = {
                    "wall_s": sync["wall_s"],
                    "requests": requests,
                    "uploaded": len(sync["uploaded"]),
                    "uploaded_kb": round(sum(files[k].stat().st_size for k in sync["uploaded"] & files.keys()) / 1024),
                    "deleted": len(sync["deleted"]),
                    "needed_uploads": len(needed_up),
                    "needed_deletes": len(needed_del),
                    "uploaded_by_folder": by_folder(sync["uploaded"]),
                    "deleted_by_folder": by_folder(sync["deleted"]),
                    **result,
                }
                if result["problems"] and mode in EXACT:
                    failed.append((step, mode, result["problems"]))
                print(f"  {mode:<19} {json.dumps({k: v for k, v in record['modes'][mode].items() if k != 'types'})}")
            steps.append(record)
    finally:
        store.stop()
    print(f"\n{steps[0]['files']} files, {steps[0]['bytes'] / 2**20:.1f} MiB published; {steps[0]['build']['summary']}")
    header = (
        f"{'step':<28} {'mode':<19} {'uploaded':>9} {'needed':>7} {'KB up':>8} {'deleted':>8} {'sync s':>7}"
        f" {'PUT':>5} {'LIST':>5} {'other':>5}  checks"
    )
    print(header)
    for record in steps:
        for mode, m in record["modes"].items():
            requests = m["requests"]
            verdict = "ok" if not m["problems"] else f"{len(m['problems'])} problems ({m['stale']} stale objects)"
            print(
                f"{record['step']:<28} {mode:<19} {m['uploaded']:>9} {m['needed_uploads']:>7} {m['uploaded_kb']:>8}"
                f" {m['deleted']:>8} {m['wall_s']:>7.2f} {requests.get('PUT', 0):>5} {requests.get('LIST', 0):>5}"
                f" {sum(requests.values()) - requests.get('PUT', 0) - requests.get('LIST', 0):>5}  {verdict}"
            )
    for mode in modes:
        print(f"Content-Type, {mode}: {json.dumps(steps[0]['modes'][mode]['types'])}")
    for record in steps:
        exact = next((m for m in modes if m in EXACT), modes[0])
        changed = record["modes"][exact]
        print(
            f"{record['step']}: uploaded {changed['uploaded_by_folder']}, deleted {changed['deleted_by_folder']} ({exact})"
        )
    report = {
        "articles": args.articles if not args.project else None,
        "project": args.project,
        "site_url": SITE_URL,
        "steps": steps,
    }
    print(json.dumps(report, ensure_ascii=False, default=sorted))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        for step, mode, problems in failed:
            print(f"FAILED {step} / {mode}: {problems}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
