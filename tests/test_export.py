"""`playbook render`: the export any MkDocs-compatible engine builds, kept up to date by
writing only what changed (so a live preview of it rebuilds only that), and `--watch`."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, ROOT, make_project, run_build
from test_cli import COMMAND

from generator.engines.export import MANIFEST, read_config
from generator.errors import ExportError, ScaffoldError
from generator.pages.site_config import PLACEHOLDER

DAY = {"PLAYBOOK_TODAY": "2026-11-23"}


def render(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, "render", "playbook", "--out", "export", *args],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **DAY})


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under folder: its content and modification time."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The repository's own project: mkdocs.yml, docs/ (with the placeholder home page) and
    the example playbook."""
    project = make_project(tmp_path, EXAMPLE, mkdocs_yml=(ROOT / "mkdocs.yml").read_text())
    shutil.copytree(ROOT / "docs", project / "docs", dirs_exist_ok=True)
    return project


def test_a_second_render_writes_nothing_and_an_edit_writes_what_it_changes(
        project: Path) -> None:
    first = render(project)
    assert first.returncode == 0, first.stderr
    export = project / "export"
    before = tree(export)
    assert f"{len(before) - 1} files ({len(before) - 1} written, 0 removed" in first.stdout
    again = render(project)
    assert again.returncode == 0, again.stderr
    assert "(0 written, 0 removed" in again.stdout
    assert tree(export) == before, "an unchanged file was written again"

    role = project / "playbook/roles/ppc.yml"
    role.write_text(role.read_text().replace("title: PPC management", "title: Paid search"))
    edited = render(project)
    assert edited.returncode == 0, edited.stderr
    after = tree(export)
    changed = {path for path in before if after[path] != before[path]}
    assert "docs/roles/ppc.md" in changed and "docs/org-chart.md" in changed
    assert changed < set(before) - {"docs/roles/graphics.md", "docs/guide.md"}, \
        "pages the edit did not change stay as they were"


def test_files_no_longer_generated_go_and_the_users_files_stay(project: Path) -> None:
    assert render(project).returncode == 0
    export = project / "export"
    (export / "notes.txt").write_text("mine\n")
    (export / "docs/extra.md").write_text("# Mine\n")
    (project / "docs/working-with-us.md").unlink()
    done = render(project)
    assert done.returncode == 0, done.stderr
    assert "1 removed" in done.stdout
    assert not (export / "docs/working-with-us.md").exists()
    assert (export / "notes.txt").read_text() == "mine\n"
    assert (export / "docs/extra.md").read_text() == "# Mine\n"
    assert "docs/working-with-us.md" not in (export / MANIFEST).read_text()


def test_a_folder_no_render_wrote_is_left_alone_without_force(project: Path) -> None:
    (project / "export").mkdir()
    (project / "export/site.html").write_text("old\n")
    refused = render(project)
    assert refused.returncode == 1
    assert "not empty and no render wrote it" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(p.name for p in (project / "export").iterdir()) == ["site.html"]
    forced = render(project, "--force")
    assert forced.returncode == 0, forced.stderr
    assert (project / "export/site.html").read_text() == "old\n"
    assert (project / "export/docs/roles/ppc.md").is_file()


def test_a_playbook_with_errors_leaves_the_last_export_as_it_was(project: Path) -> None:
    assert render(project).returncode == 0
    before = tree(project / "export")
    role = project / "playbook/roles/ppc.yml"
    role.write_text(role.read_text().replace("sourcing: outsource", "sourcing: sometimes"))
    done = render(project)
    assert done.returncode == 1
    assert "playbook/roles/ppc.yml:" in done.stderr and "sourcing" in done.stderr
    assert "left as it was" in done.stderr and "Traceback" not in done.stderr
    assert tree(project / "export") == before


def test_a_config_yaml_cannot_read_is_an_error_at_its_line(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_css: [oops\n")
    done = render(project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert re.search(r"(?m)^error: mkdocs\.yml:\d+:\d+: not valid YAML", done.stderr), done.stderr
    assert not (project / "export").exists()


@pytest.mark.parametrize(("text", "message"), [
    ("site_name: [oops\n", r"mkdocs\.yml:\d+:\d+: not valid YAML"),
    ("- a list\n", r"mkdocs\.yml:1:1: expected the settings of a MkDocs site"),
    ("docs_dir: [a]\n", r"mkdocs\.yml: docs_dir must be a folder name"),
])
def test_a_config_the_export_cannot_use_is_its_own_error(tmp_path: Path, text: str,
                                                         message: str) -> None:
    """Not a scaffold command's error: the render's own, which the CLI prints as one line."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ExportError, match=message) as caught:
        read_config(config)
    assert not isinstance(caught.value, ScaffoldError)


@pytest.mark.parametrize("out", [".", "docs", "docs/export", "playbook", "playbook/site", ".."])
def test_the_export_never_goes_over_its_own_sources(project: Path, out: str) -> None:
    """Not even with --force: over the project it would replace mkdocs.yml and the home
    page, inside docs/ it would copy itself into itself on every render."""
    before = tree(project)
    done = subprocess.run([*COMMAND, "render", "playbook", "--out", out, "--force"],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **DAY})
    assert done.returncode == 1, done.stdout
    assert "a source of the export; render into a folder of its own" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree(project) == before


def test_the_config_names_the_engines_and_looks_like_material_under_zensical(
        project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: Short\ntheme: material\n"
                                        "plugins: [search, playbook]\n")
    assert render(project).returncode == 0
    text = (project / "export/mkdocs.yml").read_text()
    for command in ("mkdocs build", "properdocs build", "zensical build"):
        assert command in text
    config = yaml.safe_load(text)
    assert config["theme"] == {"name": "material", "font": False, "variant": "classic"}
    assert config["plugins"] == ["search"]
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert {"attr_list", "md_in_html", "admonition", "toc"} <= set(names), \
        "the extensions the plugin would have added"


def test_the_placeholder_home_page_gives_way_to_the_generated_one(project: Path) -> None:
    assert (project / "docs/index.md").read_text().startswith(PLACEHOLDER)
    assert render(project).returncode == 0
    home = (project / "export/docs/index.md").read_text()
    assert PLACEHOLDER not in home and "Backyard Hive Academy" in home
    build = run_build(project)  # the plugin, too, builds the generated home page
    assert build.returncode == 0, build.output
    assert "playbook render" not in (build.site / "index.html").read_text()


def test_any_other_hand_written_page_at_a_generated_path_is_an_error(project: Path) -> None:
    (project / "docs/org-chart.md").write_text("# My chart\n")
    done = render(project)
    assert done.returncode == 1
    assert "org-chart.md is hand-written, but the playbook generates the same page" in done.stderr


def test_the_scaffold_and_this_repository_share_the_placeholder() -> None:
    scaffold = ROOT / "generator/templates/scaffold/project/index.md"
    assert (ROOT / "docs/index.md").read_text() == scaffold.read_text()


def test_watch_renders_each_edit_and_stops_cleanly_on_ctrl_c(project: Path) -> None:
    log = (project / "err.log").open("w")  # read while it runs
    watcher = subprocess.Popen([*COMMAND, "render", "playbook", "--out", "export", "--watch"],
                               cwd=project, stdout=subprocess.PIPE, stderr=log,
                               text=True, env={**os.environ, **DAY})
    page = project / "export/docs/roles/ppc.md"
    try:
        _wait(lambda: (project / "export" / MANIFEST).is_file())
        time.sleep(1)  # the first render is done; the watching starts
        role = project / "playbook/roles/ppc.yml"
        role.write_text(role.read_text().replace("title: PPC management", "title: Paid search"))
        _wait(lambda: "# Paid search" in page.read_text())
        role.write_text(role.read_text().replace("sourcing: outsource", "sourcing: sometimes"))
        time.sleep(2)  # the bad edit is reported; the page stays as it was
        assert "# Paid search" in page.read_text()
        config = project / "mkdocs.yml"
        good = config.read_text()
        config.write_text(good + "extra_css: [oops\n")  # saved half-edited
        role.write_text(role.read_text().replace("sourcing: sometimes", "sourcing: outsource"))
        _wait(lambda: "not valid YAML" in (project / "err.log").read_text())
        config.write_text(good)
        role.write_text(role.read_text().replace("title: Paid search", "title: Paid search ads"))
        _wait(lambda: "# Paid search ads" in page.read_text())  # it watched on
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.communicate(timeout=60)
        log.close()
    err = (project / "err.log").read_text()
    assert watcher.returncode == 0, err
    assert "Traceback" not in err
    assert "playbook/roles/ppc.yml:" in err and "stopped watching" in err
    assert re.search(r"mkdocs\.yml:\d+:\d+: not valid YAML", err), err


def _wait(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
