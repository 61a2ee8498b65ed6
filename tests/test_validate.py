"""Validation: every rule reports its file, line, column and a message that says the fix.

Most cases are "the minimal playbook, except this one file"; the expected problem is
the only one reported, so a rule that also drags in follow-on errors fails here.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from playbook_fixtures import Found, fixture_text, found, make_playbook, only

from generator.checking.pipeline import check
from generator.checking.validate import validate

BUSINESS = fixture_text("business.yml")  # 8 lines; owner on line 6, workweek_days on line 7
PEOPLE = fixture_text("people.yml")  # 9 lines; carl's entry is lines 6-9
KEPT = "title: X\nsourcing: keep\nreason: Core work.\n"  # a valid extra role, 3 lines
PROC = "title: P\nrole: operations\n"  # the start of a valid extra procedure, 2 lines
TASK = "tasks:\n  - task: a\n    every: weekly\n    time: 1h\n"  # lines 4-7 after KEPT


def task(**extra: str) -> str:
    """KEPT plus one task: `task:` on line 5, then every (6), time (7) and extra keys (8...)."""
    keys = {"every": "weekly", "time": "1h", **extra}
    return KEPT + "tasks:\n  - task: a\n" + "".join(f"    {k}: {v}\n" for k, v in keys.items())


CASES = [
    # --- unknown keys, at every level, with did-you-mean -----------------------------------
    ("business key", "business.yml", BUSINESS + "privat:\n  notes: x\n",
     "business.yml", 9, 1, "unknown key 'privat' (did you mean 'private'?)"),
    ("business private key", "business.yml", BUSINESS + "private:\n  monthly_budgt: 5\n",
     "business.yml", 10, 3, "unknown key 'monthly_budgt' (did you mean 'monthly_budget'?)"),
    ("person key", "people.yml", PEOPLE + "  contct: Slack\n",
     "people.yml", 10, 3, "unknown key 'contct' (did you mean 'contact'?)"),
    ("person private key", "people.yml", PEOPLE + "  private:\n    rat: 9\n",
     "people.yml", 11, 5, "unknown key 'rat' (did you mean 'rate'?)"),
    ("role key", "roles/x.yml", KEPT + "sucess_factors: [More sales]\n",
     "roles/x.yml", 4, 1, "unknown key 'sucess_factors' (did you mean 'success_factors'?)"),
    ("task key", "roles/x.yml", task(procedur="x"),
     "roles/x.yml", 8, 5, "unknown key 'procedur' (did you mean 'procedure'?)"),
    ("kpi key", "roles/x.yml", KEPT + "kpis:\n  - {name: a, target: b, every: weekly, trget: c}\n",
     "roles/x.yml", 5, 41, "unknown key 'trget' (did you mean 'target'?)"),
    ("review key", "roles/x.yml", KEPT + "review:\n  last: 2026-01-01\n  every: yearly\n  lst: x\n",
     "roles/x.yml", 7, 3, "unknown key 'lst' (did you mean 'last'?)"),
    ("role private key", "roles/x.yml", KEPT + "private:\n  note: x\n",
     "roles/x.yml", 5, 3, "unknown key 'note' (did you mean 'notes'?)"),
    ("assessment key", "roles/x.yml",
     KEPT + "private:\n  assessment:\n    skill: weak\n    enjoyment: like\n    enjoy: x\n",
     "roles/x.yml", 8, 5, "unknown key 'enjoy' (did you mean 'enjoyment'?)"),
    ("procedure key", "procedures/p.yml", PROC + "steps: [a]\ndone-when: [x]\n",
     "procedures/p.yml", 4, 1, "unknown key 'done-when' (did you mean 'done_when'?)"),
    ("step key", "procedures/p.yml", PROC + "steps:\n  - do: a\n    chek: x\n",
     "procedures/p.yml", 5, 5, "unknown key 'chek' (did you mean 'check'?)"),
    ("nested step key", "procedures/p.yml",
     PROC + "steps:\n  - do: a\n    steps:\n      - do: b\n        optinal: true\n",
     "procedures/p.yml", 7, 9, "unknown key 'optinal' (did you mean 'optional'?)"),
    ("step id key", "procedures/p.yml", PROC + "steps:\n  - do: a\n    ids: first\n",
     "procedures/p.yml", 5, 5, "unknown key 'ids' (did you mean 'id'?)"),
    ("unknown key lists the allowed keys", "roles/x.yml", task(often="x"),
     "roles/x.yml", 8, 5, "allowed keys here: task, id, every, on, starts, at, times, time, "
     "trigger, notes, link, procedure"),
    ("key that YAML 1.1 reads as a boolean", "roles/x.yml", KEPT + "yes: 1\n",
     "roles/x.yml", 4, 1, "unknown key 'yes'"),
    # --- wrong types ---------------------------------------------------------------------
    ("list where text expected", "roles/x.yml", "title: [a, b]\nsourcing: keep\nreason: r\n",
     "roles/x.yml", 1, 8, "title: expected text, found a list"),
    ("list item not text", "roles/x.yml", KEPT + "goals:\n  - [a, b]\n",
     "roles/x.yml", 5, 5, "goals[0]: expected text, found a list"),
    ("text where list expected", "roles/x.yml", KEPT + "goals: Grow\n",
     "roles/x.yml", 4, 8, "goals: expected a list, found 'Grow'; write each item on its own line"),
    ("mapping where list expected", "roles/x.yml", KEPT + "kpis: {name: a}\n",
     "roles/x.yml", 4, 7, "kpis: expected a list, found a mapping"),
    ("text where mapping expected", "roles/x.yml", KEPT + "review: quarterly\n",
     "roles/x.yml", 4, 9, "review: expected a mapping of 'key: value' lines, found 'quarterly'"),
    ("text where steps expected", "procedures/p.yml", PROC + "steps: Do it\n",
     "procedures/p.yml", 3, 8, "steps: expected a list, found 'Do it'"),
    ("number as a step", "procedures/p.yml", PROC + "steps:\n  - 5\n",
     "procedures/p.yml", 4, 5, "steps[0]: expected a mapping of 'key: value' lines, found 5"),
    ("optional: yes", "procedures/p.yml", PROC + "steps:\n  - do: a\n    optional: yes\n",
     "procedures/p.yml", 5, 15, "'yes' is text in a playbook, write true or false"),
    ("workweek_days quoted", "business.yml", BUSINESS.replace("days: 5", 'days: "5"'),
     "business.yml", 7, 16, "workweek_days: expected a whole number, found '5'"),
    ("workweek_days 0755", "business.yml", BUSINESS.replace("days: 5", "days: 0755"),
     "business.yml", 7, 16, "found '0755'; write it without leading zeros"),
    ("workweek_days 12:30", "business.yml", BUSINESS.replace("days: 5", "days: 12:30"),
     "business.yml", 7, 16, "found '12:30'; a value like '12:30' is text, not a number"),
    ("workweek_days 5.0", "business.yml", BUSINESS.replace("days: 5", "days: 5.0"),
     "business.yml", 7, 16, "workweek_days: expected a whole number, found 5.0"),
    ("workweek_days 9", "business.yml", BUSINESS.replace("days: 5", "days: 9"),
     "business.yml", 7, 16, "workweek_days: input should be less than or equal to 7"),
    ("budget not a number", "roles/x.yml", KEPT + "private:\n  budget: cheap\n",
     "roles/x.yml", 5, 11, "private.budget: expected a number, found 'cheap'"),
    ("negative budget", "roles/x.yml", KEPT + "private:\n  budget: -5\n",
     "roles/x.yml", 5, 11, "greater than or equal to 0"),
    ("currency", "business.yml", BUSINESS.replace("currency: EUR", "currency: eur"),
     "business.yml", 8, 11, "currency: 'eur' is not a currency code"),
    ("empty title", "roles/x.yml", "title: ''\nsourcing: keep\nreason: r\n",
     "roles/x.yml", 1, 8, "title: must not be empty"),
    ("no deliverables", "business.yml", BUSINESS.replace("deliverables:\n  - Sourdough bread\n",
                                                          "deliverables: []\n"),
     "business.yml", 4, 15, "deliverables: must not be empty"),
    ("missing required key", "procedures/p.yml", PROC + "time: 1h\n",
     "procedures/p.yml", 1, 1, "missing required key 'steps'"),
    ("missing required task key", "roles/x.yml", KEPT + "tasks:\n  - task: a\n    time: 1h\n",
     "roles/x.yml", 5, 5, "missing required key 'tasks[0].every'"),
    ("bare number duration", "people.yml", PEOPLE.replace("capacity: 10h", "capacity: 10"),
     "people.yml", 9, 13, "capacity: expected a duration with a unit such as '10m' or '10h'"),
    ("fractional duration", "roles/x.yml", task(time="1.5h"),
     "roles/x.yml", 7, 11, "tasks[0].time: '1.5h' is not a duration"),
    ("frequency typo", "roles/x.yml", task(every="Qurterly"),
     "roles/x.yml", 6, 12, "tasks[0].every: 'Qurterly' is not a frequency; expected one of"),
    ("frequency synonym", "roles/x.yml", task(every="fortnightly"),
     "roles/x.yml", 6, 12, "(did you mean 'every 2 weeks'?)"),
    ("on: for a daily task", "roles/x.yml", task(every="daily", on="monday"),
     "roles/x.yml", 8, 9, "tasks[0].on: 'on:' does not apply to 'daily' tasks; remove it"),
    ("on: day 32", "roles/x.yml", task(every="monthly", on="day 32"),
     "roles/x.yml", 8, 9, "'day 32': a month has days 1 to 31"),
    ("on: weekday for monthly", "roles/x.yml", task(every="monthly", on="tuesday"),
     "roles/x.yml", 8, 9, "(did you mean 'first tuesday'?)"),
    ("kpi checked as needed", "roles/x.yml",
     KEPT + "kpis:\n  - {name: a, target: b, every: as needed}\n",
     "roles/x.yml", 5, 33, "kpis[0].every: a KPI is checked on a schedule"),
    ("impossible date", "roles/x.yml", KEPT + "review: {last: 2026-02-30, every: yearly}\n",
     "roles/x.yml", 4, 16, "review.last: '2026-02-30' is not a real date"),
    ("non-ISO date", "roles/x.yml", KEPT + "review: {last: 2026/10/01, every: yearly}\n",
     "roles/x.yml", 4, 16, "expected an ISO date such as '2026-10-01', found '2026/10/01'"),
    # --- enums ---------------------------------------------------------------------------
    ("sourcing typo", "roles/x.yml", "title: X\nsourcing: outsorce\n",
     "roles/x.yml", 2, 11,
     "sourcing: 'outsorce' is not allowed; expected one of: keep, outsource "
     "(did you mean 'outsource'?)"),
    ("person kind in capitals", "people.yml",
     PEOPLE.replace("kind: contractor", "kind: Contractor"),
     "people.yml", 8, 9, "expected one of: owner, staff, contractor (did you mean 'contractor'?)"),
    ("engagement", "roles/x.yml", KEPT + "engagement: freelance\n",
     "roles/x.yml", 4, 13,
     "engagement: 'freelance' is not allowed; expected one of: contract, retainer, project, "
     "part-time, full-time"),
    ("assessment skill", "roles/x.yml",
     KEPT + "private:\n  assessment: {skill: poor, enjoyment: like}\n",
     "roles/x.yml", 5, 23, "expected one of: strong, average, weak"),
    # --- ids -----------------------------------------------------------------------------
    ("capital file name", "roles/PPC.yml", KEPT,
     "roles/PPC.yml", 1, 1, "'PPC' is not a valid id; use lower-case letters, digits and "
     "single dashes (did you mean 'ppc'?); rename the file"),
    ("underscore file name", "roles/ppc_mgmt.yml", KEPT,
     "roles/ppc_mgmt.yml", 1, 1, "(did you mean 'ppc-mgmt'?); rename the file"),
    ("spaces in a procedure file name", "procedures/Weekly Review.yml", PROC + "steps: [a]\n",
     "procedures/Weekly Review.yml", 1, 1, "(did you mean 'weekly-review'?)"),
    ("id differs from the file name", "roles/x.yml", "id: y\n" + KEPT,
     "roles/x.yml", 1, 5, "id 'y' differs from the file name 'x'"),
    ("procedure id differs", "procedures/p.yml", "id: q\n" + PROC + "steps: [a]\n",
     "procedures/p.yml", 1, 5, "id 'q' differs from the file name 'p'"),
    ("reference not a slug", "roles/x.yml", KEPT + "parent: Operations\n",
     "roles/x.yml", 4, 9, "parent: 'Operations' is not a valid id"),
    ("person id not a slug", "people.yml", PEOPLE + "- id: Dave\n  name: D\n  kind: staff\n",
     "people.yml", 10, 7, "'Dave' is not a valid id; use lower-case letters, digits and single "
     "dashes (did you mean 'dave'?)"),
    ("step id not a slug", "procedures/p.yml", PROC + "steps:\n  - do: a\n    id: Step_1\n",
     "procedures/p.yml", 5, 9, "steps[0].id: 'Step_1' is not a valid id"),
    ("duplicate person id", "people.yml", PEOPLE + "- id: carl\n  name: C2\n  kind: staff\n",
     "people.yml", 10, 7, "duplicate person id 'carl'; ids must be unique"),
    # --- references ----------------------------------------------------------------------
    ("dangling parent", "roles/x.yml", KEPT + "parent: operatons\n",
     "roles/x.yml", 4, 9, "parent: no role 'operatons' in roles/ (did you mean 'operations'?)"),
    ("dangling performer", "roles/x.yml", KEPT + "performer: olgaa\n",
     "roles/x.yml", 4, 12, "performer: no person 'olgaa' in people.yml (did you mean 'olga'?)"),
    ("dangling escalation", "roles/x.yml", KEPT + "escalation: karl\n",
     "roles/x.yml", 4, 13, "escalation: no person 'karl' in people.yml (did you mean 'carl'?)"),
    ("dangling procedure role", "procedures/p.yml", "title: P\nrole: operation\nsteps: [a]\n",
     "procedures/p.yml", 2, 7, "role: no role 'operation' in roles/ (did you mean 'operations'?)"),
    ("dangling business owner", "business.yml", BUSINESS.replace("owner: olga", "owner: olgo"),
     "business.yml", 6, 8, "owner: no person 'olgo' in people.yml (did you mean 'olga'?)"),
    ("owner who is not an owner", "business.yml", BUSINESS.replace("owner: olga", "owner: carl"),
     "business.yml", 6, 8, "owner: 'carl' is a contractor in people.yml; set their kind to owner"),
    ("dangling task procedure", "roles/x.yml", task(procedure="post-a-foto"),
     "roles/x.yml", 8, 16,
     "procedure: no procedure 'post-a-foto' in procedures/ (did you mean 'post-a-photo'?)"),
    ("task with another role's procedure", "roles/x.yml", task(procedure="post-a-photo"),
     "roles/x.yml", 8, 16,
     "procedure: 'post-a-photo' belongs to role 'social-media', not 'x'; a task can only point "
     "at its own role's procedures"),
    ("alias is a live role id", "roles/x.yml", KEPT + "aliases: [old-x, operations]\n",
     "roles/x.yml", 4, 18, "aliases: 'operations' is the address of a page the playbook builds"),
    ("alias as a path to a live role", "roles/x.yml", KEPT + "aliases: [/roles/marketing/]\n",
     "roles/x.yml", 4, 11, "'/roles/marketing/' is the address of a page the playbook builds"),
    ("kept role without reason", "roles/x.yml", "title: X\nsourcing: keep\n",
     "roles/x.yml", 2, 11, "a kept role needs 'reason:'"),
    ("self parent", "roles/x.yml", KEPT + "parent: x\n",
     "roles/x.yml", 4, 9, "parent: a role cannot be its own parent"),
    # --- files ---------------------------------------------------------------------------
    ("people.yml not a list", "people.yml", "id: olga\nname: Olga\nkind: owner\n",
     "people.yml", 1, 1, "people.yml must be a list of people, each starting with '- id:'; "
     "found a mapping"),
    ("role file is a list", "roles/x.yml", "- title: X\n",
     "roles/x.yml", 1, 1, "expected a mapping of 'key: value' lines, found a list"),
    ("empty role file", "roles/x.yml", "# to do\n",
     "roles/x.yml", 1, 1, "file is empty"),
    ("stray text file", "roles/notes.txt", "remember the milk\n",
     "roles/notes.txt", 1, 1, "unexpected file in roles/; only .yml files belong here"),
    ("yaml spelling", "roles/x.yaml", KEPT,
     "roles/x.yaml", 1, 1, "rename to 'x.yml'; playbook files end in .yml"),
    ("stray top-level yml", "notes.yml", "a: 1\n",
     "notes.yml", 1, 1, "unexpected 'notes.yml' in the playbook folder"),
    ("misspelt folder", "role/x.yml", KEPT,
     "role", 1, 1, "unexpected 'role' in the playbook folder"),
    ("missing business.yml", "business.yml", None,
     "business.yml", 1, 1, "missing business.yml; every playbook needs one"),
    ("YAML syntax error", "roles/x.yml", KEPT + "title: Y\n",
     "roles/x.yml", 4, 1, "duplicate key 'title' (first at line 1)"),
    ("non-UTF-8 file", "roles/x.yml", b"title: Caf\xe9\nsourcing: keep\nreason: r\n",
     "roles/x.yml", 1, 11, "file is not UTF-8 (byte 0xe9)"),
]


@pytest.mark.parametrize(("text_file", "text", "file", "line", "col", "phrase"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input(tmp_path: Path, text_file: str, text: str | bytes | None, file: str, line: int,
                   col: int, phrase: str) -> None:
    problem = only(make_playbook(tmp_path, {text_file: text}))
    assert (problem.file, problem.line, problem.col, problem.severity) == (file, line, col,
                                                                           "error")
    assert phrase in problem.message


def test_the_minimal_fixture_is_clean(tmp_path: Path) -> None:
    result, problems = found(make_playbook(tmp_path))
    assert problems == []
    assert not result.failed(strict=True)
    assert result.playbook is not None
    assert sorted(result.playbook.roles) == ["bookkeeping", "marketing", "operations",
                                             "social-media"]


def test_id_equal_to_the_file_name_is_allowed(tmp_path: Path) -> None:
    result, problems = found(make_playbook(tmp_path, {"roles/x.yml": "id: x\n" + KEPT}))
    assert problems == []
    assert result.playbook is not None and result.playbook.roles["x"].id == "x"


def test_misspelt_required_key_reports_both_halves(tmp_path: Path) -> None:
    _, problems = found(make_playbook(tmp_path, {"roles/x.yml": "titel: X\nsourcing: keep\n"
                                                                "reason: r\n"}))
    assert [(p.file, p.line, p.col) for p in problems] == [("roles/x.yml", 1, 1)] * 2
    messages = " | ".join(p.message for p in problems)
    assert "missing required key 'title'" in messages
    assert "unknown key 'titel' (did you mean 'title'?)" in messages


# --- no follow-on errors ------------------------------------------------------------------


def test_an_invalid_person_is_not_reported_missing_by_every_role(tmp_path: Path) -> None:
    people = PEOPLE.replace("  capacity: 40h\n", "  capacity: 40\n")  # olga is invalid
    problem = only(make_playbook(tmp_path, {"people.yml": people}))
    assert (problem.file, problem.line) == ("people.yml", 5)


def test_an_unreadable_role_is_not_reported_missing_by_its_children(tmp_path: Path) -> None:
    marketing = fixture_text("roles/marketing.yml") + "title: Again\n"
    problem = only(make_playbook(tmp_path, {"roles/marketing.yml": marketing}))
    assert (problem.file, problem.line) == ("roles/marketing.yml", 10)
    assert "duplicate key" in problem.message


def test_an_invalid_procedure_is_not_reported_missing_by_its_task(tmp_path: Path) -> None:
    procedure = fixture_text("procedures/post-a-photo.yml").replace("time: 30m", "time: 30")
    problem = only(make_playbook(tmp_path, {"procedures/post-a-photo.yml": procedure}))
    assert problem.file == "procedures/post-a-photo.yml"


def test_a_real_dangling_reference_is_still_reported_next_to_an_invalid_person(
        tmp_path: Path) -> None:
    people = PEOPLE.replace("  capacity: 40h\n", "  capacity: 40\n")
    root = make_playbook(tmp_path, {"people.yml": people, "roles/x.yml": KEPT + "performer: bob\n"})
    _, problems = found(root)
    assert [(p.file, p.line) for p in problems] == [("people.yml", 5), ("roles/x.yml", 4)]
    assert "no person 'bob'" in problems[1].message


# --- cycles -------------------------------------------------------------------------------


def test_two_role_cycle(tmp_path: Path) -> None:
    root = make_playbook(tmp_path, {"roles/x.yml": KEPT + "parent: y\n",
                                    "roles/y.yml": KEPT + "parent: x\n"})
    assert only(root) == Found("roles/x.yml", 4, 9, "error",
                               "parent: the role tree has a cycle: x -> y -> x; one of these "
                               "roles must have another parent or none")


def test_long_cycle_with_a_branch_is_reported_once(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "roles/a.yml": KEPT + "parent: b\n",
        "roles/b.yml": KEPT + "parent: c\n",
        "roles/c.yml": KEPT + "parent: d\n",
        "roles/d.yml": KEPT + "parent: a\n",
        "roles/e.yml": KEPT + "parent: c\n",  # hangs off the cycle, is not part of it
    }
    problem = only(make_playbook(tmp_path, files))
    assert (problem.file, problem.line, problem.col) == ("roles/a.yml", 4, 9)
    assert "a -> b -> c -> d -> a" in problem.message


def test_deep_chain_of_roles_is_valid(tmp_path: Path) -> None:
    depth = 500
    files: dict[str, str | bytes | None] = {
        f"roles/r{i}.yml": KEPT + (f"parent: r{i - 1}\n" if i else "") for i in range(depth)}
    root = make_playbook(tmp_path, files)
    started = time.perf_counter()
    result, problems = found(root)  # a RecursionError would fail here
    assert time.perf_counter() - started < 10  # a quadratic walk would take minutes
    assert problems == []
    assert result.analysis is not None
    deepest = result.analysis.roles[f"r{depth - 1}"]
    assert deepest.ancestors == tuple(f"r{i}" for i in range(depth - 1))
    assert deepest.department == "r0"


def test_deep_cycle_of_roles_is_one_error(tmp_path: Path) -> None:
    depth = 500
    files: dict[str, str | bytes | None] = {
        f"roles/r{i}.yml": KEPT + f"parent: r{(i + 1) % depth}\n" for i in range(depth)}
    problem = only(make_playbook(tmp_path, files))
    assert problem.file == "roles/r0.yml"
    assert "cycle" in problem.message


# --- warnings and strict ------------------------------------------------------------------


def without(text: str, *prefixes: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith(prefixes))


def test_outsourceable_role_without_a_question_is_a_warning(tmp_path: Path) -> None:
    social = without(fixture_text("roles/social-media.yml"), "objectives:")
    root = make_playbook(tmp_path, {"roles/social-media.yml": social})
    result, problems = found(root)
    assert problems == [Found("roles/social-media.yml", 4, 11, "warning",
                              "role to outsource has no objectives; answer the four questions "
                              "before outsourcing it")]
    assert not result.failed()
    assert result.failed(strict=True)
    assert result.playbook is not None and result.analysis is not None


def test_outsourceable_role_without_any_question_names_all_four(tmp_path: Path) -> None:
    social = without(fixture_text("roles/social-media.yml"), "goals:", "objectives:",
                     "success_factors:", "expectations:")
    problem = only(make_playbook(tmp_path, {"roles/social-media.yml": social}))
    assert problem.severity == "warning"
    assert "no goals, objectives, success factors, expectations" in problem.message


def test_vacant_role_to_outsource_is_also_asked_the_questions(tmp_path: Path) -> None:
    problem = only(make_playbook(tmp_path, {"roles/x.yml": "title: X\nsourcing: outsource\n"}))
    assert (problem.file, problem.line, problem.col, problem.severity) == (
        "roles/x.yml", 2, 11, "warning")


def test_kept_role_is_not_asked_the_questions(tmp_path: Path) -> None:
    _, problems = found(make_playbook(tmp_path, {"roles/x.yml": KEPT}))
    assert problems == []


def test_outsourced_role_without_procedure_is_a_warning(tmp_path: Path) -> None:
    social = without(fixture_text("roles/social-media.yml"), "    procedure:")
    root = make_playbook(tmp_path, {"roles/social-media.yml": social,
                                    "procedures/post-a-photo.yml": None})
    result, problems = found(root)
    assert problems == [Found("roles/social-media.yml", 5, 12, "warning",
                              "outsourced role has no procedure; write one with "
                              "'playbook new procedure ID --role social-media'")]
    assert (result.failed(), result.failed(strict=True)) == (False, True)


def test_errors_fail_with_or_without_strict(tmp_path: Path) -> None:
    result = check(make_playbook(tmp_path, {"roles/x.yml": "title: X\nsourcing: keep\n"}))
    assert (result.failed(), result.failed(strict=True)) == (True, True)
    assert result.playbook is None and result.analysis is None
    assert len(result.errors) == 1 and result.warnings == []


# --- the folder ---------------------------------------------------------------------------


def test_empty_playbook_folder(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    root.mkdir()
    _, problems = found(root)
    assert [(p.file, p.line, p.col) for p in problems] == [("business.yml", 1, 1),
                                                           ("people.yml", 1, 1)]
    assert "missing business.yml" in problems[0].message
    assert "missing people.yml" in problems[1].message


def test_missing_playbook_folder(tmp_path: Path) -> None:
    result = check(tmp_path / "nowhere")
    assert len(result.problems) == 1
    assert "does not exist or is not a folder" in result.problems[0].message


def test_symlink_loop(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    os.symlink(root / "roles" / "b.yml", root / "roles" / "a.yml")
    os.symlink(root / "roles" / "a.yml", root / "roles" / "b.yml")
    _, problems = found(root)
    assert [(p.file, p.message) for p in problems] == [
        ("roles/a.yml", "symbolic link loop; replace the link with the file itself"),
        ("roles/b.yml", "symbolic link loop; replace the link with the file itself"),
    ]


def test_symlink_outside_the_playbook(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "secret.yml"
    secret.parent.mkdir()
    secret.write_text(KEPT, encoding="utf-8")
    root = make_playbook(tmp_path)
    os.symlink(secret, root / "roles" / "secret.yml")
    problem = only(root)
    assert problem.file == "roles/secret.yml"
    assert "outside the playbook folder" in problem.message


def test_symlinked_folder_outside_the_playbook(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = make_playbook(tmp_path)
    (root / "procedures").rename(outside / "procedures")
    os.symlink(outside / "procedures", root / "procedures")
    _, problems = found(root)
    assert problems[0].file == "procedures"
    assert "outside the playbook folder" in problems[0].message


def test_symlink_inside_the_playbook_is_followed(tmp_path: Path) -> None:
    root = make_playbook(tmp_path, {"roles/x.yml": KEPT})
    os.symlink(root / "roles" / "x.yml", root / "roles" / "y.yml")
    result, problems = found(root)
    assert problems == []
    assert result.playbook is not None and {"x", "y"} <= set(result.playbook.roles)


def test_broken_symlink(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    os.symlink(root / "roles" / "gone.yml", root / "roles" / "x.yml")
    assert "broken symbolic link" in only(root).message


def test_editor_files_are_ignored(tmp_path: Path) -> None:
    root = make_playbook(tmp_path, {"roles/.x.yml.swp": b"\x00\xff", "roles/x.yml~": "junk: [",
                                    ".DS_Store": b"\x00"})
    assert found(root)[1] == []


# --- one pass -----------------------------------------------------------------------------


def test_every_problem_is_reported_in_one_pass_and_sorted(tmp_path: Path) -> None:
    root = make_playbook(tmp_path, {
        "roles/marketing.yml": fixture_text("roles/marketing.yml").replace("keep", "kep"),
        "business.yml": BUSINESS.replace("EUR", "eur"),
        "procedures/post-a-photo.yml": fixture_text("procedures/post-a-photo.yml").replace(
            "    check: The post shows on the profile\n",
            "    check: The post shows on the profile\n    optional: no\n"),
    })
    result, problems = found(root)
    assert [(p.file, p.line, p.col) for p in problems] == [
        ("business.yml", 8, 11),
        ("procedures/post-a-photo.yml", 9, 15),
        ("roles/marketing.yml", 3, 11),
    ]
    assert "did you mean 'keep'" in problems[2].message
    assert result.problems == sorted(result.problems)


def test_several_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    text = ("title: X\nsourcing: outsorce\nengagement: freelance\ngoals: Grow\n"
            "tasks:\n  - task: a\n    every: wekly\n    time: 1.5h\n")
    _, problems = found(make_playbook(tmp_path, {"roles/x.yml": text}))
    assert [(p.line, p.col) for p in problems] == [(2, 11), (3, 13), (4, 8), (7, 12), (8, 11)]


def test_validate_returns_no_playbook_when_any_error(tmp_path: Path) -> None:
    from generator.files.loader import load

    playbook, problems = validate(load(make_playbook(tmp_path, {"roles/x.yml": "title: X\n"})))
    assert playbook is None
    assert problems


def test_printable_text_holds_no_character_a_text_refuses() -> None:
    """model._text skips its search for printable text: that is only right while nothing
    the search finds is printable."""
    from generator.model.records import _UNPRINTABLE

    assert not [code for code in range(0x110000)
                if chr(code).isprintable() and _UNPRINTABLE.match(chr(code))]


@pytest.mark.parametrize("text", ["''", "'   '", "' \t '"])
def test_empty_text_is_refused_wherever_the_length_is_checked(tmp_path: Path, text: str) -> None:
    _, problems = found(make_playbook(tmp_path, {"roles/x.yml": f"title: {text}\nsourcing: "
                                                                "keep\nreason: r\n"}))
    assert [(p.line, p.col, p.message) for p in problems] == [(1, 8, "title: must not be empty")]


def test_only_procedures_that_may_head_are_looked_up_as_headings() -> None:
    """validate._may_head lets the anchor check skip the heading look-up: every anchor
    '<procedure>-<rest>' that is a heading of the role page must come from a procedure
    it says yes for."""
    from generator.checking.validate import ROLE_PAGE_ANCHORS, _heading, _may_head

    pieces = {part for name in ROLE_PAGE_ANCHORS for part in name.split("-")}
    pids = pieces | {"tasks", "ppc", "weekly-review", "four-questions", "sub-roles", "a"}
    rests = pieces | {"2", "12", "step-1", "step-2-1", "questions-text", "x"}
    for pid in pids:
        for rest in rests:
            if _heading(f"{pid}-{rest}") or _heading(f"{pid}-{rest}-text"):
                assert _may_head(pid), (pid, rest)
    assert _may_head("four") and _may_head("tasks") and not _may_head("ppc")
