"""The `Playbook` type: what validation returns and every figure, page and engine reads.

It lives in the model, not in validation, so that the layers above read a checked playbook
without importing the rules that checked it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..files.strict_yaml import Source
from .records import Business, Person, Procedure, Role


@dataclass
class Playbook:
    """A valid playbook: every record checked, every reference resolved."""

    root: Path
    business: Business
    people: dict[str, Person]
    roles: dict[str, Role]
    procedures: dict[str, Procedure]
    sources: dict[str, Source] = field(default_factory=dict, repr=False)
    """Where each record came from, keyed 'role:<id>', 'procedure:<id>', 'person:<id>',
    'business'; used to point later messages (readiness, review dates) at a line."""


def alias_path(alias: str) -> str:
    """The site path an alias keeps alive: an old id 'ppc' is 'roles/ppc'; a path with a
    slash ('marketing/ppc') is taken from the site root."""
    path = alias.strip("/")
    return path if "/" in path else f"roles/{path}"
