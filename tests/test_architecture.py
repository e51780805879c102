"""The package's layers import one way: every import (at module level or inside a
function) points down the pipeline, and no two files import each other, directly or
through others."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "zonearchive"

# Bottom to top. A module may import its own layer's modules and any layer below.
LAYERS = [
    {"i18n", "errors", "tomlfile", "fsutil", "urls", "config", "workers"},
    {"model"},
    {"ingest"},
    {"sources"},
    {"zones"},
    {"render"},
    {"publish"},
    {"builder"},
    {"preview"},
    {"cli", "__init__"},
]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports, from the source text."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # "from .. import urls" imports the module urls, not the package
                candidates = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem for a in node.names]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            for candidate in candidates:
                # the longest package module that the import names
                while candidate and candidate not in modules:
                    candidate = candidate.rpartition(".")[0]
                if candidate and candidate != name and candidate.startswith("zonearchive"):
                    targets.add(candidate)
        graph[name] = targets
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module} belongs to no layer: add its package to LAYERS")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read_from_the_source():
    graph = import_graph()
    # A known edge of each kind: relative, from a package's __init__, inside a function.
    assert "zonearchive.model.article" in graph["zonearchive.ingest.page"]
    assert "zonearchive.builder.pipeline" in graph["zonearchive.builder"]
    assert "zonearchive.preview" in graph["zonearchive.cli"]


def test_no_file_imports_itself_through_others():
    assert _cycles(import_graph()) == []


def test_no_package_imports_itself_through_others():
    graph = import_graph()
    packages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        mine = ".".join(module.split(".")[:2])
        packages.setdefault(mine, set()).update(".".join(t.split(".")[:2]) for t in targets)
    for name, targets in packages.items():
        targets.discard(name)
    assert _cycles(packages) == []


def test_imports_point_down_the_layers():
    upward = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


LAZY_ENTRIES = """
import sys
import zonearchive.cli, zonearchive.builder, zonearchive.preview
print(sorted(m for m in ("numpy", "jinja2", "zonearchive.render.search", "zonearchive.ingest.page") if m in sys.modules))
"""


def test_the_server_and_a_build_with_nothing_to_do_load_no_reading_or_rendering():
    # The preview's server only serves and asks its build process for builds, and a
    # build with nothing changed answers from its stamp: neither loads the layers that
    # read and render (0.2 s and ~60 MB of every serve start and no-change build).
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", LAZY_ENTRIES], capture_output=True, text=True, cwd=PACKAGE.parent, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
