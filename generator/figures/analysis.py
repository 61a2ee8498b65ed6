"""Derived figures, computed once: status, hours per week, load, readiness.

Nothing here is stored in the playbook; it all follows from the records, so the
org chart, the role pages, the planning views and `playbook check` can never
disagree about a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from dateutil.relativedelta import relativedelta

from ..errors import Problem, Severity
from ..files.strict_yaml import Source
from ..model.playbook import Playbook
from ..model.records import Role, Task, is_heading

Status = Literal["kept", "outsourced", "to-outsource", "vacant"]
STATUS_LABELS: dict[str, str] = {
    "kept": "Kept in-house",
    "outsourced": "Outsourced",
    "to-outsource": "To outsource",
    "vacant": "Vacant",
}
FOUR_QUESTIONS = ("goals", "objectives", "success_factors", "expectations")
READINESS_ITEMS = (*FOUR_QUESTIONS, "skills", "tasks", "kpis", "procedures")


@dataclass(frozen=True)
class RoleFigures:
    """What the site shows about a role besides what its file says."""

    id: str
    status: Status
    hours_per_week: float
    """Of the timed tasks only; `untimed` says how many recurring tasks are left out."""
    untimed: int
    department: str
    ancestors: tuple[str, ...]
    children: tuple[str, ...]
    procedures: tuple[str, ...]
    missing: tuple[str, ...]
    """Readiness gaps of an outsourceable role, from READINESS_ITEMS; empty when ready."""
    heading: bool
    """A department heading: roles below it and no tasks of its own, so nothing to hand
    over and no four questions to answer."""


@dataclass(frozen=True)
class PersonLoad:
    """One person's seats and hours against their capacity."""

    id: str
    roles: tuple[str, ...]
    hours_per_week: float
    untimed: int
    capacity_hours: float | None
    departments: tuple[str, ...]

    @property
    def overloaded(self) -> bool:
        return self.capacity_hours is not None and self.hours_per_week > self.capacity_hours


@dataclass(frozen=True)
class Analysis:
    """All derived figures of a playbook; `roles` is in org-chart (pre-order) order."""

    roles: dict[str, RoleFigures]
    people: dict[str, PersonLoad]
    roots: tuple[str, ...]
    workweek_days: int

    def task_hours(self, task: Task) -> float:
        """Hours per week of one task: time per occurrence x occurrences per week; 0 for a
        task not timed yet (see `untimed`)."""
        return (task.time or 0) / 60 * task.per_week(self.workweek_days)

    def count(self, status: Status) -> int:
        return sum(1 for figures in self.roles.values() if figures.status == status)

    @property
    def total_hours(self) -> float:
        return sum(figures.hours_per_week for figures in self.roles.values())

    @property
    def untimed(self) -> int:
        return sum(figures.untimed for figures in self.roles.values())


def analyse(playbook: Playbook) -> Analysis:
    """Derive every figure of a valid playbook."""
    days = playbook.business.workweek_days
    children = _children(playbook)
    roots = children.get(None, ())
    procedures: dict[str, list[str]] = {}
    for pid, procedure in sorted(playbook.procedures.items()):
        procedures.setdefault(procedure.role, []).append(pid)
    figures: dict[str, RoleFigures] = {}
    for rid, ancestors in _preorder(roots, children):
        role = playbook.roles[rid]
        heading = is_heading(role, bool(children.get(rid)))
        figures[rid] = RoleFigures(
            id=rid,
            status=status(playbook, role),
            hours_per_week=sum((t.time or 0) / 60 * t.per_week(days) for t in role.tasks),
            untimed=len(untimed_tasks(role)),
            department=ancestors[0] if ancestors else rid,
            ancestors=ancestors,
            children=children.get(rid, ()),
            procedures=tuple(procedures.get(rid, ())),
            missing=() if heading else _missing(role, procedures.get(rid, [])),
            heading=heading,
        )
    return Analysis(figures, _loads(playbook, figures), roots, days)


def untimed_tasks(role: Role) -> list[int]:
    """Indexes of the recurring tasks with no `time:`: work whose hours are not known yet.
    As-needed work has no hours per week either way."""
    return [n for n, task in enumerate(role.tasks)
            if task.time is None and not task.every.as_needed]


def status(playbook: Playbook, role: Role) -> Status:
    """Vacant without a performer; kept if the owner keeps it; outsourced once a
    contractor performs it; otherwise (the owner or staff do it) still to outsource.
    `sourcing:` is the owner's decision: who performs a role never changes it."""
    if role.performer is None:
        return "vacant"
    if role.sourcing == "keep":
        return "kept"
    if playbook.people[role.performer].kind == "contractor":
        return "outsourced"
    return "to-outsource"


def _children(playbook: Playbook) -> dict[str | None, tuple[str, ...]]:
    """Children of each role (None: the roots), sorted by title so the chart reads well."""
    grouped: dict[str | None, list[str]] = {}
    for rid, role in playbook.roles.items():
        grouped.setdefault(role.parent, []).append(rid)
    key = lambda rid: (playbook.roles[rid].title.casefold(), rid)  # noqa: E731
    return {parent: tuple(sorted(ids, key=key)) for parent, ids in grouped.items()}


def _preorder(roots: tuple[str, ...], children: dict[str | None, tuple[str, ...]]
              ) -> list[tuple[str, tuple[str, ...]]]:
    """(role, ancestors from the root) in depth-first order, iteratively (trees can be deep)."""
    order: list[tuple[str, tuple[str, ...]]] = []
    stack: list[tuple[str, tuple[str, ...]]] = [(rid, ()) for rid in reversed(roots)]
    while stack:
        rid, ancestors = stack.pop()
        order.append((rid, ancestors))
        below = ancestors + (rid,)
        stack.extend((child, below) for child in reversed(children.get(rid, ())))
    return order


def _missing(role: Role, procedures: list[str]) -> tuple[str, ...]:
    if role.sourcing != "outsource":
        return ()
    present = {name: bool(getattr(role, name)) for name in READINESS_ITEMS if name != "procedures"}
    present["procedures"] = bool(procedures)
    return tuple(name for name in READINESS_ITEMS if not present[name])


def _loads(playbook: Playbook, figures: dict[str, RoleFigures]) -> dict[str, PersonLoad]:
    held: dict[str, list[str]] = {}
    for rid in figures:  # one pass, in org-chart order
        performer = playbook.roles[rid].performer
        if performer is not None:
            held.setdefault(performer, []).append(rid)
    loads = {}
    for pid, person in playbook.people.items():
        seats = tuple(held.get(pid, ()))
        departments = tuple(dict.fromkeys(figures[rid].department for rid in seats))
        loads[pid] = PersonLoad(
            id=pid,
            roles=seats,
            hours_per_week=sum(figures[rid].hours_per_week for rid in seats),
            untimed=sum(figures[rid].untimed for rid in seats),
            capacity_hours=None if person.capacity is None else person.capacity / 60,
            departments=departments,
        )
    return loads


def readiness_problems(playbook: Playbook, analysis: Analysis) -> list[Problem]:
    """Warnings, not errors: a role can be written before it is ready to hand over."""
    problems = []
    for rid, figures in analysis.roles.items():
        source = playbook.sources[f"role:{rid}"]
        questions = [name.replace("_", " ") for name in FOUR_QUESTIONS if name in figures.missing]
        if questions:
            line, col = source.mark(("sourcing",))
            problems.append(Problem(source.name, line, col, Severity.WARNING,
                                    f"role to outsource has no {', '.join(questions)}; answer the "
                                    "four questions before outsourcing it"))
        for index in untimed_tasks(playbook.roles[rid]):
            problems.append(_untimed(source, playbook.roles[rid], index))
        if figures.status == "outsourced" and not figures.procedures:
            line, col = source.mark(("performer",))
            problems.append(Problem(source.name, line, col, Severity.WARNING,
                                    "outsourced role has no procedure; write one with "
                                    f"'playbook new procedure ID --role {rid}'"))
    return problems


def _untimed(source: Source, role: Role, index: int) -> Problem:
    """A contract needs hours: untimed work of a role to outsource is a warning; of a kept
    role, information."""
    line, col = source.mark(("tasks", index, "task"))
    if role.sourcing == "outsource":
        return Problem(source.name, line, col, Severity.WARNING,
                       f"tasks[{index}]: no 'time:', so the role's hours per week, the hiring "
                       "brief and its cost leave this task out; add how long it takes")
    return Problem(source.name, line, col, Severity.INFO,
                   f"tasks[{index}]: no 'time:' yet; hours per week leave this task out")


def review_due(role: Role) -> date | None:
    """When the role's SOP is next due for review: `last` plus one `every` period."""
    if role.review is None or role.review.every.as_needed:
        return None
    every = role.review.every
    step = {
        "workday": relativedelta(days=every.interval),
        "day": relativedelta(days=every.interval),
        "week": relativedelta(weeks=every.interval),
        "month": relativedelta(months=every.interval),
        "year": relativedelta(years=every.interval),
    }[every.unit or "day"]
    return role.review.last + step


def overdue_reviews(playbook: Playbook, today: date) -> dict[str, date]:
    """{role id: due date} for every role whose review is past due on `today`."""
    due = {rid: review_due(role) for rid, role in playbook.roles.items()}
    return {rid: when for rid, when in sorted(due.items()) if when is not None and when < today}


def review_problems(playbook: Playbook, today: date) -> list[Problem]:
    """A warning at `review:` for each stale SOP, so the owner sees them at a glance."""
    problems = []
    for rid, when in overdue_reviews(playbook, today).items():
        source = playbook.sources[f"role:{rid}"]
        line, col = source.mark(("review", "last"))
        problems.append(Problem(source.name, line, col, Severity.WARNING,
                                f"review overdue since {when.isoformat()} (reviewed "
                                f"{playbook.roles[rid].review.every}); check the SOP against "  # type: ignore[union-attr]
                                "how the work is done now, then update 'last:'"))
    return problems
