"""New files from templates: `playbook init`, `playbook new role|procedure`, `playbook schema`.

Every write goes through atomic_files.write_all, which refuses to overwrite a file
unless forced and refuses any path that leaves the target folder (through `..`, an
absolute path or a symbolic link), so a scaffold command can never destroy a
hand-written role.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..errors import ScaffoldError, display_path
from ..files.strict_yaml import parse
from ..model.media import FOLDER
from ..model.records import check_slug
from ..model.schema import modeline, schemas
from ..model.timing import TimingError
from ..runtime.atomic_files import write_all, write_new

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


def write_schemas(folder: Path, *, force: bool = False) -> list[Path]:
    return write_all(folder, schemas(), force=force)


PLAYBOOK_DIR = "playbook"
KEPT_IF_PRESENT = ("README.md", ".gitignore")
"""Files a repository may already have: init leaves them alone and says what to add."""
_RAW = {  # project files copied as they are: the workflow's ${{ }} is GitHub's, not Jinja's
    ".github/workflows/publish.yml": "publish.yml",
    "docs/working-with-us.md": "working-with-us.md",
    "docs/index.md": "index.md",  # the stand-in home page (site_config.PLACEHOLDER)
    ".gitignore": "gitignore",
}


def init(folder: Path, *, business: str, owner_id: str, owner_name: str, example: bool = False,
         force: bool = False) -> tuple[list[Path], list[str]]:
    """A project `mkdocs build --strict` builds as it stands: a playbook (a minimal valid one,
    or the example business), mkdocs.yml, a hand-written page, .gitignore, a workflow that
    publishes the site, and a README. Returns the files written and those kept as they were.
    """
    if folder.is_file():
        raise ScaffoldError(f"{display_path(folder)} is a file; choose a folder")
    files: dict[str, str | bytes] = {**(_example_playbook() if example else
                                        _blank_playbook(business, owner_id, owner_name))}
    files.update({f"{PLAYBOOK_DIR}/{SCHEMA_DIR}/{name}": text
                  for name, text in schemas().items()})
    name = (str(parse(str(files[f"{PLAYBOOK_DIR}/business.yml"]))["name"]) if example
            else business)
    context = {"business": name, "requirement": _requirement()}
    for target, template in (("mkdocs.yml", "mkdocs.yml"), ("README.md", "README.md"),
                             ("requirements.txt", "requirements.txt")):
        files[target] = _env.get_template(f"project/{template}").render(**context)
    project = resources.files("generator").joinpath("templates/scaffold/project")
    for target, source in _RAW.items():
        files[target] = project.joinpath(source).read_text(encoding="utf-8")
    kept = [] if force else [name for name in KEPT_IF_PRESENT if (folder / name).exists()]
    for name in kept:
        del files[name]
    return write_all(folder, files, force=force), kept


def _blank_playbook(business: str, owner_id: str, owner_name: str) -> dict[str, str]:
    context = {"business": business, "owner_id": owner_id, "owner_name": owner_name}
    return {
        f"{PLAYBOOK_DIR}/business.yml": _render("business.yml", "business", SCHEMA_DIR, context),
        f"{PLAYBOOK_DIR}/people.yml": _render("people.yml", "people", SCHEMA_DIR, context),
        f"{PLAYBOOK_DIR}/roles/operations.yml": _render("kept-role.yml", "roles",
                                                        "../" + SCHEMA_DIR, context),
    }


def _example_playbook() -> dict[str, str | bytes]:
    """The example business, shipped in the package, its modelines pointed at .schema/,
    with the screenshots its steps show."""
    example = _example_folder()
    files: dict[str, str | bytes] = {}
    for kind, folder, depth in (("business", "", ""), ("people", "", ""),
                                ("roles", "roles", "../"), ("procedures", "procedures", "../")):
        sources = ([example.joinpath(f"{kind}.yml")] if not folder else
                   sorted((f for f in example.joinpath(folder).iterdir()
                           if f.name.endswith(".yml")), key=lambda f: f.name))
        for source in sources:
            body = source.read_text(encoding="utf-8")
            if body.startswith("# yaml-language-server:"):
                body = body.split("\n", 1)[1]
            relative = f"{folder}/{source.name}" if folder else source.name
            files[f"{PLAYBOOK_DIR}/{relative}"] = modeline(kind, depth + SCHEMA_DIR) + body
    media = example.joinpath(FOLDER)
    if media.is_dir():
        for picture in sorted(media.iterdir(), key=lambda f: f.name):
            files[f"{PLAYBOOK_DIR}/{FOLDER}/{picture.name}"] = picture.read_bytes()
    return files


def _example_folder() -> Traversable:
    """generator/example/ in an installed package; in a source tree (an editable install)
    the example is the repository's playbook/, which the wheel copies there."""
    packaged = resources.files("generator").joinpath("example")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / PLAYBOOK_DIR


def _requirement() -> str:
    """This package at this version, for CI to install what built the site here."""
    try:
        return f"outsourcing-playbook=={metadata.version('outsourcing-playbook')}"
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "outsourcing-playbook"


def new_role(folder: Path, role_id: str, *, title: str, parent: str | None,
             performer: str | None, force: bool = False) -> Path:
    _slug(role_id)
    context = {"title": title, "parent": parent, "performer": performer}
    text = _render("role.yml", "roles", _schema_dir(folder, "roles"), context)
    return write_new(folder, f"roles/{role_id}.yml", text, force=force)


def new_procedure(folder: Path, procedure_id: str, *, title: str, role: str,
                  force: bool = False) -> Path:
    _slug(procedure_id)
    text = _render("procedure.yml", "procedures", _schema_dir(folder, "procedures"),
                   {"title": title, "role": role})
    return write_new(folder, f"procedures/{procedure_id}.yml", text, force=force)


def _slug(identifier: str) -> None:
    """The id becomes the file name: refuse anything else than a slug (such as '../x')."""
    try:
        check_slug(identifier)
    except TimingError as exc:
        raise ScaffoldError(str(exc)) from None


def _render(template: str, kind: str, schema_dir: str, context: Mapping[str, object]) -> str:
    return modeline(kind, schema_dir) + _env.get_template(template).render(**context)


def _schema_dir(folder: Path, kind: str) -> str:
    """Point the modeline where the existing files of the playbook point."""
    for sibling in (kind, "roles", "procedures"):  # roles/ and procedures/ sit side by side
        for path in sorted((folder / sibling).glob("*.yml")):
            first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
            if "$schema=" in first:
                return first.split("$schema=", 1)[1].rsplit("/", 1)[0]
    return "../" + SCHEMA_DIR
