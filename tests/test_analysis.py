"""Derived figures, checked against answers worked out by hand.

The minimal playbook (tests/fixtures/minimal), with workweek_days 5:

    marketing     keep       olga   Plan the next campaign  monthly  2h
      social-media outsource carl   Post a photo            daily    30m  (post-a-photo)
                                    Report the numbers      every 2 weeks 1h
    operations    keep       olga   Plan the week           weekly   1h
                                    Count the till          daily    15m
      bookkeeping outsource  olga   Close the month         monthly  3h   (close-the-month)
                                    Answer the tax office   as needed 1h
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playbook_fixtures import fixture_text, make_playbook

from generator.checking.pipeline import check
from generator.figures.analysis import Analysis

KEPT = "title: {title}\nsourcing: keep\nreason: Core work.\n"


def analyse(root: Path) -> Analysis:
    result = check(root)
    assert not result.errors, "\n".join(map(str, result.errors))
    assert result.analysis is not None
    return result.analysis


@pytest.fixture
def minimal(tmp_path: Path) -> Analysis:
    return analyse(make_playbook(tmp_path))


def test_status_of_each_role(tmp_path: Path) -> None:
    root = make_playbook(tmp_path, {
        "roles/vacant.yml": "title: Vacant seat\nsourcing: outsource\n",
        "roles/kept-vacant.yml": KEPT.format(title="Kept, nobody yet"),
        "roles/kept-by-carl.yml": KEPT.format(title="Kept, done by Carl") + "performer: carl\n",
    })
    figures = analyse(root).roles
    assert {rid: f.status for rid, f in figures.items()} == {
        "operations": "kept",  # keep, performed by the owner
        "marketing": "kept",
        "kept-by-carl": "kept",  # keep wins over who performs it
        "social-media": "outsourced",  # outsource, performed by a contractor
        "bookkeeping": "to-outsource",  # outsource, still performed by the owner
        "vacant": "vacant",  # outsource, nobody
        "kept-vacant": "vacant",  # keep, nobody: the seat is still empty
    }


def test_counts_by_status(minimal: Analysis) -> None:
    assert [minimal.count(s) for s in ("kept", "outsourced", "to-outsource", "vacant")] == [
        2, 1, 1, 0]


def test_hours_per_week_per_role(minimal: Analysis) -> None:
    hours = {rid: f.hours_per_week for rid, f in minimal.roles.items()}
    assert hours == {
        # weekly 1h = 1 x 1h; daily 15m = 5 workdays x 0.25h = 1.25h
        "operations": pytest.approx(1.0 + 1.25),
        # monthly 3h = 12 months / 52 weeks x 3h; as needed counts 0
        "bookkeeping": pytest.approx(12 / 52 * 3),
        # monthly 2h = 12 / 52 x 2h
        "marketing": pytest.approx(12 / 52 * 2),
        # daily 30m = 5 x 0.5h; every 2 weeks 1h = 0.5 x 1h
        "social-media": pytest.approx(2.5 + 0.5),
    }
    assert minimal.total_hours == pytest.approx(2.25 + 36 / 52 + 24 / 52 + 3.0)


def test_hours_of_one_task(tmp_path: Path) -> None:
    result = check(make_playbook(tmp_path))
    assert result.playbook is not None and result.analysis is not None
    tasks = result.playbook.roles["operations"].tasks
    hours = [result.analysis.task_hours(t) for t in tasks]
    assert hours == [pytest.approx(1.0), pytest.approx(1.25)]  # weekly 1h; 5 x 15m


def test_daily_work_follows_the_workweek(tmp_path: Path) -> None:
    business = fixture_text("business.yml").replace("workweek_days: 5", "workweek_days: 6")
    figures = analyse(make_playbook(tmp_path, {"business.yml": business})).roles
    assert figures["operations"].hours_per_week == pytest.approx(1.0 + 6 * 0.25)
    assert figures["social-media"].hours_per_week == pytest.approx(6 * 0.5 + 0.5)
    assert figures["marketing"].hours_per_week == pytest.approx(12 / 52 * 2)  # not daily


def test_every_frequency_word_in_one_role(tmp_path: Path) -> None:
    tasks = "".join(f"  - task: t{i}\n    every: {every}\n    time: {time}\n"
                    for i, (every, time) in enumerate([
                        ("daily", "1h"),  # 5 x 1h = 5
                        ("weekly", "2h"),  # 1 x 2h = 2
                        ("every 2 weeks", "1h"),  # 0.5 x 1h = 0.5
                        ("every 7 days", "30m"),  # 7/7 x 0.5h = 0.5
                        ("monthly", "13h"),  # 12/52 x 13h = 3
                        ("quarterly", "13h"),  # 4/52 x 13h = 1
                        ("every 6 months", "26h"),  # 2/52 x 26h = 1
                        ("yearly", "52h"),  # 1/52 x 52h = 1
                        ("as needed", "9h"),  # 0
                    ]))
    root = make_playbook(tmp_path, {"roles/x.yml": KEPT.format(title="X") + "tasks:\n" + tasks})
    assert analyse(root).roles["x"].hours_per_week == pytest.approx(
        5 + 2 + 0.5 + 0.5 + 3 + 1 + 1 + 1 + 0)


def test_hours_per_person(minimal: Analysis) -> None:
    olga, carl = minimal.people["olga"], minimal.people["carl"]
    # olga: marketing 24/52 + operations 2.25 + bookkeeping 36/52
    assert olga.hours_per_week == pytest.approx(24 / 52 + 2.25 + 36 / 52)
    assert olga.capacity_hours == 40
    # carl: social-media 3.0
    assert carl.hours_per_week == pytest.approx(3.0)
    assert carl.capacity_hours == 10
    assert olga.roles == ("marketing", "operations", "bookkeeping")
    assert carl.roles == ("social-media",)


def test_person_without_roles_or_capacity(tmp_path: Path) -> None:
    people = fixture_text("people.yml") + "- id: dora\n  name: Dora\n  kind: staff\n"
    load = analyse(make_playbook(tmp_path, {"people.yml": people})).people["dora"]
    assert (load.roles, load.hours_per_week, load.capacity_hours, load.departments) == (
        (), 0, None, ())
    assert not load.overloaded


def test_overloaded_person(tmp_path: Path) -> None:
    # carl works 3.0 h/week (see test_hours_per_person); 2h capacity is too little
    people = fixture_text("people.yml").replace("capacity: 10h", "capacity: 2h")
    figures = analyse(make_playbook(tmp_path, {"people.yml": people})).people
    assert figures["carl"].overloaded
    assert not figures["olga"].overloaded


def test_exactly_at_capacity_is_not_overloaded(tmp_path: Path) -> None:
    people = fixture_text("people.yml").replace("capacity: 10h", "capacity: 3h")
    assert not analyse(make_playbook(tmp_path, {"people.yml": people})).people["carl"].overloaded


def test_person_without_capacity_is_never_overloaded(tmp_path: Path) -> None:
    people = fixture_text("people.yml").replace("  capacity: 10h\n", "")
    assert not analyse(make_playbook(tmp_path, {"people.yml": people})).people["carl"].overloaded


def test_departments_and_ancestors(minimal: Analysis) -> None:
    assert minimal.roots == ("marketing", "operations")
    assert {rid: (f.department, f.ancestors) for rid, f in minimal.roles.items()} == {
        "marketing": ("marketing", ()),
        "social-media": ("marketing", ("marketing",)),
        "operations": ("operations", ()),
        "bookkeeping": ("operations", ("operations",)),
    }
    assert minimal.roles["marketing"].children == ("social-media",)
    assert minimal.roles["social-media"].children == ()


def test_departments_per_person(minimal: Analysis) -> None:
    assert minimal.people["olga"].departments == ("marketing", "operations")
    assert minimal.people["carl"].departments == ("marketing",)


def test_preorder_sorted_by_title_at_each_level(tmp_path: Path) -> None:
    # titles, not ids, decide the order among siblings (case-insensitively)
    root = make_playbook(tmp_path, {
        "roles/a-last.yml": KEPT.format(title="zebra") + "parent: operations\n",
        "roles/z-first.yml": KEPT.format(title="Alpha") + "parent: operations\n",
        "roles/deep.yml": KEPT.format(title="Deep") + "parent: z-first\n",
        "roles/admin.yml": KEPT.format(title="Admin"),
    })
    analysis = analyse(root)
    assert list(analysis.roles) == [
        "admin",
        "marketing", "social-media",
        "operations", "z-first", "deep", "bookkeeping", "a-last",
    ]
    assert analysis.roots == ("admin", "marketing", "operations")
    assert analysis.roles["deep"].ancestors == ("operations", "z-first")
    assert analysis.roles["deep"].department == "operations"
    assert analysis.roles["operations"].children == ("z-first", "bookkeeping", "a-last")


def test_procedures_per_role(minimal: Analysis) -> None:
    assert {rid: f.procedures for rid, f in minimal.roles.items()} == {
        "marketing": (), "social-media": ("post-a-photo",),
        "operations": (), "bookkeeping": ("close-the-month",)}


def test_readiness_missing(minimal: Analysis) -> None:
    # social-media: four questions, tasks, kpis and a procedure, but no skills
    assert minimal.roles["social-media"].missing == ("skills",)
    # bookkeeping: four questions, tasks and a procedure; no skills, no kpis
    assert minimal.roles["bookkeeping"].missing == ("skills", "kpis")
    # kept roles are not handed over, so nothing is missing
    assert minimal.roles["operations"].missing == ()


def test_readiness_of_an_empty_role_to_outsource(tmp_path: Path) -> None:
    root = make_playbook(tmp_path, {"roles/x.yml": "title: X\nsourcing: outsource\n"})
    assert analyse(root).roles["x"].missing == (
        "goals", "objectives", "success_factors", "expectations", "skills", "tasks", "kpis",
        "procedures")


def test_readiness_of_a_complete_role(tmp_path: Path) -> None:
    social = fixture_text("roles/social-media.yml") + "skills: [Photography]\n"
    root = make_playbook(tmp_path, {"roles/social-media.yml": social})
    assert analyse(root).roles["social-media"].missing == ()
