"""`mkdocs serve` in the browser: an edit to a role's YAML shows up by itself (livereload);
a bad edit leaves the last good page served and the error, with its place, in the log."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from playwright.sync_api import Browser, expect

from .conftest import DESKTOP, open_tab

NEW_TITLE = "Paid search management"


@dataclass
class Served:
    project: Path
    url: str
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The example (playbook/, docs/, mkdocs.yml) copied to tmp_path, under `mkdocs serve`."""
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    port = _free_port()
    log = project / "serve.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=stream, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        try:
            url = f"http://127.0.0.1:{port}/roles/ppc/"
            deadline = time.monotonic() + 60
            while not _answers(url):
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            yield Served(project, url, log)
        finally:
            process.terminate()
            process.wait(timeout=20)


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
        # No reload from the test: MkDocs' livereload script reloads the page itself.
        expect(heading).to_contain_text(NEW_TITLE, timeout=15_000)
        print(f"edit shown in the browser after {time.monotonic() - started:.1f} s")

        role.write_text("title: [unclosed\n", encoding="utf-8")
        deadline = time.monotonic() + 15
        while "playbook/roles/ppc.yml:2:1" not in served.log.read_text():
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
