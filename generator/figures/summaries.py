"""Say in words what changed between two parsed versions of a role or a procedure.

The inputs are plain data (strict_yaml's output, `private:` parts already removed), not
models: an old version may predate today's schema and must still be described, never
rejected. Lines read like "task added: Pause unprofitable keywords (weekly, monday, 30m)"
or "KPI 'Cost per sale' target < $45 → < $40".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

QUOTE_LENGTH = 70
"""Longer texts are cut in a summary; the page itself has the whole text."""


@dataclass(frozen=True)
class Unparsed:
    """A version of a file that the strict YAML reader refused (at this line)."""

    line: int


ROLE_TEXTS = {"title": "title", "parent": "parent role", "sourcing": "sourcing",
              "engagement": "engagement", "purpose": "purpose", "reason": "reason kept"}
ROLE_LISTS = {"goals": "goal", "objectives": "objective", "success_factors": "success factor",
              "expectations": "expectation", "skills": "skill", "access": "access"}
PROCEDURE_TEXTS = {"title": "title", "summary": "summary", "trigger": "when", "time": "time"}
PROCEDURE_LISTS = {"inputs": "input", "done_when": "done-when item"}
_HANDLED_ROLE = {*ROLE_TEXTS, *ROLE_LISTS, "performer", "escalation", "tasks", "kpis",
                 "review", "aliases"}
_HANDLED_PROCEDURE = {*PROCEDURE_TEXTS, *PROCEDURE_LISTS, "steps", "role"}


def role_changes(path: str, old: Any, new: Any, names: dict[str, str]) -> list[str]:
    """What changed in a role file from old to new (None: no such version)."""
    if isinstance(new, Unparsed):
        return [unparsed(path, new)]
    if new is None:
        return ["role removed"] if old is not None else []
    if old is None:
        return ["role added"]
    old, new = _mapping(old), _mapping(new)
    lines = _texts(old, new, ROLE_TEXTS)
    lines += _people(old, new, names)
    lines += _lists(old, new, ROLE_LISTS)
    lines += _tasks(old.get("tasks"), new.get("tasks"))
    lines += _kpis(old.get("kpis"), new.get("kpis"))
    lines += _review(old.get("review"), new.get("review"))
    return lines + _others(old, new, _HANDLED_ROLE)


def procedure_changes(path: str, title: str, old: Any, new: Any) -> list[str]:
    """What changed in a procedure file, each line starting with the procedure's title."""
    if isinstance(new, Unparsed):
        return [unparsed(path, new)]
    if new is None:
        return [f"procedure removed: {title}"] if old is not None else []
    if old is None:
        return [f"procedure added: {title}"]
    old, new = _mapping(old), _mapping(new)
    lines = _texts(old, new, PROCEDURE_TEXTS)
    lines += _lists(old, new, PROCEDURE_LISTS)
    lines += steps_changes(old.get("steps"), new.get("steps"))
    lines += _others(old, new, _HANDLED_PROCEDURE)
    return [f"{title}: {line}" for line in lines]


def unparsed(path: str, version: Unparsed) -> str:
    return (f"this version of {path} did not parse (YAML error near line {version.line}); "
            "it was left out")


def _mapping(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def quote(value: Any) -> str:
    """A value as a short quoted text: 'Export the report'."""
    text = " ".join(_plain(value).split())
    if len(text) > QUOTE_LENGTH:
        text = text[:QUOTE_LENGTH - 1].rstrip() + "…"
    return f"'{text}'"


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _texts(old: dict[str, Any], new: dict[str, Any], labels: dict[str, str]) -> list[str]:
    lines = []
    for key, label in labels.items():
        if old.get(key) != new.get(key):
            before, after = old.get(key), new.get(key)
            if before is None:
                lines.append(f"{label} added: {quote(after)}")
            elif after is None:
                lines.append(f"{label} removed")
            else:
                lines.append(f"{label}: {quote(before)} → {quote(after)}")
    return lines


def _people(old: dict[str, Any], new: dict[str, Any], names: dict[str, str]) -> list[str]:
    lines = []
    for key, empty in (("performer", "vacant"), ("escalation", "nobody")):
        if old.get(key) != new.get(key):
            before, after = (_person(side.get(key), names, empty) for side in (old, new))
            lines.append(f"{key}: {before} → {after}")
    return lines


def _person(pid: Any, names: dict[str, str], empty: str) -> str:
    if pid is None:
        return empty
    return names.get(str(pid), str(pid))


def _items(value: Any) -> list[str]:
    return [_plain(item) for item in value] if isinstance(value, list) else []


def _lists(old: dict[str, Any], new: dict[str, Any], labels: dict[str, str]) -> list[str]:
    lines = []
    for key, label in labels.items():
        before, after = _items(old.get(key)), _items(new.get(key))
        lines += [f"{label} removed: {quote(item)}" for item in before if item not in after]
        lines += [f"{label} added: {quote(item)}" for item in after if item not in before]
    return lines


def _keyed(value: Any, key: str) -> dict[str, dict[str, Any]]:
    """A list of mappings by their name (task text, KPI name), in order."""
    items = value if isinstance(value, list) else []
    return {str(item.get(key)): item for item in items if isinstance(item, dict)}


def _task_details(task: dict[str, Any]) -> str:
    """'weekly, monday, 30m': how often, on which day, how long."""
    parts = [_plain(task[key]) for key in ("every", "on", "at", "time") if task.get(key)]
    return f" ({', '.join(parts)})" if parts else ""


def _tasks(old: Any, new: Any) -> list[str]:
    return _entries(old, new, "task", "task", _task_details,
                    lambda name, was, now: f"task '{name}' changed: {_fields(was, now)}")


def _kpis(old: Any, new: Any) -> list[str]:
    return _entries(old, new, "name", "KPI",
                    lambda kpi: f" (target {_plain(kpi.get('target'))})",
                    lambda name, was, now: f"KPI '{name}' {_fields(was, now, bare=True)}")


def _entries(old: Any, new: Any, key: str, noun: str, detail: Callable[[dict[str, Any]], str],
             changed: Callable[[str, dict[str, Any], dict[str, Any]], str]) -> list[str]:
    """Entries of a list known by `key` (tasks by their text, KPIs by their name): those
    removed, those added with their detail, those changed."""
    before, after = _keyed(old, key), _keyed(new, key)
    lines = [f"{noun} removed: {name}" for name in before if name not in after]
    lines += [f"{noun} added: {name}{detail(item)}"
              for name, item in after.items() if name not in before]
    lines += [changed(name, before[name], item) for name, item in after.items()
              if name in before and before[name] != item]
    return lines


def _fields(old: dict[str, Any], new: dict[str, Any], *, bare: bool = False) -> str:
    """'target < $45 → < $40, every weekly → monthly' for the keys that differ."""
    keys = [key for key in {**old, **new} if old.get(key) != new.get(key)]
    show = _plain if bare else quote
    return ", ".join(f"{key} {show(old.get(key))} → {show(new.get(key))}" for key in keys)


def _review(old: Any, new: Any) -> list[str]:
    if old == new:
        return []
    if not isinstance(new, dict):
        return ["review dates removed"]
    last = new.get("last")
    return [f"reviewed on {last}"] if last and last != _mapping(old).get("last") else [
        f"review every {_plain(new.get('every'))}"]


def _others(old: dict[str, Any], new: dict[str, Any], handled: set[str]) -> list[str]:
    """Keys this module has no words for (newer fields): named, not described."""
    keys = sorted({*old, *new} - handled)
    return [f"{key} changed" for key in keys if old.get(key) != new.get(key)]


def flat_steps(steps: Any) -> list[tuple[str, str, Any]]:
    """(number, text, expected result) of every step and sub-step, in reading order."""
    lines: list[tuple[str, str, Any]] = []
    stack = [(step, str(n)) for n, step in reversed(list(enumerate(_list(steps), 1)))]
    while stack:
        step, number = stack.pop()
        if isinstance(step, dict):
            lines.append((number, _plain(step.get("do")), step.get("check")))
            subs = _list(step.get("steps"))
            stack.extend((sub, f"{number}.{n}") for n, sub in reversed(list(enumerate(subs, 1))))
        else:
            lines.append((number, _plain(step), None))
    return lines


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def steps_changes(old: Any, new: Any) -> list[str]:
    """Steps added, removed and reworded, matched by their text as a reader would."""
    before, after = flat_steps(old), flat_steps(new)
    matcher = SequenceMatcher(a=[s[1] for s in before], b=[s[1] for s in after], autojunk=False)
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [_check_change(a, b) for a, b in zip(before[i1:i2], after[j1:j2],
                                                          strict=True) if a[2] != b[2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            lines += [f"step {b[0]} changed ({quote(a[1])} → {quote(b[1])})"
                      for a, b in zip(before[i1:i2], after[j1:j2], strict=True)]
        else:
            lines += [f"step {a[0]} removed: {quote(a[1])}" for a in before[i1:i2]]
            lines += [f"step {b[0]} added: {quote(b[1])}" for b in after[j1:j2]]
    return lines


def _check_change(old: tuple[str, str, Any], new: tuple[str, str, Any]) -> str:
    return f"step {new[0]}: expected result {quote(old[2])} → {quote(new[2])}"
