"""The documents stay where their readers look, and stay true.

Users read the README and the site `make site` builds (docs/); engineers read
CONTRIBUTING.md; every measurement lives in bench/RESULTS.md. These tests keep the README
short and free of figures that go stale, its links and CONTRIBUTING's alive, every
command, option and manual page documented, and CI running the README's test command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from conftest import ROOT, Build

README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
MANUAL = ROOT / "docs" / "manual"

README_LIMIT = 250
"""The README says what the tool is and how to start; the manual is the site's pages."""


def _prose(path: Path) -> str:
    """The text outside code blocks and code spans, where examples may hold any date,
    number or address."""
    text = re.sub(r"(?ms)^```.*?^```", "", path.read_text(encoding="utf-8"))
    return re.sub(r"(`+)[^`\n]*?\1", "", text)


def _relative_links(path: Path) -> Iterator[str]:
    for target in re.findall(r"\]\(([^)\s]+)\)", _prose(path)):
        if not re.match(r"[a-z]+:", target) and not target.startswith("#"):
            yield target.split("#", 1)[0]


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_LIMIT, f"README.md has {lines} lines; the manual belongs in docs/"


def test_readme_carries_no_measurements_or_dates() -> None:
    """Figures live in bench/RESULTS.md, written by `make bench`; a copy in the README goes
    stale and ends up contradicting it."""
    prose = _prose(README)
    assert re.findall(r"\b20\d\d-\d\d-\d\d\b", prose) == []
    assert re.findall(r"\b\d+(?:\.\d+)?\s?(?:s|ms|x|MB)\b", prose) == []
    assert "load average" not in prose and "this machine" not in prose


@pytest.mark.parametrize("document", [README, CONTRIBUTING], ids=lambda p: p.name)
def test_relative_links_resolve(document: Path) -> None:
    missing = [target for target in _relative_links(document)
               if not (document.parent / target).exists()]
    assert missing == []


def test_ci_runs_the_readmes_test_command() -> None:
    section = README.read_text(encoding="utf-8").split("\n## The two commands\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block[1].splitlines()]
    assert commands == ["make site", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in ci if line.strip() and not line.startswith("#")][-1] == "make test"


def _commands(group: click.Group, prefix: str) -> Iterator[str]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}"


def test_every_command_and_option_is_in_the_manual() -> None:
    from generator.commands.cli import main

    page = (MANUAL / "commands.md").read_text(encoding="utf-8")
    missing = [name for name in _commands(main, "playbook") if name not in page]
    for name in _commands(main, ""):
        command = main
        for word in name.split():
            assert isinstance(command, click.Group)
            command = command.commands[word]
        missing += [f"{name}: {option}" for param in command.params
                    for option in param.opts if option.startswith("--")
                    and option not in page]
    assert missing == []


def test_every_plugin_option_is_in_the_manual() -> None:
    from generator.engines.plugin import PlaybookConfig

    page = (MANUAL / "plugin.md").read_text(encoding="utf-8")
    options = [name for name, _ in PlaybookConfig._schema]
    assert options and [name for name in options if f"| `{name}` |" not in page] == []


def test_every_manual_page_is_in_the_sites_nav(example_build: Build) -> None:
    """The plugin builds the nav when mkdocs.yml has none; a page missing from it is a page
    nobody finds."""
    nav = example_build.page("").select("nav.md-nav--primary a.md-nav__link[href]")
    linked = {a["href"].split("#")[0].strip("/") for a in nav}
    pages = [f"manual/{page.stem}" for page in sorted(MANUAL.glob("*.md"))]
    assert len(pages) >= 9 and [page for page in pages if page not in linked] == []
