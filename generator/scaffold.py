"""New files from templates: `playbook init`, `playbook new role|procedure`, `playbook schema`.

Every write goes through `write_new`, which refuses to overwrite a file unless
forced and refuses any path that leaves the target folder, so a scaffold command
can never destroy a hand-written role.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from .errors import display_path
from .schema import modeline, schemas

SCHEMA_DIR = ".schema"
"""Where `init` puts the JSON Schemas inside a new playbook (dot folders are not read)."""

_env = Environment(
    loader=PackageLoader("generator", "templates/scaffold"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    comment_start_string="{##",
    comment_end_string="##}",
    autoescape=False,  # YAML output: values are passed through the |yaml_str filter instead
)
_env.filters["yaml_str"] = lambda value: "'" + str(value).replace("'", "''") + "'"


class ScaffoldError(Exception):
    """A scaffold command that would lose data or write in the wrong place."""


def write_new(folder: Path, relative: str, text: str, *, force: bool = False) -> Path:
    """Write text to folder/relative atomically; never outside folder, never over a file."""
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ScaffoldError(f"{relative}: refusing to write outside {display_path(folder)}")
    if target.exists() and not force:
        if target.read_text(encoding="utf-8", errors="replace") == text:
            return target
        raise ScaffoldError(f"{display_path(folder / relative)} already exists; "
                            "use --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    os.chmod(temporary, _mode(target))
    os.replace(temporary, target)
    return target


def _mode(target: Path) -> int:
    """The replaced file's permissions, or those open() would give a new file (mkstemp's
    are 0600, which would hide the playbook and its schemas from the web server and team)."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_schemas(folder: Path, *, force: bool = False) -> list[Path]:
    return [write_new(folder, name, text, force=force) for name, text in schemas().items()]


def init(folder: Path, *, business: str, owner_id: str, owner_name: str,
         force: bool = False) -> list[Path]:
    """A minimal valid playbook: the business, its owner and one kept role."""
    if folder.exists() and any(folder.iterdir()) and not force:
        raise ScaffoldError(f"{display_path(folder)} is not empty; choose a new folder or use "
                            "--force to write into it")
    context = {"business": business, "owner_id": owner_id, "owner_name": owner_name}
    files = {
        "business.yml": _render("business.yml", "business", SCHEMA_DIR, context),
        "people.yml": _render("people.yml", "people", SCHEMA_DIR, context),
        "roles/operations.yml": _render("kept-role.yml", "roles", "../" + SCHEMA_DIR, context),
    }
    written = [write_new(folder, name, text, force=force) for name, text in files.items()]
    return written + write_schemas(folder / SCHEMA_DIR, force=force)


def new_role(folder: Path, role_id: str, *, title: str, parent: str | None,
             performer: str | None, force: bool = False) -> Path:
    context = {"title": title, "parent": parent, "performer": performer}
    text = _render("role.yml", "roles", _schema_dir(folder, "roles"), context)
    return write_new(folder, f"roles/{role_id}.yml", text, force=force)


def new_procedure(folder: Path, procedure_id: str, *, title: str, role: str,
                  force: bool = False) -> Path:
    text = _render("procedure.yml", "procedures", _schema_dir(folder, "procedures"),
                   {"title": title, "role": role})
    return write_new(folder, f"procedures/{procedure_id}.yml", text, force=force)


def _render(template: str, kind: str, schema_dir: str, context: dict[str, object]) -> str:
    return modeline(kind, schema_dir) + _env.get_template(template).render(**context)


def _schema_dir(folder: Path, kind: str) -> str:
    """Point the modeline where the existing files of the playbook point."""
    for sibling in (kind, "roles", "procedures"):  # roles/ and procedures/ sit side by side
        for path in sorted((folder / sibling).glob("*.yml")):
            first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
            if "$schema=" in first:
                return first.split("$schema=", 1)[1].rsplit("/", 1)[0]
    return "../" + SCHEMA_DIR
