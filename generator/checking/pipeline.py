"""The whole pipeline up to the figures: load -> validate -> analyse.

The CLI and the MkDocs plugin both call `check()`, so a playbook that passes
`playbook check` is exactly a playbook that builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import Problem, Severity
from ..figures.analysis import Analysis, analyse, readiness_problems, review_problems
from ..files.loader import Parsed, load
from ..model import media
from ..model.playbook import Playbook
from .validate import validate


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
    It leaves the garbage collector alone; the engines wrap it in memory.hold().
    """
    playbook, problems = validate(load(root, cache=cache, parsed=parsed))
    if playbook is None:
        return Checked(None, None, sorted(problems))
    analysis = analyse(playbook)
    problems = problems + readiness_problems(playbook, analysis)
    problems += media.unused(root, playbook.procedures.values())
    if today is not None:
        problems += review_problems(playbook, today)
    return Checked(playbook, analysis, sorted(problems))
