"""The same promise for every mistake in the corpus (tests/corpus/cases.py).

Each case runs through the real commands, as a user runs them: the `playbook`
console script (`playbook check`, with --strict for warnings) and `mkdocs build
--strict` on a project whose site/ holds the last good build. Both must exit
non-zero, name every problem at its `file:line:col` and nothing else, print no
Python traceback and finish in time; the site/ must stay byte-for-byte as it was
and the playbook folder must not change. A case that must work builds instead.

All ~300 commands run in one fixture, one more at a time than there are cores (about a
minute on two cores); the good site is built once and copied into each case's project.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import runner
from bs4 import BeautifulSoup
from conftest import MKDOCS_YML, ROOT, run_build
from corpus.cases import CASES as BASE
from corpus.cases import Case, Expect
from corpus.rich import RICH
from corpus.syntax import SYNTAX
from playbook_fixtures import MINIMAL, make_playbook

CASES = SYNTAX + BASE + RICH

PLAYBOOK = Path(sys.executable).with_name("playbook")
TIMEOUT = 900
"""Seconds a command may take before it counts as a hang. The slowest case needs ~15 s on a
quiet machine; a busy one runs 3x slower and more, which must not fail the run."""
PROBLEM = re.compile(r"^(?P<file>playbook[^:\n]*):(?P<line>\d+):(?P<col>\d+): "
                     r"(?P<severity>error|warning|info): (?P<message>.*)$", re.M)


def environment(cache: Path) -> dict[str, str]:
    """The user's environment, with compiled bytecode kept between the ~300 commands (in a
    folder of the test run: the repository stays clean even where PYTHONDONTWRITEBYTECODE
    is set, which would otherwise recompile the generator for every command)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": "2026-11-23",
            "PYTHONPYCACHEPREFIX": str(cache)}


@dataclass
class Run:
    """One finished (or stopped) command."""

    returncode: int | None
    output: str

    @property
    def problems(self) -> list[tuple[str, int, int, str, str]]:
        """Every `file:line:col: severity: message` line that starts a line of the output."""
        return [(m["file"], int(m["line"]), int(m["col"]), m["severity"], m["message"])
                for m in PROBLEM.finditer(self.output)]


@dataclass
class CaseRun:
    project: Path
    check: Run
    build: Run
    site_before: dict[str, str]
    site_after: dict[str, str]
    playbook_before: dict[str, str]
    playbook_after: dict[str, str]


def tree(folder: Path) -> dict[str, str]:
    """Every entry under folder: a file by its SHA-256, a link by its target, never followed
    (the corpus has symbolic link loops)."""
    found: dict[str, str] = {}
    if not folder.is_dir():
        return {}
    for directory, folders, files in os.walk(folder):
        for name in sorted(folders + files):
            path = Path(directory, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = "link to " + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "folder"
    return found


def run(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        output = "".join(part.decode(errors="replace") if isinstance(part, bytes) else part or ""
                         for part in (exc.stdout, exc.stderr))
        return Run(None, output)
    return Run(done.returncode, done.stdout + done.stderr)


def project(folder: Path, case: Case, good_site: Path) -> Path:
    """The minimal playbook with the case applied, a mkdocs.yml and the last good site."""
    folder.mkdir(parents=True)
    root = make_playbook(folder, case.files)
    if case.setup is not None:
        case.setup(root)
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    shutil.copytree(good_site, folder / "site")
    return folder


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    shutil.copytree(MINIMAL, folder / "playbook")
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    build = run_build(folder, env={"PLAYBOOK_TODAY": "2026-11-23"})
    assert build.returncode == 0, build.output
    return build.site


def _selected(request: pytest.FixtureRequest) -> list[Case]:
    """The cases the session will test (all of them, unless -k or an id narrows it)."""
    names = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and getattr(item, "module", None) is request.module:
            case = callspec.params.get("case")
            if isinstance(case, Case):
                names.add(case.name)
    return [case for case in CASES if case.name in names]


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         good_site: Path) -> dict[str, CaseRun]:
    """Both commands for every selected case, several at a time."""
    base = tmp_path_factory.mktemp("corpus")
    env = environment(tmp_path_factory.getbasetemp() / "pycache")
    cases = _selected(request)
    folders = {case.name: project(base / f"case-{n}", case, good_site)
               for n, case in enumerate(cases)}
    before = {name: (tree(folder / "site"), tree(folder / "playbook"))
              for name, folder in folders.items()}
    checks, builds = {}, {}
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) + 1) as pool:
        # The biggest playbooks first, so that they do not end the run alone.
        for case in sorted(cases, key=lambda case: -len(case.files)):
            folder = folders[case.name]
            builds[case.name] = pool.submit(run, runner.command("build", "--strict"),
                                            folder, env)
            checks[case.name] = pool.submit(run, [str(PLAYBOOK), "check", "playbook",
                                                  *(["--strict"] if case.strict else [])],
                                            folder, env)
        done = {name: (checks[name].result(), builds[name].result()) for name in folders}
    return {name: CaseRun(folders[name], *done[name], before[name][0],
                          tree(folders[name] / "site"), before[name][1],
                          tree(folders[name] / "playbook")) for name in folders}


def _expected(case: Case) -> list[tuple[str, int, int, str]]:
    return [(f"playbook/{e.file}" if e.file else "playbook", e.line, e.col, e.severity)
            for e in case.expect]


def assert_reports(run_: Run, case: Case) -> None:
    """The output names exactly the expected problems, in order, with their key phrases."""
    got = run_.problems
    assert [p[:4] for p in got] == _expected(case), run_.output
    for (*_, message), expect in zip(got, case.expect, strict=True):
        assert expect.phrase in message, f"{expect.phrase!r} not in {message!r}"


def assert_clean_exit(run_: Run) -> None:
    assert run_.returncode is not None, f"no answer within {TIMEOUT} s:\n{run_.output[-2000:]}"
    assert "Traceback" not in run_.output, run_.output


BAD = [case for case in CASES if case.expect]
GOOD = [case for case in CASES if not case.expect]


@pytest.mark.parametrize("case", BAD, ids=str)
def test_check_names_the_mistake(runs: dict[str, CaseRun], case: Case) -> None:
    result = runs[case.name]
    assert_clean_exit(result.check)
    assert result.check.returncode == 1, result.check.output
    assert_reports(result.check, case)
    errors = sum(e.severity == "error" for e in case.expect)
    warnings = sum(e.severity == "warning" for e in case.expect)
    assert result.check.output.rstrip().endswith(
        f"{errors} error(s), {warnings} warning(s)"), result.check.output
    assert result.playbook_after == result.playbook_before


@pytest.mark.parametrize("case", BAD, ids=str)
def test_build_names_the_mistake_and_keeps_the_last_good_site(runs: dict[str, CaseRun],
                                                              case: Case) -> None:
    result = runs[case.name]
    assert_clean_exit(result.build)
    assert result.build.returncode == 1, result.build.output
    assert "the playbook has problems; the site was not built" in result.build.output
    assert_reports(result.build, case)
    assert result.site_before, "the project starts with the last good site"
    assert result.site_after == result.site_before, "site/ changed although the build failed"
    assert result.playbook_after == result.playbook_before


@pytest.mark.parametrize("case", GOOD, ids=str)
def test_what_must_work_builds(runs: dict[str, CaseRun], case: Case) -> None:
    result = runs[case.name]
    for command in (result.check, result.build):
        assert_clean_exit(command)
        assert command.returncode == 0, command.output
        assert command.problems == []
    assert result.check.output.rstrip().endswith("0 error(s), 0 warning(s)")
    assert case.shows is not None
    url, heading = case.shows
    page = BeautifulSoup((result.project / "site" / url / "index.html").read_text("utf-8"),
                         "html.parser")
    assert page.find("h1").get_text().rstrip("¶") == heading
    assert "\ufeff" not in page.get_text() and "\r" not in page.get_text()
    assert "Documentation built in" in result.build.output
    assert result.playbook_after == result.playbook_before


def test_case_names_are_unique_and_expectations_complete() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    for case in BAD:
        for expect in case.expect:
            assert expect.phrase and expect.line >= 1 and expect.col >= 1, case.name
    assert all(case.shows for case in GOOD)


# --- the manual's table is the corpus's ---------------------------------------------------

MISTAKES_PAGE = ROOT / "docs" / "manual" / "mistakes.md"
"""The site's page of common mistakes; scripts/mistakes_table.py writes its table."""


def _page_rows() -> Iterator[tuple[str, str]]:
    for line in MISTAKES_PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            message, fix = (cell.strip() for cell in line.strip("|").split(" | "))
            yield message.strip("`"), fix


def _table_cases() -> list[tuple[Case, Expect]]:
    return [(case, case.expect[0]) for case in CASES if case.fix]


def test_common_mistakes_page_is_the_corpus() -> None:
    rows = list(_page_rows())
    assert 10 <= len(rows) <= 20
    assert rows == [(expect.phrase, case.fix) for case, expect in _table_cases()]
