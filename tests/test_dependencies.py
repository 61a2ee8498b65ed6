"""Reproducible installs: constraints.txt locks what CI tested, and scripts/outdated.py
(`make outdated`) reports newer releases without ever failing a build."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from importlib.metadata import distributions
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.version import Version

CONSTRAINTS = ROOT / "constraints.txt"
UNPINNED = {"pip", "setuptools", "wheel", "outsourcing-playbook"}
"""Installed but not locked: the installers (setuptools comes with the venv; pinning it
would also pin the build of this project) and the project itself."""


def load_outdated() -> ModuleType:
    spec = importlib.util.spec_from_file_location("outdated", ROOT / "scripts/outdated.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["outdated"] = module
    spec.loader.exec_module(module)
    return module


outdated = load_outdated()
PINS: dict[str, str] = outdated.read_pins(CONSTRAINTS.read_text(encoding="utf-8"))


def test_every_dependency_is_pinned_within_its_range() -> None:
    """A range changed in pyproject.toml without `make lock` fails here, not on a user."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"],
              *(r for extra in project["optional-dependencies"].values() for r in extra)]
    assert wanted
    for text in wanted:
        requirement = Requirement(text)
        name = outdated.canonical(requirement.name)
        assert name in PINS, f"{name} is not in constraints.txt: run make lock"
        assert requirement.specifier.contains(PINS[name], prereleases=True), (
            f"constraints.txt pins {name}=={PINS[name]}, outside {requirement}: run make lock")
    assert not UNPINNED & PINS.keys() - {"pip"}


def test_this_environment_is_the_locked_one() -> None:
    """What the tests run with is what constraints.txt says (make installs through it)."""
    installed = {outdated.canonical(d.metadata["Name"]): d.version for d in distributions()}
    unlocked = sorted(set(installed) - PINS.keys() - UNPINNED)
    assert unlocked == [], "installed but not in constraints.txt (make lock adds them)"
    wrong = {name: (installed[name], PINS[name]) for name in installed.keys() & PINS.keys()
             if name not in UNPINNED and Version(installed[name]) != Version(PINS[name])}
    assert wrong == {}, "installed version differs from the pin: make test reinstalls"


def test_pins_are_read_strictly() -> None:
    assert outdated.read_pins("# c\n\nPyYAML==6.0.4  # why\nzope.interface==7.1\n") == {
        "pyyaml": "6.0.4", "zope-interface": "7.1"}
    with pytest.raises(ValueError, match=r"line 2: expected name==version.*'mkdocs>=1\.6'"):
        outdated.read_pins("pytest==9.2.0\nmkdocs>=1.6\n")


def test_newer_releases_are_listed_and_nothing_else() -> None:
    pins = {"pyyaml": "6.0.4", "mkdocs": "1.6.1", "ruff": "0.17.6"}
    latest = {"PyYAML": "6.0.10", "mkdocs": "1.6.1", "ruff": "0.17.5", "unpinned": "9"}
    assert outdated.newer(pins, latest) == [("pyyaml", "6.0.4", "6.0.10")]


def test_the_report_says_when_pyproject_holds_a_release_back() -> None:
    allowed = outdated.ranges((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert outdated.advice("mkdocs", "2.0.0", allowed) == "outside pyproject.toml (==1.6.1)"
    assert outdated.advice("pyyaml", "6.9", allowed) == "allowed by pyproject.toml"
    assert outdated.advice("pyyaml", "7.0", allowed).startswith("outside pyproject.toml")
    assert outdated.advice("idna", "99", allowed) == "allowed by pyproject.toml"  # not direct


def test_the_report_never_fails(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Newer releases and an unreachable index are reported; the exit status stays 0."""
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("mkdocs==1.6.1\npyyaml==6.0.4\n", encoding="utf-8")
    monkeypatch.setattr(outdated, "drift", lambda pins: [])
    monkeypatch.setattr(outdated, "reachable", lambda url=None: False)
    assert outdated.main(["outdated", str(constraints)]) == 0
    assert "cannot be reached: nothing checked" in capsys.readouterr().out

    monkeypatch.setattr(outdated, "reachable", lambda url=None: True)
    monkeypatch.setattr(outdated, "latest_releases", lambda: ({"mkdocs": "2.0.0"}, ""))
    assert outdated.main(["outdated", str(constraints)]) == 0
    out = capsys.readouterr().out
    assert "1 pinned dependencies have a newer release" in out
    assert "mkdocs" in out and "1.6.1 -> 2.0.0" in out and "pyyaml" not in out.split("\n", 1)[1]
    assert "outside pyproject.toml" not in out  # no pyproject.toml beside these constraints

    monkeypatch.setattr(outdated, "latest_releases", lambda: ({}, ""))
    assert outdated.main(["outdated", str(constraints)]) == 0
    assert "Every pinned dependency is at its newest release." in capsys.readouterr().out
