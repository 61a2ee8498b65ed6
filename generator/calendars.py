"""Calendar files (RFC 5545) of the recurring tasks: the article's chart of daily,
weekly, monthly and quarterly work, as events a contractor can subscribe to.

`every:` and `on:` become an RRULE; python-dateutil finds each rule's first
occurrence so DTSTART is a real instance (a DTSTART off the rule would add a
stray event in most calendar applications). As-needed work has no rhythm and
gets no event. Events are floating-time at 09:00: they show at nine in the
morning wherever the reader is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event, vRecur

from .analysis import Analysis
from .model import Role, Task
from .timing import WEEKDAYS
from .validate import Playbook

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINAL_CODES = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
START_TIME = time(9, 0)
BUSINESS_CALENDAR = "calendar/playbook.ics"
PRODUCT_ID = "-//outsourcing-playbook//playbook calendar//EN"


def calendars(playbook: Playbook, analysis: Analysis, today: date) -> dict[str, bytes]:
    """'calendar/playbook.ics' for the whole business and 'calendar/<role>.ics' per role."""
    anchor = date(today.year, 1, 1)
    stamp = datetime.combine(today, time(0, 0))
    # Each event is serialised once and shared by its role's file and the business's.
    per_role = {rid: [_event(playbook, rid, index, task, anchor, stamp).to_ical()
                      for index, task in enumerate(playbook.roles[rid].tasks)
                      if not task.every.as_needed]
                for rid in analysis.roles}
    files = {BUSINESS_CALENDAR: _calendar(
        f"{playbook.business.name}: recurring work",
        [event for events in per_role.values() for event in events])}
    for rid, events in per_role.items():
        files[f"calendar/{rid}.ics"] = _calendar(
            f"{playbook.roles[rid].title} ({playbook.business.name})", events)
    return files


def calendar_paths(analysis: Analysis) -> list[str]:
    """The files `calendars` makes, known without making them."""
    return [BUSINESS_CALENDAR] + [f"calendar/{rid}.ics" for rid in analysis.roles]


def rule(task: Task, workweek_days: int) -> dict[str, object]:
    """The RRULE parts of a task: `weekly` on `monday` -> FREQ=WEEKLY;BYDAY=MO."""
    every = task.every
    parts: dict[str, object] = {"INTERVAL": every.interval}
    if every.unit == "workday":
        parts.update(FREQ="WEEKLY", BYDAY=list(DAY_CODES[:workweek_days]))
    elif every.unit == "day":
        parts.update(FREQ="DAILY")
    elif every.unit == "week":
        parts.update(FREQ="WEEKLY", BYDAY=[_day_code(task.on or "monday")])
    else:
        parts.update(FREQ="MONTHLY" if every.unit == "month" else "YEARLY")
        if every.unit == "year":
            parts["BYMONTH"] = [1]
        parts.update(_day_of_month(task.on))
    return parts


def _day_of_month(on: str | None) -> dict[str, object]:
    if on is None:
        return {"BYMONTHDAY": [1]}
    first, second = on.split()
    if first == "day":
        return {"BYMONTHDAY": [int(second)]}
    return {"BYDAY": [f"{ORDINAL_CODES[first]}{_day_code(second)}"]}


def _day_code(weekday: str) -> str:
    return DAY_CODES[WEEKDAYS.index(weekday)]


def _event(playbook: Playbook, rid: str, index: int, task: Task, anchor: date,
           stamp: datetime) -> Event:
    role: Role = playbook.roles[rid]
    recurrence = vRecur(rule(task, playbook.business.workweek_days))
    start = datetime.combine(anchor, START_TIME)
    first = rrulestr(recurrence.to_ical().decode(), dtstart=start)[0]
    event = Event()
    event.add("uid", f"{rid}-task-{index + 1}@playbook")
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("duration", timedelta(minutes=task.time))
    event.add("rrule", recurrence)
    event.add("summary", f"{role.title}: {task.task}")
    event.add("description", _description(playbook, role, task))
    event.add("categories", [playbook.roles[rid].title])
    return event


def _description(playbook: Playbook, role: Role, task: Task) -> str:
    lines = [f"Role: {role.title} (roles/{role.id}/ in the playbook)"]
    if role.performer:
        lines.append(f"Performed by: {playbook.people[role.performer].name}")
    if task.procedure:
        lines.append(f"Procedure: {playbook.procedures[task.procedure].title}")
    return "\n".join(lines)


def _calendar(name: str, events: list[bytes]) -> bytes:
    """A VCALENDAR around already serialised events (the library writes the envelope)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", " ".join(name.split()))  # a name is one line
    envelope = bytes(calendar.to_ical())
    end = envelope.rindex(b"END:VCALENDAR")
    return envelope[:end] + b"".join(events) + envelope[end:]
