"""Durations, dates, times of day and time zones as a playbook writes them, and the
`Frequency` that `every:` is parsed into (generator/model/frequency.py parses it).
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
