"""render.py's template environments."""

from __future__ import annotations

import subprocess
import sys


def test_importing_render_builds_no_template_environment() -> None:
    """The environments are made whole on first use, by one function each, not by
    statements run while the module is imported."""
    script = ("import generator.pages.render as render\n"
              "made = [env.cache_info().currsize for env in "
              "(render._markdown_env, render._html_env)]\n"
              "assert made == [0, 0], made\n"
              "assert render._html_env().filters['initials']('Ada Lovelace') == 'AL'\n"
              "assert render._markdown_env().filters['initials']('Ada Lovelace') == 'AL'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
