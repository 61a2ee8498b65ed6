"""Calendar files (RFC 5545) of the recurring tasks: the article's chart of daily,
weekly, monthly and quarterly work, as events a contractor can subscribe to.

One file for the business, one per role and one per person who holds a role.
schedule.py says when each task happens; this module writes the events. Their
times carry the business's time zone (TZID, with a VTIMEZONE), so each reader's
calendar shows them in the reader's own time; a business without a time zone gets
floating times. Event UIDs are the role id and the task id, never positions, and
nothing depends on the day of the build: subscribed calendars keep their events
when tasks are inserted or the site is rebuilt next year. As-needed work has no
rhythm and gets no event.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration, vRecur

from ..figures.analysis import Analysis
from ..figures.schedule import EPOCH, Slot, slots, when
from ..model.playbook import Playbook
from ..model.prose import site_target
from ..model.records import Role, Task, step_lines, task_slug
from .hours import format_minutes
from .markup import absolute, page_url, role_url
from .prose import to_plain

BUSINESS_CALENDAR = "calendar/playbook.ics"
PRODUCT_ID = "-//outsourcing-playbook//playbook calendar//EN"
STAMP = datetime(2024, 1, 1, 0, 0, tzinfo=ZoneInfo("UTC"))
"""DTSTAMP of every event: fixed, so that a rebuild gives the same bytes."""
REFRESH = timedelta(days=1)
"""How often subscribed calendar programs are asked to fetch the file again."""
TIMEZONE_UNTIL = date(2100, 1, 1)


def role_calendar(rid: str) -> str:
    return f"calendar/{rid}.ics"


def person_calendar(pid: str) -> str:
    return f"calendar/people/{pid}.ics"


def calendars(playbook: Playbook, analysis: Analysis, *, site_url: str | None = None,
              directory_urls: bool = True) -> dict[str, bytes]:
    """Every calendar file, keyed by its path in the site."""
    business = playbook.business
    writer = _Writer(playbook, site_url, directory_urls)
    # Each event is serialised once and shared by the files it appears in.
    per_role = {rid: writer.events(playbook.roles[rid]) for rid in analysis.roles}
    zone = _timezone(business.timezone, writer.earliest) if business.timezone else b""
    files = {BUSINESS_CALENDAR: _calendar(f"{business.name}: recurring work", zone, [
        event for events in per_role.values() for event in events])}
    for rid, events in per_role.items():
        files[role_calendar(rid)] = _calendar(
            f"{playbook.roles[rid].title} ({business.name})", zone, events)
    for pid, load in analysis.people.items():
        if load.roles:
            files[person_calendar(pid)] = _calendar(
                f"{playbook.people[pid].name}: recurring work ({business.name})", zone,
                [event for rid in load.roles for event in per_role[rid]])
    return files


def calendar_paths(analysis: Analysis) -> list[str]:
    """The files `calendars` makes, known without making them."""
    return ([BUSINESS_CALENDAR] + [role_calendar(rid) for rid in analysis.roles]
            + [person_calendar(pid) for pid, load in analysis.people.items() if load.roles])


class _Writer:
    """Writes a role's events; remembers the earliest, which the VTIMEZONE must cover."""

    def __init__(self, playbook: Playbook, site_url: str | None, directory_urls: bool) -> None:
        self.playbook = playbook
        self.site_url = site_url
        self.directory_urls = directory_urls
        self.domain = task_slug(playbook.business.name)
        zone = playbook.business.timezone
        self.zone = ZoneInfo(zone) if zone else None
        self.earliest = EPOCH

    def events(self, role: Role) -> list[bytes]:
        days = self.playbook.business.workweek_days
        made = []
        for task in role.tasks:
            for slot in slots(task, days):
                self.earliest = min(self.earliest, slot.start.date())
                made.append(self._event(role, task, slot).to_ical())
        return made

    def _event(self, role: Role, task: Task, slot: Slot) -> Event:
        event = Event()
        suffix = f".{slot.key}" if slot.key else ""
        event.add("uid", f"{role.id}.{task.key}{suffix}@{self.domain}")
        event.add("dtstamp", STAMP)
        event.add("dtstart", slot.start.replace(tzinfo=self.zone))
        if task.time is not None:  # untimed work is an event of no length, not a guess
            event.add("duration", vDuration(timedelta(minutes=task.time)))
        event.add("rrule", vRecur(slot.rule))
        times = f" ({task.times} times a day)" if task.times > 1 else ""
        event.add("summary", f"{role.title}: {task.task}{times}")
        event.add("description", self._description(role, task))
        if self.site_url:
            anchor = f"#{task.procedure}" if task.procedure else ""
            event.add("url", absolute(self.site_url, role_url(role.id, self.directory_urls))
                      + anchor)
        event.add("categories", [role.title])
        return event

    def _description(self, role: Role, task: Task) -> str:
        book = self.playbook
        lines = [f"Role: {role.title}"]
        if self.site_url:
            lines.append(absolute(self.site_url, role_url(role.id, self.directory_urls)))
        else:
            lines.append(f"({role_url(role.id, True)} in the playbook)")
        if role.performer:
            lines.append(f"Performed by: {book.people[role.performer].name}")
        rhythm = when(task)
        zone = f" ({book.business.timezone} time)" if book.business.timezone and task.at else ""
        length = (f"about {format_minutes(task.time)} each time" if task.time is not None
                  else "time not known yet")
        lines.append(f"When: {task.every}{', ' + rhythm if rhythm else ''}{zone}; {length}")
        if task.link:
            lines.append(f"Open: {self._plain_address(task.link)}")
        if task.notes:
            lines.append(f"Notes: {to_plain(task.notes, self._plain_address)}")
        if task.procedure:
            procedure = book.procedures[task.procedure]
            lines += ["", f"Procedure: {procedure.title}"]
            if self.site_url:  # the event's URL opens the procedure as it is today
                lines.append(absolute(self.site_url, role_url(role.id, self.directory_urls))
                             + f"#{procedure.id}")
            else:  # no address to open: the steps themselves, as of this build
                lines += [f"{'  ' * line.depth}{line.number}. "
                          f"{' '.join(to_plain(line.step.do, self._plain_address).split())}"
                          for line in step_lines(procedure)]
        return "\n".join(lines)

    def _plain_address(self, href: str) -> str:
        """An address on the site as a calendar can show it: full with site_url."""
        target = site_target(href)
        if target is None:
            return href
        path, anchor = target
        page = page_url(path, self.directory_urls) if path.endswith(".md") else path
        tail = f"#{anchor}" if anchor else ""
        return (absolute(self.site_url, page) + tail if self.site_url
                else f"/{page}{tail} in the playbook")


@cache
def _timezone(name: str, earliest: date) -> bytes:
    """The zone's VTIMEZONE, covering every event from the earliest on; made once."""
    first = earliest - timedelta(days=366)
    return bytes(Timezone.from_tzinfo(ZoneInfo(name), name, first, TIMEZONE_UNTIL).to_ical())


def _calendar(name: str, zone: bytes, events: list[bytes]) -> bytes:
    """A VCALENDAR around already serialised parts (the library writes the envelope)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", " ".join(name.split()))  # a name is one line
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    envelope = bytes(calendar.to_ical())
    end = envelope.rindex(b"END:VCALENDAR")
    return envelope[:end] + zone + b"".join(events) + envelope[end:]
