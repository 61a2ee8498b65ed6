"""Real schedules: the calendars of tests/fixtures/schedules/, read back by an independent
reader (recurring-ical-events expands each RRULE as a calendar program does) and compared
with dates worked out by hand.

Harbor Analytics works Monday to Friday in America/New_York. A day of the month that
falls on a weekend moves to the Friday before; days 1 and 2 move to the Monday after.
Weekdays used below: 2027-01-31 Sun, 2027-02-28 Sun, 2027-03-31 Wed, 2027-04-30 Fri,
2028-02-29 Tue, 2028-03-31 Fri, 2028-04-30 Sun, 2026-08-15 Sat, 2026-08-16 Sun,
2026-05-16 Sat, 2029-12-01 Sat, 2026-03-08 Sun (US daylight saving starts at 02:00).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from bs4 import BeautifulSoup
from conftest import MKDOCS_YML, Build, run_build
from icalendar import Calendar
from playbook_fixtures import GUIDE, guide_playbook

from generator.checking.pipeline import Checked, check
from generator.pages.calendars import calendars
from generator.pages.render import render

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "schedules"
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
SITE_URL = "https://playbook.harbor.example/"


def checked(root: Path = FIXTURE) -> Checked:
    result = check(root)
    assert not result.errors, result.problems
    return result


def ics(result: Checked, path: str = "calendar/playbook.ics", **options: object) -> bytes:
    assert result.playbook is not None and result.analysis is not None
    return calendars(result.playbook, result.analysis, **options)[path]  # type: ignore[arg-type]


def expand(data: bytes, uid: str, start: date, end: date) -> list[datetime]:
    """Occurrences of one event between start and end, as a calendar program lists them."""
    calendar = Calendar.from_ical(data)
    found = [event["DTSTART"].dt for event in
             recurring_ical_events.of(calendar).between(start, end)
             if str(event["UID"]) == uid]
    return sorted(found)


def days(data: bytes, uid: str, start: date, end: date) -> list[date]:
    return [moment.date() for moment in expand(data, uid, start, end)]


def uid(role: str, task: str) -> str:
    return f"{role}.{task}@harbor-analytics"


@pytest.fixture(scope="module")
def calendar() -> bytes:
    return ics(checked())


def test_day_31_is_the_last_workday_of_short_months(calendar: bytes) -> None:
    pay = uid("finance", "pay-contractors")
    assert days(calendar, pay, date(2027, 1, 1), date(2027, 5, 1)) == [
        date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 31), date(2027, 4, 30)]
    # 2028 is a leap year: 29 February is a Tuesday; 30 April a Sunday.
    assert days(calendar, pay, date(2028, 2, 1), date(2028, 5, 1)) == [
        date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 28)]


def test_last_workday_at_its_time_in_the_business_zone(calendar: bytes) -> None:
    found = expand(calendar, uid("finance", "month-end"), date(2027, 1, 1), date(2027, 4, 1))
    assert found == [datetime(2027, 1, 29, 16, tzinfo=NEW_YORK),
                     datetime(2027, 2, 26, 16, tzinfo=NEW_YORK),
                     datetime(2027, 3, 31, 16, tzinfo=NEW_YORK)]
    assert all(moment.tzinfo is not None and moment.utcoffset() for moment in found)


def test_two_days_a_month_are_two_events(calendar: bytes) -> None:
    fifteenth = uid("finance", "run-payroll.day-15")
    last = uid("finance", "run-payroll.last-day")
    window = (date(2026, 8, 1), date(2026, 9, 1))
    assert days(calendar, fifteenth, *window) == [date(2026, 8, 14)]  # the 15th is a Saturday
    assert days(calendar, last, *window) == [date(2026, 8, 31)]


def test_yearly_work_on_its_date(calendar: bytes) -> None:
    report = uid("finance", "file-the-annual-report")
    assert days(calendar, report, date(2026, 1, 1), date(2030, 1, 1)) == [
        date(2026, 12, 1), date(2027, 12, 1), date(2028, 12, 1),
        date(2029, 12, 3)]  # 1 December 2029 is a Saturday: the workday after, in December
    count = uid("finance", "count-the-equipment")
    assert days(calendar, count, date(2027, 1, 1), date(2030, 1, 1)) == [
        date(2027, 3, 26), date(2028, 3, 31), date(2029, 3, 30)]


def test_february_29_in_leap_and_common_years(calendar: bytes) -> None:
    renew = uid("finance", "renew-the-domain")
    assert days(calendar, renew, date(2027, 1, 1), date(2031, 1, 1)) == [
        date(2027, 2, 26), date(2028, 2, 29), date(2029, 2, 28), date(2030, 2, 28)]


def test_quarterly_counts_from_starts(calendar: bytes) -> None:
    close = uid("finance", "close-the-quarter")
    assert days(calendar, close, date(2025, 1, 1), date(2027, 4, 1)) == [
        date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31),
        date(2027, 3, 31)]  # nothing before starts
    taxes = uid("finance", "send-estimated-taxes")
    assert days(calendar, taxes, date(2026, 1, 1), date(2027, 3, 1)) == [
        date(2026, 2, 16), date(2026, 5, 15), date(2026, 8, 14), date(2026, 11, 16),
        date(2027, 2, 16)]


def test_every_3_weeks_from_starts(calendar: bytes) -> None:
    sprint = uid("delivery", "sprint-review")
    assert days(calendar, sprint, date(2023, 7, 1), date(2023, 9, 1)) == [
        date(2023, 7, 18), date(2023, 8, 8), date(2023, 8, 29)]
    # 2023-07-18 plus 3 weeks at a time, three and a half years on:
    assert days(calendar, sprint, date(2026, 12, 20), date(2027, 2, 20)) == [
        date(2026, 12, 29), date(2027, 1, 19), date(2027, 2, 9)]


def test_two_days_a_week_across_a_change_of_daylight_saving(calendar: bytes) -> None:
    notes = expand(calendar, uid("delivery", "post-the-stand-up-notes"),
                   date(2026, 3, 1), date(2026, 3, 14))
    assert [moment.astimezone(UTC) for moment in notes] == [
        datetime(2026, 3, 2, 19, 30, tzinfo=UTC), datetime(2026, 3, 5, 19, 30, tzinfo=UTC),
        datetime(2026, 3, 9, 18, 30, tzinfo=UTC), datetime(2026, 3, 12, 18, 30, tzinfo=UTC)]
    assert {moment.astimezone(NEW_YORK).time() for moment in notes} == {time(14, 30)}


def test_times_a_day_count_in_hours_and_show_in_the_event(calendar: bytes) -> None:
    result = checked()
    assert result.analysis is not None
    # daily 10m, 4 times a day, 5 days: 200 minutes; plus the notes, 2 x 15m; plus the
    # sprint, 1h every 3 weeks.
    assert result.analysis.roles["delivery"].hours_per_week == pytest.approx(
        200 / 60 + 30 / 60 + 1 / 3)
    inbox = [e for e in Calendar.from_ical(calendar).walk("VEVENT")
             if str(e["UID"]) == uid("delivery", "check-the-client-inbox")]
    assert str(inbox[0]["SUMMARY"]) == "Delivery: Check the client inbox (4 times a day)"
    assert days(calendar, uid("delivery", "check-the-client-inbox"), date(2026, 3, 6),
                date(2026, 3, 10)) == [date(2026, 3, 6), date(2026, 3, 9)]  # no weekend


def test_as_needed_work_has_no_event(calendar: bytes) -> None:
    uids = {str(e["UID"]) for e in Calendar.from_ical(calendar).walk("VEVENT")}
    assert uid("delivery", "write-the-release-notes") not in uids
    assert len(uids) == 12  # 8 finance tasks, payroll twice; 3 delivery tasks


def test_events_carry_the_time_zone_definition(calendar: bytes) -> None:
    parsed = Calendar.from_ical(calendar)
    zones = parsed.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["America/New_York"]
    assert all(e["DTSTART"].params["TZID"] == "America/New_York"
               for e in parsed.walk("VEVENT"))


def test_a_seven_day_business_keeps_every_date(tmp_path: Path) -> None:
    """The issue's own example: quarterly from 2026-02-15 falls on Feb, May, Aug, Nov 15."""
    root = shutil.copytree(FIXTURE, tmp_path / "playbook")
    business = root / "business.yml"
    business.write_text(business.read_text().replace("workweek_days: 5", "workweek_days: 7"))
    finance = root / "roles/finance.yml"
    finance.write_text(finance.read_text().replace("starts: 2026-02-16", "starts: 2026-02-15"))
    data = ics(checked(root))
    assert days(data, uid("finance", "send-estimated-taxes"), date(2026, 1, 1),
                date(2027, 1, 1)) == [date(2026, 2, 15), date(2026, 5, 15), date(2026, 8, 15),
                                      date(2026, 11, 15)]
    assert days(data, uid("finance", "pay-contractors"), date(2027, 1, 1),
                date(2027, 5, 1)) == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31),
                                      date(2027, 4, 30)]
    assert days(data, uid("finance", "pay-contractors"), date(2028, 2, 1),
                date(2028, 3, 1)) == [date(2028, 2, 29)]


def test_a_rebuild_a_year_later_gives_the_same_calendars() -> None:
    result = checked()
    assert result.playbook is not None and result.analysis is not None
    now = render(result.playbook, result.analysis, today=date(2026, 12, 1))
    later = render(result.playbook, result.analysis, today=date(2027, 12, 1))
    files = [path for path in now if path.endswith(".ics")]
    assert len(files) == 1 + 2 + 2  # the business, two roles, two people
    assert all(now[path] == later[path] for path in files)


def _events(data: bytes) -> dict[str, tuple[str, ...]]:
    return {str(e["UID"]): (str(e["SUMMARY"]), e["RRULE"].to_ical().decode(),
                            e["DTSTART"].to_ical().decode())
            for e in Calendar.from_ical(data).walk("VEVENT")}


def test_inserting_and_reordering_tasks_changes_no_uid(tmp_path: Path) -> None:
    before = _events(ics(checked()))
    root = shutil.copytree(FIXTURE, tmp_path / "playbook")
    finance = root / "roles/finance.yml"
    text = finance.read_text()
    head, tasks = text.split("tasks:\n")
    items = ["  - task:" + item for item in tasks.split("  - task:")[1:]]
    new = "  - task: Check the float\n    every: weekly\n    on: friday\n    time: 15m\n"
    finance.write_text(head + "tasks:\n" + new + "".join(reversed(items)))
    after = _events(ics(checked(root)))
    assert set(after) - set(before) == {uid("finance", "check-the-float")}
    assert all(after[key] == value for key, value in before.items())


def test_per_person_calendars_hold_their_roles_only(calendar: bytes) -> None:
    result = checked()
    kim = {str(e["UID"]) for e in Calendar.from_ical(
        ics(result, "calendar/people/kim.ics")).walk("VEVENT")}
    ana = {str(e["UID"]) for e in Calendar.from_ical(
        ics(result, "calendar/people/ana.ics")).walk("VEVENT")}
    assert kim and ana and not kim & ana
    assert all(key.startswith("finance.") for key in kim)
    assert all(key.startswith("delivery.") for key in ana)
    assert not (FIXTURE.parent / "calendar/people/rosa.ics").exists()


def test_events_link_to_their_role_page_only_with_a_site_url() -> None:
    result = checked()
    linked = Calendar.from_ical(ics(result, site_url=SITE_URL)).walk("VEVENT")
    close = next(e for e in linked if str(e["UID"]) == uid("finance", "month-end"))
    assert str(close["URL"]) == SITE_URL + "roles/finance/#close-the-month"
    description = str(close["DESCRIPTION"])
    assert "Procedure: Close the month\n" + SITE_URL + "roles/finance/#close-the-month" in (
        description)
    plain = Calendar.from_ical(ics(result)).walk("VEVENT")
    assert all("URL" not in event for event in plain)
    # Without an address to open, the steps themselves are in the event.
    steps = str(next(e for e in plain if str(e["UID"]) == uid("finance", "month-end"))[
        "DESCRIPTION"])
    assert "1. Reconcile the bank feed" in steps and "  2.1. Export the trial balance" in steps


def test_an_event_links_to_the_address_mkdocs_gives_its_role_page(tmp_path: Path) -> None:
    """A role whose id is 'index' has its page at roles/ (MkDocs serves roles/index.md
    there), as every other link to it says: one rule for a page's address (markup.page_url)."""
    folder = tmp_path / "playbook"
    shutil.copytree(FIXTURE, folder)
    (folder / "roles/finance.yml").rename(folder / "roles/index.yml")
    procedure = folder / "procedures/close-the-month.yml"
    procedure.write_text(procedure.read_text().replace("role: finance", "role: index"))
    events = Calendar.from_ical(ics(checked(folder), site_url=SITE_URL)).walk("VEVENT")
    close = next(e for e in events if str(e["UID"]) == uid("index", "month-end"))
    assert str(close["URL"]) == SITE_URL + "roles/#close-the-month"
    assert SITE_URL + "roles/#close-the-month" in str(close["DESCRIPTION"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = tmp_path_factory.mktemp("schedules") / "project"
    project.mkdir()
    shutil.copytree(FIXTURE, project / "playbook")
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(f"site_url: {SITE_URL}\n" + MKDOCS_YML)
    build = run_build(project)
    assert build.returncode == 0, build.output
    return build


def test_role_page_offers_a_subscription(site: Build) -> None:
    page = BeautifulSoup((site.site / "roles/delivery/index.html").read_text(), "html.parser")
    webcal = "webcal://playbook.harbor.example/calendar/delivery.ics"
    assert page.find("a", href=webcal) is not None
    section = page.find(id="calendar").find_parent().get_text(" ")
    assert SITE_URL + "calendar/delivery.ics" in page.get_text()
    assert SITE_URL + "calendar/people/ana.ics" in page.get_text()
    assert "Google Calendar" in page.get_text() and section
    assert (site.site / "calendar/people/ana.ics").is_file()


def test_role_page_shows_times_in_both_zones(site: Build) -> None:
    page = BeautifulSoup((site.site / "roles/delivery/index.html").read_text(), "html.parser")
    rows = {row.find("td").get_text(" ", strip=True): row.find_all("td")[1].get_text(" ")
            for row in page.select("table tbody tr") if row.find("td")}
    notes = next(when for task, when in rows.items() if task.startswith("Post the stand-up"))
    # 14:30 in New York is 02:30 (summer) or 03:30 (winter) the next morning in Manila.
    assert " ".join(notes.split()) == ("monday and thursday, at 14:30 (02:30 the next day or "
                                       "03:30 the next day in Asia/Manila)")
    sprint = next(when for task, when in rows.items() if task.startswith("Sprint review"))
    assert "every" not in sprint and "from 2023-07-18" in sprint
    assert "America/New_York" in page.get_text()


def test_without_a_site_url_the_page_says_why_there_is_no_subscription(
        project_factory) -> None:
    project = project_factory(FIXTURE)
    build = run_build(project)
    assert build.returncode == 0, build.output
    assert "site_url is not set" in build.output
    page = BeautifulSoup((build.site / "roles/finance/index.html").read_text(), "html.parser")
    assert page.find("a", href="../../calendar/finance.ics") is not None
    assert "built without one" in page.get_text()
    assert not page.find("a", href=lambda href: href and href.startswith("webcal:"))


def _guide_rows() -> list[tuple[str, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("| Task | Schedule | First occurrences in the calendar |", 1)[1]
    rows = [line.strip("|").split(" | ") for line in table.split("\n\n", 1)[0].splitlines()
            if line.startswith("| `")]
    return [(task.strip("` "), shown.strip()) for task, _, shown in rows]


def test_the_guide_shows_what_the_calendar_holds(tmp_path: Path) -> None:
    """Each form the owner's guide shows, with the dates its calendar file really gives."""
    data = ics(checked(guide_playbook(tmp_path)))
    rows = _guide_rows()
    assert len(rows) >= 8
    for task, shown in rows:
        found = expand(data, f"bookkeeping.{task}@northwind-knits", date(2027, 1, 1),
                       date(2030, 1, 1))[:3]
        written = ", ".join(f"{m:%a} {m.day} {m:%b %Y %H:%M}" for m in found)
        assert written == shown, task


def test_the_example_uses_the_forms_its_business_needs(example_build: Build) -> None:
    site = example_build.site
    accounting = (site / "calendar/accounting.ics").read_bytes()
    close = expand(accounting, "accounting.month-end@backyard-hive-academy",
                   date(2027, 1, 1), date(2027, 3, 1))
    assert close == [datetime(2027, 1, 29, 16, tzinfo=NEW_YORK),
                     datetime(2027, 2, 26, 16, tzinfo=NEW_YORK)]
    legal = (site / "calendar/legal.ics").read_bytes()
    renew = [e for e in Calendar.from_ical(legal).walk("VEVENT") if "licence" in str(
        e["SUMMARY"])]
    assert days(legal, str(renew[0]["UID"]), date(2027, 1, 1), date(2029, 1, 1)) == [
        date(2027, 12, 1), date(2028, 12, 1)]
    clubs = (site / "calendar/ezine-articles.ics").read_bytes()
    assert days(clubs, "ezine-articles.club-mailing@backyard-hive-academy", date(2026, 9, 1),
                date(2026, 10, 1)) == [date(2026, 9, 4), date(2026, 9, 25)]
    support = BeautifulSoup((site / "roles/customer-support/index.html").read_text(),
                            "html.parser").get_text(" ")
    # 18:00 in New York is 06:00 or 07:00 the next morning in Manila, where Joy works.
    assert "at 18:00 (06:00 the next day or 07:00 the next day in Asia/Manila)" in " ".join(
        support.split())
