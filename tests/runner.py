"""The one place where the tests (and the benchmark) choose the engine that runs the plugin.

`PLAYBOOK_RUNNER=mkdocs` (the default) runs MkDocs 1.6; `PLAYBOOK_RUNNER=properdocs` runs
ProperDocs, the continuation of MkDocs 1.x (`make test-properdocs`). Every build or serve
command a test starts comes from `command()`, so the same tests, with the same assertions,
run under either engine:

    subprocess.run(runner.command("build", "--strict"), cwd=project, env=runner.env())
"""

from __future__ import annotations

import importlib
import os
import sys

RUNNERS = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}
"""The module each runner is started as (`python -m mkdocs`), and its name for people."""
NAME = os.environ.get("PLAYBOOK_RUNNER", "mkdocs").strip().lower() or "mkdocs"
if NAME not in RUNNERS:
    raise SystemExit(f"PLAYBOOK_RUNNER: expected one of: {', '.join(RUNNERS)} "
                     f"but received: {NAME!r}")


def command(*args: str, python: str = sys.executable, runner: str = NAME) -> list[str]:
    """The command line that runs the engine, as a user would: `python -m mkdocs build`."""
    return [python, "-m", runner, *args]


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The user's environment, without the end-of-life notices that MkDocs 1.6 and
    Material print at every start (they would bury the output the tests read)."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
            **(extra or {})}


def version(runner: str = NAME) -> str:
    """The engine's name and version, such as 'ProperDocs 1.6.7'."""
    module = importlib.import_module(runner)
    return f"{RUNNERS[runner]} {module.__version__}"


def activate() -> None:
    """Make in-process imports of `mkdocs.*` (a test's `MkDocsConfig`, the plugin's own
    imports) resolve to the chosen engine, as they do inside a `properdocs` command.

    ProperDocs ships this redirection (`properdocs.replacement`); it has to run before
    anything imports `mkdocs`, so conftest.py calls this first. Under MkDocs it does nothing.
    """
    if NAME == "properdocs":
        if "mkdocs" in sys.modules and sys.modules["mkdocs"].__name__ != "properdocs":
            raise RuntimeError("mkdocs was imported before the runner could redirect it")
        importlib.import_module("properdocs.replacement")
