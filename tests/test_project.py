"""An owner's own repository: install, init, build, publish, as a new user does it.

The plugin must give finished pages with the mkdocs.yml a MkDocs user writes first,
`playbook init` must make a project that builds as it stands, and the package must
work installed from a wheel (not editable) into a fresh virtual environment in an
empty folder, following the README's "Start your own playbook" commands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import EXAMPLE, ROOT, Build, mkdocs_serve, run_build

from generator.checking.pipeline import check

FIRST_CONFIG = "site_name: Kate's Kites\ntheme: material\nplugins: [search, playbook]\n"
"""The mkdocs.yml a MkDocs user writes first (the issue's own words)."""
RAW_MARKDOWN = ("!!! ", "??? ", "{#", "|---|", "| --- |", "&lt;span class=\"pb-", "- [ ] ")


def assert_finished_site(site: Path, playbook: Path) -> None:
    """What every build must give: each role page, the org chart, no Markdown left raw, and
    no request to another host (no Google Fonts)."""
    result = check(playbook)
    assert result.playbook is not None
    pages = [site / "index.html", site / "org-chart/index.html"]
    pages += [site / "roles" / rid / "index.html" for rid in result.playbook.roles]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        content = BeautifulSoup(text, "html.parser").find("article") or BeautifulSoup(
            text, "html.parser").body
        shown = content.get_text(" ")
        assert not [mark for mark in RAW_MARKDOWN if mark in shown], page
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page
        assert not loaded_from_elsewhere(BeautifulSoup(text, "html.parser")), page
    org = BeautifulSoup((site / "org-chart/index.html").read_text(), "html.parser")
    assert len(org.select("a.pb-box")) == len(result.playbook.roles)


def loaded_from_elsewhere(page: BeautifulSoup) -> list[str]:
    """Every address the page loads by itself (scripts, stylesheets, pictures, frames) that
    names a host: the themes' own CDN files (the mkdocs theme's highlight.js) included."""
    sources = [tag.get(attribute) for tag, attribute in
               [(t, "src") for t in page.select("script[src], img[src], iframe[src]")]
               + [(t, "href") for t in page.select("link[href]")
                  if set(t.get("rel") or []) & {"stylesheet", "preload", "modulepreload"}]]
    return [str(s) for s in sources if re.match(r"(?i)([a-z][a-z0-9+.-]*:)?//", str(s))]


def project_with(tmp_path: Path, config: str, playbook: Path = EXAMPLE) -> Path:
    project = tmp_path / "project"
    shutil.copytree(playbook, project / "playbook")
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


@pytest.mark.parametrize("theme", ["material", "mkdocs", "readthedocs"])
def test_the_first_mkdocs_yml_gives_finished_pages(tmp_path: Path, theme: str) -> None:
    project = project_with(tmp_path, FIRST_CONFIG.replace("material", theme))
    build = run_build(project, env={"PLAYBOOK_TODAY": "2026-11-23"})
    assert build.returncode == 0, build.output
    assert_finished_site(build.site, project / "playbook")
    ppc = BeautifulSoup((build.site / "roles/ppc/index.html").read_text(), "html.parser")
    assert ppc.select("div.admonition") and ppc.select("table") and ppc.select(
        "input[type=checkbox]")
    assert ppc.find(id="recurring-tasks") is not None


def test_the_users_own_extension_settings_are_kept(tmp_path: Path) -> None:
    config = FIRST_CONFIG + "markdown_extensions:\n  - toc:\n      permalink: '#'\n"
    build = run_build(project_with(tmp_path, config), env={"PLAYBOOK_TODAY": "2026-11-23"})
    assert build.returncode == 0, build.output
    page = BeautifulSoup((build.site / "roles/ppc/index.html").read_text(), "html.parser")
    assert page.find("a", class_="headerlink").get_text() == "#"


def test_init_makes_a_project_that_builds_as_it_stands(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generator.commands.cli", "init", "--business",
                           "Kate's Kites", "--owner-id", "kate"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    build = run_build(tmp_path)
    assert build.returncode == 0, build.output
    assert_finished_site(build.site, tmp_path / "playbook")
    home = BeautifulSoup((build.site / "index.html").read_text(), "html.parser")
    assert home.title.get_text().startswith("Kate's Kites")
    assert (build.site / "working-with-us/index.html").is_file()
    ignored = (tmp_path / ".gitignore").read_text().split()
    assert "/site/" in ignored and "/site-internal/" in ignored
    workflow = (tmp_path / ".github/workflows/publish.yml").read_text()
    assert "mkdocs build --strict" in workflow and "actions/deploy-pages" in workflow
    assert "outsourcing-playbook" in (tmp_path / "requirements.txt").read_text()


def test_init_example_starts_from_the_example_business(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generator.commands.cli", "init", "--example"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ours = {p.relative_to(EXAMPLE) for p in EXAMPLE.rglob("*.yml")}
    assert {p.relative_to(tmp_path / "playbook") for p in (tmp_path / "playbook").rglob("*.yml")
            } == ours
    first = (tmp_path / "playbook/roles/ppc.yml").read_text().split("\n", 1)[0]
    assert first == "# yaml-language-server: $schema=../.schema/role.schema.json"
    assert (tmp_path / "playbook/.schema/role.schema.json").is_file()
    build = run_build(tmp_path, env={"PLAYBOOK_TODAY": "2026-11-23"})
    assert build.returncode == 0, build.output
    assert_finished_site(build.site, tmp_path / "playbook")


def test_pre_commit_hook_runs_the_check(tmp_path: Path) -> None:
    """What pre-commit would run from .pre-commit-hooks.yaml, run here in a project."""
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "playbook-check" and hook["language"] == "python"
    assert re.search(hook["files"], "playbook/roles/ppc.yml")
    project = project_with(tmp_path, FIRST_CONFIG, ROOT / "tests/fixtures/minimal")
    binary = Path(sys.executable).with_name(hook["entry"].split()[0])
    command = [str(binary), *hook["entry"].split()[1:]]
    good = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    (project / "playbook/roles/marketing.yml").write_text("title: [\n")
    bad = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "playbook/roles/marketing.yml:" in bad.stdout + bad.stderr


# --- installed from a wheel, in an empty folder, as the README says ---------------------------


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Start your own playbook\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this project installed into a fresh venv: the folder holding `.venv`."""
    wheels = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(wheels), str(ROOT)], capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("outsourcing_playbook-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/example/business.yml" in names
    assert "generator/templates/scaffold/project/publish.yml" in names
    home = tmp_path_factory.mktemp("owner")
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV",
                                                                       "PYTHONPATH")}
    for command in _readme_commands():
        if command.startswith(("mkdocs serve", "playbook serve")):
            continue  # run below, where it can be stopped
        if command.startswith("pip install"):  # the versions CI tested, as make installs
            command = f"pip install -q -c {ROOT / 'constraints.txt'} {wheel}"
        done = subprocess.run(["bash", "-c", f"{_activate(command)}"], cwd=home, env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return home


def _activate(command: str) -> str:
    return command if "-m venv" in command else f". .venv/bin/activate && {command}"


def test_readme_commands_work_from_a_wheel_in_an_empty_folder(installed: Path) -> None:
    commands = _readme_commands()
    assert commands[0].startswith("python3 -m venv .venv")
    assert any(c.startswith("playbook init") for c in commands)
    assert any(c.startswith("mkdocs build --strict") for c in commands)
    venv = installed / ".venv"
    # Not the source tree: the package is imported from the venv's site-packages.
    where = subprocess.run([str(venv / "bin/python"), "-c",
                            "import generator; print(generator.__file__)"],
                           capture_output=True, text=True, cwd=installed, timeout=60)
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout
    assert_finished_site(installed / "site", installed / "playbook")
    assert any(c.startswith("playbook serve") for c in commands)
    for server in ((str(venv / "bin/python"), "-m", "mkdocs"), (str(venv / "bin/playbook"),)):
        with mkdocs_serve(installed, page="org-chart/", command=server) as (url, _):
            assert url.endswith("/org-chart/")


def test_wheel_builds_the_first_mkdocs_yml(installed: Path, tmp_path: Path) -> None:
    project = project_with(tmp_path, FIRST_CONFIG, installed / "playbook")
    done = subprocess.run([str(installed / ".venv/bin/mkdocs"), "build", "--strict"],
                          cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    build = Build(project, done.returncode, done.stderr)
    assert_finished_site(build.site, project / "playbook")
