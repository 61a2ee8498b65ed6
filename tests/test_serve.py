"""`mkdocs serve` rebuilds on playbook edits and survives a bad one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
            assert _wait_for(lambda: "PPC" in _fetch(url), 60), log.read_text()
            yield project, url, log
        finally:
            process.terminate()
            process.wait(timeout=20)


def test_edit_shows_up_and_bad_edit_keeps_last_good_site(served) -> None:
    project, url, log = served
    role = project / "playbook/roles/ppc.yml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("title: PPC management", "title: Paid search management"),
                    encoding="utf-8")
    assert _wait_for(lambda: "Paid search management" in _fetch(url), 15), log.read_text()

    role.write_text("title: [unclosed\n", encoding="utf-8")
    assert _wait_for(lambda: "playbook/roles/ppc.yml:2:1" in log.read_text(), 15), log.read_text()
    assert "Paid search management" in _fetch(url)
    assert "Traceback" not in log.read_text()
