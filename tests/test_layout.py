"""The layout of generator/: the packages are layers, and modules stay small.

Read with `ast` (nothing is imported), so a rule broken in a module no test imports still
fails here. Every import counts, those inside functions too: a lazy import is still a
dependency. What breaks a rule today is listed below with its reason or size; the lists
may only shrink.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "generator"
LAYERS = {
    "errors": 0, "runtime": 0,  # the base every layer may import
    "files": 1,  # reading the files
    "model": 2,  # records, values, prose, the Playbook type
    "figures": 3,  # derived numbers: analysis, plan, schedule, history
    "checking": 4,  # validation (it asks the schedule) and the pipeline (it ends in analysis)
    "pages": 5,  # rendering a checked playbook
    "engines": 6,  # MkDocs, the export, the preview server
    "commands": 7,  # the CLI
}
"""A module may import its own layer and the layers with a lower number, never a higher."""
FORBIDDEN = {
    ("pages", "checking"): "pages render a playbook already checked",
    ("pages", "engines"): "pages know no engine",
    ("model", "pages"): "records do not depend on rendering",
    ("figures", "checking"): "figures read the model's Playbook, not validation",
}
"""Imports that a layer's number alone would not forbid, or that matter enough to name."""
ENGINE_PACKAGES = ("mkdocs", "material", "properdocs")
MODULE_LINES, CLASS_LINES, FUNCTION_LINES = 400, 200, 80

UPWARD_ALLOWED = {
    ("generator.files.loader", "generator.model.schema"):
        "a slip that looks like a key is judged against the models' keys (a lazy import); "
        "the pipeline could pass the keys in",
}
"""Imports against the layers today, each with why it is not removed yet."""
CYCLES_ALLOWED: dict[frozenset[str], str] = {}
"""Import circles of today, each with why it is not broken yet."""
TOO_LONG = {
    "generator/checking/validate.py": 540,
    "generator/engines/pdf.py": 457,
    "generator/engines/serve.py": 1054,
    "generator/files/strict_yaml.py": 531,
    "generator/files/yaml_mistakes.py": 552,
    "generator/model/records.py": 569,
    "generator/pages/render.py": 550,
    "generator/engines/plugin.py::PlaybookPlugin": 271,
    "generator/engines/serve.py::Preview": 474,
}
"""Modules, classes and functions over their limit today, with their size in lines: none
may grow, and an entry whose code is back within the limit must be removed."""


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _package(name: str) -> str:
    """The dotted package a module's relative imports start from."""
    return name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]


def _imports(name: str) -> Iterator[tuple[str, int]]:
    """Every module a module imports (ours and others'), with the line of the import."""
    for node in ast.walk(_tree(MODULES[name])):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package(name).split(".")
                package = package[:len(package) - node.level + 1]
                base = ".".join(package + ([node.module] if node.module else []))
            yield base, node.lineno
            for alias in node.names:  # `from . import media` imports a module
                if f"{base}.{alias.name}" in MODULES:
                    yield f"{base}.{alias.name}", node.lineno


def _edges() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports."""
    return {name: {target for target, _ in _imports(name) if target in MODULES and target != name}
            for name in MODULES}


def _layer(name: str) -> str:
    """The package of a module under generator/ ('checking'); the top module is the base."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "errors"


def test_every_module_is_in_a_layer() -> None:
    """A new package is placed in LAYERS before it is used, and each package's __init__
    says what it holds and what it may import."""
    assert {_layer(name) for name in MODULES} <= set(LAYERS)
    for name, path in MODULES.items():
        if path.name == "__init__.py" and name != "generator":
            doc = ast.get_docstring(_tree(path)) or ""
            assert "import" in doc, f"{path}: the docstring says what the package may import"


def test_no_layer_imports_a_higher_one() -> None:
    wrong = []
    for name in MODULES:
        for target, line in _imports(name):
            if target not in MODULES or (name, target) in UPWARD_ALLOWED:
                continue
            below, above = _layer(name), _layer(target)
            if LAYERS[above] > LAYERS[below]:
                wrong.append(f"{MODULES[name]}:{line}: {name} ({below}) imports {target} "
                             f"({above}), a higher layer")
            elif (below, above) in FORBIDDEN:
                wrong.append(f"{MODULES[name]}:{line}: {name} imports {target}: "
                             f"{FORBIDDEN[below, above]}")
    assert wrong == []
    gone = [pair for pair in UPWARD_ALLOWED if pair[1] not in _edges()[pair[0]]]
    assert gone == [], "a listed import is gone: drop it from UPWARD_ALLOWED"


def test_only_engines_import_mkdocs() -> None:
    """The core (files, model, checking, figures, pages) is plain Python; the commands
    reach MkDocs through an engine."""
    wrong = [f"{MODULES[name]}:{line}: {name} imports {target}"
             for name in MODULES if _layer(name) != "engines"
             for target, line in _imports(name)
             if target.split(".")[0] in ENGINE_PACKAGES]
    assert wrong == []


def _circles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = {stack.pop()}
            while node not in component:
                component.add(stack.pop())
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_circles_are_found() -> None:
    """The search itself: a circle of three is one component, a chain is none."""
    circle = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(circle) == [frozenset({"a", "b", "c"})]
    assert _circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circles() -> None:
    circles = _circles(_edges())
    assert [sorted(c) for c in circles if c not in CYCLES_ALLOWED] == []
    assert [sorted(c) for c in CYCLES_ALLOWED if c not in circles] == [], (
        "a listed circle is gone: drop it from CYCLES_ALLOWED")


def _sizes() -> Iterator[tuple[str, int, int]]:
    """(name, lines, limit) of every module, class and function."""
    for path in MODULES.values():
        relative = path.relative_to(ROOT.parent).as_posix()
        yield relative, len(path.read_text(encoding="utf-8").splitlines()), MODULE_LINES
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                limit = CLASS_LINES if isinstance(node, ast.ClassDef) else FUNCTION_LINES
                yield f"{relative}::{node.name}", node.end_lineno - node.lineno + 1, limit


@pytest.mark.parametrize("kind", ["over the limit", "grown", "back within the limit"])
def test_sizes(kind: str) -> None:
    sizes = {name: (lines, limit) for name, lines, limit in _sizes()}
    if kind == "over the limit":
        found = {name: lines for name, (lines, limit) in sizes.items()
                 if lines > limit and name not in TOO_LONG}
    elif kind == "grown":
        found = {name: sizes[name][0] for name in TOO_LONG
                 if name in sizes and sizes[name][0] > TOO_LONG[name]}
    else:  # a listed name that is gone or fits counts too: the list only shrinks
        found = {name: sizes.get(name, (0, 0))[0] for name in TOO_LONG
                 if name not in sizes or sizes[name][0] <= sizes[name][1]}
    assert found == {}
