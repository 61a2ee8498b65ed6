"""The owner's planning figures on a small playbook whose answers are worked out by hand.

Olga owns the business (5 working days, capacity 8h). Her roles:
  ops      kept, weekly 2h                                   = 2.0 h/week
  ads      daily 30m (x5 = 2.5) + monthly 13h (x12/52 = 3.0)  = 5.5 h/week, weak+dislike = 4
  copy     weekly 3h                                          = 3.0 h/week, strong+dislike = 2
  support  as needed 1h (no rhythm, counts 0)                 = 0.0 h/week, not assessed
Carl (contractor, capacity 10h): books (every 2 weeks 4h = 2.0, quarterly 13h = 1.0) = 3.0 and
letters (weekly 1h) = 1.0, in two departments (ops and sales): 4.0 h/week.
seo is vacant: weekly 1h = 1.0 h/week, weak+neutral = 3, budget 30.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from dateutil.rrule import rrulestr
from icalendar import Calendar

from generator.analysis import plan
from generator.calendars import calendars
from generator.check import check
from generator.render import render
from generator.views import cadence_context, people_context

FILES = {
    "business.yml": "name: Olga's Courses\nmodel: Courses sold online.\n"
                    "deliverables: [Courses]\nowner: olga\nworkweek_days: 5\n",
    "people.yml": "- {id: olga, name: Olga Berg, kind: owner, capacity: 8h}\n"
                  "- {id: carl, name: Carl Moss, kind: contractor, capacity: 10h}\n",
    "roles/ops.yml": "title: Operations\nsourcing: keep\nreason: Owner runs it.\n"
                     "performer: olga\ntasks:\n"
                     "  - {task: Plan the week, every: weekly, time: 2h}\n",
    "roles/sales.yml": "title: Sales\nsourcing: keep\nreason: Owner sells.\nperformer: olga\n",
    "roles/ads.yml": "title: Ads\nparent: sales\nsourcing: outsource\nperformer: olga\n"
                     "tasks:\n  - {task: Check spend, every: daily, time: 30m}\n"
                     "  - {task: Monthly report, every: monthly, on: first tuesday, time: 13h}\n"
                     "private:\n  assessment: {skill: weak, enjoyment: dislike}\n  budget: 40\n",
    "roles/copy.yml": "title: Copy\nparent: ops\nsourcing: outsource\nperformer: olga\n"
                      "tasks:\n  - {task: Write emails, every: weekly, on: wednesday, time: 3h}\n"
                      "private:\n  assessment: {skill: strong, enjoyment: dislike}\n",
    "roles/support.yml": "title: Support\nparent: ops\nsourcing: outsource\nperformer: olga\n"
                         "tasks:\n  - {task: Refund, every: as needed, time: 1h, "
                         "trigger: A customer asks}\n",
    "roles/books.yml": "title: Books\nparent: ops\nsourcing: outsource\nperformer: carl\n"
                       "tasks:\n  - {task: Reconcile, every: every 2 weeks, on: friday, "
                       "starts: 2026-01-02, time: 4h}\n"
                       "  - {task: File taxes, every: quarterly, on: day 15, time: 13h}\n",
    "roles/letters.yml": "title: Letters\nparent: sales\nsourcing: outsource\nperformer: carl\n"
                         "tasks:\n  - {task: Newsletter, every: weekly, time: 1h}\n",
    "roles/seo.yml": "title: SEO\nparent: ops\nsourcing: outsource\n"
                     "tasks:\n  - {task: Audit, every: weekly, time: 1h}\n"
                     "private:\n  assessment: {skill: weak, enjoyment: neutral}\n  budget: 30\n",
    "procedures/reconcile.yml": "title: Reconcile\nrole: books\nsteps: [Open the bank feed]\n",
    "procedures/newsletter.yml": "title: Newsletter\nrole: letters\nsteps: [Write it]\n",
}
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("planning")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    result = check(root)
    assert not result.errors, result.problems
    return result


def test_hours_per_role_and_person(checked) -> None:
    figures = checked.analysis
    hours = {rid: round(f.hours_per_week, 6) for rid, f in figures.roles.items()}
    assert hours == {"ops": 2.0, "sales": 0.0, "ads": 5.5, "copy": 3.0, "support": 0.0,
                     "books": 3.0, "letters": 1.0, "seo": 1.0}
    olga, carl = figures.people["olga"], figures.people["carl"]
    assert olga.hours_per_week == pytest.approx(2.0 + 5.5 + 3.0)
    assert olga.overloaded and olga.capacity_hours == 8.0
    assert carl.hours_per_week == pytest.approx(4.0) and not carl.overloaded
    assert carl.departments == ("ops", "sales")


def test_plan_ranks_weakness_and_dislike_first(checked) -> None:
    ranked = plan(checked.playbook, checked.analysis)
    assert [c.id for c in ranked.candidates] == ["ads", "seo", "copy", "support"]
    assert [c.score for c in ranked.candidates] == [4, 3, 2, None]
    assert [c.hours_back for c in ranked.candidates] == pytest.approx([5.5, 0.0, 3.0, 0.0])
    assert ranked.candidates[0].weekly_cost == pytest.approx(40 * 5.5)
    assert ranked.candidates[1].weekly_cost == pytest.approx(30 * 1.0)
    assert ranked.candidates[2].weekly_cost is None
    assert ranked.owner_hours_now == pytest.approx(10.5)
    assert [c.owner_hours_after for c in ranked.candidates] == pytest.approx([5.0, 5.0, 2.0, 2.0])
    assert ranked.owner_hours_after(3) == pytest.approx(2.0)
    assert ranked.kept == ("ops", "sales")


def test_readiness_gaps(checked) -> None:
    assert checked.analysis.roles["seo"].missing == (
        "goals", "objectives", "success_factors", "expectations", "skills", "kpis",
        "procedures")
    assert checked.analysis.roles["ops"].missing == ()


def test_people_view_flags_the_all_rounder(checked) -> None:
    context = people_context(checked.playbook, checked.analysis)
    assert context["all_rounders"] == ["carl"]
    assert context["vacant"] == ["seo"]
    chart = str(context["chart"])
    assert chart.count('class="pb-bar') == 2 and 'class="pb-bar pb-over"' in chart
    assert "10.5 h of 8 h over capacity" in chart


def test_cadence_groups_by_frequency(checked) -> None:
    context = cadence_context(checked.playbook, checked.analysis)
    order = [every for every, _ in context["groups"]]
    assert order == ["daily", "weekly", "every 2 weeks", "monthly", "quarterly", "as needed"]
    weekly = dict(context["groups"])["weekly"]
    assert sorted(row.role for row in weekly) == ["copy", "letters", "ops", "seo"]
    # The chart: a table with a row per frequency (as-needed work has no rhythm to chart)
    # and a column per department, its cells the hours a week.
    chart = BeautifulSoup(str(context["chart"]), "html.parser")
    assert chart.caption.text.startswith("Hours per week of recurring work")
    assert [th.text for th in chart.select("tbody th[scope=row]")] == order[:-1]
    departments = [th.text for th in chart.select("thead th[scope=col]")][1:]
    assert departments == [checked.playbook.roles[r].title for r in checked.analysis.roots]
    assert all(len(row.select("td")) == len(departments) for row in chart.select("tbody tr"))


def test_calendars_parse_back_with_the_right_rules(checked) -> None:
    files = calendars(checked.playbook, checked.analysis)
    assert set(files) == ({"calendar/playbook.ics"}
                          | {f"calendar/{r}.ics" for r in checked.playbook.roles}
                          | {"calendar/people/olga.ics", "calendar/people/carl.ics"})
    whole = Calendar.from_ical(files["calendar/playbook.ics"])
    # 9 tasks; the as-needed refund has no rhythm, so 8 events.
    assert len(whole.walk("VEVENT")) == 8
    events = {str(e["summary"]): e for e in Calendar.from_ical(files["calendar/ads.ics"])
              .walk("VEVENT")}
    daily = events["Ads: Check spend"]
    assert daily["rrule"].to_ical() == b"FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR"
    assert daily["duration"].dt.total_seconds() == 30 * 60
    monthly = events["Ads: Monthly report"]
    # No `starts:`: rhythms count from 2024-01-01, whatever the day of the build.
    assert monthly["dtstart"].dt == datetime(2024, 1, 2, 9, 0)  # first Tuesday of 2024
    occurrences = rrulestr(monthly["rrule"].to_ical().decode(), dtstart=monthly["dtstart"].dt)
    assert occurrences[1] == datetime(2024, 2, 6, 9, 0)
    books = {str(e["summary"]): e for e in Calendar.from_ical(files["calendar/books.ics"])
             .walk("VEVENT")}
    quarterly = books["Books: File taxes"]
    dates = list(rrulestr(quarterly["rrule"].to_ical().decode(),
                          dtstart=quarterly["dtstart"].dt)[:3])
    assert dates == [datetime(2024, 1, 15, 9), datetime(2024, 4, 15, 9), datetime(2024, 7, 15, 9)]
    fortnightly = books["Books: Reconcile"]
    assert fortnightly["dtstart"].dt == datetime(2026, 1, 2, 9, 0)  # its starts: date
    assert b"INTERVAL=2" in fortnightly["rrule"].to_ical()


def test_public_render_has_no_planning_page_and_no_private_value(checked) -> None:
    public = render(checked.playbook, checked.analysis, audience="public", today=TODAY)
    internal = render(checked.playbook, checked.analysis, audience="internal", today=TODAY)
    assert {"plan.md", "people.md", "cadence.md"} <= set(internal)
    assert not {"plan.md", "people.md", "cadence.md"} & set(public)
    assert "40 USD" in str(internal["roles/ads.md"])
    assert all("40 USD" not in str(text) and "weak at it" not in str(text)
               for text in public.values())


def test_render_of_the_example_is_deterministic() -> None:
    root = Path(__file__).resolve().parent.parent / "playbook"
    first, second = check(root), check(root)
    assert render(first.playbook, first.analysis, today=TODAY) == render(
        second.playbook, second.analysis, today=TODAY)
