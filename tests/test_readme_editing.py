"""After every step the README's Editing section describes, the README's test command
still passes. The steps are taken in a temporary copy of the repository (never the
real one): add a raw page (UTF-8 and GB18030, one with a sidecar date), turn pages into
Markdown with `extract --write` and fix a title, add an article that never was on a
page, add the README's gazetteer zone. Then the copy builds, its whole suite collects
and a representative subset of it passes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.process  # runs zonearchive in processes of its own

# Fast test files that used to depend on the archive's exact content (counts, ids,
# the gazetteer), plus the one smoke test that builds whatever the archive holds.
SUBSET = [
    "tests/test_archive_smoke.py",
    "tests/test_ingest_seeds.py",
    "tests/test_zones.py",
    "tests/test_cli.py::test_build_clean_and_summary",
    "tests/test_cli.py::test_extract_json_contract_on_a_file_and_a_folder",
]
# What a fresh clone lacks, when there is no git to ask: top-level folders, and caches anywhere.
UNTRACKED_TOP = {".git", ".venv", "node_modules", "site", ".zonearchive-cache", ".hypothesis", ".pytest_cache"}


def _project_files(repo: Path) -> list[str]:
    """The repository's files as a fresh clone has them (plus new, not ignored ones)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
        ).stdout
        return [name for name in out.decode("utf-8").split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (e.g. an unpacked archive)
        files = [p.relative_to(repo) for p in repo.rglob("*") if p.is_file()]
        return [f.as_posix() for f in files if f.parts[0] not in UNTRACKED_TOP and "__pycache__" not in f.parts]


def _copy_repo(dest: Path) -> Path:
    for name in _project_files(REPO):
        source = REPO / name
        if source.is_symlink() or not source.is_file():  # deleted in the work tree, or a link
            continue
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / name)
    return dest


def _readme_block(readme: str, after: str, lang: str) -> str:
    """The first ```lang block of the README after the words ``after``."""
    tail = readme[readme.index(after) :]
    return re.search(rf"```{lang}\n(.*?)```", tail, re.S).group(1)


def _run(root: Path, *args, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GITHUB_ACTIONS")}
    env.update(PYTHONPATH=str(root))
    result = subprocess.run([sys.executable, *args], cwd=root, capture_output=True, text=True, env=env)
    if check:
        assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
def test_the_readme_editing_steps_keep_the_test_command_passing(tmp_path):
    root = _copy_repo(tmp_path / "clone")
    seeds = root / "seeds"
    seeds.mkdir(exist_ok=True)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "## Editing" in readme
    editing = readme[readme.index("## Editing") :]
    original_pages = sorted(seeds.glob("*.txt"))

    # Add a page: a dated file name (UTF-8), and a GB18030 page with a sidecar.
    (seeds / "2024-07-01_A3_晋城.txt").write_text(
        "本报讯 晋城经济技术开发区今年新签约项目12个，总投资56亿元，晋城经开区产业集聚效应显现。 李明\n"
        "科学导报讯 晋城经开区企业生产经营持续向好，一季度产值同比增长百分之十二。 王波\n",
        encoding="utf-8",
    )
    (seeds / "gbk_page.txt").write_bytes(
        "本报讯 交城经济开发区今年新签约项目8个，交城经济开发区产业集聚效应显现。 张丽\n".encode("gb18030")
    )
    sidecar = _readme_block(editing, "put a sidecar", "toml")
    assert "date =" in sidecar
    (seeds / "gbk_page.toml").write_text(sidecar, encoding="utf-8")

    # Fix an article: the README's command, on a page of the archive when it has one,
    # and on the page just added; then edit a title as the README shows.
    command = _readme_block(editing, "**Fix an article.**", "sh").split()
    assert command[:3] == ["python", "build.py", "extract"] and command[-1] == "--write"
    for page in [*original_pages[:1], seeds / "2024-07-01_A3_晋城.txt"]:
        _run(root, "build.py", "extract", page.relative_to(root).as_posix(), "--write")
    md = sorted((seeds / "2024-07-01_A3_晋城").glob("*.md"))
    assert len(md) == 2
    md[0].write_text(
        re.sub(
            r'^title = ".*"$',
            'title = "晋城经开区签约十二个项目"',
            md[0].read_text(encoding="utf-8"),
            count=1,
            flags=re.M,
        ),
        encoding="utf-8",
    )

    # An article that never was on a page: a new .md file anywhere under seeds/.
    (seeds / "notes").mkdir()
    (seeds / "notes" / "notice.md").write_text(
        '+++\nid = "readme-notice"\ntitle = "开发区发布新政"\ndate = 2024-07-02\n+++\n'
        "交城经济开发区近日发布新政，支持企业创新。\n",
        encoding="utf-8",
    )

    # Add a zone to the gazetteer: the README's table (unless the archive lists it already).
    zone = _readme_block(editing, "**Add a zone to the gazetteer.**", "toml")
    gazetteer = seeds / "zones.toml"
    existing = gazetteer.read_text(encoding="utf-8") if gazetteer.exists() else ""
    name = re.search(r'^name = "(.+)"$', zone, re.M).group(1)
    slug = re.search(r'^slug = "(.+)"$', zone, re.M).group(1)
    if f'"{name}"' not in existing:
        gazetteer.write_text(existing + "\n" + zone, encoding="utf-8")

    # The edited archive builds, with each edit in the site.
    build = _run(root, "build.py", "build")
    site = root / "site"
    assert "晋城经开区签约十二个项目" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "articles" / "readme-notice" / "index.html").exists()
    if name == "晋城经济技术开发区":  # the zone of the page added above
        assert (site / "zones" / slug / "index.html").exists()
    assert "gbk_page.txt" not in build.stderr

    # The README's test command: the whole suite collects, and a subset runs and passes
    # (in this one process, -n 0: worker processes would only start and import again).
    collected = _run(root, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:cacheprovider")
    assert re.search(r"\d+ tests? collected", collected.stdout), collected.stdout[-2000:]
    _run(root, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider", "-p", "no:randomly", *SUBSET)
