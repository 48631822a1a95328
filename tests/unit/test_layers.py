"""The layers hold (docs/ARCHITECTURE.md), read from the source: who may import whom, no cycles.

Every import counts for the layer rules, including those under `if TYPE_CHECKING:` and inside
functions. For cycles only imports that run count (a TYPE_CHECKING import never executes), but
imports inside functions do: a cycle that works only because one side imports late is still a
cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("addon", "localgoogle")


@dataclass(frozen=True)
class Import:
    module: str
    type_only: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path, name: str) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno in type_only)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield Import(module, node.lineno in type_only)
            for alias in node.names:  # `from . import x` imports the module x
                yield Import(f"{module}.{alias.name}", node.lineno in type_only)


def _graph() -> dict[str, list[Import]]:
    modules = {
        _module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }
    return {
        name: [i for i in _imports(path, name) if i.module in modules]
        for name, path in modules.items()
    }


GRAPH = _graph()


def _importers(prefix: str, banned: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {i.module}"
        for module, imports in GRAPH.items()
        if module == prefix or module.startswith(prefix + ".")
        for i in imports
        if any(i.module == b or i.module.startswith(b + ".") for b in banned)
    )


def test_the_add_on_cannot_import_the_stand_in() -> None:
    assert importlib.util.find_spec("addon.localgoogle") is None
    assert _importers("addon", ("localgoogle",)) == []
    named = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "addon").rglob("*.py")
        if "localgoogle" in path.read_text(encoding="utf-8")
    ]
    assert named == []


def test_the_stand_in_knows_nothing_of_the_add_on() -> None:
    assert _importers("localgoogle", ("addon",)) == []


def test_the_domain_imports_no_outer_layer() -> None:
    outer = (
        "addon.services",
        "addon.store",
        "addon.google",
        "addon.web",
        "addon.reports",
        "addon.demo",
        "addon.cli",
        "addon.cli_plans",
        "addon.cli_review",
        "addon.cli_watch",
    )
    assert _importers("addon.domain", outer) == []


@pytest.mark.parametrize("adapter", ["addon.google", "addon.store", "addon.reports"])
def test_adapters_never_import_use_cases_or_the_web(adapter: str) -> None:
    assert _importers(adapter, ("addon.services", "addon.web", "addon.demo", "addon.cli")) == []


def test_use_cases_never_import_the_web_or_the_demo() -> None:
    assert _importers("addon.services", ("addon.web", "addon.demo", "addon.cli")) == []


def _cycles(package: str) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), runtime imports only."""
    nodes = [m for m in GRAPH if m == package or m.startswith(package + ".")]
    edges = {m: sorted({i.module for i in GRAPH[m] if not i.type_only}) for m in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in nodes:
        if node not in index:
            visit(node)
    return found


def test_the_add_on_has_no_import_cycle() -> None:
    assert _cycles("addon") == []


def test_the_stand_in_has_no_import_cycle() -> None:
    assert _cycles("localgoogle") == []


def test_the_graph_sees_imports() -> None:
    """The checks above would pass on an empty graph; this one proves the reader works."""
    watch = {i.module for i in GRAPH["addon.services.watch"]}
    assert "addon.domain.refresh_task" in watch
    assert len(GRAPH) > 150
