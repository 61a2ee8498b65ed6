"""Builds never take the site down: `site/` always holds a whole site, the last good one
or the new one, whatever happens to the build (publish.py and the plugin's use of it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import runner
from conftest import run_build

from generator.engines.publish import Staging, remove_stale

ROLES = 120
"""Big enough that a build takes a few seconds, small enough for CI."""


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def names(site: Path) -> set[str]:
    found = set()
    for folder, _, files in os.walk(site):
        found.update(os.path.relpath(os.path.join(folder, name), site) for name in files)
    return found


def staging_folders(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if ".partial-" in p.name)


@pytest.fixture
def big_project(project_factory: Callable[..., Path], tmp_path: Path) -> Path:
    """A project of ROLES roles with its last good site built."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    project = project_factory(generate(tmp_path / "big", ROLES))
    build = run_build(project)
    assert build.returncode == 0, build.output
    return project


def start_build(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(runner.command("build", "--strict"), cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=runner.env(), start_new_session=True)  # a group: kill the fork too


def wait_for_pages(project: Path, build: subprocess.Popen[str]) -> None:
    """Until the build has written some pages into its staging folder."""
    deadline = time.monotonic() + 300  # only a hang takes this long
    while time.monotonic() < deadline and build.poll() is None:
        for folder in project.glob(".site.partial-*/roles"):
            if sum(1 for _ in folder.glob("*/index.html")) > 10:
                return
        time.sleep(0.01)
    raise AssertionError("the build ended before it wrote pages, or hung")


def test_staging_replaces_the_site_and_discarding_keeps_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    failed = Staging(site)
    (failed.folder / "index.html").write_text("half", encoding="utf-8")
    failed.discard()
    assert tree(site) == {"index.html": b"old"}
    staging = Staging(site)
    (staging.folder / "index.html").write_text("new", encoding="utf-8")
    staging.publish()
    assert tree(site) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_dead_builds_staging_folder_is_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / f".site.partial-{dead}").mkdir()
    (tmp_path / f".site.partial-{dead}.old").mkdir()
    live = tmp_path / f".site.partial-{os.getppid()}"
    live.mkdir()
    remove_stale(tmp_path / "site")
    assert [p.name for p in tmp_path.iterdir()] == [live.name]


def test_the_site_folder_is_whole_at_every_moment_of_a_rebuild(big_project: Path) -> None:
    expected = names(big_project / "site")
    assert len(expected) > 300
    build = start_build(big_project)
    polls = 0
    while build.poll() is None:
        assert names(big_project / "site") == expected
        polls += 1
    output = build.communicate()[0]
    assert build.returncode == 0, output
    assert polls > 20, "the rebuild was watched while it ran"
    assert names(big_project / "site") == expected
    assert staging_folders(big_project) == []


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "interrupted"])
def test_a_build_stopped_halfway_leaves_the_last_good_site(big_project: Path,
                                                           how: signal.Signals) -> None:
    good = tree(big_project / "site")
    (big_project / "playbook" / "business.yml").write_text(
        (big_project / "playbook" / "business.yml").read_text("utf-8").replace(
            "Synthetic Holdings", "Renamed Holdings"), encoding="utf-8")
    build = start_build(big_project)
    wait_for_pages(big_project, build)
    os.killpg(build.pid, how)
    build.communicate(timeout=300)
    assert build.returncode != 0
    assert tree(big_project / "site") == good
    # Ctrl-C cleans up at once; a killed build's folder goes at the next build.
    assert len(staging_folders(big_project)) == (1 if how is signal.SIGKILL else 0)
    rebuilt = run_build(big_project)
    assert rebuilt.returncode == 0, rebuilt.output
    assert "Renamed Holdings" in (big_project / "site" / "index.html").read_text("utf-8")
    assert staging_folders(big_project) == []


def test_a_build_failed_by_strict_warnings_leaves_the_last_good_site(
        project_factory: Callable[..., Path]) -> None:
    project = project_factory(docs={"extra.md": "# Extra\n"})
    assert run_build(project).returncode == 0
    good = tree(project / "site")
    (project / "docs" / "extra.md").write_text("# Extra\n\n[gone](gone.md)\n", encoding="utf-8")
    failed = run_build(project)
    assert failed.returncode == 1
    assert "Aborted with 1 warnings in strict mode" in failed.output
    assert tree(project / "site") == good
    assert staging_folders(project) == []


def test_dirty_builds_and_other_site_folders_still_work(
        project_factory: Callable[..., Path]) -> None:
    project = project_factory(docs={"extra.md": "# Extra\n"})
    assert run_build(project, "--site-dir", "site-internal").returncode == 0
    (project / "docs" / "extra.md").write_text("# Changed\n", encoding="utf-8")
    dirty = subprocess.run(runner.command("build", "--dirty", "--site-dir", "site-internal"),
                           cwd=project, capture_output=True, text=True, timeout=300,
                           env=runner.env())
    assert dirty.returncode == 0, dirty.stderr
    site = project / "site-internal"
    assert "Changed" in (site / "extra" / "index.html").read_text("utf-8")
    assert (site / "roles" / "ppc" / "index.html").is_file(), "unchanged pages are kept"
    assert staging_folders(project) == []
    assert not (project / "site").exists()
