"""The whole pipeline up to the figures: load -> validate -> analyse.

The CLI and the MkDocs plugin both call `check()`, so a playbook that passes
`playbook check` is exactly a playbook that builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .analysis import Analysis, analyse, readiness_problems
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


def check(root: Path) -> Checked:
    """Load, validate and analyse the playbook in `root`, collecting every problem."""
    playbook, problems = validate(load(root))
    if playbook is None:
        return Checked(None, None, sorted(problems))
    analysis = analyse(playbook)
    problems = problems + readiness_problems(playbook, analysis)
    return Checked(playbook, analysis, sorted(problems))
