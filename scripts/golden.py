"""The golden baseline: every file the builds write, byte for byte (tests/test_golden.py).

Two playbooks (the example with its own pages from docs/, and the staffed fixture), both
audiences, through both engines' paths (the plugin in `mkdocs build`; `playbook render`,
then a plain `mkdocs build` of the export), each with and without the forked helper
(PLAYBOOK_NO_FORK=1). A restructure that keeps the code's behaviour keeps every one of these
files; tests/fixtures/golden/ holds one manifest per fixture, audience and engine (path,
sha256, and a short hash of each line of the pages, so that a difference can be shown
at its first line). Both fork settings must match the same manifest: the fork may change
only how long a build takes (generator/runtime/parallel.py).

What would make two builds of the same input differ is fixed here, on purpose:
- today's date (PLAYBOOK_TODAY) and the build time (SOURCE_DATE_EPOCH: the sitemap's dates
  and the gzip header of sitemap.xml.gz);
- the git history (role pages' "Changes", the feeds): each copy is committed in a new
  repository with fixed names and dates, so the commits' ids are the same on every machine,
  the history code is guarded too, and no repository the temporary folder may sit in is
  read (the example in two commits, the staffed fixture in one);
- the folder: each build runs in a new temporary folder;
- the time zone: the builds with the fork run at UTC+14, those without at UTC-11, and both
  must match one manifest.

Usage: .venv/bin/python scripts/golden.py [--update] [--no-fork-only | --fork-only] [NAME ...]
(NAME as in tests/fixtures/golden/NAME.json). Without --update it compares and exits 1 on a
difference, naming the files; --update rewrites the manifests after a deliberate change
(review the pages first). It runs all the builds; `make test` runs the builds with the fork.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/fixtures/golden"
PLAYBOOKS = {"example": ROOT / "playbook", "staffed": ROOT / "tests/fixtures/staffed"}
AUDIENCES = ("public", "internal")
ENGINES = ("plugin", "render")
TODAY = "2026-11-23"
EPOCH = "1795435200"
"""2026-11-23 08:00 UTC: the build time the sitemaps carry."""
ZONES = {True: "XST-14", False: "YST11"}
"""POSIX time zones (no tz database needed) far apart: a build that read the local clock's
zone would differ between the two fork settings."""
LINE_HASH = 2
"""Bytes of each line's hash: enough to place the first difference (the whole file's
sha256 decides whether it differs), few enough to keep the manifests small."""
STAFFED_MKDOCS_YML = """\
site_name: Ridgeline Heating & Air playbook
strict: true
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
"""
"""The staffed fixture's site: no site_url (the example has one), no hand-written pages."""
TIMEOUT = 600
"""Seconds after which a build counts as hung."""
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Case:
    """One stored manifest: a playbook, an audience, an engine's path."""

    playbook: str
    audience: str
    engine: str

    @property
    def name(self) -> str:
        return f"{self.playbook}-{self.audience}-{self.engine}"

    @property
    def path(self) -> Path:
        return GOLDEN / f"{self.name}.json"


CASES = [Case(p, a, e) for p in PLAYBOOKS for a in AUDIENCES for e in ENGINES]


def env(*, audience: str, fork: bool) -> dict[str, str]:
    """The build's environment: the user's, with the clock, zone and fork fixed."""
    fixed = {"PLAYBOOK_TODAY": TODAY, "SOURCE_DATE_EPOCH": EPOCH, "TZ": ZONES[fork],
             "PLAYBOOK_AUDIENCE": audience, "NO_MKDOCS_2_WARNING": "1",
             "DISABLE_MKDOCS_2_WARNING": "true"}
    base = {k: v for k, v in os.environ.items() if k not in ("PLAYBOOK_NO_FORK",)
            and not k.startswith("GIT_")}
    return {**base, **fixed, **({} if fork else {"PLAYBOOK_NO_FORK": "1"})}


MANUAL = ("guide.md", "manual")
"""This project's documentation in docs/, left out of the example's baseline."""


def project(playbook: str, folder: Path) -> Path:
    """The playbook's MkDocs project in folder, in a git repository of its own."""
    root = folder / "project"
    shutil.copytree(PLAYBOOKS[playbook], root / "playbook")
    if playbook == "example":
        # The example's own pages, not this project's manual: editing the manual must not
        # move the baseline that guards the code.
        shutil.copytree(ROOT / "docs", root / "docs", ignore=lambda folder, names: [
            name for name in names if Path(folder) == ROOT / "docs" and name in MANUAL])
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        _history(root)
    else:
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text(STAFFED_MKDOCS_YML, encoding="utf-8")
        _git(root, FIRST, "init", "-q")
        _git(root, FIRST, "add", "playbook")
        _git(root, FIRST, "commit", "-q", "-m", "The playbook")
    return root


GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Golden", "GIT_AUTHOR_EMAIL": "golden@example.org",
           "GIT_COMMITTER_NAME": "Golden", "GIT_COMMITTER_EMAIL": "golden@example.org"}
FIRST, SECOND = "2026-10-01T09:00:00+00:00", "2026-11-02T14:30:00+00:00"


def _history(root: Path) -> None:
    """Two commits: the example with the PPC role under an older title and without the
    procedures, then the example as it is. Fixed names, dates and contents give the same
    commit ids everywhere."""
    role = root / "playbook/roles/ppc.yml"
    now = role.read_text(encoding="utf-8")
    assert "title: PPC management" in now, "the example's PPC role changed its title"
    role.write_text(now.replace("title: PPC management", "title: Paid ads"), encoding="utf-8")
    _git(root, FIRST, "init", "-q")
    _git(root, FIRST, "add", "playbook/roles", "playbook/business.yml",
         "playbook/people.yml")
    _git(root, FIRST, "commit", "-q", "-m", "The first roles")
    role.write_text(now, encoding="utf-8")
    _git(root, SECOND, "add", "playbook")
    _git(root, SECOND, "commit", "-q", "-m", "Procedures; PPC renamed")


def _git(root: Path, when: str, *args: str) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                    "-c", "core.autocrlf=false", *args], cwd=root, check=True, timeout=TIMEOUT,
                   env={**base, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def _run(command: list[str], root: Path, environment: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=TIMEOUT,
                          env=environment)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {root}:\n{done.stdout}{done.stderr}")


def build(case: Case, *, fork: bool, folder: Path) -> Path:
    """Build case in folder; the folder whose files the manifest lists."""
    root = project(case.playbook, folder)
    environment = env(audience=case.audience, fork=fork)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    if case.engine == "plugin":
        _run(mkdocs, root, environment)
        return root / "site"
    _run([str(BIN / "playbook"), "render", "playbook", "--out", "export", "--audience",
          case.audience], root, environment)
    _run([*mkdocs, "-f", "export/mkdocs.yml"], root, environment)
    return root / "export"  # its pages, its mkdocs.yml, and the site built from them (site/)


def _line_hashes(data: bytes) -> list[bytes]:
    return [hashlib.sha256(line).digest()[:LINE_HASH] for line in data.split(b"\n")]


def manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Every file under folder: its sha256 and, for a page, its lines' short hashes."""
    files: dict[str, dict[str, str]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            entry = {"sha256": hashlib.sha256(data).hexdigest()}
            if path.suffix == ".html":
                entry["lines"] = base64.b64encode(b"".join(_line_hashes(data))).decode()
            files[path.relative_to(folder).as_posix()] = entry
    return files


def differences(expected: dict[str, dict[str, str]], folder: Path) -> list[str]:
    """What differs between the stored manifest and the files in folder, file by file; for
    a page, its first differing line as it now reads."""
    found = manifest(folder)
    lines = [f"missing: {p}" for p in sorted(expected.keys() - found.keys())]
    lines += [f"new: {p}" for p in sorted(found.keys() - expected.keys())]
    for path in sorted(expected.keys() & found.keys()):
        if expected[path]["sha256"] != found[path]["sha256"]:
            lines.append(f"differs: {path}{_first_line(expected[path], folder / path)}")
    return lines


def _first_line(expected: dict[str, str], path: Path) -> str:
    if "lines" not in expected:
        return ""
    packed = base64.b64decode(expected["lines"])
    was = [packed[i:i + LINE_HASH] for i in range(0, len(packed), LINE_HASH)]
    data = path.read_bytes()
    now = data.split(b"\n")
    for number, (line, digest) in enumerate(zip(now, _line_hashes(data), strict=True), 1):
        if number > len(was) or digest != was[number - 1]:
            return f", first at line {number}, which now reads: {line.decode('utf-8', 'replace')!r}"
    if len(now) < len(was):
        return f", which now ends after line {len(now)} (it had {len(was)} lines)"
    return ", though no line's short hash differs: compare the file whole"


def stored(case: Case) -> dict[str, dict[str, str]]:
    """The stored manifest of case."""
    files: dict[str, dict[str, str]] = json.loads(case.path.read_text(encoding="utf-8"))["files"]
    return files


def store(case: Case, folder: Path) -> None:
    """Write case's manifest from the files in folder."""
    GOLDEN.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"case": case.name, "today": TODAY, "source_date_epoch": EPOCH,
                       "files": manifest(folder)}, indent=1, sort_keys=True)
    case.path.write_text(text + "\n", encoding="utf-8")


def builds(cases: list[Case], forks: tuple[bool, ...]) -> Iterator[tuple[Case, bool, Path]]:
    """Each case built with each fork setting, in a new temporary folder (removed after)."""
    for case in cases:
        for fork in forks:
            with tempfile.TemporaryDirectory(prefix=f"golden-{case.name}-") as temp:
                yield case, fork, build(case, fork=fork, folder=Path(temp))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="manifests to build (default: all)")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the manifests from the builds without the fork, then "
                        "check the builds with the fork against them")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--fork-only", action="store_true")
    only.add_argument("--no-fork-only", action="store_true")
    args = parser.parse_args()
    known = {case.name: case for case in CASES}
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"unknown {', '.join(unknown)}; expected some of: {', '.join(known)}")
    cases = [known[name] for name in args.names] or CASES
    forks = (True,) if args.fork_only else (False,) if args.no_fork_only else (False, True)
    failed = 0
    for case, fork, folder in builds(cases, forks):
        label = f"{case.name} ({'with' if fork else 'without'} the fork)"
        if args.update and (not fork or forks == (True,)):
            store(case, folder)
            print(f"wrote {case.path.relative_to(ROOT)} from {label}")
            continue
        if not case.path.is_file():
            print(f"{label}: no manifest {case.path.relative_to(ROOT)} yet (--update writes it)")
            failed += 1
            continue
        found = differences(stored(case), folder)
        failed += bool(found)
        print(f"{label}: " + ("\n  ".join(["differs", *found]) if found else "same"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
