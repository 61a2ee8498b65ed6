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
from datetime import date, time
from difflib import get_close_matches
from functools import cache
from zoneinfo import available_timezones

from ..errors import show

WEEKS_PER_YEAR = 52
"""A year counts as 52 weeks when spreading monthly and yearly work over weeks."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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
    "once a year": "yearly",
    "every year": "yearly",
    "every month": "monthly",
    "once a month": "monthly",
    "every quarter": "quarterly",
    "once a quarter": "quarterly",
    "every week": "weekly",
    "once a week": "weekly",
    "every weekday": "daily",
    "every workday": "daily",
    "every business day": "daily",
    "every working day": "daily",
    "weekdays": "daily",
    "workdays": "daily",
    "fortnightly": "every 2 weeks",
    "triweekly": "every 3 weeks",
    "semiannually": "every 6 months",
    "semiannual": "every 6 months",
    "semi-annually": "every 6 months",
    "half-yearly": "every 6 months",
    "twice a year": "every 6 months",
    "ad hoc": "as needed",
    "on demand": "as needed",
    "when needed": "as needed",
}
"""Words with one meaning only: each is suggested as the exact form to write."""
COUNTS = {"twice": 2, "two times": 2, "2 times": 2, "2x": 2, "three times": 3, "3 times": 3,
          "3x": 3, "four times": 4, "4 times": 4, "4x": 4, "thrice": 3}
SPREAD_DAYS = {2: "[monday, thursday]", 3: "[monday, wednesday, friday]",
               4: "[monday, tuesday, thursday, friday]"}
AMBIGUOUS = {
    "biweekly": "'biweekly' means every 2 weeks to some and twice a week to others; write "
                "'every 2 weeks', or 'weekly' with two days such as 'on: [monday, thursday]'",
    "bimonthly": "'bimonthly' means every 2 months to some and twice a month to others; write "
                 "'every 2 months', or 'monthly' with two days such as 'on: [day 1, day 15]'",
    "semimonthly": "twice a month: write 'monthly' with two days, such as "
                   "'on: [day 1, day 15]'",
    "every day": "write 'daily' for working days only, or 'every 1 day' for all seven days",
    "hourly": "write 'daily' with 'times:' saying how often a day, such as 'times: 8'",
}
_EVERY = re.compile(r"every ([1-9][0-9]*) (day|week|month)s?\Z")
_YEARS = re.compile(r"every ([1-9][0-9]*) years?\Z")
_DURATION = re.compile(r"(?:([0-9]+)h)?(?:([0-9]+)m)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIME_OF_DAY = re.compile(r"([0-9]{1,2}):([0-9]{2})\Z")
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
    """A hint only where it means the same thing: a wrong 'did you mean' is worse than none."""
    lowered = " ".join(text.lower().split())
    if lowered in NAMED or lowered == AS_NEEDED or _EVERY.match(lowered):
        return f" (did you mean '{lowered}'? write it in lower case)"
    if lowered in SYNONYMS:
        return f" (did you mean '{SYNONYMS[lowered]}'?)"
    if lowered in AMBIGUOUS:
        return f"; {AMBIGUOUS[lowered]}"
    years = _YEARS.match(lowered)
    if years:
        count = int(years[1])
        return " (did you mean 'yearly'?)" if count == 1 else (
            f" (did you mean 'every {12 * count} months'?)")
    hint = _counted(lowered) or _with_day(lowered) or _event(text.strip())
    if hint:
        return f"; {hint}"
    close = get_close_matches(lowered, [*FREQUENCY_WORDS, *SYNONYMS], n=1, cutoff=0.75)
    if close:
        return f" (did you mean '{SYNONYMS.get(close[0], close[0])}'?)"
    return ""


_COUNT = "|".join(sorted(map(re.escape, COUNTS), key=len, reverse=True))
_PER = re.compile(rf"({_COUNT}|once) (?:a|per|each|every) (day|week|month|year)\Z")
_TIMES_AFTER = re.compile(rf"(.+?),? \(?({_COUNT}|[0-9]+ ?x)(?: a day| daily)?\)?\Z")
_DAY_AFTER = re.compile(r"(.+?)(?: \((.+)\)|,? on (?:the )?(.+)|, (.+))\Z")
_EVENT_WORDS = re.compile(
    r"(?:after|following|per|upon|on|with|for) (?:each|every|a|an|the|any|new) .+"
    r"|(?:each|every|whenever|when|if|once) .+")


def _counted(text: str) -> str:
    """'twice a week', '4 times a day', 'daily, 4 times': several times per period."""
    per = _PER.match(text)
    if per:
        return _per_period(COUNTS.get(per[1], 1), per[2])
    after = _TIMES_AFTER.match(text)
    if after and after[1] in NAMED:
        count = COUNTS.get(after[2]) or int(after[2].rstrip("x "))
        unit = {"daily": "day", "weekly": "week", "monthly": "month"}.get(after[1])
        return _per_period(count, unit) if unit else ""
    return ""


def _per_period(count: int, unit: str) -> str:
    if unit == "day":
        return (f"write 'every: daily' with 'times: {count}'" if count > 1
                else "write 'daily'")
    if unit == "week":
        days = SPREAD_DAYS.get(count)
        return (f"write 'every: weekly' and name the days, such as 'on: {days}'" if days
                else "write 'daily' (every working day), or 'weekly' with the days in 'on:'")
    if unit == "month":
        return ("write 'every: monthly' and name the days, such as 'on: [day 1, day 15]'"
                if count == 2 else "write 'every: monthly' and name the days in 'on:'")
    if unit == "year":
        named = {1: "yearly", 2: "every 6 months", 4: "quarterly", 12: "monthly"}
        if count in named:
            return f"write '{named[count]}'"
    return ""


def _with_day(text: str) -> str:
    """'quarterly (first tuesday)', 'monthly on day 15': a frequency and a day in one."""
    from .days import parse_days  # days.py builds on this module

    match = _DAY_AFTER.match(text)
    if not match:
        return ""
    day = next(part for part in match.groups()[1:] if part)
    try:
        frequency = parse_frequency(match[1])
        parse_days(day, frequency)
    except TimingError:
        return ""
    return f"write 'every: {frequency}' and the day apart, 'on: {day}'"


def _event(text: str) -> str:
    """'after each release', 'every patch release': work set off by an event."""
    lowered = text.lower()
    if not _EVENT_WORDS.fullmatch(lowered) or re.match(r"every [0-9]", lowered):
        return ""
    return ("work set off by an event has no rhythm: write 'every: as needed' and "
            f"'trigger: {text}'")


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


def parse_time_of_day(value: object) -> time:
    """`at: "14:30"`: 24-hour time in the business's time zone. A bare number is refused:
    YAML reads `at: 9` as nine, and 9 what is not said."""
    if isinstance(value, bool) or not isinstance(value, str):
        hint = (f"; write it as text with minutes, such as '{value:02d}:00'"
                if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24
                else "")
        raise TimingError(f"expected a time of day such as '09:00' or '14:30', found "
                          f"{show(value)}{hint}")
    match = _TIME_OF_DAY.match(value.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        hint = _twelve_hour(value)
        raise TimingError(f"'{value}' is not a time of day; write 24-hour time from '00:00' to "
                          f"'23:59', such as '09:00' or '14:30'{hint}")
    return time(int(match[1]), int(match[2]))


def _twelve_hour(value: str) -> str:
    match = re.fullmatch(r"\s*([0-9]{1,2})(?::([0-9]{2}))?\s*([ap])\.?m\.?\s*", value.lower())
    if not match or not 1 <= int(match[1]) <= 12:
        return ""
    hour = int(match[1]) % 12 + (12 if match[3] == "p" else 0)
    return f" (did you mean '{hour:02d}:{match[2] or '00'}'?)"


@cache
def check_timezone(value: object) -> str:
    """An IANA time zone name, checked against the tz database: 'Asia/Manilla' is a typo
    that would put every event of a calendar at the wrong hour."""
    if not isinstance(value, str):
        raise TimingError(f"expected a time zone such as 'America/New_York', found {show(value)}")
    name = value.strip()
    if name in _zones():
        return name
    close = get_close_matches(name, _zones(), n=1, cutoff=0.6) or [
        zone for zone in _zones() if zone.lower() == name.lower()]
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise TimingError(f"'{value}' is not a time zone of the tz database; write an IANA name "
                      f"such as 'America/New_York' or 'Europe/London'{hint}")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())
