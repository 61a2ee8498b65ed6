"""Hours and durations as the pages write them: one rule for every page, box, brief,
calendar and chart, so that a role's hours read the same wherever they appear.
"""

from __future__ import annotations


def format_hours(hours: float, *, short: bool = False) -> str:
    """Hours a week, one rule for every page, box, brief and chart: one decimal, and work too
    rare to show in tenths never shown as 0: 9.52 -> '9.5 h', 0.02 -> 'under 0.1 h (1h a
    year)', or '<0.1 h' where space is short (org-chart boxes, chart cells)."""
    if 0 < hours < 0.05:
        return "<0.1 h" if short else f"under 0.1 h ({format_minutes(hours * 52 * 60)} a year)"
    return f"{hours:.1f} h"


def weekly_hours(hours: float, untimed: int, unknown: str) -> str:
    """A role's hours in words, for its page and its hiring brief: 'about 9.5 h a week';
    'at least' where some work is not timed yet, and `unknown` where none of it is, never
    an invented figure."""
    if untimed and not hours:
        return unknown
    amount = f"{format_hours(hours)} a week"
    return f"at least {amount}" if untimed else f"about {amount}"


def format_minutes(minutes: float) -> str:
    """60 -> '1h', 90 -> '1h30m', 20 -> '20m': the way the playbook writes durations."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"
