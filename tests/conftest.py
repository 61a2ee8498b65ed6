"""Shared fixtures: real MkDocs builds of real playbooks in temporary folders.

The engine that builds them is MkDocs, or ProperDocs with PLAYBOOK_RUNNER=properdocs
(tests/runner.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import runner
from bs4 import BeautifulSoup

runner.activate()  # before any test module imports mkdocs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "playbook"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS_YML = """\
site_name: Test playbook
theme:
  name: material
  font: false
plugins:
  - search
  - playbook
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tasklist:
      custom_checkbox: true
      clickable_checkbox: true
validation:
  anchors: warn
"""


@dataclass
class Build:
    """A finished `mkdocs build` run in a project folder."""

    project: Path
    returncode: int
    output: str

    @property
    def site(self) -> Path:
        return self.project / "site"

    def page(self, url: str) -> BeautifulSoup:
        """Parse the built page at a site URL such as 'roles/ppc/'."""
        path = self.site / url / "index.html" if not url.endswith(".html") else self.site / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def make_project(tmp_path: Path, playbook: Path, *, docs: dict[str, str] | None = None,
                 mkdocs_yml: str = MKDOCS_YML) -> Path:
    """A MkDocs project in tmp_path: mkdocs.yml, docs/ and a copy of the playbook."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(playbook, project / "playbook", symlinks=True)
    (project / "docs").mkdir()
    for name, text in (docs or {}).items():
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(text, encoding="utf-8")
    (project / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return project


def run_build(project: Path, *extra: str, env: dict[str, str] | None = None) -> Build:
    """Run the real `mkdocs build` command (or `properdocs build`), as a user would."""
    done = subprocess.run(runner.command("build", "--strict", *extra), cwd=project,
                          capture_output=True, text=True, timeout=300, env=runner.env(env))
    return Build(project, done.returncode, done.stdout + done.stderr)


def build_example(folder: Path, audience: str = "public") -> Build:
    """The example playbook with the repository's own mkdocs.yml and docs/, built in
    folder for an audience (the owner's build is `PLAYBOOK_AUDIENCE=internal`)."""
    project = folder / "project"
    shutil.copytree(EXAMPLE, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    build = run_build(project, env={"PLAYBOOK_AUDIENCE": audience})
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The example playbook's public site, built once."""
    return build_example(tmp_path_factory.mktemp("example"))


ZENSICAL_SITE_URL = "https://example.org/playbook/"
"""The export Zensical builds is published under a sub-path: its links must hold there."""


@pytest.fixture(scope="session")
def zensical_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The example project exported by `playbook render` and built by Zensical with
    --strict (make test-zensical names the engine in PLAYBOOK_ZENSICAL). Its `site` is the
    export's."""
    import os
    import sys

    zensical = os.environ.get("PLAYBOOK_ZENSICAL", "")
    if not Path(zensical).is_file():
        pytest.fail("PLAYBOOK_ZENSICAL must name the zensical command: run make test-zensical",
                    pytrace=False)
    project = tmp_path_factory.mktemp("zensical") / "project"
    shutil.copytree(EXAMPLE, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url: .*$", "site_url: "
                                               + ZENSICAL_SITE_URL, config), encoding="utf-8")
    playbook = Path(sys.executable).with_name("playbook")
    render = subprocess.run([str(playbook), "render", "playbook", "--out", "export"],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert render.returncode == 0, render.stderr
    done = subprocess.run([zensical, "build", "--strict", "-f", "export/mkdocs.yml"],
                          cwd=project, capture_output=True, text=True, timeout=600)
    return Build(project / "export", done.returncode, done.stdout + done.stderr)


@pytest.fixture
def project_factory(tmp_path: Path) -> Callable[..., Path]:
    def factory(playbook: Path = EXAMPLE, **kwargs: object) -> Path:
        return make_project(tmp_path, playbook, **kwargs)  # type: ignore[arg-type]

    return factory


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def mkdocs_serve(project: Path, page: str = "roles/ppc/", command: tuple[str, ...] = (
        *runner.command(),)) -> Iterator[tuple[str, Path]]:
    """Run the real `mkdocs serve` (or `properdocs serve`) in project on a free port;
    yield (page URL, log file). `command` is the engine, such as (python, "-m", "mkdocs")."""
    import time

    port = free_port()
    log = project / "serve.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [*command, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=stream, stderr=subprocess.STDOUT,
            env=runner.env(),
        )
        try:
            url = f"http://127.0.0.1:{port}/{page}"
            deadline = time.monotonic() + 60
            while not _answers(url):
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            yield url, log
        finally:
            process.terminate()
            process.wait(timeout=20)
