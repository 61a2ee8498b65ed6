"""MkDocs' private API is used in one module, which names the versions it was written for."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import runner
from conftest import EXAMPLE, ROOT, make_project
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from generator.engines import mkdocs_internals
from generator.engines.mkdocs_internals import SUPPORTED, EngineVersionError, check_version

PRIVATE = re.compile(r"_[a-z]")
"""A name with one leading underscore: private by Python's convention (dunders are not)."""
ALLOWED = {
    ("cli.py", "os._exit"),  # the standard library documents it
    ("parse_cache.py", "getattr(yaml, '_yaml', None)"),  # PyYAML's C loader, not an engine
    ("schema.py", "vars(records)"),  # our own module
}
"""Private accesses outside mkdocs_internals.py that touch no engine object."""


def _pins() -> dict[str, str]:
    """name -> version, from constraints.txt (`name==version` lines)."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if version:
            pins[name.strip().lower()] = version.strip()
    return pins


@pytest.mark.parametrize("engine", sorted(SUPPORTED))
def test_the_range_holds_what_constraints_installs(engine: str) -> None:
    """Moving a pin in constraints.txt (`make lock`) outside the range the private API was
    written for fails here, before a user meets it."""
    pinned = _pins()[engine]
    assert Version(pinned) in SpecifierSet(SUPPORTED[engine]), (engine, pinned)


@pytest.mark.parametrize(("engine", "version"), [
    ("mkdocs", "1.7.0"), ("mkdocs", "1.6.0"), ("mkdocs", "2.0.0"), ("properdocs", "1.7.1"),
    ("zensical", "0.0.1")])
def test_a_version_outside_the_range_is_refused_naming_the_range(engine: str,
                                                                 version: str) -> None:
    with pytest.raises(EngineVersionError) as caught:
        check_version(engine, version)
    message = str(caught.value)
    assert f"{engine} {version} is installed" in message
    for name, spec in SUPPORTED.items():
        assert f"{name} {spec}" in message


def test_the_installed_engine_is_within_the_range() -> None:
    import mkdocs

    check_version(mkdocs.__name__, mkdocs.__version__)


def _private_accesses(path: Path) -> list[str]:
    """`x._name` where x is not self or cls; getattr/setattr/hasattr with a '_name'; vars()
    or `__dict__` of anything but self; a private name or module imported from anywhere."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and any(
                PRIVATE.match(part) for part in [*(node.module or "").split("."),
                                                 *(alias.name for alias in node.names)]):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Attribute) and (
                PRIVATE.match(node.attr) or node.attr == "__dict__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            named = [n.value for arg in node.args[1:2] for n in ast.walk(arg)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            if node.func.id == "vars" or (
                    node.func.id in ("getattr", "setattr", "hasattr", "delattr")
                    and any(PRIVATE.match(name) for name in named)):
                found.append(ast.unparse(node))
    return found


def test_private_api_is_used_only_in_mkdocs_internals() -> None:
    """Every module of generator/ but mkdocs_internals.py is scanned for private accesses
    (_private_accesses) on objects other than its own; what remains must be in ALLOWED,
    which lists the few that touch no MkDocs, ProperDocs or Material object. A new one
    belongs in mkdocs_internals.py, as a named function whose docstring says why."""
    internals = Path(mkdocs_internals.__file__)
    found = {(path.name, access) for path in sorted(internals.parents[1].rglob("*.py"))
             if path != internals for access in _private_accesses(path)}
    assert found - ALLOWED == set()
    assert found >= ALLOWED, "an allowed access is gone: drop it from ALLOWED"


def test_an_unsupported_engine_stops_the_build_in_one_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, EXAMPLE)
    script = (f"import runpy, sys, {runner.NAME}\n"
              f"{runner.NAME}.__version__ = '1.5.3'\n"
              f"sys.argv = ['{runner.NAME}', 'build']\n"
              f"runpy.run_module('{runner.NAME}', run_name='__main__', alter_sys=True)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True,
                          text=True, timeout=300, env=runner.env())
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    assert f"{runner.NAME} 1.5.3 is installed" in done.stderr, done.stderr
    assert not (project / "site").exists()


def test_an_unsupported_engine_stops_playbook_serve_in_one_line(tmp_path: Path) -> None:
    """`playbook serve` runs MkDocs itself, whichever engine builds the site."""
    project = make_project(tmp_path, EXAMPLE)
    script = ("import mkdocs\n"
              "mkdocs.__version__ = '1.5.3'\n"
              "from generator.commands.cli import main\n"
              "main(['serve'])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True,
                          text=True, timeout=300, env=runner.env())
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: the playbook plugin was written for "), done.stderr
