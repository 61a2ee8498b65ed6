"""The hiring brief: a ready-to-paste job post for an outsourceable role.

The articles' advice in one text: know precisely the skill set for each role,
hire one specialist per role on a short-term contract, for small discrete work
measured by outcomes, not hours kept busy.
"""

from __future__ import annotations

import re

from .analysis import Analysis
from .timing import format_minutes
from .validate import Playbook


def hiring_brief(playbook: Playbook, analysis: Analysis, rid: str) -> str:
    """Plain text for a job board or an email: no Markdown, nothing private."""
    role, figures = playbook.roles[rid], analysis.roles[rid]
    kind = (role.engagement or "contract").replace("-", " ")
    if kind == "contract":
        kind = "short-term contract"
    hours = max(1, round(figures.hours_per_week))
    lines = [f"{role.title}: {kind}, about {hours} hour{'s' if hours != 1 else ''} a week",
             f"{playbook.business.name}"]
    if role.purpose:
        lines += ["", "About the role", _one_line(role.purpose)]
    sections = [
        ("What you will achieve", role.objectives),
        ("What success looks like", role.success_factors),
        ("Skills we need (we hire one specialist for this role, not an all-rounder)",
         role.skills),
        ("How we measure it", [f"{k.name}: {k.target} ({k.every})" for k in role.kpis]),
        ("The recurring work", [f"{t.task} ({t.every}, {format_minutes(t.time)})"
                                for t in role.tasks]),
        ("What we expect from you", role.expectations),
    ]
    for title, items in sections:
        if items:
            lines += ["", title, *(f"- {_one_line(item)}" for item in items)]
    lines += ["", "About us", _one_line(playbook.business.model)]
    return "\n".join(lines) + "\n"


def fence(text: str) -> str:
    """A code fence longer than any run of backticks in text, so the text cannot end it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _one_line(text: str) -> str:
    return " ".join(text.split())
