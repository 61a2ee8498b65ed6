"""`mkdocs serve` and `playbook serve` in the browser: an edit to a role's YAML shows up by
itself (live reload); a bad edit leaves the last good page served and the error, with its
place, in the log."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, mkdocs_serve
from playwright.sync_api import Browser, expect

from .conftest import DESKTOP, open_tab

NEW_TITLE = "Paid search management"


@dataclass
class Served:
    project: Path
    url: str
    log: Path


SERVERS = {"mkdocs serve": None,
           "playbook serve": (str(Path(sys.executable).with_name("playbook")),)}
"""Each server a preview runs under: the engine's (mkdocs, or properdocs with
PLAYBOOK_RUNNER), or ours, which takes the same --dev-addr."""


@pytest.fixture(params=list(SERVERS))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """The example (playbook/, docs/, mkdocs.yml) copied to tmp_path, under each server."""
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    command = SERVERS[request.param]
    with (mkdocs_serve(project) if command is None else mkdocs_serve(project, command=command)
          ) as (url, log):
        yield Served(project, url, log)


def test_edit_reloads_the_page_and_bad_edit_keeps_it(browser: Browser, served: Served) -> None:
    with open_tab(browser, served.url, viewport=DESKTOP) as tab:
        page = tab.page
        page.goto(served.url)
        heading = page.locator("article h1")
        expect(heading).to_contain_text("PPC management")

        role = served.project / "playbook/roles/ppc.yml"
        text = role.read_text(encoding="utf-8")
        assert "title: PPC management\n" in text
        started = time.monotonic()
        role.write_text(text.replace("title: PPC management", f"title: {NEW_TITLE}"),
                        encoding="utf-8")
        # No reload from the test: the server's live-reload script reloads the page itself.
        expect(heading).to_contain_text(NEW_TITLE, timeout=15_000)
        print(f"edit shown in the browser after {time.monotonic() - started:.1f} s")

        role.write_text("title: [unclosed\n", encoding="utf-8")
        deadline = time.monotonic() + 15
        while "playbook/roles/ppc.yml:1:8: error: invalid YAML: close the bracket [" not in (
                served.log.read_text()):
            assert time.monotonic() < deadline, served.log.read_text()
            time.sleep(0.2)
        # The open page may be reloaded by livereload now, so check it with a retrying
        # assertion, and ask the server in a fresh page instead of racing it with a reload.
        expect(heading).to_contain_text(NEW_TITLE)
        fresh = page.context.new_page()
        response = fresh.goto(served.url)
        assert response is not None and response.status == 200
        expect(fresh.locator("article h1")).to_contain_text(NEW_TITLE)
        tab.watch.assert_clean()
    assert "Traceback" not in served.log.read_text()
