"""Helpers for the format-layer tests: copy the minimal playbook and change one file.

`tests/fixtures/minimal/` is a small valid playbook (no errors, no warnings):

    people:  olga (owner, 40h), carl (contractor, 10h)
    roles:   marketing (keep, olga)        -> social-media (outsource, carl)
             operations (keep, olga)       -> bookkeeping (outsource, olga)
    procedures: post-a-photo (social-media), close-the-month (bookkeeping)

A test copies it to tmp_path and overwrites, adds or deletes a file from a text
block, so every bad-input case reads as "the minimal playbook, except this file".
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.checking.pipeline import Checked, check
from generator.errors import Problem

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide.md"
MINIMAL = FIXTURES / "minimal"


def make_playbook(tmp_path: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """A copy of the minimal playbook in tmp_path/playbook with `files` written over it.

    Each key is a path relative to the playbook; a str or bytes value is written as the
    file's content, None deletes the file.
    """
    root = tmp_path / "playbook"
    shutil.copytree(MINIMAL, root)
    for relative, content in (files or {}).items():
        path = root / relative
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def fixture_text(relative: str) -> str:
    """The text of one file of the minimal playbook, to be edited by a test."""
    return (MINIMAL / relative).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Found:
    """A problem with its file relative to the playbook folder, for readable asserts."""

    file: str
    line: int
    col: int
    severity: str
    message: str


def relative(root: Path, problem: Problem) -> Found:
    path = Path(problem.file)
    if not path.is_absolute():
        path = Path.cwd() / path
    name = path.relative_to(root.absolute()).as_posix()
    return Found(name, problem.line, problem.col, problem.severity.value, problem.message)


def found(root: Path) -> tuple[Checked, list[Found]]:
    """check() the playbook and its problems with file names relative to it."""
    result = check(root)
    return result, [relative(root, p) for p in result.problems]


def only(root: Path) -> Found:
    """The one problem of a playbook that must have exactly one."""
    _, problems = found(root)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def guide_files() -> dict[str, str]:
    """The owner's guide's YAML examples by the file each names in its first line."""
    text = GUIDE.read_text(encoding="utf-8")
    files = {}
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        first, _, body = block.partition("\n")
        assert first.startswith("# file: "), f"a guide example must name its file: {first}"
        files[first.removeprefix("# file: ")] = body
    return files


def guide_playbook(folder: Path) -> Path:
    """The guide's examples written out as a playbook in folder."""
    from corpus.rich import png

    for name, body in guide_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
        for picture in re.findall(r"image: (media/\S+)", body):  # a stand-in screenshot
            (folder / picture).parent.mkdir(parents=True, exist_ok=True)
            (folder / picture).write_bytes(png())
    return folder
