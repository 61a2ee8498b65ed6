"""Lengths no real playbook reaches end in an error at the value's line, never in a site
that blows up or a build that dies with a traceback (generator/model/limits.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, run_build
from corpus.cases import KEPT, PROC
from corpus.rich import png
from playbook_fixtures import fixture_text, found, make_playbook

from generator.model.limits import ADDRESS_MAX, ID_MAX, NAME_MAX, PATH_MAX, TEXT_MAX

R = "roles/x.yml"
P = "procedures/p.yml"


def alias(length: int) -> str:
    """A valid alias path of exactly `length` characters, no segment over ID_MAX."""
    parts = []
    while length > ID_MAX:
        parts.append("a" * (ID_MAX - 1))
        length -= ID_MAX  # the part and its '/'
    return "/".join([*parts, "b" * length])


def picture(length: int) -> dict[str, str | bytes]:
    """A step showing a real picture whose path is `length` characters long."""
    path = "media/" + "p" * (length - len("media/.png")) + ".png"
    return {P: PROC + f"steps:\n  - do: a\n    image: {path}\n    alt: b\n", path: png()}


@dataclass(frozen=True)
class Limit:
    """One kind of value: the files that hold one of `length` characters, where it starts,
    and its limit."""

    name: str
    files: Callable[[int], dict[str, str | bytes]]
    line: int
    col: int
    limit: int
    file: str = R


LIMITS = [
    Limit("role title", lambda n: {R: f"title: {'t' * n}\nsourcing: keep\nreason: r\n"},
          1, 8, NAME_MAX),
    Limit("business name", lambda n: {"business.yml": fixture_text("business.yml").replace(
        "Minimal Bakery", "b" * n)}, 2, 7, NAME_MAX, "business.yml"),
    Limit("person name", lambda n: {"people.yml": fixture_text("people.yml").replace(
        "Olga Owner", "o" * n)}, 3, 9, NAME_MAX, "people.yml"),
    Limit("task", lambda n: {R: KEPT + f"tasks:\n  - task: {'t' * n}\n    every: weekly\n"},
          5, 11, NAME_MAX),
    Limit("KPI target", lambda n: {R: KEPT + f"kpis:\n  - name: k\n    target: {'k' * n}\n"
                                   "    every: monthly\n"}, 6, 13, NAME_MAX),
    Limit("procedure title", lambda n: {P: f"title: {'t' * n}\nrole: operations\nsteps: [a]\n"},
          1, 8, NAME_MAX, P),
    Limit("role purpose", lambda n: {R: KEPT + f"purpose: {'p' * n}\n"}, 4, 10, TEXT_MAX),
    Limit("step", lambda n: {P: PROC + f"steps:\n  - {'s' * n}\n"}, 4, 5, TEXT_MAX, P),
    Limit("alt text", lambda n: {**picture(20), P: picture(20)[P].replace(
        "alt: b", f"alt: {'a' * n}")}, 6, 10, TEXT_MAX, P),
    Limit("step id", lambda n: {P: PROC + f"steps:\n  - do: a\n    id: {'i' * n}\n"},
          5, 9, ID_MAX, P),
    Limit("task id", lambda n: {R: KEPT + f"tasks:\n  - task: t\n    id: {'i' * n}\n"
                                "    every: weekly\n"}, 6, 9, ID_MAX),
    Limit("role id (its file name)", lambda n: {f"roles/{'r' * n}.yml": KEPT}, 1, 1, ID_MAX),
    Limit("alias", lambda n: {R: KEPT + f"aliases: [{alias(n)}]\n"}, 4, 11, PATH_MAX),
    Limit("segment of an alias", lambda n: {R: KEPT + f"aliases: [{'a' * n}]\n"}, 4, 11,
          ID_MAX),
    Limit("task link", lambda n: {R: KEPT + "tasks:\n  - task: t\n    every: weekly\n"
                                  f"    link: https://a.example/{'l' * (n - 18)}\n"},
          7, 11, ADDRESS_MAX),
    Limit("picture's path", picture, 5, 12, PATH_MAX, P),
]


@pytest.mark.parametrize("kind", LIMITS, ids=[kind.name for kind in LIMITS])
def test_a_value_at_its_limit_passes(tmp_path: Path, kind: Limit) -> None:
    root = make_playbook(tmp_path, kind.files(kind.limit))
    _, problems = found(root)
    assert [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("kind", LIMITS, ids=[kind.name for kind in LIMITS])
def test_a_value_over_its_limit_is_an_error_at_its_place(tmp_path: Path, kind: Limit) -> None:
    files = kind.files(kind.limit + 1)
    root = make_playbook(tmp_path, files)
    _, problems = found(root)
    file = kind.file if kind.file in files else next(iter(files))
    assert [(p.file, p.line, p.col, p.severity) for p in problems] == [
        (file, kind.line, kind.col, "error")], problems
    assert (f"{kind.limit + 1:,} characters long, over the limit of {kind.limit:,}"
            in problems[0].message)


def test_the_limits_keep_the_checks_in_pydantic_core() -> None:
    """A length constraint placed after the text validator would run in Python for every
    text of every file; before it, pydantic-core checks it with the string itself."""
    from pydantic import TypeAdapter

    from generator.model.records import Name, Prose, SitePath, Text

    for kind, limit in ((Name, NAME_MAX), (Text, TEXT_MAX), (Prose, TEXT_MAX),
                        (SitePath, PATH_MAX)):
        schema = TypeAdapter(kind).core_schema
        assert schema["type"] == "function-before"
        inner = {key: schema["schema"].get(key) for key in ("type", "min_length", "max_length")}
        assert inner == {"type": "str", "min_length": 1, "max_length": limit}


def _playbook_command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("playbook")
    return subprocess.run([str(script), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_a_huge_title_is_refused_in_one_short_line(tmp_path: Path) -> None:
    """A 1 MB title made a 93 MB site; now it is an error that does not quote it."""
    title = "t" * 1_000_000
    make_playbook(tmp_path, {R: f"title: {title}\nsourcing: keep\nreason: r\n"})
    done = _playbook_command("check", "playbook", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "playbook/roles/x.yml:1:8: error: title: 1,000,000 characters long, over the limit of "
        f"{NAME_MAX}; shorten it")
    assert len(done.stdout) + len(done.stderr) < 1000


LONG_ALIAS = "a" * 300
"""An alias that passed the check, then killed the build with 'File name too long'."""


def test_a_300_character_alias_is_a_check_error(tmp_path: Path) -> None:
    make_playbook(tmp_path, {R: KEPT + f"aliases: [{LONG_ALIAS}]\n"})
    done = _playbook_command("check", "playbook", cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in output, output
    assert ("playbook/roles/x.yml:4:11: error: aliases[0]: 300 characters long, over the limit "
            f"of {PATH_MAX}; shorten it") in done.stdout.splitlines()


def test_a_300_character_alias_stops_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    make_playbook(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    assert run_build(tmp_path).returncode == 0
    before = (tmp_path / "site/index.html").read_bytes()
    role = tmp_path / "playbook/roles/social-media.yml"
    role.write_text(role.read_text(encoding="utf-8") + f"aliases: [{LONG_ALIAS}]\n",
                    encoding="utf-8")
    build = run_build(tmp_path)
    assert build.returncode != 0 and "Traceback" not in build.output, build.output
    assert "roles/social-media.yml:21:11: error: aliases[0]: 300 characters long" in build.output
    assert (tmp_path / "site/index.html").read_bytes() == before


def test_a_file_the_build_cannot_write_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """Any OSError while MkDocs writes the site (here a hand-written file named `calendar`
    where the calendars' folder goes) is one line, and the last good site stays."""
    make_playbook(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    assert run_build(tmp_path).returncode == 0
    before = (tmp_path / "site/index.html").read_bytes()
    (tmp_path / "docs/calendar").write_text("not a folder\n", encoding="utf-8")
    build = run_build(tmp_path)
    assert build.returncode != 0 and "Traceback" not in build.output, build.output
    assert "Error: the site could not be written (an earlier site is left as it was): " \
        "[Errno 17] File exists: " in build.output
    assert (tmp_path / "site/index.html").read_bytes() == before



def test_the_nav_stays_the_same_size_with_many_departments(tmp_path: Path) -> None:
    """Every page renders the whole nav: listing every one of hundreds of departments (roles
    without a parent) there made each page grow with the playbook, and the site with its
    square. Above FULL_NAV_LIMIT of them the nav lists none; the org chart leads to them."""
    from generator.pages.navigation import FULL_NAV_LIMIT

    make_playbook(tmp_path, {f"roles/d{n}.yml": KEPT for n in range(FULL_NAV_LIMIT)})
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    build = run_build(tmp_path)
    assert build.returncode == 0, build.output
    for url in ("", "roles/d7/", "roles/social-media/"):
        nav = build.page(url).select_one("nav.md-nav--primary")
        assert nav is not None
        assert [a["href"] for a in nav.select("a[href*='roles/']")] == [], url
    chart = build.page("org-chart/")
    assert chart.select_one("a[href$='roles/d7/']") is not None
