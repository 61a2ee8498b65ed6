"""Turn the files' data into a `Playbook`, collecting every problem in one pass.

Each record is validated on its own, so one bad role does not hide the problems
of the others; then the cross-file rules run (references exist, ids are unique,
the role tree has no cycle). Pydantic's messages are rewritten into the
project's voice: what was expected, what was found, and the likely fix.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem, Severity, did_you_mean, show
from ..figures.schedule import check_starts, undetermined
from ..files.loader import RawPlaybook
from ..files.strict_yaml import Loc, Source
from ..model import media
from ..model.limits import ID_MAX, too_long
from ..model.playbook import Playbook, alias_path
from ..model.records import (
    Business,
    Person,
    Procedure,
    Role,
    Step,
    check_slug,
    is_heading,
    step_anchor,
)
from ..model.timing import TimingError
from .links import Record, check_links

M = TypeVar("M", bound=BaseModel)
_SLUG_SEGMENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


class Reporter:
    """Collects problems for records whose source positions are known."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def at(self, source: Source, loc: Loc, message: str, *, key: bool = False,
           severity: Severity = Severity.ERROR) -> None:
        line, col = source.mark(loc, key=key)
        self.problems.append(Problem(source.name, line, col, severity, message))

    def warn(self, source: Source, loc: Loc, message: str) -> None:
        self.at(source, loc, message, severity=Severity.WARNING)

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


def validate(raw: RawPlaybook) -> tuple[Playbook | None, list[Problem]]:
    """The checked playbook (None when any error was found) and every problem."""
    report = Reporter()
    report.problems.extend(raw.problems)
    business = _record(report, raw.business, Business) if raw.business else None
    people = _people(report, raw.people) if raw.people else {}
    roles = _files(report, raw.roles, Role)
    procedures = _files(report, raw.procedures, Procedure)
    sources = _sources(raw, people)
    if business is not None and raw.business is not None:
        _check_references(report, business, people, roles, procedures, sources, _existing(raw))
    for pid, procedure in procedures.items():
        source = sources[f"procedure:{pid}"]
        if any(key in source.text for key in ("image:", "alt:", "video:")):
            _check_media(report, raw.root, procedure, source)
    if report.failed or business is None or raw.people is None:
        return None, report.problems
    playbook = Playbook(raw.root, business, people, roles, procedures, sources)
    return playbook, report.problems


def _existing(raw: RawPlaybook) -> dict[str, set[str] | None]:
    """Ids that exist even where their record is invalid or unreadable (that problem is
    already reported); None when people.yml is unusable, so no person can be called missing."""
    people = raw.people.data if raw.people is not None else None
    person_ids = None if not isinstance(people, list) else {
        item["id"] for item in people if isinstance(item, dict) and isinstance(item.get("id"), str)}
    broken = [name.split(":", 1) for name in raw.unreadable]
    return {
        "person": person_ids,
        "role": set(raw.roles) | {rid for kind, rid in broken if kind == "role"},
        "procedure": set(raw.procedures) | {pid for kind, pid in broken if kind == "procedure"},
    }


def _sources(raw: RawPlaybook, people: dict[str, Person]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    if raw.business:
        sources["business"] = raw.business
    if raw.people:
        sources.update({f"person:{pid}": raw.people for pid in people})
    sources.update({f"role:{rid}": s for rid, s in raw.roles.items()})
    sources.update({f"procedure:{pid}": s for pid, s in raw.procedures.items()})
    return sources


def _record(report: Reporter, source: Source, model: type[M],
                          data: Any = None, prefix: Loc = ()) -> M | None:
    data = source.data if data is None else data
    if not isinstance(data, dict):
        report.at(source, prefix, f"expected a mapping of 'key: value' lines, found {_kind(data)}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            _translate(report, source, model, prefix, error)
        return None


def _people(report: Reporter, source: Source) -> dict[str, Person]:
    if not isinstance(source.data, list):
        report.at(source, (), "people.yml must be a list of people, each starting with '- id:'; "
                  f"found {_kind(source.data)}")
        return {}
    people: dict[str, Person] = {}
    for index, item in enumerate(source.data):
        person = _record(report, source, Person, item, (index,))
        if person is None:
            continue
        if person.id in people:
            report.at(source, (index, "id"),
                      f"duplicate person id '{person.id}'; ids must be unique")
            continue
        people[person.id] = person
    return people


def _files(report: Reporter, sources: dict[str, Source],
                         model: type[M]) -> dict[str, M]:
    """Validate one record per file; the file name is the id."""
    records: dict[str, M] = {}
    for file_id, source in sources.items():
        try:
            check_slug(file_id)
        except TimingError as exc:
            report.at(source, (), f"file name: {exc}; rename the file")
            continue
        data = source.data
        if isinstance(data, dict):
            given = data.get("id", file_id)
            if given != file_id:
                report.at(source, ("id",), f"id '{given}' differs from the file name "
                          f"'{file_id}'; the file name is the id, so remove 'id:' or rename "
                          "the file")
                continue
            data = {**data, "id": file_id}
        record = _record(report, source, model, data)
        # The model now holds everything; dropping the raw data as we go keeps the peak
        # memory of a big playbook near one copy instead of two.
        source.data = None
        if record is not None:
            records[file_id] = record
    return records


def _translate(report: Reporter, source: Source, model: type[BaseModel], prefix: Loc,
               error: Any) -> None:
    loc = prefix + tuple(error["loc"])
    where = _field_name(error["loc"])
    kind, found = error["type"], error.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, error["loc"][:-1])
        key = str(error["loc"][-1])
        report.at(source, loc, f"unknown key '{key}'{did_you_mean(key, allowed)}; allowed keys "
                  f"here: {', '.join(allowed)}", key=True)
    elif kind == "missing":
        report.at(source, loc[:-1], f"missing required key '{where}'")
    else:
        report.at(source, loc, _message(kind, where, found, error))


def _message(kind: str, where: str, found: Any, error: Any) -> str:
    ctx = error.get("ctx") or {}
    if kind == "playbook":
        return f"{where}: {error['msg']}"
    if kind == "literal_error":
        allowed = [a.strip("'") for a in ctx.get("expected", "").replace(" or ", ", ").split(", ")]
        hint = did_you_mean(str(found).lower(), allowed) if isinstance(found, str) else ""
        return (f"{where}: {show(found)} is not allowed; expected one of: "
                f"{', '.join(allowed)}{hint}")
    if kind == "bool_type":
        hint = (f"; '{found}' is text in a playbook, write true or false"
                if isinstance(found, str) else "")
        return f"{where}: expected true or false, found {show(found)}{hint}"
    if kind in ("int_type", "float_type", "int_from_float"):
        number = "a number" if kind == "float_type" else "a whole number"
        return f"{where}: expected {number}, found {show(found)}{_number_hint(found)}"
    if kind == "string_type":
        return (f"{where}: expected text, found {show(found)}; put it in quotes if it is "
                "meant as text")
    if kind == "list_type":
        return (f"{where}: expected a list, found {show(found)}; write each item on its own line "
                "starting with '- '")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{where}: expected a mapping of 'key: value' lines, found {show(found)}"
    if kind in ("string_too_short", "too_short"):
        return f"{where}: must not be empty"
    if kind == "string_too_long" and isinstance(found, str):  # never quoted: it is long
        return f"{where}: {too_long(len(found), ctx['max_length'])}; shorten it"
    if kind == "string_pattern_mismatch" and where == "currency":
        return f"currency: {show(found)} is not a currency code; write three capitals such as USD"
    return f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}, found {show(found)}"


def _number_hint(found: Any) -> str:
    if isinstance(found, str) and found[:1] == "0" and found.isdigit():
        return "; write it without leading zeros"
    if isinstance(found, str) and ":" in found:
        return "; a value like '12:30' is text, not a number"
    return ""


def _field_name(loc: tuple[Any, ...]) -> str:
    """('tasks', 2, 'every') -> 'tasks[2].every'; list positions count from 0 as in loc."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "value"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model found at loc, for did-you-mean on unknown keys."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    if current is None:
        return []
    hidden = {"id"} if current in (Role, Procedure) else set()  # their id is the file name
    return [name for name in current.model_fields if name not in hidden]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _kind(data: Any) -> str:
    return "nothing" if data is None else "a list" if isinstance(data, list) else show(data)


def _check_references(report: Reporter, business: Business, people: dict[str, Person],
                      roles: dict[str, Role], procedures: dict[str, Procedure],
                      sources: dict[str, Source], existing: dict[str, set[str] | None]) -> None:
    def ref(source: Source, loc: Loc, value: str | None, known: dict[str, Any], what: str,
            where: str) -> None:
        exists = existing[what]  # an invalid record's id exists; its own error says why
        if value is not None and value not in known and exists is not None and value not in exists:
            report.at(source, loc, f"{loc[-1]}: no {what} '{value}' in {where}"
                      f"{did_you_mean(value, known)}")

    business_source = sources["business"]
    ref(business_source, ("owner",), business.owner, people, "person", "people.yml")
    owner = people.get(business.owner)
    if owner is not None and owner.kind != "owner":
        report.at(business_source, ("owner",), f"owner: '{owner.id}' is a {owner.kind} in "
                  "people.yml; set their kind to owner")
    parents = {role.parent for role in roles.values()}
    for rid, role in roles.items():
        src = sources[f"role:{rid}"]
        ref(src, ("parent",), role.parent, roles, "role", "roles/")
        ref(src, ("performer",), role.performer, people, "person", "people.yml")
        ref(src, ("escalation",), role.escalation, people, "person", "people.yml")
        owed = role.reason is None and _reason_owed(rid, role, people, parents)
        if role.sourcing == "keep" and owed:
            report.at(src, ("sourcing",), "a kept role needs 'reason:' saying why it stays "
                      "in-house (the core competency it protects)")
        for index, task in enumerate(role.tasks):
            _check_task_procedure(report, src, index, task.procedure, rid, procedures,
                                  existing["procedure"] or set())
    for pid, procedure in procedures.items():
        ref(sources[f"procedure:{pid}"], ("role",), procedure.role, roles, "role", "roles/")
    for rid, role in roles.items():
        _check_schedules(report, business, role, sources[f"role:{rid}"])
    _check_currency(report, business, people, roles, business_source)
    _check_aliases(report, roles, sources)
    pages = _check_anchors(report, procedures, sources)
    _check_cycles(report, roles, sources)
    records: list[Record] = [(business_source, (), business, None)]
    people_data = sources[f"person:{next(iter(people))}"].data if people else []
    positions = {item.get("id"): n for n, item in enumerate(people_data)
                 if isinstance(item, dict)}
    records += [(sources[f"person:{pid}"], (positions[pid],), person, None)
                for pid, person in people.items()]
    records += [(sources[f"role:{rid}"], (), role, rid) for rid, role in roles.items()]
    records += [(sources[f"procedure:{pid}"], (), procedure, procedure.role)
                for pid, procedure in procedures.items()]
    check_links(report.at, records, set(existing["role"] or roles),
                lambda rid, anchor: _heading(anchor) or anchor in pages.get(rid, {}),
                {alias_path(alias): rid for rid, role in roles.items() for alias in role.aliases})


def _reason_owed(rid: str, role: Role, people: dict[str, Person],
                 parents: set[str | None]) -> bool:
    """Keeping a role the owner could outsource is a decision worth a reason; a role staff
    perform, or a department heading with no tasks of its own, is in-house by nature."""
    performer = people.get(role.performer) if role.performer else None
    staffed = performer is not None and performer.kind == "staff"
    heading = is_heading(role, rid in parents)
    return not (staffed or heading)


def _check_task_procedure(report: Reporter, src: Source, index: int, pid: str | None, rid: str,
                          procedures: dict[str, Procedure], exists: set[str]) -> None:
    if pid is None or (pid not in procedures and pid in exists):
        return
    loc: Loc = ("tasks", index, "procedure")
    if pid not in procedures:
        report.at(src, loc, f"procedure: no procedure '{pid}' in procedures/"
                  f"{did_you_mean(pid, procedures)}")
    elif procedures[pid].role != rid:
        report.at(src, loc, f"procedure: '{pid}' belongs to role '{procedures[pid].role}', not "
                  f"'{rid}'; a task can only point at its own role's procedures")


def _check_currency(report: Reporter, business: Business, people: dict[str, Person],
                    roles: dict[str, Role], src: Source) -> None:
    """Money without a currency is read as USD; say so rather than assume it silently."""
    if "currency" in business.model_fields_set:
        return
    money = [f"people.yml ({pid})" for pid, p in people.items()
             if p.private and p.private.rate is not None]
    money += [f"roles/{rid}.yml" for rid, r in roles.items()
              if r.private and r.private.budget is not None]
    if business.private and business.private.monthly_budget is not None:
        money.insert(0, "business.yml")
    if money:
        more = f" and {len(money) - 1} more" if len(money) > 1 else ""
        report.warn(src, (), f"business.yml has no 'currency:', so the rates and budgets in "
                    f"{money[0]}{more} are taken as USD; add 'currency:' with their currency, "
                    "such as 'currency: EUR'")


def _check_schedules(report: Reporter, business: Business, role: Role, src: Source) -> None:
    """Task ids are unique in a role (calendar events are known by them); `starts:` is a
    day the task falls on; what a calendar would have to guess is said, not guessed."""
    seen: dict[str, int] = {}
    for index, task in enumerate(role.tasks):
        key = task.key
        if key in seen:
            how = "its id" if task.id else f"the id '{key}' from its text"
            report.at(src, ("tasks", index, "id" if task.id else "task"),
                      f"tasks[{index}]: {how} is also the id of tasks[{seen[key]}]; calendar "
                      "events are known by it, so give one of them another 'id:'")
        seen.setdefault(key, index)
        if task.starts is not None:
            wrong = check_starts(task, business.workweek_days)
            if wrong:
                report.at(src, ("tasks", index, "starts"), f"tasks[{index}].{wrong}")
        guess = undetermined(task)
        if guess:
            report.warn(src, ("tasks", index, "every"), f"tasks[{index}].every: {guess}")
        if task.at is not None and business.timezone is None:
            report.warn(src, ("tasks", index, "at"), f"tasks[{index}].at: {task.at:%H:%M} in "
                        "which time zone? add 'timezone:' to business.yml, such as "
                        "'timezone: America/New_York', or each reader sees it at their own "
                        f"{task.at:%H:%M}")


RESERVED_PATHS = frozenset({"index", "org-chart", "plan", "people", "cadence"})
RESERVED_FOLDERS = frozenset({"assets", "search", "calendar"})


def _check_aliases(report: Reporter, roles: dict[str, Role], sources: dict[str, Source]) -> None:
    """An alias is an old URL: a safe path that shadows no page and no other alias."""
    owners: dict[str, str] = {}
    live = {f"roles/{rid}" for rid in roles} | RESERVED_PATHS
    for rid, role in sorted(roles.items()):
        src = sources[f"role:{rid}"]
        for index, alias in enumerate(role.aliases):
            path = alias_path(alias)
            loc: Loc = ("aliases", index)
            longest = max(path.split("/"), key=len)
            if len(longest) > ID_MAX:  # a folder name of the site: see limits.ID_MAX
                report.at(src, loc, f"aliases: the part '{longest[:20]}…' is "
                          f"{too_long(len(longest), ID_MAX)}; shorten it")
            elif not all(_SLUG_SEGMENT.match(part) for part in path.split("/")):
                report.at(src, loc, f"aliases: '{alias}' is not an old id or path; use lower-case "
                          "ids separated by '/', such as 'ppc' or 'marketing/ppc'")
            elif path in live or path.split("/")[0] in RESERVED_FOLDERS:
                report.at(src, loc, f"aliases: '{alias}' is the address of a page the playbook "
                          "builds; an alias must be an old address nothing uses now")
            elif path in owners:
                report.at(src, loc, f"aliases: '{alias}' is already an alias of role "
                          f"'{owners[path]}'")
            else:
                owners[path] = rid


ROLE_PAGE_ANCHORS = frozenset({
    "purpose", "four-questions", "goals", "objectives", "success-factors", "expectations",
    "skills", "recurring-tasks", "calendar", "procedures", "kpis", "hiring-brief", "access",
    "sub-roles", "changes"})
"""The headings every role page may have (templates/role.md), besides `tasks-<n>`."""
_TASKS_ANCHOR = re.compile(r"tasks-[0-9]+\Z")
_STEP_NUMBER = re.compile(r"step(?:-[0-9]+)+\Z")


def _check_media(report: Reporter, root: Path, procedure: Procedure, src: Source) -> None:
    """Each step's picture exists in media/, is a picture, is not huge, and says what it
    shows; a video is a web address."""
    stack: list[tuple[Step, Loc]] = [(step, ("steps", n)) for n, step in
                                     enumerate(procedure.steps)]
    while stack:
        step, loc = stack.pop()
        where = _field_name(loc)
        if step.image is not None:
            wrong = media.problem(root, step.image)
            if wrong:
                report.at(src, loc + ("image",), f"{where}.image: {wrong}")
            if step.alt is None:
                report.at(src, loc + ("image",), f"{where}.image: add 'alt:' saying what the "
                          "picture shows, for people who cannot see it", key=True)
        elif step.alt is not None:
            report.at(src, loc + ("alt",), f"{where}.alt: there is no 'image:' to describe",
                      key=True)
        if step.video is not None and not step.video.startswith(("https://", "http://")):
            report.at(src, loc + ("video",), f"{where}.video: expected a web address such as "
                      f"'https://example.org/how-to', found '{step.video}'")
        stack.extend((sub, loc + ("steps", n)) for n, sub in enumerate(step.steps))


def _heading(anchor: str) -> bool:
    return anchor in ROLE_PAGE_ANCHORS or bool(_TASKS_ANCHOR.match(anchor))


_HEADING_STEMS = frozenset({"tasks"} | {name[:n] for name in ROLE_PAGE_ANCHORS
                                         for n, char in enumerate(name) if char == "-"})
"""What a heading starts with before a '-': 'four' of 'four-questions', 'tasks' of 'tasks-2'."""


def _may_head(pid: str) -> bool:
    """Whether an anchor '<pid>-...' can be a heading of the role page: only where a
    heading starts with '<pid>-', so the steps of every other procedure need not be
    looked up one by one."""
    return pid in _HEADING_STEMS


def _check_anchors(report: Reporter, procedures: dict[str, Procedure],
                   sources: dict[str, Source]) -> dict[str, dict[str, str]]:
    """A link to a procedure (#<id>) or a step (#<procedure>-<step>) must lead to one place:
    no id may repeat a heading of the role page, another step or another procedure. (Each
    step and 'done when' item also has an id with '-text' added, for accessible names.)"""
    pages: dict[str, dict[str, str]] = {}  # role id -> {element id: what it belongs to}
    for pid, procedure in sorted(procedures.items()):
        src = sources[f"procedure:{pid}"]
        page = pages.setdefault(procedure.role, {})
        if _heading(pid):
            report.at(src, (), f"file name: '{pid}' is the anchor of a heading on every role "
                      f"page (#{pid}); rename the file")
        elif pid in page:
            report.at(src, (), f"file name: '{pid}' is also the anchor of {page[pid]} on the "
                      f"page of role '{procedure.role}'; rename the file")
        page.setdefault(pid, f"procedure '{pid}'")
        for n in range(1, len(procedure.done_when) + 1):
            anchor = f"{pid}-done-{n}"
            if anchor in page:
                report.at(src, ("done_when", n - 1), f"done_when[{n - 1}]: the link #{anchor} "
                          f"would also lead to {page[anchor]}; rename the procedure")
            for element in (anchor, anchor + "-text"):
                page.setdefault(element, f"'done when' item {n} of procedure '{pid}'")
        ids: dict[str, str] = {}
        headed = _may_head(pid)
        stack: list[tuple[Step, Loc, str]] = [
            (step, ("steps", n - 1), str(n)) for n, step in enumerate(procedure.steps, 1)]
        stack.reverse()
        while stack:  # tens of thousands of steps in a big playbook: kept lean
            step, loc, number = stack.pop()
            anchor = step_anchor(pid, step, number)
            text = anchor + "-text"
            clash = (anchor if anchor in page or (headed and _heading(anchor))
                     else text if text in page or (headed and _heading(text)) else "")
            if step.id is not None or clash:
                _check_step_id(report, src, procedure, step, loc, number, ids, page, clash)
            if anchor not in page or text not in page:
                what = f"step {number} of procedure '{pid}'"
                page.setdefault(anchor, what)
                page.setdefault(text, what)
            if step.steps:
                stack.extend(reversed([(sub, loc + ("steps", n - 1), f"{number}.{n}")
                                       for n, sub in enumerate(step.steps, 1)]))
    return pages


def _check_step_id(report: Reporter, src: Source, procedure: Procedure, step: Step, loc: Loc,
                   number: str, ids: dict[str, str], page: dict[str, str], clash: str) -> None:
    field = loc + ("id",)
    if step.id is not None and _STEP_NUMBER.match(step.id):
        report.at(src, field, f"{_field_name(field)}: '{step.id}' is the anchor of step "
                  f"{step.id[5:].replace('-', '.')}; choose a word such as 'export-report'")
    elif step.id is not None and step.id in ids:
        report.at(src, field, f"{_field_name(field)}: '{step.id}' is already the id of "
                  f"step {ids[step.id]}; step ids must be unique in a procedure")
    elif clash:
        what = page.get(clash, f"the heading #{clash}")
        report.at(src, field, f"{_field_name(field)}: the link #{clash} to step {number} "
                  f"would also lead to {what} on the page of role '{procedure.role}'; "
                  "give the step another id")
    if step.id is not None:
        ids.setdefault(step.id, number)


def _check_cycles(report: Reporter, roles: dict[str, Role], sources: dict[str, Source]) -> None:
    """Walk up from each role without recursion; a 500-level tree must not overflow."""
    settled: set[str] = set()
    for start in sorted(roles):
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current in roles and current not in settled:
            if current in on_path:
                cycle = path[path.index(current):] + [current]
                first = min(cycle[:-1])
                message = ("parent: a role cannot be its own parent" if len(cycle) == 2 else
                           f"parent: the role tree has a cycle: {' -> '.join(cycle)}; one of "
                           "these roles must have another parent or none")
                report.at(sources[f"role:{first}"], ("parent",), message)
                break
            path.append(current)
            on_path.add(current)
            current = roles[current].parent
        settled.update(path)
