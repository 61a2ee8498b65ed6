"""When a task happens: its calendar rules (RFC 5545 RRULEs) and first occurrence.

Every date derives from the task alone, never from the day of the build: a rhythm
counts from `starts:` where the playbook gives it, and from the fixed `EPOCH`
otherwise, so a rebuild tomorrow or next year gives the same events.

A day of the month (`day 15`, `december 1`, `last day`) that falls on a day off
moves to the workday before it (days 1 and 2 of a month, whose workday before
would be in the month before, move to the workday after); in shorter months
`day 31` is their last day. Both are said in RRULE terms (BYMONTHDAY, BYDAY and
BYSETPOS), so every calendar program works them out the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import (
    DAILY,
    FR,
    MO,
    MONTHLY,
    SA,
    SU,
    TH,
    TU,
    WE,
    WEEKLY,
    YEARLY,
    rrule,
)

from ..model.days import MONTHS, Day, describe
from ..model.records import Task
from ..model.timing import WEEKDAYS, TimingError

EPOCH = date(2024, 1, 1)
"""Where a rhythm without `starts:` counts from (a Monday): fixed, so dates never move."""
DEFAULT_AT = time(9, 0)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALWAYS = 28
"""Every month has days 1 to 28."""


@dataclass(frozen=True)
class Slot:
    """One calendar rule of a task: weekly days share one; each day named for monthly or
    yearly work has its own (a day off moves each of them on its own)."""

    key: str
    """'' for a task's single rule; else the day, as a slug ('day-15'), for the event UID."""
    rule: dict[str, object]
    start: datetime
    """The first occurrence, wall-clock time in the business's zone: the event's DTSTART."""


def workday_codes(workweek_days: int) -> list[str]:
    """A business working N days a week works Monday to the Nth day."""
    return list(DAY_CODES[:workweek_days])


def slots(task: Task, workweek_days: int) -> list[Slot]:
    """The task's rules with their first occurrence; none for as-needed work."""
    every = task.every
    if every.unit is None:
        return []
    at = task.at or DEFAULT_AT
    origin = task.starts or EPOCH
    anchor = datetime.combine(_period_start(origin, every.unit), at)
    after = datetime.combine(origin, at)
    base: dict[str, object] = {"FREQ": _FREQ[every.unit], "INTERVAL": every.interval}
    if every.unit in ("workday", "day", "week"):
        rule = dict(base)
        if every.unit == "workday":
            rule["BYDAY"] = workday_codes(workweek_days)
        elif every.unit == "week":
            days = task.on or (Day(WEEKDAYS[origin.weekday()], weekday=origin.weekday()),)
            rule.update(BYDAY=[DAY_CODES[d.weekday or 0] for d in sorted(
                days, key=lambda d: d.weekday or 0)], WKST="MO")
        return [Slot("", rule, first(rule, anchor, after))]
    days = task.on or (_default_day(task),)
    made = []
    for day in days:
        rule = {**base, **_month_parts(day, task, workweek_days)}
        made.append(Slot(_slug(day.text) if len(days) > 1 else "", rule,
                         first(rule, anchor, after)))
    return made


_FREQ = {"workday": "WEEKLY", "day": "DAILY", "week": "WEEKLY", "month": "MONTHLY",
         "year": "YEARLY"}


def _period_start(day: date, unit: str) -> date:
    """The start of the week, month or year that holds day: where an interval counts from."""
    if unit in ("workday", "week"):
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def _default_day(task: Task) -> Day:
    """Without `on:`, the day of `starts:`; without either, the first workday."""
    if task.starts is None:
        return Day("first workday", workday=1)
    start = task.starts
    if task.every.unit == "year":
        return Day(f"{MONTHS[start.month - 1]} {start.day}", monthday=start.day,
                   month=start.month)
    return Day(f"day {start.day}", monthday=start.day)


def _month_parts(day: Day, task: Task, workweek_days: int) -> dict[str, object]:
    parts: dict[str, object] = {}
    if task.every.unit == "year":
        parts["BYMONTH"] = [day.month or (task.starts.month if task.starts else 1)]
    workdays = workday_codes(workweek_days)
    if day.workday is not None:
        parts.update(BYDAY=workdays, BYSETPOS=[day.workday])
    elif day.weekday is not None:
        parts["BYDAY"] = [f"{day.ordinal}{DAY_CODES[day.weekday]}"]
    else:
        parts.update(_monthday(day.monthday or 1, workdays))
    return parts


def _monthday(n: int, workdays: list[str]) -> dict[str, object]:
    """Day n, or the month's last day where it is shorter, moved off days off.

    Any run of (days off + 1) days holds a workday, so the last workday among days
    n - off .. n is the workday on or before n; for n <= off that run would start in
    the month before, so the first workday among n .. n + off is taken instead."""
    off = 7 - len(workdays)
    floor = min(n, _ALWAYS)
    if off == 0:
        return ({"BYMONTHDAY": [n]} if n <= _ALWAYS
                else {"BYMONTHDAY": list(range(_ALWAYS, n + 1)), "BYSETPOS": [-1]})
    if floor - off >= 1:
        return {"BYMONTHDAY": list(range(floor - off, n + 1)), "BYDAY": workdays,
                "BYSETPOS": [-1]}
    return {"BYMONTHDAY": list(range(n, n + off + 1)), "BYDAY": workdays, "BYSETPOS": [1]}


def first(rule: dict[str, object], anchor: datetime, after: datetime) -> datetime:
    """The rule's first occurrence at or after `after`, its interval counted from anchor."""
    found = _dateutil(rule, anchor).after(after, inc=True)
    if found is None:  # a rule of ours always recurs; this is a bug, not bad input
        raise TimingError(f"no occurrence of {rule} after {after}")
    return found


_FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
_DATEUTIL_DAYS = dict(zip(DAY_CODES, (MO, TU, WE, TH, FR, SA, SU), strict=True))


def _dateutil(rule: dict[str, object], start: datetime) -> rrule:
    """The same rule for dateutil, built directly: parsing its RRULE text back costs four
    times as much, and `playbook check` works out every task that has `starts:`."""
    days = [_DATEUTIL_DAYS[code[-2:]](int(code[:-2])) if len(code) > 2 else _DATEUTIL_DAYS[code]
            for code in rule.get("BYDAY", ())]  # type: ignore[attr-defined]
    return rrule(_FREQUENCIES[str(rule["FREQ"])], dtstart=start,
                 interval=int(rule["INTERVAL"]),  # type: ignore[call-overload]
                 wkst=MO, byweekday=days or None, bymonth=rule.get("BYMONTH"),
                 bymonthday=rule.get("BYMONTHDAY"), bysetpos=rule.get("BYSETPOS"))


def check_starts(task: Task, workweek_days: int) -> str | None:
    """Why `starts:` is not an occurrence of the task, or None when it is: starts is the
    first occurrence, so a date the rule skips would be a stray event in most calendars."""
    if task.starts is None or task.every.unit is None:
        return None
    firsts = sorted(slot.start.date() for slot in slots(task, workweek_days))
    if task.starts in firsts:
        return None
    return (f"starts: {task.starts.isoformat()} ({WEEKDAYS[task.starts.weekday()]}) is not a "
            f"day this task falls on ('{when(task)}'); from there, the first is "
            f"{firsts[0].isoformat()} ({WEEKDAYS[firsts[0].weekday()]}): write that date, or "
            "change 'on:'")


def undetermined(task: Task) -> str | None:
    """What the calendar has to assume because the playbook does not say it, or None.
    A rhythm of N weeks or days has N possible phases; yearly work needs its month."""
    every = task.every
    if task.starts is not None or every.unit is None:
        return None
    if every.unit in ("day", "week") and every.interval > 1:
        return (f"'{every}' needs 'starts:' (the date of one occurrence) to know which "
                f"{every.unit}s; until then the calendar counts from {EPOCH.isoformat()}")
    if every.unit == "month" and 12 % every.interval:
        return (f"'{every}' needs 'starts:' (the date of one occurrence) to know which months; "
                f"until then the calendar counts from {EPOCH.isoformat()}")
    if every.unit == "year" and not any(day.month for day in task.on):
        return ("yearly work needs its date: write 'on:' with the month, such as "
                "'on: december 1', or 'starts:'; until then the calendar puts it in January")
    return None


def when(task: Task) -> str:
    """The rhythm in words, as the role page's 'When' column shows it."""
    parts = []
    if task.on:
        parts.append(describe(task.on))
    if task.times > 1:
        parts.append(f"{task.times} times a day")
    if task.at is not None:
        parts.append(f"at {task.at:%H:%M}")
    if task.starts is not None:
        parts.append(f"from {task.starts.isoformat()}")
    return ", ".join(parts)


def local_times(at: time, business: str, person: str) -> str:
    """`at` in business's zone as it reads in person's, through a year's changes of
    daylight saving (a fixed year, so the page does not change with the build's date):
    '21:00 or 22:00 in Asia/Manila', '03:30 the next day in Asia/Manila'."""
    home, away = ZoneInfo(business), ZoneInfo(person)
    seen: list[str] = []
    for month in range(1, 13):
        moment = datetime.combine(date(2026, month, 15), at, home).astimezone(away)
        shift = (moment.date() - date(2026, month, 15)).days
        label = f"{moment:%H:%M}" + {1: " the next day", -1: " the day before"}.get(shift, "")
        if label not in seen:
            seen.append(label)
    return f"{' or '.join(sorted(seen))} in {person}"


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())
