"""The hiring brief: a ready-to-paste job post for an outsourceable role.

The articles' advice in one text: know precisely the skill set for each role,
hire one specialist per role on a short-term contract, for small discrete work
measured by outcomes, not hours kept busy.
"""

from __future__ import annotations

from ..figures.analysis import Analysis
from ..model.playbook import Playbook
from .hours import format_minutes, weekly_hours
from .prose import to_plain


def hiring_brief(playbook: Playbook, analysis: Analysis, rid: str) -> str:
    """Plain text for a job board or an email: no Markdown, nothing private."""
    role, figures = playbook.roles[rid], analysis.roles[rid]
    kind = role.engagement_words
    if kind == "contract":
        kind = "short-term contract"
    hours = weekly_hours(figures.hours_per_week, figures.untimed, "hours to agree")
    lines = [f"{role.title}: {kind}, {hours}", f"{playbook.business.name}"]
    if role.purpose:
        lines += ["", "About the role", _one_line(role.purpose)]
    sections = [
        ("What you will achieve", role.objectives),
        ("What success looks like", role.success_factors),
        ("Skills we need (we hire one specialist for this role, not an all-rounder)",
         role.skills),
        ("How we measure it", [f"{k.name}: {k.target} ({k.every})" for k in role.kpis]),
        ("The recurring work", [f"{t.task} ({t.every}, "
                                f"{format_minutes(t.time) if t.time else 'time to agree'})"
                                for t in role.tasks]),
        ("What we expect from you", role.expectations),
    ]
    for title, items in sections:
        if items:
            lines += ["", title, *(f"- {_one_line(item)}" for item in items)]
    lines += ["", "About us", _one_line(playbook.business.model)]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    """Plain text on one line: a link keeps its address, in brackets after its text."""
    return " ".join(to_plain(text).split())
