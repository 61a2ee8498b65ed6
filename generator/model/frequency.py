"""`every:` as a playbook writes it, parsed into a `Frequency`.

`every:` drives hours per week, the cadence view and the calendar files, so it is
parsed once, here, into a `Frequency` everything else reads. The words are the
article's chart (daily, weekly, monthly, quarterly) plus what real teams need
(`every 2 weeks`, `yearly`, `as needed`); anything else is an error with a
did-you-mean, because a typo such as "Qurterly" must not silently drop a task.
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from ..errors import show
from .days import parse_days
from .timing import Frequency, TimingError

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
