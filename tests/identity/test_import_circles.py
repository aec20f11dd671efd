"""No import circles: the modules of `backend/` import one another in one direction only, and none hides a circle
behind an import inside a function. Checked on the source (module-level imports), and by importing the modules that
used to close a circle, each alone in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "backend"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _target(name: str) -> str | None:
    """The backend module an imported name lives in (the longest known prefix)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_imports(module: str, *, deferred: bool = False) -> set[str]:
    """The backend modules `module` imports when it is loaded (not under TYPE_CHECKING, not inside functions); with
    `deferred`, also those it imports inside functions, later, or only for type checkers (a circle all the same)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.If):
                if deferred or not _is_type_checking(node):
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if deferred or isinstance(node, ast.ClassDef):
                    visit(node.body)
            elif isinstance(node, ast.With | ast.AsyncWith | ast.For | ast.AsyncFor | ast.While):
                if deferred:
                    visit(node.body)
            elif isinstance(node, ast.Import):
                found.update(t for a in node.names if (t := _target(a.name)))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                for alias in node.names:
                    if target := _target(f"{base}.{alias.name}") or _target(base):
                        found.add(target)

    visit(tree.body)
    found.discard(module)
    return found


def circles(*, deferred: bool = False) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    graph = {m: module_imports(m, deferred=deferred) for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph):
        if module not in index:
            connect(module)
    return groups


def test_the_backend_has_no_import_circle():
    assert circles() == []


def test_nor_one_hidden_behind_an_import_inside_a_function():
    assert circles(deferred=True) == []


def test_the_four_former_circles_are_cut_in_the_source():
    assert "backend.identity.tokens" not in module_imports("backend.identity.actor")
    assert "backend.dossiers.models" in module_imports(
        "backend.identity.policy.dossiers"
    )  # dossiers over identity
    assert not {m for m in module_imports("backend.dossiers.models") if m.startswith("backend.identity.policy")}
    assert "backend.api.identity.queries" not in module_imports("backend.api.identity.types")
    assert "backend.api.context" not in module_imports("backend.api.loaders")


def lazy_backend_imports(module: str) -> list[str]:
    """Imports of backend modules inside functions: each hides a dependency (and usually a circle)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    lazy = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("backend"):
                    lazy.append(f"{module}:{node.lineno} {node.module}")
                elif isinstance(node, ast.Import):
                    lazy += [
                        f"{module}:{node.lineno} {a.name}" for a in node.names if a.name.startswith("backend")
                    ]
    return lazy


@pytest.mark.parametrize(
    "package", ["backend.identity", "backend.api.identity", "backend.api.context", "backend.api.loaders"]
)
def test_no_import_hides_inside_a_function(package):
    modules = [m for m in MODULES if m == package or m.startswith(package + ".")]
    assert modules
    assert [lazy for m in modules for lazy in lazy_backend_imports(m)] == []


@pytest.mark.parametrize(
    "module",
    [
        "backend.identity.actor",
        "backend.identity.tokens",
        "backend.identity.policy",
        "backend.identity.policy.dossiers",
        "backend.api.identity.types",
        "backend.api.identity.queries",
        "backend.api.context",
        "backend.api.loaders",
    ],
)
def test_each_former_member_of_a_circle_imports_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
