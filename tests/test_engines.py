"""The engines that run the plugin: MkDocs 1.6 and ProperDocs (tests/runner.py chooses).

`make test` runs the build tests under MkDocs, then `make test-properdocs` runs them again
under ProperDocs in its own virtual environment, where this file also builds the example
with both engines and compares the sites byte for byte.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import runner
from conftest import EXAMPLE, ROOT, Build, run_build

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
GENERATED_BY = {"mkdocs": "mkdocs-1.6.", "properdocs": "mkdocs-ProperDocs 1.6."}
"""How each engine names itself in the generator tag of every page."""
REPRODUCIBLE = {"PLAYBOOK_TODAY": "2026-11-23", "SOURCE_DATE_EPOCH": "1795392000"}
"""Both builds see the same day, so the sitemap's dates cannot differ between them."""


def example(folder: Path) -> Path:
    """A copy of the repository's own project: mkdocs.yml, docs/ and the example playbook."""
    shutil.copytree(EXAMPLE, folder / "playbook")
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, with the generator tag blanked out."""
    return {str(path.relative_to(site)): GENERATOR.sub(b"<meta generator>", path.read_bytes())
            for path in sorted(site.rglob("*")) if path.is_file()}


def test_the_chosen_engine_built_the_example(example_build: Build) -> None:
    """Guards the runner itself: a leg that silently fell back to MkDocs would fail here."""
    for page in ("index.html", "org-chart/index.html", "roles/ppc/index.html", "404.html"):
        tag = example_build.page(page).find("meta", attrs={"name": "generator"})
        assert tag is not None and tag["content"].startswith(GENERATED_BY[runner.NAME]), tag


def test_in_process_imports_reach_the_chosen_engine() -> None:
    """The tests that use MkDocs classes directly (test_plugin.py, test_properties.py)
    get the chosen engine's classes, as the plugin does inside a `properdocs` command."""
    import mkdocs.config.defaults

    assert mkdocs.config.defaults.__file__ is not None
    assert Path(mkdocs.config.defaults.__file__).parent.parent.name == runner.NAME


@pytest.mark.properdocs
def test_mkdocs_and_properdocs_build_the_example_byte_for_byte(tmp_path: Path) -> None:
    """The same project, built by each engine: every file is the same, byte for byte,
    apart from the tag that names the generator."""
    projects = {name: example(tmp_path / name) for name in runner.RUNNERS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        builds = dict(zip(projects, pool.map(lambda name: build_with(name, projects[name]),
                                             projects), strict=True))
    for name, build in builds.items():
        assert build.returncode == 0, f"{name}:\n{build.output}"
        assert "WARNING" not in build.output, f"{name}:\n{build.output}"
    mkdocs, properdocs = (site_files(builds[name].site) for name in ("mkdocs", "properdocs"))
    assert len(mkdocs) > 50
    assert mkdocs.keys() == properdocs.keys()
    assert [path for path in mkdocs if mkdocs[path] != properdocs[path]] == []
    # Two different engines did build them: their pages name each one (all but the
    # plugin's own redirect pages of renamed roles, which carry no generator tag).
    tagged = [path for path in mkdocs if b"<meta generator>" in mkdocs[path]]
    assert len(tagged) > 20
    for name, build in builds.items():
        page = (build.site / tagged[0]).read_text(encoding="utf-8")
        assert f'content="{GENERATED_BY[name]}' in page


def build_with(name: str, project: Path) -> Build:
    """A strict build of project by the named engine, on a fixed day."""
    done = subprocess.run(runner.command("build", "--strict", runner=name), cwd=project,
                          capture_output=True, text=True, timeout=300,
                          env=runner.env(REPRODUCIBLE))
    return Build(project, done.returncode, done.stdout + done.stderr)


def test_run_build_uses_the_chosen_engine(tmp_path: Path) -> None:
    """run_build, which most build tests use, starts the chosen engine's command."""
    build = run_build(tmp_path)  # no mkdocs.yml: the engine says so in its own words
    assert build.returncode != 0
    expected = {"mkdocs": "Config file 'mkdocs.yml' does not exist",
                "properdocs": "Config file 'properdocs.yml' does not exist"}
    assert expected[runner.NAME] in build.output, build.output
