"""The whole pipeline up to the figures: load -> validate -> analyse.

The CLI and the MkDocs plugin both call `check()`, so a playbook that passes
`playbook check` is exactly a playbook that builds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import media
from .analysis import Analysis, analyse, readiness_problems, review_problems
from .errors import Problem, Severity
from .loader import Parsed, load
from .validate import Playbook, validate


@dataclass
class Checked:
    """The result of checking a playbook folder."""

    playbook: Playbook | None
    analysis: Analysis | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def failed(self, *, strict: bool = False) -> bool:
        """True when the playbook cannot be built (or has warnings, in strict mode)."""
        return bool(self.errors) or (strict and bool(self.warnings))


def check(root: Path, *, today: date | None = None, cache: Path | None = None,
          parsed: Parsed | None = None) -> Checked:
    """Load, validate and analyse the playbook in `root`, collecting every problem.

    With `today`, SOPs whose review is past due are warnings too. The site build
    leaves it out, so that an example playbook does not stop building as the
    calendar moves on; the internal site shows overdue reviews as banners instead.
    With `cache`, a folder, files parsed by an earlier check come from there
    (parse_cache.py); `playbook check` passes one, the site build does not. `parsed`
    keeps the files parsed from one check to the next (loader.Parsed, `playbook serve`).
    """
    with no_gc():
        return _check(root, today, cache, parsed)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading builds hundreds of thousands of small
    long-lived objects, which it would rescan again and again (40% of the time of a check
    at 3,000 roles). Reference counting frees as usual. On the way out the survivors,
    the checked playbook above all, are frozen (`gc.freeze`) rather than scanned all at
    once as the collector resumes (10% of a check): they live as long as the command or
    the build, and the plugin hands them back (`gc.unfreeze`) when its build ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _check(root: Path, today: date | None, cache: Path | None, parsed: Parsed | None
           ) -> Checked:
    playbook, problems = validate(load(root, cache=cache, parsed=parsed))
    if playbook is None:
        return Checked(None, None, sorted(problems))
    analysis = analyse(playbook)
    problems = problems + readiness_problems(playbook, analysis)
    problems += media.unused(root, playbook.procedures.values())
    if today is not None:
        problems += review_problems(playbook, today)
    return Checked(playbook, analysis, sorted(problems))
