"""A staffed business: a real company's task list converted to a playbook.

`tests/fixtures/staffed/` is Ridgeline Heating & Air: 23 people, all on the payroll
(Rosa the owner and 22 staff), no contractors yet. Four departments are headings with
no tasks of their own (Service, Sales, Office and finance, Marketing); the roles under
them are performed by staff and kept, except:

    warranty     outsource, performed by Brie (staff), not assessed   -> to outsource
    payroll      outsource, performed by Ruth (staff), not assessed   -> to outsource
    reviews      outsource, performed by Rosa, average + dislike = 3  -> to outsource
    digital-ads  outsource, vacant, weak + dislike = 4                -> vacant
    marketing    outsource, a heading (no tasks)                      -> never asked anything
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, Build, make_project, run_build
from playbook_fixtures import FIXTURES, found

from generator.checking.pipeline import Checked, check
from generator.figures.plan import plan
from generator.pages.render import render

STAFFED = FIXTURES / "staffed"


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check(STAFFED)


def test_staff_and_headings_need_no_invented_answers(checked: Checked) -> None:
    assert not checked.errors
    # No reason is asked of staff roles or headings, and the Marketing heading is not asked
    # the four questions; the two kept tasks with no time are information only.
    assert not checked.warnings
    infos = sorted(Path(p.file).name for p in checked.problems)
    assert infos == ["fleet.yml", "installs.yml"]


def test_sourcing_is_the_owners_decision_not_the_performers_kind(checked: Checked) -> None:
    figures = checked.analysis
    assert figures is not None
    status = {rid: f.status for rid, f in figures.roles.items()}
    assert status["dispatch"] == status["service"] == "kept"
    assert status["warranty"] == status["payroll"] == status["reviews"] == "to-outsource"
    assert status["digital-ads"] == "vacant"
    assert status["marketing"] == "to-outsource"
    headings = {rid for rid, f in figures.roles.items() if f.heading}
    assert headings == {"service", "sales", "office", "marketing"}
    assert figures.roles["marketing"].missing == ()


def test_plan_leaves_headings_out_and_counts_no_staff_as_spend(checked: Checked) -> None:
    assert checked.playbook is not None and checked.analysis is not None
    ranked = plan(checked.playbook, checked.analysis)
    assert [c.id for c in ranked.candidates] == ["digital-ads", "reviews", "payroll",
                                                 "warranty"]
    assert ranked.spend_now == 0  # staff wages are not outsourcing spend
    # Rosa answers reviews: daily 15m (x5) + weekly 1h = 2.25 h a week back.
    assert [c.hours_back for c in ranked.candidates] == pytest.approx([0, 2.25, 0, 0])


def test_a_kept_role_of_the_owner_still_needs_its_reason(tmp_path: Path) -> None:
    root = tmp_path / "staffed"
    shutil.copytree(STAFFED, root)
    path = root / "roles/leadership.yml"
    path.write_text("\n".join(line for line in path.read_text().splitlines()
                              if not line.startswith("reason:")) + "\n")
    _, problems = found(root)
    errors = [p for p in problems if p.severity == "error"]
    assert [(e.file, e.line) for e in errors] == [("roles/leadership.yml", 3)]
    assert "needs 'reason:'" in errors[0].message


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = make_project(tmp_path_factory.mktemp("staffed"), STAFFED,
                           mkdocs_yml=MKDOCS_YML)
    build = run_build(project, env={"PLAYBOOK_AUDIENCE": "internal"})
    assert build.returncode == 0, build.output
    return build


def _glance(build: Build, rid: str) -> dict[str, str]:
    rows = build.page(f"roles/{rid}/").select(".pb-glance table tr")
    return {cells[0].get_text(strip=True): " ".join(cells[1].get_text().split())
            for cells in (row.find_all("td") for row in rows) if len(cells) == 2}


def test_staff_roles_read_as_in_house_with_their_performer(built: Build) -> None:
    assert _glance(built, "dispatch")["Engagement"] == "In-house: Tanya Ruiz (full time staff)"
    assert _glance(built, "books")["Engagement"] == "In-house: Quinn Foster (staff)"
    assert _glance(built, "leadership")["Engagement"] == "In-house: Rosa Delgado (owner)"
    dispatch = built.page("roles/dispatch/")
    assert dispatch.find(id="hiring-brief") is None
    assert dispatch.select(".admonition.note") == []  # no reason, so no "Kept in-house" box


def test_a_heading_gets_no_brief_and_no_questions(built: Build) -> None:
    marketing = built.page("roles/marketing/")
    assert marketing.find(id="hiring-brief") is None
    assert marketing.find(id="four-questions") is None
    assert built.page("roles/digital-ads/").find(id="hiring-brief") is not None
    kept = [" ".join(li.get_text().split())
            for li in built.page("plan/").find(id="kept").find_next("ul").select("li")]
    assert "Dispatch: Kept in-house, performed by Tanya Ruiz." in kept


def test_staff_wages_are_not_outsourcing_spend(built: Build) -> None:
    people = built.page("people/")
    spend = " ".join(people.select_one(".admonition.info").get_text().split())
    assert spend == ("Spend a month No contractors yet: nothing is spent on outsourcing, and "
                     "the whole budget of 3,000 USD a month is free. Staff wages are not "
                     "counted here.")
    assert "All contractors" not in people.get_text()


def test_the_budget_never_seems_to_cover_roles_with_no_budget_set(tmp_path: Path) -> None:
    root = tmp_path / "staffed"
    shutil.copytree(STAFFED, root)
    for path in (root / "roles").glob("*.yml"):
        path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                                if not line.startswith("  budget:")))
    result = check(root)
    assert result.playbook is not None and result.analysis is not None
    ranked = plan(result.playbook, result.analysis)
    assert [c.unpriced for c in ranked.candidates] == [1, 2, 3, 4]
    page = render(result.playbook, result.analysis, audience="internal")["plan.md"]
    assert isinstance(page, str)
    assert ("The budget covers all 4 roles below, as far as their costs are known:** spend "
            "would be **at least 0&nbsp;USD a month**, 3,000&nbsp;USD to spare before the 4 "
            "roles with no budget set") in page
