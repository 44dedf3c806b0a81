"""The package layout keeps the stages apart: no import cycles, validation in one place, and
readers that depend on no later stage."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("flows", "warehouse")
# Only the pipeline validates, once for every source.
VALIDATING_MODULE = "flows.pipeline"
# What a reader may not import: the stages after reading, and the sources that call readers.
# The model, settings and errors every stage shares; the warehouse may import only these.
CORE = "flows.core"
LATER_STAGES = ("flows.normalise", "flows.validate", "flows.pipeline", "flows.sources")


def modules(packages: tuple[str, ...] = PACKAGES) -> dict[str, ast.Module]:
    """Every project module by dotted name (a package by its own name), parsed."""
    found = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imported(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The project modules `name` imports anywhere (functions included); `from a import b`
    counts as importing `a.b` when that is a module, else `a`."""
    package = name if _is_package(name) else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            targets.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                           for alias in node.names)
    return {_owner(target, known) for target in targets if _owner(target, known)} - {name}


def _is_package(name: str) -> bool:
    return (ROOT / name.replace(".", "/") / "__init__.py").exists()


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _owner(target: str, known: set[str]) -> str:
    """The longest project module `target` names, or "" when it is not the project's."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return ""


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of `graph` as the modules along it (first repeated last); [] if none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for after in sorted(graph.get(node, ())):
            if state.get(after) == 1:
                return [*path[path.index(after):], after]
            if after not in state and (cycle := visit(after)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_no_import_cycle_among_the_project_modules() -> None:
    found = modules()
    graph = {name: imported(name, tree, set(found)) for name, tree in found.items()}
    cycle = find_cycle(graph)
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_only_the_pipeline_validates() -> None:
    callers = sorted(
        name for name, tree in modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called_name(node.func) == "validate"
    )
    assert set(callers) == {VALIDATING_MODULE}, callers


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def test_the_warehouse_imports_nothing_of_flows_but_its_core() -> None:
    found = modules()
    known = set(found)
    offending = {
        name: sorted(t for t in imported(name, tree, known)
                     if t.startswith("flows") and not t.startswith(CORE))
        for name, tree in found.items() if name.startswith("warehouse")
    }
    assert not {name: outside for name, outside in offending.items() if outside}


def test_the_core_imports_nothing_of_the_project_but_itself() -> None:
    found = modules()
    known = set(found)
    offending = {
        name: sorted(t for t in imported(name, tree, known) if not t.startswith(CORE))
        for name, tree in found.items() if name.startswith(CORE)
    }
    assert not {name: outside for name, outside in offending.items() if outside}


def test_readers_import_no_later_stage() -> None:
    found = modules(("flows",))
    known = set(found)
    offending = {
        name: sorted(t for t in imported(name, tree, known)
                     if any(t == s or t.startswith(s + ".") for s in LATER_STAGES))
        for name, tree in found.items() if name.startswith("flows.readers")
    }
    assert not {name: later for name, later in offending.items() if later}
