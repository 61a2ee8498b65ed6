"""What the owner's planning pages show: /plan/, /people/ and /cadence/.

These pages exist only in the internal build. The numbers come from analysis.py;
this module only arranges them for the templates and draws the charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..figures.analysis import Analysis, PersonLoad
from ..figures.plan import WEEKS_PER_MONTH, contractor_costs, outsourcing_budget, plan, total_spend
from ..model.playbook import Playbook
from ..model.records import Task
from .charts import heat_grid, hours_bars

PLAN_TOP = 3
"""The plan's headline: the owner's hours once the top this-many roles are outsourced."""


@dataclass(frozen=True)
class Row:
    """One recurring task on the cadence page."""

    role: str
    task: Task
    hours: float


def plan_context(playbook: Playbook, analysis: Analysis) -> dict[str, Any]:
    ranked = plan(playbook, analysis)
    return {"plan": ranked, "top": min(PLAN_TOP, len(ranked.candidates)),
            "currency": playbook.business.currency}


def people_context(playbook: Playbook, analysis: Analysis) -> dict[str, Any]:
    loads = list(analysis.people.values())
    rows = [(playbook.people[load.id].name, load.hours_per_week, load.capacity_hours)
            for load in loads]
    costs = contractor_costs(playbook, analysis)
    return {
        "loads": loads,
        "costs": costs,
        "spend": total_spend(costs),
        "budget": outsourcing_budget(playbook),
        "currency": playbook.business.currency,
        "weeks_per_month": WEEKS_PER_MONTH,
        "chart": hours_bars(rows, "Hours of recurring work per week, per person"),
        "all_rounders": [load.id for load in loads if _all_rounder(playbook, load)],
        "vacant": [rid for rid, f in analysis.roles.items() if f.status == "vacant"],
    }


def _all_rounder(playbook: Playbook, load: PersonLoad) -> bool:
    """A contractor spread over departments: the articles say no such all-rounder exists."""
    return playbook.people[load.id].kind == "contractor" and len(load.departments) > 1


def by_frequency(rows: list[Row], workweek_days: int) -> dict[str, list[Row]]:
    """Rows grouped by `every`, most frequent first and as-needed work last; within a
    group rows keep the order they came in."""
    ordered = sorted(rows, key=lambda r: (r.task.every.as_needed,
                                          -r.task.every.per_week(workweek_days)))
    groups: dict[str, list[Row]] = {}
    for row in ordered:
        groups.setdefault(row.task.every.text, []).append(row)
    return groups


def cadence_context(playbook: Playbook, analysis: Analysis) -> dict[str, Any]:
    rows = sorted((Row(rid, task, analysis.task_hours(task))
                   for rid in analysis.roles for task in playbook.roles[rid].tasks),
                  key=lambda r: r.role)
    groups = by_frequency(rows, playbook.business.workweek_days)
    departments = [(rid, playbook.roles[rid].title) for rid in analysis.roots]
    columns = [every for every in groups if every != "as needed"]
    grid: dict[tuple[str, str], float] = {}
    for row in rows:
        key = (analysis.roles[row.role].department, row.task.every.text)
        grid[key] = grid.get(key, 0.0) + row.hours
    chart = heat_grid(departments, columns, grid,
                      "Hours per week of recurring work, by department and frequency")
    return {"groups": list(groups.items()), "chart": chart}
