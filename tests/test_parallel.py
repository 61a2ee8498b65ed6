"""The forked helper: same results with or without it, whatever the child does.

Each scenario (tests/parallel_cases.py) runs in a fresh interpreter, where only one
thread runs and so the helper may fork."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("case", [
    "split_at_forty_percent", "split_child_slow", "split_small", "split_disabled",
    "split_child_dies", "split_child_raises", "split_parent_raises", "split_on_one_cpu",
    "split_with_threads",
    "prerender_hands_over", "prerender_child_gone", "prerender_small_site",
])
def test_scenario(case: str) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "PLAYBOOK_NO_FORK"}
    done = subprocess.run([sys.executable, str(HERE / "parallel_cases.py"), case],
                          capture_output=True, text=True, timeout=60, env=environment)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "ok\n"
    assert done.stderr == "", "no traceback or warning from a child"
