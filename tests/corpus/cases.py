"""The corpus: one case per mistake, each "the minimal playbook, except this".

`tests/fixtures/minimal/` is the base (see playbook_fixtures.py for what it holds).
A case overwrites, adds or deletes files from text blocks (`files`), or changes the
folder in ways text cannot say (`setup`: symbolic links, huge files, no folder at
all). Each bad case names every problem it must produce, exactly: the file
(relative to the playbook folder), line, column, severity and the key phrase of the
message. Nothing else may be reported. A case with no expected problem must build.

A case with `fix` is a row of the "Common mistakes" table (docs/manual/mistakes.md): its
first expected phrase is the message shown there, `fix` says what to do about it
(tests/test_corpus.py checks that the table and the corpus agree).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playbook_fixtures import fixture_text

BUSINESS = fixture_text("business.yml")  # 8 lines: owner on 6, workweek_days on 7, currency on 8
PEOPLE = fixture_text("people.yml")  # 9 lines: carl's entry is lines 6-9
KEPT = "title: X\nsourcing: keep\nreason: Core work.\n"  # a valid extra role, 3 lines
PROC = "title: P\nrole: operations\n"  # the start of a valid extra procedure, 2 lines
OUTSOURCE = ("title: X\nsourcing: outsource\ngoals: [g]\nobjectives: [o]\nsuccess_factors: [s]\n"
             "expectations: [e]\n")  # a valid role to outsource, 6 lines


def task(**extra: str) -> str:
    """KEPT plus one task: `task:` on line 5, then every (6), time (7) and extra keys (8...)."""
    keys = {"every": "weekly", "time": "1h", **extra}
    return KEPT + "tasks:\n  - task: a\n" + "".join(f"    {k}: {v}\n" for k, v in keys.items())


@dataclass(frozen=True)
class Expect:
    """One problem line: `playbook/<file>:<line>:<col>: <severity>: ...<phrase>...`."""

    file: str
    line: int
    col: int
    phrase: str
    severity: str = "error"


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes | None] = field(default_factory=dict)
    expect: tuple[Expect, ...] = ()
    """Every problem reported, in order; empty for a playbook that must build."""
    setup: Callable[[Path], None] | None = None
    """Called with the playbook folder after `files` are written."""
    fix: str = ""
    """What to do about the first problem, for the table of common mistakes
    (docs/manual/mistakes.md)."""
    shows: tuple[str, str] | None = None
    """(page URL, its heading) that a case that builds must show."""

    @property
    def strict(self) -> bool:
        """Warnings only: `playbook check` fails on them with --strict, as `make check` runs it."""
        return bool(self.expect) and all(e.severity != "error" for e in self.expect)

    def __str__(self) -> str:
        return self.name


def bad(name: str, files: dict[str, str | bytes | None], *expect: Expect,
        setup: Callable[[Path], None] | None = None, fix: str = "") -> Case:
    return Case(name, files, expect, setup, fix)


def E(file: str, line: int, col: int, phrase: str) -> Expect:
    return Expect(file, line, col, phrase)


def W(file: str, line: int, col: int, phrase: str) -> Expect:
    return Expect(file, line, col, phrase, "warning")


def I(file: str, line: int, col: int, phrase: str) -> Expect:  # noqa: E743
    return Expect(file, line, col, phrase, "info")


# --- setups: what text blocks cannot say --------------------------------------------------


def _remove_folder(root: Path) -> None:
    shutil.rmtree(root)


def _empty_folder(root: Path) -> None:
    shutil.rmtree(root)
    root.mkdir()


def _symlink_loop(root: Path) -> None:
    os.symlink(root / "roles" / "b.yml", root / "roles" / "a.yml")
    os.symlink(root / "roles" / "a.yml", root / "roles" / "b.yml")


def _elsewhere(root: Path) -> Path:
    outside = root.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    return outside


def _symlink_outside(root: Path) -> None:
    secret = _elsewhere(root) / "secret.yml"
    secret.write_text(KEPT, encoding="utf-8")
    os.symlink(secret, root / "roles" / "secret.yml")


def _symlinked_folder_outside(root: Path) -> None:
    target = _elsewhere(root) / "procedures"
    (root / "procedures").rename(target)
    os.symlink(target, root / "procedures")


def _business_outside(root: Path) -> None:
    target = _elsewhere(root) / "business.yml"
    (root / "business.yml").rename(target)
    os.symlink(target, root / "business.yml")


def _broken_symlink(root: Path) -> None:
    os.symlink(root / "roles" / "gone.yml", root / "roles" / "x.yml")


def _huge_file(root: Path) -> None:
    """5 MiB of valid YAML: far over the limit, written without holding it as one string."""
    with (root / "roles" / "x.yml").open("w", encoding="utf-8") as stream:
        stream.write(KEPT + "skills:\n")
        for _ in range(5 * 1024 * 1024 // 64):
            stream.write("  - " + "x" * 59 + "\n")


def _folder_named_yml(root: Path) -> None:
    (root / "roles" / "x.yml").mkdir()


def _roles_is_a_file(root: Path) -> None:
    shutil.rmtree(root / "roles")
    (root / "roles").write_text(KEPT, encoding="utf-8")


DEPTH = 500
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True))
CRLF = {name: fixture_text(name).replace("\n", "\r\n") for name in (
    "business.yml", "people.yml", "roles/social-media.yml", "procedures/post-a-photo.yml")}


CASES: list[Case] = [
    # --- malformed YAML ----------------------------------------------------------------------
    bad("tab indentation", {"roles/x.yml": KEPT + "tasks:\n\t- task: a\n"},
        E("roles/x.yml", 5, 1, "a tab character; indent with spaces, YAML does not allow tabs")),
    bad("second document", {"roles/x.yml": KEPT + "---\ntitle: Y\n"},
        E("roles/x.yml", 4, 1, "only one YAML document per file; remove this '---'")),
    bad("control character", {"roles/x.yml": KEPT + "purpose: 'caf\u00e9 \x07'\n"},
        E("roles/x.yml", 4, 16, "control character U+0007 is not allowed; delete it")),
    bad("control character as an escape",
        {"roles/x.yml": 'title: "Caf\\u00e9 \\a"\nsourcing: keep\nreason: r\n'},
        E("roles/x.yml", 1, 8, "title: control character U+0007 is not allowed; delete it")),
    bad("python tag", {"roles/x.yml": KEPT + "purpose: !!python/object/apply:os.system [id]\n"},
        E("roles/x.yml", 4, 10, "'tag:yaml.org,2002:python/object/apply:os.system' are not "
          "supported; write the value plainly")),
    bad("merge key", {"roles/x.yml": KEPT + "kpis:\n  - &k {name: a, target: b, every: weekly}\n"
                                            "  - <<: *k\n    name: c\n"},
        E("roles/x.yml", 6, 5, "merge keys ('<<') are not supported; write the keys out")),
    bad("alias to nothing", {"roles/x.yml": KEPT + "skills: *nowhere\n"},
        E("roles/x.yml", 4, 9, "alias '*nowhere' refers to no anchor '&nowhere' above it")),
    bad("deep nesting", {"roles/x.yml": "[" * 100_000},
        E("roles/x.yml", 1, 65, "nested more than 64 levels deep; flatten the structure")),
    bad("alias bomb", {"roles/x.yml": ALIAS_BOMB},
        E("roles/x.yml", 6, 8, "(an 'alias bomb') are not allowed")),
    # --- duplicate keys ------------------------------------------------------------------------
    bad("duplicate key", {"roles/x.yml": KEPT + "title: Y\n"},
        E("roles/x.yml", 4, 1, "duplicate key 'title' (first at line 1); remove one"),
        fix="Keep one of the two lines; YAML would silently keep only the last."),
    bad("duplicate key in a task", {"roles/x.yml": task() + "    every: daily\n"},
        E("roles/x.yml", 8, 5, "duplicate key 'every' (first at line 6); remove one")),
    bad("duplicate key in a flow mapping",
        {"roles/x.yml": KEPT + "kpis:\n  - {name: a, target: b, every: weekly, name: c}\n"},
        E("roles/x.yml", 5, 41, "duplicate key 'name' (first at line 5)")),
    bad("duplicate key in people.yml", {"people.yml": PEOPLE + "  name: Carl Again\n"},
        E("people.yml", 10, 3, "duplicate key 'name' (first at line 7)")),
    # --- unknown keys, at every level ----------------------------------------------------------
    bad("unknown business key", {"business.yml": BUSINESS + "privat:\n  notes: x\n"},
        E("business.yml", 9, 1, "unknown key 'privat' (did you mean 'private'?)")),
    bad("unknown business private key", {"business.yml": BUSINESS + "private:\n  budget: 5\n"},
        E("business.yml", 10, 3, "unknown key 'budget' (did you mean 'monthly_budget'?)")),
    bad("unknown person key", {"people.yml": PEOPLE + "  contct: Slack\n"},
        E("people.yml", 10, 3, "unknown key 'contct' (did you mean 'contact'?)")),
    bad("unknown person private key", {"people.yml": PEOPLE + "  private:\n    rat: 9\n"},
        E("people.yml", 11, 5, "unknown key 'rat' (did you mean 'rate'?)")),
    bad("unknown role key", {"roles/x.yml": KEPT + "sucess_factors: [More sales]\n"},
        E("roles/x.yml", 4, 1, "unknown key 'sucess_factors' (did you mean 'success_factors'?)"),
        fix="Correct the spelling; the message lists every key allowed at that place."),
    bad("unknown task key", {"roles/x.yml": task(procedur="x")},
        E("roles/x.yml", 8, 5, "unknown key 'procedur' (did you mean 'procedure'?); allowed keys "
          "here: task, id, every, on, starts, at, times, time, trigger, notes, link, procedure")),
    bad("unknown kpi key",
        {"roles/x.yml": KEPT + "kpis:\n  - {name: a, target: b, every: weekly, trget: c}\n"},
        E("roles/x.yml", 5, 41, "unknown key 'trget' (did you mean 'target'?)")),
    bad("unknown review key",
        {"roles/x.yml": KEPT + "review:\n  last: 2026-01-01\n  every: yearly\n  lst: x\n"},
        E("roles/x.yml", 7, 3, "unknown key 'lst' (did you mean 'last'?)")),
    bad("unknown role private key", {"roles/x.yml": KEPT + "private:\n  note: x\n"},
        E("roles/x.yml", 5, 3, "unknown key 'note' (did you mean 'notes'?)")),
    bad("unknown assessment key",
        {"roles/x.yml": KEPT + "private:\n  assessment:\n    skill: weak\n    enjoyment: like\n"
                               "    enjoy: x\n"},
        E("roles/x.yml", 8, 5, "unknown key 'enjoy' (did you mean 'enjoyment'?)")),
    bad("unknown procedure key", {"procedures/p.yml": PROC + "steps: [a]\ndone-when: [x]\n"},
        E("procedures/p.yml", 4, 1, "unknown key 'done-when' (did you mean 'done_when'?)")),
    bad("unknown procedure private key",
        {"procedures/p.yml": PROC + "steps: [a]\nprivate:\n  notse: x\n"},
        E("procedures/p.yml", 5, 3, "unknown key 'notse' (did you mean 'notes'?)")),
    bad("unknown step key", {"procedures/p.yml": PROC + "steps:\n  - do: a\n    chek: x\n"},
        E("procedures/p.yml", 5, 5, "unknown key 'chek' (did you mean 'check'?)")),
    bad("unknown nested step key",
        {"procedures/p.yml": PROC + "steps:\n  - do: a\n    steps:\n      - do: b\n"
                                    "        optinal: true\n"},
        E("procedures/p.yml", 7, 9, "unknown key 'optinal' (did you mean 'optional'?)")),
    # --- wrong types ---------------------------------------------------------------------------
    bad("list where text is expected",
        {"roles/x.yml": "title: [a, b]\nsourcing: keep\nreason: r\n"},
        E("roles/x.yml", 1, 8, "title: expected text, found a list")),
    bad("true where text is expected", {"roles/x.yml": "title: true\nsourcing: keep\nreason: r\n"},
        E("roles/x.yml", 1, 8, "title: expected text, found true; put it in quotes if it is "
          "meant as text")),
    bad("text where a list is expected", {"roles/x.yml": KEPT + "goals: Grow\n"},
        E("roles/x.yml", 4, 8, "goals: expected a list, found 'Grow'; write each item on its "
          "own line starting with '- '"),
        fix="Write each item on its own line starting with `- `, or use `[a, b]`."),
    bad("mapping where a list is expected", {"roles/x.yml": KEPT + "kpis: {name: a}\n"},
        E("roles/x.yml", 4, 7, "kpis: expected a list, found a mapping")),
    bad("text where a mapping is expected", {"roles/x.yml": KEPT + "review: quarterly\n"},
        E("roles/x.yml", 4, 9, "review: expected a mapping of 'key: value' lines, found "
          "'quarterly'")),
    bad("text where steps are expected", {"procedures/p.yml": PROC + "steps: Do it\n"},
        E("procedures/p.yml", 3, 8, "steps: expected a list, found 'Do it'")),
    bad("number as a step", {"procedures/p.yml": PROC + "steps:\n  - 5\n"},
        E("procedures/p.yml", 4, 5, "steps[0]: expected a mapping of 'key: value' lines, found 5")),
    bad("budget that is not a number", {"roles/x.yml": KEPT + "private:\n  budget: cheap\n"},
        E("roles/x.yml", 5, 11, "private.budget: expected a number, found 'cheap'")),
    bad("negative budget", {"roles/x.yml": KEPT + "private:\n  budget: -5\n"},
        E("roles/x.yml", 5, 11, "private.budget: input should be greater than or equal to 0")),
    bad("people.yml is a mapping", {"people.yml": "id: olga\nname: Olga\nkind: owner\n"},
        E("people.yml", 1, 1, "people.yml must be a list of people, each starting with '- id:'")),
    bad("role file is a list", {"roles/x.yml": "- title: X\n"},
        E("roles/x.yml", 1, 1, "expected a mapping of 'key: value' lines, found a list")),
    bad("role file is one line of text", {"roles/x.yml": "Remember to write this role\n"},
        E("roles/x.yml", 1, 1, "expected a mapping of 'key: value' lines, found 'Remember to "
          "write this role'")),
    bad("missing required key", {"procedures/p.yml": PROC + "time: 1h\n"},
        E("procedures/p.yml", 1, 1, "missing required key 'steps'")),
    bad("missing required task key",
        {"roles/x.yml": KEPT + "tasks:\n  - task: a\n    time: 1h\n"},
        E("roles/x.yml", 5, 5, "missing required key 'tasks[0].every'")),
    bad("empty title", {"roles/x.yml": "title: ''\nsourcing: keep\nreason: r\n"},
        E("roles/x.yml", 1, 8, "title: must not be empty")),
    bad("title of white space only", {"roles/x.yml": "title: '   '\nsourcing: keep\nreason: r\n"},
        E("roles/x.yml", 1, 8, "title: must not be empty")),
    bad("no deliverables", {"business.yml": BUSINESS.replace("deliverables:\n  - Sourdough bread\n",
                                                             "deliverables: []\n")},
        E("business.yml", 4, 15, "deliverables: must not be empty")),
    # --- yes, no, on, off ----------------------------------------------------------------------
    bad("optional: yes", {"procedures/p.yml": PROC + "steps:\n  - do: a\n    optional: yes\n"},
        E("procedures/p.yml", 5, 15, "steps[0].optional: expected true or false, found 'yes'; "
          "'yes' is text in a playbook, write true or false"),
        fix="Write `true` or `false`; `yes`, `no`, `on` and `off` are text in a playbook."),
    bad("optional: off", {"procedures/p.yml": PROC + "steps:\n  - do: a\n    optional: off\n"},
        E("procedures/p.yml", 5, 15, "'off' is text in a playbook, write true or false")),
    bad("optional: No", {"procedures/p.yml": PROC + "steps:\n  - {do: a, optional: No}\n"},
        E("procedures/p.yml", 4, 23, "'No' is text in a playbook, write true or false")),
    # --- 12:30 and 0755 ------------------------------------------------------------------------
    bad("clock time as a number", {"business.yml": BUSINESS.replace("days: 5", "days: 12:30")},
        E("business.yml", 7, 16, "found '12:30'; a value like '12:30' is text, not a number")),
    bad("leading zero", {"business.yml": BUSINESS.replace("days: 5", "days: 0755")},
        E("business.yml", 7, 16, "workweek_days: expected a whole number, found '0755'; write it "
          "without leading zeros")),
    bad("quoted number", {"business.yml": BUSINESS.replace("days: 5", 'days: "5"')},
        E("business.yml", 7, 16, "workweek_days: expected a whole number, found '5'")),
    bad("clock time as a duration", {"roles/x.yml": task(time="12:30")},
        E("roles/x.yml", 7, 11, "tasks[0].time: '12:30' is not a duration")),
    bad("number out of range", {"business.yml": BUSINESS.replace("days: 5", "days: 9")},
        E("business.yml", 7, 16, "workweek_days: input should be less than or equal to 7")),
    # --- durations and dates -------------------------------------------------------------------
    bad("duration without a unit", {"people.yml": PEOPLE.replace("capacity: 10h", "capacity: 10")},
        E("people.yml", 9, 13, "capacity: expected a duration with a unit such as '10m' or '10h', "
          "found the bare number 10"),
        fix="Give durations a unit: `30m`, `2h` or `1h30m`."),
    bad("fractional duration", {"roles/x.yml": task(time="1.5h")},
        E("roles/x.yml", 7, 11, "tasks[0].time: '1.5h' is not a duration")),
    bad("duration in words", {"roles/x.yml": task(time="2 hours")},
        E("roles/x.yml", 7, 11, "tasks[0].time: '2 hours' is not a duration")),
    bad("impossible date", {"roles/x.yml": KEPT + "review: {last: 2026-02-30, every: yearly}\n"},
        E("roles/x.yml", 4, 16, "review.last: '2026-02-30' is not a real date")),
    bad("date with slashes", {"roles/x.yml": KEPT + "review: {last: 2026/10/01, every: yearly}\n"},
        E("roles/x.yml", 4, 16, "review.last: expected an ISO date such as '2026-10-01', found "
          "'2026/10/01'"),
        fix="Write dates as year-month-day: `2026-10-01`."),
    bad("day-first date", {"roles/x.yml": KEPT + "review: {last: 05.10.2026, every: yearly}\n"},
        E("roles/x.yml", 4, 16, "found '05.10.2026'")),
    # --- values outside a list -----------------------------------------------------------------
    bad("sourcing typo", {"roles/x.yml": "title: X\nsourcing: outsorce\n"},
        E("roles/x.yml", 2, 11, "sourcing: 'outsorce' is not allowed; expected one of: keep, "
          "outsource (did you mean 'outsource'?)")),
    bad("person kind in capitals", {"people.yml": PEOPLE.replace("kind: contractor",
                                                                "kind: Contractor")},
        E("people.yml", 8, 9, "expected one of: owner, staff, contractor (did you mean "
          "'contractor'?)")),
    bad("engagement", {"roles/x.yml": KEPT + "engagement: freelance\n"},
        E("roles/x.yml", 4, 13, "engagement: 'freelance' is not allowed")),
    bad("assessment skill", {"roles/x.yml": KEPT + "private:\n  assessment: {skill: poor, "
                                                   "enjoyment: like}\n"},
        E("roles/x.yml", 5, 23, "expected one of: strong, average, weak")),
    bad("frequency typo", {"roles/x.yml": task(every="Qurterly")},
        E("roles/x.yml", 6, 12, "tasks[0].every: 'Qurterly' is not a frequency; expected one of: "
          "daily, weekly, monthly, quarterly, yearly, as needed, or 'every N days|weeks|months' "
          "(did you mean 'quarterly'?)")),
    bad("frequency synonym", {"roles/x.yml": task(every="triweekly")},
        E("roles/x.yml", 6, 12, "(did you mean 'every 3 weeks'?)")),
    bad("frequency with ambiguous meaning", {"roles/x.yml": task(every="biweekly")},
        E("roles/x.yml", 6, 12, "write 'every 2 weeks', or 'weekly' with two days")),
    bad("several times a week", {"roles/x.yml": task(every="twice a week")},
        E("roles/x.yml", 6, 12, "write 'every: weekly' and name the days, such as "
          "'on: [monday, thursday]'")),
    bad("day past the end of a month", {"roles/x.yml": task(every="monthly", on="day 32")},
        E("roles/x.yml", 8, 9, "tasks[0].on: 'day 32': a month has days 1 to 31; for its end "
          "write 'last day' or 'last workday'")),
    bad("day past the end of february", {"roles/x.yml": task(every="yearly",
                                                            on="february 30")},
        E("roles/x.yml", 8, 9, "tasks[0].on: 'february 30': february has days 1 to 29")),
    bad("a month for quarterly work", {"roles/x.yml": task(every="quarterly", on="march 31")},
        E("roles/x.yml", 8, 9, "names a month, but 'quarterly' work recurs in more than one; "
          "name the day of the month only (such as 'day 15') and set the first month with "
          "'starts:'")),
    bad("weekday for monthly work", {"roles/x.yml": task(every="monthly", on="friday")},
        E("roles/x.yml", 8, 9, "(did you mean 'first friday'?)")),
    bad("hour past midnight", {"roles/x.yml": task(at='"25:00"')},
        E("roles/x.yml", 8, 9, "tasks[0].at: '25:00' is not a time of day; write 24-hour time "
          "from '00:00' to '23:59'")),
    bad("time of day as a number", {"roles/x.yml": task(at="9")},
        E("roles/x.yml", 8, 9, "tasks[0].at: expected a time of day such as '09:00' or '14:30', "
          "found 9; write it as text with minutes, such as '09:00'")),
    bad("time of day in am/pm", {"roles/x.yml": task(at='"2pm"')},
        E("roles/x.yml", 8, 9, "(did you mean '14:00'?)")),
    bad("start that is no date", {"roles/x.yml": task(starts="2026-13-01")},
        E("roles/x.yml", 8, 13, "tasks[0].starts: '2026-13-01' is not a real date")),
    bad("start off the rhythm", {"roles/x.yml": task(every="every 2 weeks", on="monday",
                                                   starts="2026-07-15")},
        E("roles/x.yml", 9, 13, "tasks[0].starts: 2026-07-15 (wednesday) is not a day this "
          "task falls on ('monday, from 2026-07-15'); from there, the first is 2026-07-27 "
          "(monday)")),
    bad("zero times a day", {"roles/x.yml": task(every="daily", times="0")},
        E("roles/x.yml", 8, 12, "tasks[0].times: input should be greater than or equal to 1")),
    bad("times for weekly work", {"roles/x.yml": task(times="2")},
        E("roles/x.yml", 8, 12, "'times:' counts occurrences in a day, for daily work")),
    bad("unknown business time zone", {"business.yml": BUSINESS + "timezone: Asia/Manilla\n"},
        E("business.yml", 9, 11, "timezone: 'Asia/Manilla' is not a time zone of the tz "
          "database; write an IANA name such as 'America/New_York' or 'Europe/London' (did you "
          "mean 'Asia/Manila'?)")),
    bad("person's time zone in lower case",
        {"people.yml": PEOPLE + "  timezone: europe/berlin\n"},
        E("people.yml", 10, 13, "(did you mean 'Europe/Berlin'?)")),
    bad("two tasks with one id", {"roles/x.yml": task() + "  - task: A\n    every: monthly\n"
                                                          "    time: 1h\n"},
        E("roles/x.yml", 8, 11, "tasks[1]: the id 'a' from its text is also the id of tasks[0]; "
          "calendar events are known by it, so give one of them another 'id:'")),
    bad("task id with a space", {"roles/x.yml": task(id="month end")},
        E("roles/x.yml", 8, 9, "tasks[0].id: 'month end' is not a valid id")),
    bad("every 3 weeks from nowhere", {"roles/x.yml": task(every="every 3 weeks")},
        W("roles/x.yml", 6, 12, "tasks[0].every: 'every 3 weeks' needs 'starts:' (the date of "
          "one occurrence) to know which weeks")),
    bad("yearly work with no date", {"roles/x.yml": task(every="yearly")},
        W("roles/x.yml", 6, 12, "tasks[0].every: yearly work needs its date")),
    bad("a time with no time zone", {"roles/x.yml": task(at='"14:30"')},
        W("roles/x.yml", 8, 9, "tasks[0].at: 14:30 in which time zone? add 'timezone:' to "
          "business.yml")),
    bad("day for a daily task", {"roles/x.yml": task(every="daily", on="monday")},
        E("roles/x.yml", 8, 9, "tasks[0].on: 'on:' does not apply to 'daily' tasks; remove it")),
    bad("rates with no currency", {"business.yml": BUSINESS.replace("currency: EUR\n", ""),
                                   "people.yml": PEOPLE + "  private: {rate: 30}\n"},
        W("business.yml", 2, 1, "business.yml has no 'currency:', so the rates and budgets in "
          "people.yml (carl) are taken as USD; add 'currency:' with their currency")),
    bad("currency in lower case", {"business.yml": BUSINESS.replace("EUR", "eur")},
        E("business.yml", 8, 11, "currency: 'eur' is not a currency code")),
    # --- ids -----------------------------------------------------------------------------------
    bad("capital file name", {"roles/PPC.yml": KEPT},
        E("roles/PPC.yml", 1, 1, "file name: 'PPC' is not a valid id; use lower-case letters, "
          "digits and single dashes (did you mean 'ppc'?); rename the file")),
    bad("underscore file name", {"roles/ppc_mgmt.yml": KEPT},
        E("roles/ppc_mgmt.yml", 1, 1, "(did you mean 'ppc-mgmt'?); rename the file")),
    bad("spaces in a file name", {"procedures/Weekly Review.yml": PROC + "steps: [a]\n"},
        E("procedures/Weekly Review.yml", 1, 1, "(did you mean 'weekly-review'?)")),
    bad("id differs from the file name", {"roles/x.yml": "id: y\n" + KEPT},
        E("roles/x.yml", 1, 5, "id 'y' differs from the file name 'x'; the file name is the id, "
          "so remove 'id:' or rename the file")),
    bad("procedure id differs", {"procedures/p.yml": "id: q\n" + PROC + "steps: [a]\n"},
        E("procedures/p.yml", 1, 5, "id 'q' differs from the file name 'p'")),
    bad("reference in capitals", {"roles/x.yml": KEPT + "parent: Operations\n"},
        E("roles/x.yml", 4, 9, "parent: 'Operations' is not a valid id")),
    bad("person id in capitals", {"people.yml": PEOPLE + "- id: Dave\n  name: D\n  kind: staff\n"},
        E("people.yml", 10, 7, "'Dave' is not a valid id; use lower-case letters, digits and "
          "single dashes (did you mean 'dave'?)")),
    bad("step id with an underscore",
        {"procedures/p.yml": PROC + "steps:\n  - do: a\n    id: Step_1\n"},
        E("procedures/p.yml", 5, 9, "steps[0].id: 'Step_1' is not a valid id")),
    # --- ids that try to leave the folder ------------------------------------------------------
    bad("parent that climbs", {"roles/x.yml": KEPT + "parent: ../operations\n"},
        E("roles/x.yml", 4, 9, "parent: '../operations' is not a valid id; use lower-case "
          "letters, digits and single dashes (did you mean 'operations'?)")),
    bad("performer as an absolute path", {"roles/x.yml": KEPT + "performer: /etc/passwd\n"},
        E("roles/x.yml", 4, 12, "performer: '/etc/passwd' is not a valid id")),
    bad("procedure role '..'", {"procedures/p.yml": "title: P\nrole: ..\nsteps: [a]\n"},
        E("procedures/p.yml", 2, 7, "role: '..' is not a valid id")),
    bad("task procedure with backslashes", {"roles/x.yml": task(procedure="..\\..\\secrets")},
        E("roles/x.yml", 8, 16, "tasks[0].procedure: '..\\..\\secrets' is not a valid id")),
    bad("id that climbs", {"roles/x.yml": "id: ../../x\n" + KEPT},
        E("roles/x.yml", 1, 5, "id '../../x' differs from the file name 'x'")),
    bad("file name with backslashes", {"roles/a\\..\\..\\x.yml": KEPT},
        E("roles/a\\..\\..\\x.yml", 1, 1, "file name: 'a\\..\\..\\x' is not a valid id")),
    bad("step id that climbs", {"procedures/p.yml": PROC + "steps:\n  - do: a\n    id: ../../x\n"},
        E("procedures/p.yml", 5, 9, "steps[0].id: '../../x' is not a valid id")),
    bad("business owner as an absolute path", {"business.yml": BUSINESS.replace("owner: olga",
                                                                                "owner: /root")},
        E("business.yml", 6, 8, "owner: '/root' is not a valid id")),
    bad("person id that climbs",
        {"people.yml": PEOPLE + "- id: ../dave\n  name: D\n  kind: staff\n"},
        E("people.yml", 10, 7, "'../dave' is not a valid id")),
    bad("alias that climbs", {"roles/x.yml": KEPT + "aliases: ['../../../etc/cron.d/x']\n"},
        E("roles/x.yml", 4, 11, "aliases: '../../../etc/cron.d/x' is not an old id or path")),
    bad("alias with backslashes", {"roles/x.yml": KEPT + "aliases: ['..\\..\\x']\n"},
        E("roles/x.yml", 4, 11, "aliases: '..\\..\\x' is not an old id or path")),
    bad("alias as a drive path", {"roles/x.yml": KEPT + "aliases: ['C:\\Windows\\x']\n"},
        E("roles/x.yml", 4, 11, "aliases: 'C:\\Windows\\x' is not an old id or path")),
    bad("alias with a dot segment", {"roles/x.yml": KEPT + "aliases: [marketing/./x]\n"},
        E("roles/x.yml", 4, 11, "aliases: 'marketing/./x' is not an old id or path")),
    bad("alias into the site's assets", {"roles/x.yml": KEPT + "aliases: [/assets/javascripts]\n"},
        E("roles/x.yml", 4, 11, "'/assets/javascripts' is the address of a page the playbook "
          "builds")),
    # --- duplicate ids -------------------------------------------------------------------------
    bad("duplicate person id", {"people.yml": PEOPLE + "- id: carl\n  name: C2\n  kind: staff\n"},
        E("people.yml", 10, 7, "duplicate person id 'carl'; ids must be unique")),
    bad("alias of two roles", {"roles/x.yml": KEPT + "aliases: [old]\n",
                               "roles/y.yml": KEPT + "aliases: [old]\n"},
        E("roles/y.yml", 4, 11, "aliases: 'old' is already an alias of role 'x'")),
    bad("alias that is another role's id", {"roles/x.yml": KEPT + "aliases: [old-x, operations]\n"},
        E("roles/x.yml", 4, 18, "aliases: 'operations' is the address of a page the playbook "
          "builds")),
    bad("duplicate step id",
        {"procedures/p.yml": PROC + "steps:\n  - {do: a, id: count}\n  - {do: b, id: count}\n"},
        E("procedures/p.yml", 5, 17, "steps[1].id: 'count' is already the id of step 1; step ids "
          "must be unique in a procedure")),
    bad("duplicate nested step id",
        {"procedures/p.yml": PROC + "steps:\n  - do: a\n    id: count\n    steps:\n"
                                    "      - {do: b, id: count}\n"},
        E("procedures/p.yml", 7, 21, "steps[0].steps[0].id: 'count' is already the id of step 1")),
    bad("step id that is a step number",
        {"procedures/p.yml": PROC + "steps:\n  - do: a\n  - {do: b, id: step-1}\n"},
        E("procedures/p.yml", 5, 17, "steps[1].id: 'step-1' is the anchor of step 1; choose a "
          "word such as 'export-report'")),
    bad("procedure id that is a heading of the role page",
        {"procedures/purpose.yml": PROC + "steps: [a]\n"},
        E("procedures/purpose.yml", 1, 1, "file name: 'purpose' is the anchor of a heading on "
          "every role page (#purpose); rename the file")),
    bad("step anchor that is a heading of the role page",
        {"procedures/four.yml": PROC + "steps:\n  - {do: a, id: questions}\n"},
        E("procedures/four.yml", 4, 17, "steps[0].id: the link #four-questions to step 1 would "
          "also lead to the heading #four-questions on the page of role 'operations'; give the "
          "step another id")),
    bad("step id that is a 'done when' item",
        {"procedures/p.yml": PROC + "steps:\n  - {do: a, id: done-1}\ndone_when: [x]\n"},
        E("procedures/p.yml", 4, 17, "steps[0].id: the link #p-done-1 to step 1 would also lead "
          "to 'done when' item 1 of procedure 'p' on the page of role 'operations'")),
    bad("step id that names another step's text",
        {"procedures/p.yml": PROC + "steps:\n  - {do: a, id: count}\n"
                                    "  - {do: b, id: count-text}\n"},
        E("procedures/p.yml", 5, 17, "steps[1].id: the link #p-count-text to step 2 would also "
          "lead to step 1 of procedure 'p'")),
    bad("procedure id that is another procedure's step",
        {"procedures/p.yml": PROC + "steps: [a]\n",
         "procedures/p-step-1.yml": PROC + "steps: [b]\n"},
        E("procedures/p-step-1.yml", 1, 1, "file name: 'p-step-1' is also the anchor of step 1 of "
          "procedure 'p' on the page of role 'operations'; rename the file")),
    # --- references ----------------------------------------------------------------------------
    bad("dangling parent", {"roles/x.yml": KEPT + "parent: operatons\n"},
        E("roles/x.yml", 4, 9, "parent: no role 'operatons' in roles/ (did you mean "
          "'operations'?)"),
        fix="Use an id that exists (the file name, without .yml), or add the missing file."),
    bad("dangling performer", {"roles/x.yml": KEPT + "performer: olgaa\n"},
        E("roles/x.yml", 4, 12, "performer: no person 'olgaa' in people.yml (did you mean "
          "'olga'?)")),
    bad("dangling escalation", {"roles/x.yml": KEPT + "escalation: karl\n"},
        E("roles/x.yml", 4, 13, "escalation: no person 'karl' in people.yml (did you mean "
          "'carl'?)")),
    bad("dangling procedure role", {"procedures/p.yml": "title: P\nrole: operation\nsteps: [a]\n"},
        E("procedures/p.yml", 2, 7, "role: no role 'operation' in roles/ (did you mean "
          "'operations'?)")),
    bad("dangling business owner", {"business.yml": BUSINESS.replace("owner: olga", "owner: olgo")},
        E("business.yml", 6, 8, "owner: no person 'olgo' in people.yml (did you mean 'olga'?)")),
    bad("owner who is not an owner", {"business.yml": BUSINESS.replace("owner: olga",
                                                                       "owner: carl")},
        E("business.yml", 6, 8, "owner: 'carl' is a contractor in people.yml; set their kind to "
          "owner")),
    bad("dangling task procedure", {"roles/x.yml": task(procedure="post-a-foto")},
        E("roles/x.yml", 8, 16, "procedure: no procedure 'post-a-foto' in procedures/ (did you "
          "mean 'post-a-photo'?)")),
    bad("task with another role's procedure", {"roles/x.yml": task(procedure="post-a-photo")},
        E("roles/x.yml", 8, 16, "procedure: 'post-a-photo' belongs to role 'social-media', not "
          "'x'")),
    bad("kept role without a reason", {"roles/x.yml": "title: X\nsourcing: keep\n"},
        E("roles/x.yml", 2, 11, "a kept role needs 'reason:' saying why it stays in-house (the "
          "core competency it protects)"),
        fix="Add `reason:` to the role, or outsource it."),
    # --- cycles --------------------------------------------------------------------------------
    bad("role that is its own parent", {"roles/x.yml": KEPT + "parent: x\n"},
        E("roles/x.yml", 4, 9, "parent: a role cannot be its own parent")),
    bad("two-role cycle",
        {"roles/x.yml": KEPT + "parent: y\n", "roles/y.yml": KEPT + "parent: x\n"},
        E("roles/x.yml", 4, 9, "parent: the role tree has a cycle: x -> y -> x; one of these "
          "roles must have another parent or none")),
    bad("long cycle with a branch", {
        "roles/a.yml": KEPT + "parent: b\n", "roles/b.yml": KEPT + "parent: c\n",
        "roles/c.yml": KEPT + "parent: d\n", "roles/d.yml": KEPT + "parent: a\n",
        "roles/e.yml": KEPT + "parent: c\n"},
        E("roles/a.yml", 4, 9, "the role tree has a cycle: a -> b -> c -> d -> a")),
    bad("cycle 500 roles long",
        {f"roles/r{i:03}.yml": KEPT + f"parent: r{(i + 1) % DEPTH:03}\n" for i in range(DEPTH)},
        E("roles/r000.yml", 4, 9, "the role tree has a cycle: r000 -> r001 -> r002")),
    # --- files and folders ---------------------------------------------------------------------
    bad("empty file", {"roles/x.yml": ""},
        E("roles/x.yml", 1, 1, "file is empty; it needs at least the required keys")),
    bad("file of comments only", {"roles/x.yml": "# to do\n# later\n"},
        E("roles/x.yml", 1, 1, "file is empty")),
    bad("empty business.yml", {"business.yml": ""}, E("business.yml", 1, 1, "file is empty")),
    bad("empty people.yml", {"people.yml": "\n\n"}, E("people.yml", 1, 1, "file is empty")),
    bad("empty playbook folder", {},
        E("business.yml", 1, 1, "missing business.yml; every playbook needs one (run 'playbook "
          "init' to start from a template)"),
        E("people.yml", 1, 1, "missing people.yml; every playbook needs one"),
        setup=_empty_folder),
    bad("no playbook folder", {}, E("", 1, 1, "playbook folder 'playbook' does not exist or is not "
                                    "a folder"), setup=_remove_folder),
    bad("missing business.yml", {"business.yml": None},
        E("business.yml", 1, 1, "missing business.yml; every playbook needs one")),
    bad("business.yml spelt .yaml", {"business.yml": None, "business.yaml": BUSINESS},
        E("business.yaml", 1, 1, "rename to 'business.yml'; playbook files end in .yml"),
        E("business.yml", 1, 1, "missing business.yml")),
    bad("non-UTF-8 file", {"roles/x.yml": b"title: Caf\xe9\nsourcing: keep\nreason: r\n"},
        E("roles/x.yml", 1, 11, "file is not UTF-8 (byte 0xe9); save it as UTF-8"),
        fix="Save the file as UTF-8 (your editor's \"Save with encoding\")."),
    bad("file far over the size limit", {}, E("roles/x.yml", 1, 1, "file is 5121 KiB, over the "
                                              "1024 KiB limit for one playbook file; split it"),
        setup=_huge_file),
    bad("symlink loop", {},
        E("roles/a.yml", 1, 1, "symbolic link loop; replace the link with the file itself"),
        E("roles/b.yml", 1, 1, "symbolic link loop"), setup=_symlink_loop),
    bad("symlink outside the playbook", {},
        E("roles/secret.yml", 1, 1, "outside the playbook folder; copy the file in instead, so "
          "that the playbook is self-contained"),
        setup=_symlink_outside),
    bad("symlinked folder outside the playbook", {},
        E("procedures", 1, 1, "outside the playbook folder"),
        E("roles/bookkeeping.yml", 15, 16, "procedure: no procedure 'close-the-month' in "
          "procedures/"),
        E("roles/social-media.yml", 14, 16, "procedure: no procedure 'post-a-photo' in "
          "procedures/"),
        setup=_symlinked_folder_outside),
    bad("business.yml linked from outside", {}, E("business.yml", 1, 1, "outside the playbook "
                                                  "folder"), setup=_business_outside),
    bad("broken symlink", {},
        E("roles/x.yml", 1, 1, "broken symbolic link; it points to a file that does not exist"),
        setup=_broken_symlink),
    bad("stray text file", {"roles/notes.txt": "remember the milk\n"},
        E("roles/notes.txt", 1, 1, "unexpected file in roles/; only .yml files belong here (move "
          "notes and attachments into docs/)")),
    bad("yaml spelling", {"roles/x.yaml": KEPT},
        E("roles/x.yaml", 1, 1, "rename to 'x.yml'; playbook files end in .yml")),
    bad("stray YAML file at the top", {"notes.yml": "a: 1\n"},
        E("notes.yml", 1, 1, "unexpected 'notes.yml' in the playbook folder; it holds only "
          "business.yml, media, people.yml, procedures, roles")),
    bad("misspelt folder", {"role/x.yml": KEPT},
        E("role", 1, 1, "unexpected 'role' in the playbook folder")),
    bad("folder named like a file", {}, E("roles/x.yml", 1, 1, "a folder named like a .yml file"),
        setup=_folder_named_yml),
    bad("roles is a file", {},
        E("procedures/close-the-month.yml", 3, 7, "role: no role 'bookkeeping' in roles/"),
        E("procedures/post-a-photo.yml", 3, 7, "role: no role 'social-media' in roles/"),
        E("roles", 1, 1, "'roles' must be a folder of .yml files"),
        setup=_roles_is_a_file),
    # --- warnings: `playbook check --strict` and `mkdocs build --strict` fail on them ----------
    bad("role to outsource without the four questions",
        {"roles/x.yml": "title: X\nsourcing: outsource\n"},
        W("roles/x.yml", 2, 11, "role to outsource has no goals, objectives, success factors, "
          "expectations; answer the four questions before outsourcing it"),
        fix="Answer `goals`, `objectives`, `success_factors` and `expectations` (a warning; "
            "`--strict` builds fail on it)."),
    bad("outsourced role without a procedure",
        {"roles/x.yml": OUTSOURCE + "performer: carl\n"},
        W("roles/x.yml", 7, 12, "outsourced role has no procedure; write one with 'playbook new "
          "procedure ID --role x'")),
    # --- what must simply work -----------------------------------------------------------------
    Case("UTF-8 byte-order mark", {"business.yml": b"\xef\xbb\xbf" + BUSINESS.encode()},
         shows=("", "Minimal Bakery")),
    Case("CRLF line endings", CRLF, shows=("roles/social-media/", "Social media")),
    Case("byte-order mark and CRLF in a new role",
         {"roles/x.yml": b"\xef\xbb\xbf" + KEPT.replace("\n", "\r\n").encode()},
         shows=("roles/x/", "X")),
    Case("yes, no, on and off stay text", {"roles/x.yml": "title: No\nsourcing: keep\nreason: off\n"
                                           "tasks:\n  - {task: 'yes', every: weekly, on: monday,"
                                           " time: 1h}\n"},
         shows=("roles/x/", "No")),
    Case("tree 500 levels deep",
         {f"roles/r{i:03}.yml": KEPT.replace("X", f"Level {i}")
          + (f"parent: r{i - 1:03}\n" if i else "") for i in range(DEPTH)},
         shows=(f"roles/r{DEPTH - 1:03}/", f"Level {DEPTH - 1}")),
]
