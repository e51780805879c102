"""One proof that incremental equals full: random sequences of edits, and after every
step the site a fresh `build` makes over the last one (state read from disk) and the
site the preview's in-memory session makes both equal, byte for byte, a fresh build
of a copy of the project into an empty folder with an empty cache."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from conftest import make_project, site_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonearchive.builder import Session, build
from zonearchive.config import load_settings

PAGE_A = """向新求质 小隔膜做成大产业
———走进安宁新材料科技有限公司
科学导报讯 安宁经济技术开发区的隔膜项目今年投产，一年可以生产12亿平方米锂电池隔膜。
企业负责人说，项目总投资19亿元，带动上下游企业落户开发区。 王波
沁阳高新区召开企业座谈会
本报讯 沁阳高新技术产业开发区日前召开座谈会，听取企业意见，协调解决用地用电问题。
会上，二十家企业负责人发言。 李红
"""
PAGE_B = """本报讯 安宁经济技术开发区新建冷链物流园，已有八家企业入驻，冷库容量三万吨。 张伟
河津经济开发区项目集中开工
本报讯 河津经济开发区十个项目集中开工，总投资五十亿元，涵盖新材料和装备制造。 刘洋
"""
MARKDOWN = """+++
title = "安宁开发区优化营商环境"
zone = "安宁经济技术开发区"
byline = "赵敏"
+++
安宁经济技术开发区推出八项承诺，企业办事时间缩短一半。

## 一站式服务

开发区设立服务大厅，集中办理审批事项。
"""
GAZETTEER = """[[zone]]
name = "安宁经济技术开发区"
slug = "anning-etdz"
city = "安宁"
description = "新材料与冷链物流。"
"""


def _project(root: Path) -> Path:
    make_project(
        root,
        {
            "seeds/2024-07-01_A1_a.txt": PAGE_A,
            "seeds/2024-07-02_A2_b.txt": PAGE_B,
            "seeds/notes/md-one.md": MARKDOWN,
            "zones.toml": GAZETTEER,
        },
    )
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert 'gazetteer = "seeds/zones.toml"' in text
    # The gazetteer lives outside seeds/: it must count wherever it is.
    pyproject.write_text(text.replace('gazetteer = "seeds/zones.toml"', 'gazetteer = "zones.toml"'), encoding="utf-8")
    return root


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old in text:
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    else:  # an earlier step changed it: still a change
        path.write_text(text + new, encoding="utf-8")


def _pages(root: Path) -> list[Path]:
    return sorted((root / "seeds").glob("*.txt"))


def _first(paths: list[Path]) -> Path | None:
    return paths[0] if paths else None


def edit_raw_text(root, n):
    page = _first(_pages(root))
    if page:
        _replace(page, "企业", f"企业{n}号")


def edit_markdown_body(root, n):
    for md in sorted((root / "seeds").rglob("*.md")):
        _replace(md, "服务大厅", f"服务大厅{n}处")


def edit_front_matter(root, n):
    for md in sorted((root / "seeds").rglob("*.md")):
        _replace(md, 'byline = "赵敏"', f'byline = "赵敏{n}"')
        _replace(md, 'title = "', f'title = "{n}')


def move_article_to_other_zone(root, n):
    for md in sorted((root / "seeds").rglob("*.md")):
        _replace(md, 'zone = "安宁经济技术开发区"', 'zone = "河津经济开发区"')


def add_page(root, n):
    (root / "seeds" / f"2024-07-0{n % 9 + 1}_B{n}_new{n}.txt").write_text(
        f"本报讯 安宁经济技术开发区第{n}个新项目开工，投资{n}亿元。 孙{'刚强'[n % 2]}\n", encoding="utf-8"
    )


def delete_page(root, n):
    pages = _pages(root)
    if pages:
        pages[n % len(pages)].unlink()


def rename_page(root, n):
    pages = _pages(root)
    if pages:
        page = pages[n % len(pages)]
        page.rename(page.with_name(f"renamed{n}_{page.name}"))


def edit_template(root, n):
    _replace(root / "templates" / "article.html", "</article>", f"</article><!-- edit {n} -->")


def template_reads_new_data(root, n):
    # Pages start showing how many articles their zone has: they must follow the zone.
    _replace(
        root / "templates" / "article.html", "</article>", "<p class=count>{{ zone.articles|length }}</p></article>"
    )


def edit_included_template(root, n):
    _replace(root / "templates" / "_article_list.html", "</ul>", f"</ul><!-- list {n} -->")


def edit_static(root, n):
    (root / "static" / "extra.css").write_text(f"/* {n} */ body {{ margin: {n}px }}\n", encoding="utf-8")


def edit_gazetteer(root, n):
    _replace(root / "zones.toml", 'description = "', f'description = "第{n}版：')


def edit_settings(root, n):
    _replace(root / "pyproject.toml", 'title = "', f'title = "{n}')


EDITS = [
    edit_raw_text,
    edit_markdown_body,
    edit_front_matter,
    move_article_to_other_zone,
    add_page,
    delete_page,
    rename_page,
    edit_template,
    template_reads_new_data,
    edit_included_template,
    edit_static,
    edit_gazetteer,
    edit_settings,
]


def _fresh_build(root: Path, scratch: Path) -> dict[str, bytes]:
    """A copy of the project's sources, built with an empty cache into an empty folder."""
    copy = scratch / f"fresh-{uuid.uuid4().hex[:8]}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site*", ".site*", ".zonearchive-cache"))
    result = build(load_settings(copy, environ={}), copy / "site")
    assert not result.errors, result.errors
    tree = site_tree(copy / "site")
    shutil.rmtree(copy, ignore_errors=True)  # a detached mirror clone may still be writing beside it
    return tree


def _differences(made: dict[str, bytes], fresh: dict[str, bytes]) -> list[str]:
    """Paths that differ, each marked: + only in the incremental build, - only in the fresh one, ~ other bytes."""
    return sorted(
        ("+" if path not in fresh else "-" if path not in made else "~") + path
        for path in made.keys() | fresh.keys()
        if made.get(path) != fresh.get(path)
    )


@pytest.mark.slow
@settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(1, 9)), min_size=1, max_size=3))
def test_incremental_builds_equal_a_fresh_build_after_any_edits(tmp_path_factory, steps):
    scratch = tmp_path_factory.mktemp("prop")
    root = _project(scratch / "project")
    config = load_settings(root, environ={})
    session = Session()
    build(config, root / "site")
    build(config, root / "site-preview", session=session)
    for edit, n in steps:
        edit(root, n)
        config = load_settings(root, environ={})
        by_command = build(config, root / "site")
        by_preview = build(config, root / "site-preview", session=session)
        assert not by_command.errors and not by_preview.errors
        fresh = _fresh_build(root, scratch)
        where = f"after {[(e.__name__, k) for e, k in steps]}"
        assert _differences(site_tree(root / "site"), fresh) == [], f"build command {where}"
        assert _differences(site_tree(root / "site-preview"), fresh) == [], f"preview {where}"
    shutil.rmtree(scratch, ignore_errors=True)
