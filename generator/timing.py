"""Durations, frequencies and dates as a playbook writes them.

`every:` drives hours per week, the cadence view and the calendar files, so it is
parsed once, here, into a `Frequency` everything else reads. The words are the
article's chart (daily, weekly, monthly, quarterly) plus what real teams need
(`every 2 weeks`, `yearly`, `as needed`); anything else is an error with a
did-you-mean, because a typo such as "Qurterly" must not silently drop a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches

from .errors import did_you_mean, show

WEEKS_PER_YEAR = 52
"""A year counts as 52 weeks when spreading monthly and yearly work over weeks."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = ("first", "second", "third", "fourth", "last")
NAMED = {
    "daily": ("workday", 1),
    "weekly": ("week", 1),
    "monthly": ("month", 1),
    "quarterly": ("month", 3),
    "yearly": ("year", 1),
}
AS_NEEDED = "as needed"
FREQUENCY_WORDS = (*NAMED, AS_NEEDED, "every 2 weeks", "every 3 days", "every 6 months")
SYNONYMS = {
    "annually": "yearly",
    "annual": "yearly",
    "biweekly": "every 2 weeks",
    "fortnightly": "every 2 weeks",
    "bimonthly": "every 2 months",
    "semiannually": "every 6 months",
    "twice a year": "every 6 months",
    "ad hoc": "as needed",
    "on demand": "as needed",
    "when needed": "as needed",
}
_EVERY = re.compile(r"every ([1-9][0-9]*) (day|week|month)s?\Z")
_YEARS = re.compile(r"every ([1-9][0-9]*) years?\Z")
_DURATION = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)m)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DURATION_PATTERN = r"^(?=.)([0-9]+h)?([0-9]+m)?$"
FREQUENCY_PATTERN = (
    r"^(daily|weekly|monthly|quarterly|yearly|as needed|every [1-9][0-9]* (day|week|month)s?)$"
)


class TimingError(ValueError):
    """A value that is not a valid duration, frequency, day or date."""


@dataclass(frozen=True)
class Frequency:
    """How often a task recurs: every `interval` `unit`s, or as needed (unit None).

    `workday` is what `daily` means: it happens on working days only, so a daily
    task counts `workweek_days` times a week.
    """

    text: str
    unit: str | None
    interval: int = 1

    @property
    def as_needed(self) -> bool:
        return self.unit is None

    def per_week(self, workweek_days: int) -> float:
        """Occurrences per week; as-needed work has no regular rhythm and counts 0."""
        per_unit = {
            "workday": float(workweek_days),
            "day": 7.0,
            "week": 1.0,
            "month": 12 / WEEKS_PER_YEAR,
            "year": 1 / WEEKS_PER_YEAR,
            None: 0.0,
        }[self.unit]
        return per_unit / self.interval

    def __str__(self) -> str:
        return self.text


def parse_frequency(value: object) -> Frequency:
    """`weekly` -> Frequency('weekly', 'week', 1); `every 2 weeks` -> (..., 'week', 2)."""
    if not isinstance(value, str):
        raise TimingError(f"expected a frequency such as 'weekly', found {show(value)}")
    text = value.strip()
    if text in NAMED:
        unit, interval = NAMED[text]
        return Frequency(text, unit, interval)
    if text == AS_NEEDED:
        return Frequency(text, None)
    match = _EVERY.match(text)
    if match:
        return Frequency(text, match[2], int(match[1]))
    raise TimingError(
        f"'{value}' is not a frequency; expected one of: daily, weekly, monthly, quarterly, "
        f"yearly, as needed, or 'every N days|weeks|months'{_suggest_frequency(text)}"
    )


def _suggest_frequency(text: str) -> str:
    lowered = text.lower()
    if lowered in NAMED or lowered == AS_NEEDED or _EVERY.match(lowered):
        return f" (did you mean '{lowered}'? write it in lower case)"
    if lowered in SYNONYMS:
        return f" (did you mean '{SYNONYMS[lowered]}'?)"
    years = _YEARS.match(lowered)
    if years:
        count = int(years[1])
        return " (did you mean 'yearly'?)" if count == 1 else (
            f" (did you mean 'every {12 * count} months'?)")
    close = get_close_matches(lowered, [*FREQUENCY_WORDS, *SYNONYMS], n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{SYNONYMS.get(close[0], close[0])}'?)"
    return ""


def parse_duration(value: object) -> int:
    """Minutes in `30m`, `2h` or `1h30m`; a bare number is refused, its unit is unknown."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TimingError(
            f"expected a duration such as '30m', '2h' or '1h30m', found {show(value)}")
    if isinstance(value, (int, float)):
        raise TimingError(
            f"expected a duration with a unit such as '{value}m' or '{value}h', found the bare "
            f"number {value}"
        )
    text = value.strip().replace(" ", "")
    match = _DURATION.match(text)
    if not text or not match:
        hint = " (use whole minutes: '1h30m', not '1.5h')" if "." in text else ""
        raise TimingError(
            f"'{value}' is not a duration; write hours and minutes like '30m', '2h' or "
            f"'1h30m'{hint}"
        )
    minutes = int(match[1] or 0) * 60 + int(match[2] or 0)
    if minutes == 0:
        raise TimingError(f"'{value}' is zero; a duration must be at least '1m'")
    return minutes


def parse_date(value: object) -> date:
    """An ISO date, `2026-10-01`; the format editors and YAML readers agree on."""
    if not isinstance(value, str) or not _DATE.match(value):
        raise TimingError(f"expected an ISO date such as '2026-10-01', found {show(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise TimingError(f"'{value}' is not a real date: {exc}") from None


def check_day(day: object, frequency: Frequency) -> str:
    """Validate `on:` against `every:`: a weekday for weekly, an nth weekday or day N otherwise."""
    if not isinstance(day, str):
        raise TimingError(f"expected a day such as 'monday' or 'first tuesday', found {show(day)}")
    text = day.strip()
    unit = frequency.unit
    if unit in (None, "workday", "day"):
        raise TimingError(f"'on:' does not apply to '{frequency}' tasks; remove it")
    if unit == "week":
        if text in WEEKDAYS:
            return text
        raise TimingError(f"'{day}' is not a weekday; expected one of: {', '.join(WEEKDAYS)}"
                          f"{did_you_mean(text.lower(), WEEKDAYS)}")
    parts = text.split()
    if len(parts) == 2 and parts[0] in ORDINALS and parts[1] in WEEKDAYS:
        return text
    if len(parts) == 2 and parts[0] == "day" and parts[1].isdigit() and 1 <= int(parts[1]) <= 28:
        return text
    hint = f" (did you mean 'first {text}'?)" if text in WEEKDAYS else ""
    raise TimingError(
        f"'{day}' is not a day of a {unit}; write '<first|second|third|fourth|last> <weekday>' "
        f"or 'day N' with N from 1 to 28{hint}"
    )


def format_minutes(minutes: float) -> str:
    """60 -> '1h', 90 -> '1h30m', 20 -> '20m': the way the playbook writes durations."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"
