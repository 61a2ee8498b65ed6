"""Check the links written in a playbook's text, as MkDocs checks a page's links, but at
the line of the YAML file that holds them.

Every field typed `Prose` (model/records.py) may hold the inline Markdown subset (model/prose.py);
a task's `link:` holds one address. A link to a role page must name a role that exists,
and its anchor a procedure or step of that role, or a heading of every role page.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..errors import did_you_mean
from ..files.strict_yaml import Loc, Source
from ..model.prose import links, problems, site_target
from ..model.records import PROSE, Task

Report = Callable[[Source, Loc, str], None]
Anchors = Callable[[str, str], bool]
"""(role id, anchor) -> whether the role's page has that anchor."""


Record = tuple[Source, Loc, BaseModel, str | None]
"""A record, where it is in its file, and the role page its '#anchor' links lead to."""


def check_links(report: Report, records: list[Record], roles: set[str],
                has_anchor: Anchors, aliases: dict[str, str]) -> None:
    """aliases: old site paths ('roles/ppc') -> the role they lead to now."""
    # Every person is a record of the one people.yml: its text is looked at once, not
    # once per person (a big playbook has hundreds of people).
    linkable: dict[int, bool] = {}
    for source, prefix, record, page in records:
        if id(source) not in linkable:
            linkable[id(source)] = _may_link(source.text)
        if not linkable[id(source)]:
            continue
        for inner, text, whole in _texts(record):
            loc, field = prefix + inner, _field(inner)
            hrefs = [text] if whole else [link.href for link in links(text)]
            wrong = [] if whole else list(problems(text))
            for message in wrong:
                report(source, loc, f"{field}: {message}")
            if wrong:
                continue
            for href in hrefs:
                missing = _target_problem(href, page, roles, has_anchor, aliases)
                if missing:
                    report(source, loc, f"{field}: link to '{href}': {missing}")


def _may_link(text: str) -> bool:
    """Whether any text of a file can hold a link: most files are skipped unread."""
    return "](" in text or "://" in text or "mailto:" in text or "link:" in text


def _field(loc: Loc) -> str:
    """('steps', 2, 'do') -> 'steps[2].do', as the other messages name fields."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _target_problem(href: str, page: str | None, roles: set[str], has_anchor: Anchors,
                    aliases: dict[str, str]) -> str | None:
    target = site_target(href)
    if target is None:
        return None
    path, anchor = target
    rid = page if path == "" else (path.removeprefix("roles/").removesuffix(".md")
                                   if path.startswith("roles/") and path.count("/") == 1
                                   else None)
    if path and rid is not None and rid not in roles:
        if f"roles/{rid}" not in aliases:
            return f"no role '{rid}' in roles/{did_you_mean(rid, roles)}"
        rid = aliases[f"roles/{rid}"]  # an old address, kept alive by a redirect
    if anchor and rid is not None and not has_anchor(rid, anchor):
        return f"the page of role '{rid}' has no '#{anchor}'"
    return None


def _texts(record: BaseModel) -> Iterator[tuple[Loc, str, bool]]:
    """(where, text, whether it is a whole address) for every text that may hold a link.
    Without recursion: steps nest deeper than Python's stack allows."""
    stack: list[tuple[Loc, BaseModel]] = [((), record)]
    while stack:
        loc, model = stack.pop()
        for name, many in _prose_fields(type(model)):
            value = getattr(model, name)
            for index, text in (enumerate(value) if many else [(None, value)]):
                if text is not None:
                    yield (loc + (name,) if index is None else loc + (name, index)), text, False
        if isinstance(model, Task) and model.link is not None:
            yield loc + ("link",), model.link, True
        for name in _model_fields(type(model)):
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                stack.append((loc + (name,), value))
            elif isinstance(value, list):
                stack.extend((loc + (name, n), item) for n, item in enumerate(value)
                             if isinstance(item, BaseModel))


@cache
def _prose_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """The fields typed Prose (or a list of Prose), with whether they hold a list."""
    found = []
    for name, info in model.model_fields.items():
        if PROSE in info.metadata:
            found.append((name, False))
        elif _holds_prose(info.annotation):
            found.append((name, typing.get_origin(info.annotation) is list))
    return tuple(found)


def _holds_prose(annotation: Any) -> bool:
    if PROSE in getattr(annotation, "__metadata__", ()):
        return True
    return any(_holds_prose(arg) for arg in typing.get_args(annotation))


@cache
def _model_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Fields that may hold records (a task, a step, a private section)."""
    return tuple(name for name, info in model.model_fields.items()
                 if _holds_model(info.annotation))


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(annotation))
