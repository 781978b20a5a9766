"""The jdx package has no import circle (imports anywhere in a module, `importlib.import_module`
strings included) and no module named like a standard-library module."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "scripts" / "jdx"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(current: str, is_package: bool, level: int, target: str | None) -> str:
    base = current.split(".") if is_package else current.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def import_graph() -> dict[str, set[str]]:
    """Module -> the jdx modules it imports, from `import`, `from ... import` (a submodule imported
    by name counts) and `importlib.import_module("...", __package__)` calls, anywhere in the file."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node.level, node.module) if node.level else (node.module or "")
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)
                  and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"):
                text = node.args[0].value
                level = len(text) - len(text.lstrip("."))
                targets = [_resolve(name, is_package, level, text.lstrip(".") or None) if level else text]
            graph[name] |= {t for t in targets if t in known and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle found by a depth-first search (one path per back edge)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_cycle_finder_sees_a_circle_hidden_in_import_module(tmp_path: Path) -> None:
    graph = {"jdx.a": {"jdx.b"}, "jdx.b": {"jdx.a"}, "jdx.c": {"jdx.a"}}
    assert cycles(graph) == [["jdx.a", "jdx.b", "jdx.a"]]
    assert cycles({"jdx.a": {"jdx.b"}, "jdx.b": set()}) == []
    assert _resolve("jdx.ingest.table", False, 1, "survey") == "jdx.ingest.survey"
    assert _resolve("jdx.ingest.table", False, 2, "csv_files") == "jdx.csv_files"


def test_the_graph_reads_every_kind_of_import() -> None:
    graph = import_graph()
    assert "jdx.ingest.survey" in graph["jdx.ingest.run"]  # from .survey import ...
    assert "jdx.loaders.codes" in graph["jdx.ingest.checks"]  # from ..loaders.codes import ...
    assert "jdx.bench.benchmark" in graph["jdx.__main__"]  # an import inside a function
    assert "jdx.sample.generate" in graph["jdx.bench.benchmark"]


def test_no_import_circle_in_the_package() -> None:
    assert cycles(import_graph()) == []


def test_no_module_is_named_like_a_standard_library_module() -> None:
    clashes = sorted(name for name in modules() if name.split(".")[-1] in sys.stdlib_module_names)
    assert clashes == []
