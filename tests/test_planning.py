"""The owner's planning figures on a small playbook whose answers are worked out by hand.

Olga owns the business (5 working days, capacity 8h). Her roles:
  ops      kept, weekly 2h                                   = 2.0 h/week
  ads      daily 30m (x5 = 2.5) + monthly 13h (x12/52 = 3.0)  = 5.5 h/week, weak+dislike = 4
  copy     weekly 3h                                          = 3.0 h/week, strong+dislike = 2
  support  as needed 1h (no rhythm, counts 0)                 = 0.0 h/week, not assessed
Carl (contractor, capacity 10h): books (every 2 weeks 4h = 2.0, quarterly 13h = 1.0) = 3.0 and
letters (weekly 1h) = 1.0, in two departments (ops and sales): 4.0 h/week.
seo is vacant: weekly 1h = 1.0 h/week, weak+neutral = 3, budget 30.

Money, a month = a week x 52/12: Olga's hour is worth 100, Carl costs 50, the budget is 1,900.
  spend now   Carl 4.0 h x 50 x 52/12                      = 866.67
  1 ads       cost 5.5 x 40 x 52/12 = 953.33, worth 5.5 x 100 x 52/12 = 2,383.33 -> 1,820.00
  2 seo       cost 1.0 x 30 x 52/12 = 130.00, worth 0 (vacant)       -> 1,950.00 > 1,900
  3 copy      no budget, worth 3.0 x 100 x 52/12 = 1,300.00            -> 1,950.00
  4 support   no budget, no hours                                      -> 1,950.00
So the budget covers the top 1; the line falls between ads and seo.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import Build, build_example
from dateutil.rrule import rrulestr
from icalendar import Calendar

from generator.checking.pipeline import check
from generator.figures.plan import plan
from generator.pages.calendars import calendars
from generator.pages.render import render
from generator.pages.views import cadence_context, people_context

FILES = {
    "business.yml": "name: Olga's Courses\nmodel: Courses sold online.\n"
                    "deliverables: [Courses]\nowner: olga\nworkweek_days: 5\n"
                    "private: {monthly_budget: 1900}\n",
    "people.yml": "- {id: olga, name: Olga Berg, kind: owner, capacity: 8h, private: {rate: 100}}\n"
                  "- {id: carl, name: Carl Moss, kind: contractor, capacity: 10h,\n"
                  "   private: {rate: 50}}\n",
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
    assert [c.monthly_cost for c in ranked.candidates] == [
        pytest.approx(953.333, abs=0.001), pytest.approx(130.0), None, None]
    assert ranked.owner_hours_now == pytest.approx(10.5)
    assert [c.owner_hours_after for c in ranked.candidates] == pytest.approx([5.0, 5.0, 2.0, 2.0])
    assert ranked.owner_hours_after(3) == pytest.approx(2.0)
    assert ranked.kept == ("ops", "sales")


def test_plan_adds_up_money_against_the_budget(checked) -> None:
    ranked = plan(checked.playbook, checked.analysis)
    assert ranked.spend_now == pytest.approx(866.667, abs=0.001)
    assert ranked.budget == 1900 and ranked.owner_rate == 100
    assert [c.owner_value for c in ranked.candidates] == pytest.approx(
        [2383.333, 0.0, 1300.0, 0.0], abs=0.001)
    assert [c.spend_after for c in ranked.candidates] == pytest.approx(
        [1820.0, 1950.0, 1950.0, 1950.0])
    assert ranked.affordable == 1
    assert ranked.total("monthly_cost") == pytest.approx(1083.333, abs=0.001)
    assert ranked.total("hours_back", 1) == pytest.approx(5.5)


def test_people_cost_a_month(checked) -> None:
    context = people_context(checked.playbook, checked.analysis)
    assert context["costs"] == {"carl": pytest.approx(866.667, abs=0.001)}  # contractors only
    assert context["spend"] == pytest.approx(866.667, abs=0.001)


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
    assert "40&nbsp;USD" in str(internal["roles/ads.md"])
    assert all("40&nbsp;USD" not in str(text) and "weak at it" not in str(text)
               for text in public.values())


def test_render_of_the_example_is_deterministic() -> None:
    root = Path(__file__).resolve().parent.parent / "playbook"
    first, second = check(root), check(root)
    assert render(first.playbook, first.analysis, today=TODAY) == render(
        second.playbook, second.analysis, today=TODAY)


# --- the example's figures, worked out by hand from its YAML, found on the built pages -------
#
# A month is 52/12 weeks; daily work counts 5 times a week.
#   web-2-0   daily 30m, weekly 1h + 1h30m, every 2 weeks 1h30m  = 5.75 h a week = 24.92 h a month
#             + monthly 1h                                      = 25.92 h a month (6.0 h a week)
#             cost 18 x 25.92 = 466.50; worth 120 x 25.92 = 3,110
#   ppc       vacant: daily 30m, weekly 3h + 1h30m + 1h, every 2 weeks 2h = 9 h a week = 39 h
#             a month, + monthly 2h = 41 h; cost 40 x 41 = 1,640; worth 0 (no hours back)
#   shipping  daily 45m, weekly 30m = 4.25 h a week = 18.42 h a month, + monthly 1h = 19.42 h
#             cost 20 x 19.42 = 388.33; worth 120 x 19.42 = 2,330
#   legal     monthly 1h + quarterly 1h (4 a year) + yearly 2h = 1 + 1/3 + 1/6 = 1.5 h a month
#             cost 150 x 1.5 = 225; worth 120 x 1.5 = 180
#   seo       weekly 1h30m x 5 tasks = 7.5 h a week = 32.5 h a month; cost 35 x 32.5 = 1,137.50
# Contractors now (rate x hours a month):
#   Joy    ezine weekly 4h + every 3 weeks 1h, support daily 1h15m + weekly 1h
#          = 11.583 h a week = 50.19 h a month, + monthly 1h + 1h = 52.19 h; x 9  = 469.75
#   Marco  weekly 2h = 8.67 h, + monthly 3h, + quarterly 2h (0.67 h a month)
#          = 12.33 h; x 28 = 345.33
#   Linda  weekly 1h = 4.33 h, + monthly 30m + 3h, + quarterly 3h (1 h), + yearly 6h (0.5 h)
#          = 9.33 h; x 45 = 420.00
#   spend now = 1,235.08
# Down the ranked list (web-2-0, ppc, shipping, legal, then seo): 1,701.58, 3,341.58, 3,729.92,
# 3,954.92 and 5,092.42: the 4,500 budget covers the top 4 and runs out at SEO, 592 over.
# Hours back of the top 4: 5.98 + 0 + 4.48 + 0.35 = 10.8 h a week, worth 3,110 + 2,330 + 180.


@pytest.fixture(scope="module")
def internal_example(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_example(tmp_path_factory.mktemp("internal"), "internal")


def _text(node: Any) -> str:
    return " ".join(node.get_text().split())


def test_example_plan_shows_money_against_the_budget(internal_example: Build) -> None:
    page = internal_example.page("plan/")
    tip = _text(page.select_one(".admonition.tip"))
    assert "contractors cost 1,235 USD a month" in tip
    assert "of an outsourcing budget of 4,500 USD a month" in tip
    assert ("The budget covers the top 4 roles below: spend would be 3,955 USD a month, and "
            "you would get back 10.8 h a week, worth 5,620 USD a month at your rate of "
            "120 USD an hour") in tip
    assert "Next in line, SEO, would bring spend to 5,092 USD a month, 592 USD over." in tip
    rows = [[_text(td) for td in tr.find_all("td")]
            for tr in page.find(id="ranked").find_next("table").select("tbody tr")]
    assert rows[0][:7] == ["1", "Web 2.0 properties", "4", "6.0 h", "466 USD", "3,110 USD",
                           "1,702 USD"]
    assert rows[1][1:7] == ["PPC management (vacant)", "4", "0.0 h", "1,640 USD", "0 USD",
                            "3,342 USD"]
    assert rows[2][4:7] == ["388 USD", "2,330 USD", "3,730 USD"]
    assert rows[3][4:7] == ["225 USD", "180 USD", "3,955 USD"]
    assert rows[4][1] == "Budget line" and rows[4][6] == "4,500 USD budget"
    assert rows[5][1] == "SEO" and rows[5][4:7] == ["1,138 USD", "3,900 USD",
                                                    "5,092 USD, over budget"]
    assert rows[-1][1] == "All 8"


def test_example_people_show_cost_a_month(internal_example: Build) -> None:
    page = internal_example.page("people/")
    table = page.select_one(".admonition.info").find_next("table")
    rows = {r[0]: r for r in ([_text(td) for td in tr.find_all("td")]
                              for tr in table.select("tbody tr"))}
    assert rows["Joy Santos"][1:] == ["12.0 h", "52.2 h", "9 USD an hour", "470 USD"]
    assert rows["Marco Bellini"][4] == "345 USD" and rows["Linda Okafor"][4] == "420 USD"
    assert rows["All contractors"][4] == "1,235 USD"
    assert "Contractors cost 1,235 USD a month in all, of an outsourcing budget of 4,500 USD " \
           "a month (3,265 USD left)" in _text(page.select_one(".admonition.info"))


def test_example_counts_are_named_and_outlines_read_as_sentences(internal_example: Build
                                                                 ) -> None:
    home = internal_example.page("")
    departments = [_text(li) for li in home.find(id="departments").find_next("ul").select("li")]
    assert "Fulfillment: 2 direct sub-roles, 5 in all" in departments
    chart = internal_example.page("org-chart/")
    summaries = [_text(s) for s in chart.select("details.pb-dept > summary")]
    assert "Fulfillment (2 direct sub-roles, 5 in all)" in summaries
    assert "Operations (4 sub-roles)" in summaries
    outline = [" ".join("".join(part.get_text() if hasattr(part, "get_text") else str(part)
                                for part in li.contents if part.name != "ul").split())
               for li in chart.find(id="outline").find_next("ul").select("li")]
    assert "PPC management: vacant, no one performs it yet, 9.5 h a week." in outline
    assert "Customer support: outsourced to Joy Santos, 7.5 h a week." in outline
    assert ("Fulfillment: kept in-house, performed by Dana Whitfield, 1.2 h a week; "
            "2 direct sub-roles, 5 in all.") in outline
    assert ("Product ideas: kept in-house, performed by Dana Whitfield, at least 3.0 h a week "
            "(1 task not timed).") in outline
