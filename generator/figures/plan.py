"""What to outsource next, and what it costs: the owner's decision in two numbers.

The articles promise hours back for the work only the owner can do; the owner weighs
them against money. So every role to outsource carries both: the hours it gives back,
what those hours are worth at the owner's rate, and what a contractor would cost,
added up down the ranked list against the business's outsourcing budget.

Money is a month's (a week's figure x 52/12): budgets and invoices are monthly.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.playbook import Playbook
from ..model.records import Role
from .analysis import Analysis

SKILL_SCORE = {"weak": 2, "average": 1, "strong": 0}
ENJOYMENT_SCORE = {"dislike": 2, "neutral": 1, "like": 0}
WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class Candidate:
    """An outsourceable role not yet outsourced, with what outsourcing it would change."""

    id: str
    rank: int
    score: int | None
    """Weakness plus dislike (0-4) from the owner's assessment; None when not assessed."""
    hours_back: float
    """Owner's hours per week freed: the role's hours when the owner performs it now."""
    monthly_cost: float | None
    """The role's budget rate x its hours, a month; None without a budget."""
    owner_value: float | None
    """The hours back valued at the owner's rate, a month; None when the owner has no rate."""
    owner_hours_after: float
    """The owner's hours per week once this role and every role ranked above it are out."""
    spend_after: float
    """Outsourcing spend a month once this role and every one above it are out: today's
    spend plus their costs (a role without a budget adds nothing it can be known by)."""
    unpriced: int
    """How many roles down to this one have no budget: spend_after is a floor when any."""


@dataclass(frozen=True)
class Plan:
    """What to outsource next, in the order the method says: weaknesses and dislikes first,
    then the roles that give the owner the most hours back."""

    candidates: tuple[Candidate, ...]
    kept: tuple[str, ...]
    owner_hours_now: float
    spend_now: float
    """What contractors cost a month today (role_cost of every role they perform)."""
    budget: float | None
    """The business's outsourcing budget a month (private), if set."""
    owner_rate: float | None

    def owner_hours_after(self, top: int) -> float:
        if not self.candidates or top <= 0:
            return self.owner_hours_now
        return self.candidates[min(top, len(self.candidates)) - 1].owner_hours_after

    @property
    def affordable(self) -> int:
        """How many roles from the top of the list the budget covers (all without one)."""
        if self.budget is None:
            return len(self.candidates)
        return next((c.rank - 1 for c in self.candidates if c.spend_after > self.budget),
                    len(self.candidates))

    def spend_after(self, top: int) -> float:
        return self.candidates[top - 1].spend_after if top > 0 else self.spend_now

    def total(self, field: str, top: int | None = None) -> float:
        """Sum of a Candidate figure over the top roles (all by default); unknowns add 0."""
        chosen = self.candidates[:top] if top is not None else self.candidates
        return sum(getattr(c, field) or 0.0 for c in chosen)


def plan(playbook: Playbook, analysis: Analysis) -> Plan:
    """Rank the roles still to outsource (to-outsource or vacant; not headings, which
    hold no work to hand over) and add up hours and money down the list."""
    owner = playbook.business.owner
    rate = _rate(playbook, owner)
    entries = []
    for rid, figures in analysis.roles.items():
        role = playbook.roles[rid]
        if (role.sourcing != "outsource" or figures.heading
                or figures.status not in ("to-outsource", "vacant")):
            continue
        hours_back = figures.hours_per_week if role.performer == owner else 0.0
        budget = role.private.budget if role.private else None
        entries.append((rid, priority_score(role), hours_back,
                        monthly(budget, figures.hours_per_week), monthly(rate, hours_back)))
    entries.sort(key=lambda e: (-(e[1] if e[1] is not None else -1), -e[2], e[0]))
    spend = total_spend(contractor_costs(playbook, analysis))
    hours, total, unpriced = analysis.people[owner].hours_per_week, spend, 0
    candidates = []
    for rank, (rid, score, hours_back, cost, value) in enumerate(entries, 1):
        hours -= hours_back
        total += cost or 0.0
        unpriced += cost is None
        candidates.append(Candidate(rid, rank, score, hours_back, cost, value, hours, total,
                                    unpriced))
    kept = tuple(rid for rid in analysis.roles if playbook.roles[rid].sourcing == "keep")
    return Plan(tuple(candidates), kept, analysis.people[owner].hours_per_week, spend,
                outsourcing_budget(playbook), rate)


def monthly(rate: float | None, hours_per_week: float) -> float | None:
    """A rate an hour times hours a week, as money a month."""
    return None if rate is None else rate * hours_per_week * WEEKS_PER_MONTH


def _rate(playbook: Playbook, pid: str | None) -> float | None:
    if pid is None:
        return None
    private = playbook.people[pid].private
    return private.rate if private else None


def role_cost(playbook: Playbook, analysis: Analysis, rid: str) -> float | None:
    """What a role costs a month as it is performed now: its performer's rate where the
    owner knows it, else the role's budget. The owner's own hours cost nothing here."""
    role = playbook.roles[rid]
    if role.performer is None or role.performer == playbook.business.owner:
        return None
    rate = _rate(playbook, role.performer)
    if rate is None and role.private is not None:
        rate = role.private.budget
    return monthly(rate, analysis.roles[rid].hours_per_week)


def person_cost(playbook: Playbook, analysis: Analysis, pid: str) -> float | None:
    """What one person costs a month: the sum of their seats' costs; None for the owner
    or when no seat has a known rate."""
    costs = [role_cost(playbook, analysis, rid) for rid in analysis.people[pid].roles]
    known = [cost for cost in costs if cost is not None]
    return sum(known) if known else None


def contractor_costs(playbook: Playbook, analysis: Analysis) -> dict[str, float | None]:
    """Each contractor with a seat -> what they cost a month (None where no rate is known):
    the outsourcing budget's first claim. Staff wages are not outsourcing spend."""
    return {pid: person_cost(playbook, analysis, pid) for pid, person in playbook.people.items()
            if person.kind == "contractor" and analysis.people[pid].roles}


def total_spend(costs: dict[str, float | None]) -> float:
    """What the contractor_costs add up to a month, the unknown ones left out."""
    return sum(cost or 0.0 for cost in costs.values())


def outsourcing_budget(playbook: Playbook) -> float | None:
    """The business's private monthly_budget, if set."""
    private = playbook.business.private
    return private.monthly_budget if private else None


def priority_score(role: Role) -> int | None:
    """Skill (weak 2, average 1, strong 0) + enjoyment (dislike 2, neutral 1, like 0)."""
    if role.private is None or role.private.assessment is None:
        return None
    assessment = role.private.assessment
    return SKILL_SCORE[assessment.skill] + ENJOYMENT_SCORE[assessment.enjoyment]
