"""`on:` as a playbook writes it: the days a rhythm falls on.

Weekly work names weekdays (`monday`, or `[monday, thursday]`); monthly and longer
work names a day of the month (`day 15`, `last day`, `first workday`, `last
workday`, `second tuesday`), and yearly work may also name the month (`december 1`,
`last friday of march`). Each item becomes a `Day`; schedule.py turns days into
calendar rules. Anything else is an error that says what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import did_you_mean, show
from .timing import WEEKDAYS, Frequency, TimingError

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
LONGEST = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""The most days each month can have (29 February: leap years)."""
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
LAST_DAY = 31
"""`last day` is day 31, which in shorter months is their last day."""
_DAY_N = re.compile(r"day (-?[0-9]+)\Z")
_MONTH_DAY = re.compile(r"([a-z]+)\.? ([0-9]+)(?:st|nd|rd|th)?\Z")
_DAY_MONTH = re.compile(r"([0-9]+)(?:st|nd|rd|th)? (?:of )?([a-z]+)\Z")


@dataclass(frozen=True)
class Day:
    """One day a rhythm falls on. Exactly one of weekday (alone or with ordinal),
    monthday and workday is set; month only for yearly work."""

    text: str
    weekday: int | None = None
    """0 for monday: weekly work, or with `ordinal` ('first tuesday')."""
    ordinal: int | None = None
    """1 to 4, or -1 for the last one in the month."""
    monthday: int | None = None
    """1 to 31; in shorter months the last day."""
    workday: int | None = None
    """1 for the first working day of the month, -1 for the last."""
    month: int | None = None
    """1 to 12: the month of yearly work."""

    def __str__(self) -> str:
        return self.text


def parse_days(value: object, frequency: Frequency) -> tuple[Day, ...]:
    """`on:` as one day or a list of days, each checked against `every:`."""
    if frequency.unit in (None, "workday", "day"):
        hint = (" ('daily' is every working day; set the first one with 'starts:')"
                if frequency.unit == "workday" else "")
        raise TimingError(f"'on:' does not apply to '{frequency}' tasks; remove it{hint}")
    items = value if isinstance(value, list) else [value]
    if not items:
        raise TimingError("expected one day or a list of days, found an empty list")
    days: list[Day] = []
    for index, item in enumerate(items):
        try:
            day = parse_day(item, frequency)
        except TimingError as exc:
            raise TimingError(f"item {index + 1}: {exc}" if len(items) > 1 else str(exc)) from None
        if day in days:
            raise TimingError(f"'{day}' is named twice; name each day once")
        days.append(day)
    return tuple(days)


def parse_day(value: object, frequency: Frequency) -> Day:
    if not isinstance(value, str):
        raise TimingError(f"expected a day such as 'monday', 'day 15' or 'last workday', "
                          f"found {show(value)}")
    text = " ".join(value.split())
    if frequency.unit == "week":
        if text in WEEKDAYS:
            return Day(text, weekday=WEEKDAYS.index(text))
        raise TimingError(f"'{value}' is not a weekday; expected one of: {', '.join(WEEKDAYS)}"
                          f"{did_you_mean(text.lower(), WEEKDAYS)}")
    of_month = _of_month(text, frequency)
    if of_month is not None:
        return of_month
    day = _in_month(text)
    if day is not None:
        return day
    raise TimingError(f"'{value}' is not a day of a {frequency.unit}; write 'day N' (1 to 31), "
                      "'last day', 'first workday', 'last workday' or "
                      f"'<first|second|third|fourth|last> <weekday>'{_hint(text, frequency)}")


def _in_month(text: str) -> Day | None:
    """A day of any month: 'day 15', 'last day', 'first workday', 'second tuesday'."""
    number = _DAY_N.match(text)
    if number:
        n = int(number[1])
        if not 1 <= n <= LAST_DAY:
            raise TimingError(f"'{text}': a month has days 1 to 31; for its end write "
                              "'last day' or 'last workday'")
        return Day(text, monthday=n)
    if text == "last day":
        return Day(text, monthday=LAST_DAY)
    if text in ("first workday", "last workday"):
        return Day(text, workday=ORDINALS[text.split()[0]])
    parts = text.split()
    if len(parts) == 2 and parts[0] in ORDINALS and parts[1] in WEEKDAYS:
        return Day(text, weekday=WEEKDAYS.index(parts[1]), ordinal=ORDINALS[parts[0]])
    return None


def _of_month(text: str, frequency: Frequency) -> Day | None:
    """'december 1' or 'last friday of march': a day of one month, for yearly work."""
    month, day = _month_and_day(text)
    if month is None:
        return None
    if frequency.unit != "year":
        raise TimingError(f"'{text}' names a month, but '{frequency}' work recurs in more than "
                          "one; name the day of the month only (such as 'day 15') and set the "
                          "first month with 'starts:'")
    if day is None:
        return None
    return Day(text, weekday=day.weekday, ordinal=day.ordinal, monthday=day.monthday,
               workday=day.workday, month=month)


def _month_and_day(text: str) -> tuple[int | None, Day | None]:
    if " of " in text:
        head, _, name = text.rpartition(" of ")
        if name in MONTHS:
            return MONTHS.index(name) + 1, _in_month(head)
    match = _MONTH_DAY.match(text)
    if match and match[1] in MONTHS:
        month = MONTHS.index(match[1]) + 1
        n = int(match[2])
        if not 1 <= n <= LONGEST[month - 1]:
            raise TimingError(f"'{text}': {match[1]} has days 1 to {LONGEST[month - 1]}"
                              f"{'; for its end write last day of ' + match[1] if n > 28 else ''}")
        return month, Day(text, monthday=n)
    return None, None


def _hint(text: str, frequency: Frequency) -> str:
    lowered = text.lower()
    if lowered != text:
        try:
            parse_day(lowered, frequency)
        except TimingError:
            pass
        else:
            return f" (did you mean '{lowered}'? write it in lower case)"
    if text in WEEKDAYS:
        return f" (did you mean 'first {text}'?)"
    flipped = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
    if flipped and frequency.unit == "year":
        name, n = ((flipped[2], flipped[1]) if flipped.re is _DAY_MONTH
                   else (flipped[1], flipped[2]))
        full = [m for m in MONTHS if m.startswith(name[:3])] if len(name) >= 3 else []
        if full:
            return f" (did you mean '{full[0]} {int(n)}'?)"
    return ""


def describe(days: tuple[Day, ...]) -> str:
    """'monday and thursday', 'day 1, day 15 and last day': for tables and calendars."""
    texts = [day.text for day in days]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"
