"""Problems found in a playbook, each tied to a place in a file.

Every step of the core collects problems instead of raising at the first one, so
the user sees everything wrong in one pass; `PlaybookError` carries them all when
a step has to stop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    """Worth knowing, never a failure, not even with --strict."""


@dataclass(frozen=True, order=True)
class Problem:
    """One message at `file:line:col` (1-based line and column, as editors count)."""

    file: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class PlaybookError(Exception):
    """Raised when a playbook cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CommandError(Exception):
    """What stops a command with one line (`error: ...`); defined here, so the command line
    can catch it without importing what raises it."""


class ScaffoldError(CommandError):
    """A scaffold command cannot do what it was asked (scaffold.py)."""


class ExportError(CommandError):
    """`playbook render` cannot use its input (a mkdocs.yml it cannot read) or must not
    write where it was asked (export.py)."""


class WriteRefused(CommandError):
    """A write that would lose data or land outside its folder (atomic_files.py)."""


class UnsupportedEngine(ImportError):
    """The installed MkDocs (or ProperDocs) is outside the versions the plugin was written
    for (mkdocs_internals.py); here, so the command line can catch it without MkDocs."""


def display_path(path: Path) -> str:
    """The path as short as it can be said: relative to the working directory when inside it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def show(value: object) -> str:
    """A found value as a message quotes it: 'text' in quotes, true/false, a list..."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else str(value)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'ppc'?)' when a choice is close to word, else ''."""
    close = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
