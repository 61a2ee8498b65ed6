"""The real `playbook` console script, run as a user runs it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playbook_fixtures import MINIMAL, fixture_text, make_playbook

from generator.checking.pipeline import check
from generator.model.schema import MODELINES, schemas

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "playbook"
SCRIPT = Path(sys.executable).with_name("playbook")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "generator.commands.cli"]
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): .+$")
SUMMARY = re.compile(r"^(?P<folder>\S+): (?P<roles>\d+) roles, (?P<procedures>\d+) procedures, "
                     r"(?P<people>\d+) people, (?:at least )?[0-9.]+ h/week of recurring work"
                     r"(?: \(\d+ task\(s\) not timed\))?; "
                     r"(?P<errors>\d+) error\(s\), (?P<warnings>\d+) warning\(s\)$")


def review_day() -> str:
    """A date on which no review of the example is overdue: its earliest `last:` date.

    `check` warns about overdue reviews against today's date; the example's state must
    not depend on when the tests run.
    """
    example = check(EXAMPLE)
    assert example.playbook is not None
    dates = [r.review.last for r in example.playbook.roles.values() if r.review is not None]
    return min(dates).isoformat() if dates else "2026-01-01"


def playbook(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLAYBOOK_TODAY": REVIEW_DAY}
    done = subprocess.run([*COMMAND, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


REVIEW_DAY = review_day()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- check --------------------------------------------------------------------------------


def test_check_the_example_playbook() -> None:
    done = playbook("check", "playbook")
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.splitlines()[-1]
    summary = SUMMARY.match(last)
    assert summary, last
    assert summary["folder"] == "playbook"
    assert int(summary["roles"]) == len(list((EXAMPLE / "roles").glob("*.yml")))
    assert int(summary["procedures"]) == len(list((EXAMPLE / "procedures").glob("*.yml")))
    assert summary["errors"] == "0"


def test_check_defaults_to_the_playbook_folder() -> None:
    done = playbook("check")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1].startswith("playbook: ")


def test_example_playbook_passes_strict() -> None:
    done = playbook("check", "--strict", "playbook")
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1].endswith("0 error(s), 0 warning(s)")


def test_strict_fails_on_a_warning(tmp_path: Path) -> None:
    social = fixture_text("roles/social-media.yml").replace("goals: [Free the owner's evenings]\n",
                                                           "")
    make_playbook(tmp_path, {"roles/social-media.yml": social})
    relaxed = playbook("check", "playbook", cwd=tmp_path)
    strict = playbook("check", "playbook", "--strict", cwd=tmp_path)
    assert (relaxed.returncode, strict.returncode) == (0, 1)
    assert relaxed.stdout == strict.stdout
    assert relaxed.stdout.splitlines()[0] == (
        "playbook/roles/social-media.yml:4:11: warning: role to outsource has no goals; answer "
        "the four questions before outsourcing it")


def test_bad_playbook_lists_every_error_sorted(tmp_path: Path) -> None:
    make_playbook(tmp_path, {
        "roles/marketing.yml": fixture_text("roles/marketing.yml").replace("keep", "kep"),
        "business.yml": fixture_text("business.yml").replace("owner: olga", "owner: olgo"),
        "roles/x.yml": "title: X\nsourcing: keep\nreason: r\ntitle: Y\n",
        "procedures/p.yml": "title: P\nrole: operation\nsteps: [a]\n",
    })
    done = playbook("check", "playbook", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert summary == "playbook: 4 error(s), 0 warning(s)"
    assert all(LINE.match(line) for line in problems), problems
    keys = [(m["file"], int(m["line"]), int(m["col"])) for m in map(LINE.match, problems) if m]
    assert keys == sorted(keys)
    assert keys == [
        ("playbook/business.yml", 6, 8),
        ("playbook/procedures/p.yml", 2, 7),
        ("playbook/roles/marketing.yml", 3, 11),
        ("playbook/roles/x.yml", 4, 1),
    ]
    assert "did you mean 'olga'" in problems[0]
    assert done.stderr == ""


def test_missing_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    done = playbook("check", "nowhere", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("nowhere:1:1: error: ")


def test_nasty_files_do_not_crash_the_command(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh",
                                                                    strict=True))
    make_playbook(tmp_path, {
        "roles/bomb.yml": bomb,
        "roles/deep.yml": "[" * 100_000,
        "roles/binary.yml": b"\x00\x01\xff\xfe",
        "roles/tags.yml": "title: !!python/object/apply:os.system [echo pwned]\n",
    })
    done = playbook("check", "playbook", cwd=tmp_path)
    assert done.returncode == 1
    assert "pwned" not in done.stdout  # the tag was refused, not run
    files = [m["file"] for m in map(LINE.match, done.stdout.splitlines()) if m]
    assert files == ["playbook/roles/binary.yml", "playbook/roles/bomb.yml",
                     "playbook/roles/deep.yml", "playbook/roles/tags.yml"]


@pytest.mark.parametrize(
    "args",
    [("check", "--bogus"), ("nonsense",), ("check", "a", "b"),
     ("new", "procedure", "x"), ("new", "role", "Bad_Id"), ("init", "--owner-id", "Kate K")],
    ids=["unknown option", "unknown command", "extra argument", "missing --role", "bad id",
         "bad owner id"],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = playbook(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "Usage:" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_id_says_the_fix(tmp_path: Path) -> None:
    done = playbook("new", "role", "PPC_Management", "--playbook", MINIMAL, cwd=tmp_path)
    assert done.returncode == 2
    assert "did you mean 'ppc-management'?" in done.stderr


# --- schema -------------------------------------------------------------------------------


def test_schema_writes_four_json_files(tmp_path: Path) -> None:
    done = playbook("schema", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    written = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in written] == sorted(schemas())
    for path in written:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask()
    role = json.loads((tmp_path / "out" / "role.schema.json").read_text(encoding="utf-8"))
    assert role["additionalProperties"] is False
    assert "sourcing" in role["required"]
    title = role["properties"]["title"]
    assert title["description"] == "Name of the role, such as 'PPC management'."


def test_schema_is_idempotent_and_does_not_overwrite_changes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert playbook("schema", "--out", out).returncode == 0
    assert playbook("schema", "--out", out).returncode == 0  # same content: nothing to refuse
    (out / "role.schema.json").write_text("{}\n", encoding="utf-8")
    refused = playbook("schema", "--out", out)
    assert refused.returncode == 1
    assert "already exists; use --force" in refused.stderr
    assert (out / "role.schema.json").read_text(encoding="utf-8") == "{}\n"
    assert playbook("schema", "--out", out, "--force").returncode == 0
    assert (out / "role.schema.json").read_text(encoding="utf-8") == schemas()["role.schema.json"]


def test_shipped_schemas_are_up_to_date() -> None:
    shipped = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schema").glob("*.json")}
    assert shipped == schemas(), "run 'playbook schema --force' and commit schema/"


def test_every_example_file_names_its_schema() -> None:
    kinds = {"business.yml": "business", "people.yml": "people"}
    files = [EXAMPLE / "business.yml", EXAMPLE / "people.yml",
             *sorted((EXAMPLE / "roles").glob("*.yml")),
             *sorted((EXAMPLE / "procedures").glob("*.yml"))]
    assert len(files) > 4
    for path in files:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path}: first line is {first!r}"
        kind = kinds.get(path.name, path.parent.name)
        target = (path.parent / match[1]).resolve()
        assert target.name == MODELINES[kind], path
        assert target.is_file(), f"{path}: {match[1]} does not exist"


# --- init and new -------------------------------------------------------------------------


def test_init_makes_a_playbook_that_passes_strict(tmp_path: Path) -> None:
    done = playbook("init", "new-book", "--business", "Kate's Kites", "--owner-id", "kate",
                    cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "new-book"
    book = project / "playbook"
    assert {p.relative_to(book).as_posix() for p in book.rglob("*.yml")} == {
        "business.yml", "people.yml", "roles/operations.yml"}
    assert {p.relative_to(project).as_posix() for p in project.rglob("*")
            if p.is_file() and "playbook" not in p.parts} == {
        "mkdocs.yml", "README.md", "requirements.txt", ".gitignore", "docs/working-with-us.md",
        "docs/index.md", ".github/workflows/publish.yml"}
    checked = playbook("check", "--strict", "new-book/playbook", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    loaded = check(book)
    assert loaded.playbook is not None
    assert loaded.playbook.business.name == "Kate's Kites"  # quoted safely in the YAML
    assert loaded.playbook.business.owner == "kate"
    for path in book.rglob("*.yml"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask(), path
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        schema = first.split("$schema=", 1)[1]
        assert (path.parent / schema).is_file(), path


def test_init_in_a_repository_keeps_what_is_there(tmp_path: Path) -> None:
    """Most owners start in a repository they have: its README and .gitignore stay theirs."""
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Our shop\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.log\n", encoding="utf-8")
    done = playbook("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "README.md").read_text() == "# Our shop\n"
    assert (tmp_path / ".gitignore").read_text() == "*.log\n"
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert "kept your .gitignore; add /site/ and /site-internal/ to it" in done.stdout
    assert (tmp_path / "mkdocs.yml").is_file()
    assert playbook("check", "--strict", cwd=tmp_path).returncode == 0


def test_init_into_an_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    assert playbook("init", "book", cwd=tmp_path).returncode == 0
    assert playbook("check", "--strict", "book/playbook", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("existing", ["playbook", "mkdocs.yml"])
def test_init_refuses_an_existing_playbook_or_config(tmp_path: Path, existing: str) -> None:
    make_playbook(tmp_path)
    if existing == "mkdocs.yml":
        shutil.rmtree(tmp_path / "playbook")
        (tmp_path / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    before = tree(tmp_path)
    done = playbook("init", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert "already exists; use --force to overwrite it" in done.stderr
    assert tree(tmp_path) == before


def test_new_role_and_procedure_pass_check(tmp_path: Path) -> None:
    assert playbook("init", cwd=tmp_path).returncode == 0
    role = playbook("new", "role", "ppc", "--parent", "operations", cwd=tmp_path)
    assert role.returncode == 0, role.stderr
    assert role.stdout.strip() == "wrote playbook/roles/ppc.yml"
    procedure = playbook("new", "procedure", "weekly-bids", "--role", "ppc", cwd=tmp_path)
    assert procedure.returncode == 0, procedure.stderr
    checked = playbook("check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[-1].startswith("playbook: 2 roles, 1 procedures, 1 people")
    text = (tmp_path / "playbook" / "roles" / "ppc.yml").read_text(encoding="utf-8")
    assert "parent: operations\n" in text
    assert text.startswith("# yaml-language-server: $schema=../.schema/role.schema.json\n")


def test_new_files_point_at_the_schemas_the_playbook_already_uses(tmp_path: Path) -> None:
    make_playbook(tmp_path)
    assert playbook("new", "role", "ads", "--playbook", "playbook", cwd=tmp_path).returncode == 0
    first = (tmp_path / "playbook" / "roles" / "ads.yml").read_text(encoding="utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../../../schema/role.schema.json"


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    operations = root / "roles" / "operations.yml"
    before = operations.read_text(encoding="utf-8")
    done = playbook("new", "role", "operations", "--playbook", "playbook", cwd=tmp_path)
    assert done.returncode == 1
    assert "playbook/roles/operations.yml already exists; use --force" in done.stderr
    assert operations.read_text(encoding="utf-8") == before
    forced = playbook("new", "role", "operations", "--playbook", "playbook", "--force",
                      cwd=tmp_path)
    assert forced.returncode == 0
    assert operations.read_text(encoding="utf-8") != before


def test_new_procedure_refuses_to_overwrite(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    before = tree(root)
    done = playbook("new", "procedure", "post-a-photo", "--role", "social-media", "--playbook",
                    "playbook", cwd=tmp_path)
    assert done.returncode == 1
    assert tree(root) == before


def test_new_procedure_for_an_unknown_role(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    before = tree(root)
    done = playbook("new", "procedure", "x", "--role", "markting", "--playbook", "playbook",
                    cwd=tmp_path)
    assert done.returncode == 2
    assert "no role 'markting' (did you mean 'marketing'?)" in done.stderr
    nope = playbook("new", "procedure", "x", "--role", "nope", "--playbook", "playbook",
                    cwd=tmp_path)
    assert nope.returncode == 2
    assert "no role 'nope'" in nope.stderr
    assert tree(root) == before


def test_new_role_with_an_unknown_parent(tmp_path: Path) -> None:
    make_playbook(tmp_path)
    done = playbook("new", "role", "x", "--parent", "operatons", "--playbook", "playbook",
                    cwd=tmp_path)
    assert done.returncode == 2
    assert "did you mean 'operations'?" in done.stderr
    assert not (tmp_path / "playbook" / "roles" / "x.yml").exists()


def test_new_outside_a_playbook(tmp_path: Path) -> None:
    done = playbook("new", "role", "x", "--playbook", "nowhere", cwd=tmp_path)
    assert done.returncode == 2
    assert "not a playbook" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_copied_example_passes_check(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "playbook")
    assert playbook("check", "--strict", "playbook", cwd=tmp_path).returncode == 0
