"""The whole pipeline up to the figures: load -> validate -> analyse.

The CLI and the MkDocs plugin both call `check()`, so a playbook that passes
`playbook check` is exactly a playbook that builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .analysis import Analysis, analyse, readiness_problems, review_problems
from .errors import Problem
from .loader import load
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
        return [p for p in self.problems if not p.is_error]

    def failed(self, *, strict: bool = False) -> bool:
        """True when the playbook cannot be built (or has warnings, in strict mode)."""
        return bool(self.errors) or (strict and bool(self.warnings))


def check(root: Path, *, today: date | None = None) -> Checked:
    """Load, validate and analyse the playbook in `root`, collecting every problem.

    With `today`, SOPs whose review is past due are warnings too. The site build
    leaves it out, so that an example playbook does not stop building as the
    calendar moves on; the internal site shows overdue reviews as banners instead.
    """
    playbook, problems = validate(load(root))
    if playbook is None:
        return Checked(None, None, sorted(problems))
    analysis = analyse(playbook)
    problems = problems + readiness_problems(playbook, analysis)
    if today is not None:
        problems += review_problems(playbook, today)
    return Checked(playbook, analysis, sorted(problems))
