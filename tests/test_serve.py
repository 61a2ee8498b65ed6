"""`mkdocs serve` rebuilds on playbook edits and survives a bad one."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import mkdocs_serve


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def served(project_factory: Callable[..., Path]):
    project = project_factory()
    with mkdocs_serve(project) as (url, log):
        assert "PPC" in _fetch(url)
        yield project, url, log


def test_edit_shows_up_and_bad_edit_keeps_last_good_site(served) -> None:
    project, url, log = served
    role = project / "playbook/roles/ppc.yml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("title: PPC management", "title: Paid search management"),
                    encoding="utf-8")
    assert _wait_for(lambda: "Paid search management" in _fetch(url), 15), log.read_text()

    role.write_text("title: [unclosed\n", encoding="utf-8")
    reported = "playbook/roles/ppc.yml:1:8: error: invalid YAML: close the bracket ["
    assert _wait_for(lambda: reported in log.read_text(), 15), log.read_text()
    assert "Paid search management" in _fetch(url)
    assert "Traceback" not in log.read_text()
