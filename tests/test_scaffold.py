"""The CLI's own writes (`schema`, `init`, `new role`, `new procedure`) lose nothing: no file
is overwritten without --force, nothing is written outside the target folder (not through
`..`, an absolute path or a symbolic link), and a refused command writes nothing at all.

`atomic_files.write_new` and `atomic_files.write_all` are tested directly, the commands through
the real console script (test_cli.py covers their ordinary use).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playbook_fixtures import make_playbook

from generator.commands import scaffold
from generator.errors import ScaffoldError, WriteRefused
from generator.model.schema import schemas
from generator.runtime.atomic_files import write_all, write_new

PLAYBOOK = Path(sys.executable).with_name("playbook")


def tree(folder: Path) -> dict[str, str]:
    """Every entry under folder without following links: files by content, links by target."""
    found: dict[str, str] = {}
    for directory, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(directory, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = path.read_text(encoding="utf-8", errors="replace")
            else:
                found[key] = "folder"
    return found


def playbook(*args: str | bytes | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(PLAYBOOK), *(a if isinstance(a, bytes) else str(a) for a in args)],
                          cwd=cwd, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """A target folder and a folder beside it that must never be written."""
    folder, outside = tmp_path / "target", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret.yml").write_text("mine\n", encoding="utf-8")
    return folder, outside


# --- write_new ----------------------------------------------------------------------------


def test_write_new_creates_then_refuses_to_overwrite(world: tuple[Path, Path]) -> None:
    folder, _ = world
    path = write_new(folder, "roles/x.yml", "one\n")
    assert path == (folder / "roles/x.yml").resolve()
    assert write_new(folder, "roles/x.yml", "one\n") == path  # the same text: nothing to do
    with pytest.raises(WriteRefused, match=r"roles/x\.yml already exists; use --force"):
        write_new(folder, "roles/x.yml", "two\n")
    assert path.read_text(encoding="utf-8") == "one\n"
    write_new(folder, "roles/x.yml", "two\n", force=True)
    assert path.read_text(encoding="utf-8") == "two\n"
    assert sorted(tree(folder)) == ["roles", "roles/x.yml"]  # no temporary file left over


@pytest.mark.parametrize("relative", ["../x.yml", "roles/../../x.yml", "../outside/secret.yml",
                                      "/tmp/playbook-escape.yml", "roles/../../../x.yml"])
def test_write_new_refuses_paths_that_leave_the_folder(world: tuple[Path, Path],
                                                      relative: str) -> None:
    folder, _ = world
    before = tree(folder.parent)
    for force in (False, True):
        with pytest.raises(WriteRefused, match="refusing to write outside"):
            write_new(folder, relative, "x\n", force=force)
    assert tree(folder.parent) == before
    assert not Path("/tmp/playbook-escape.yml").exists()


def test_backslashes_are_a_file_name_inside_the_folder(world: tuple[Path, Path]) -> None:
    folder, _ = world
    path = write_new(folder, "..\\..\\x.yml", "x\n")  # on POSIX a backslash is a character
    assert path.parent == folder.resolve()


def test_write_new_does_not_write_through_a_linked_folder(world: tuple[Path, Path]) -> None:
    folder, outside = world
    os.symlink(outside, folder / "roles")
    before = tree(outside)
    for force in (False, True):
        with pytest.raises(WriteRefused, match="refusing to write outside"):
            write_new(folder, "roles/x.yml", "x\n", force=force)
        with pytest.raises(WriteRefused, match="refusing to write outside"):
            write_new(folder, "roles/secret.yml", "x\n", force=force)
    assert tree(outside) == before


@pytest.mark.parametrize("target", ["secret.yml", "missing.yml"])
def test_write_new_does_not_write_through_a_linked_file(world: tuple[Path, Path],
                                                        target: str) -> None:
    folder, outside = world
    os.symlink(outside / target, folder / "x.yml")
    before = tree(outside)
    for force in (False, True):
        with pytest.raises(WriteRefused, match="refusing to write outside"):
            write_new(folder, "x.yml", "x\n", force=force)
    assert tree(outside) == before


def test_forced_write_replaces_a_link_not_the_file_it_points_at(
        world: tuple[Path, Path]) -> None:
    folder, _ = world
    (folder / "kept.yml").write_text("hand-written\n", encoding="utf-8")
    os.symlink(folder / "kept.yml", folder / "x.yml")
    with pytest.raises(WriteRefused, match="already exists"):
        write_new(folder, "x.yml", "new\n")
    write_new(folder, "x.yml", "new\n", force=True)
    assert (folder / "kept.yml").read_text(encoding="utf-8") == "hand-written\n"
    assert not (folder / "x.yml").is_symlink()
    assert (folder / "x.yml").read_text(encoding="utf-8") == "new\n"


def test_write_new_refuses_a_link_loop(world: tuple[Path, Path]) -> None:
    folder, _ = world
    os.symlink(folder / "b.yml", folder / "a.yml")
    os.symlink(folder / "a.yml", folder / "b.yml")
    with pytest.raises(WriteRefused):
        write_new(folder, "a.yml", "x\n", force=True)
    assert os.readlink(folder / "a.yml") == str(folder / "b.yml")


def test_text_that_cannot_be_saved_writes_nothing(world: tuple[Path, Path]) -> None:
    folder, _ = world
    with pytest.raises(WriteRefused, match="UTF-8"):
        write_new(folder, "x.yml", "title: '\udcff'\n")  # undecodable bytes from a command line
    assert tree(folder) == {}


def test_write_all_writes_nothing_when_one_file_is_refused(world: tuple[Path, Path]) -> None:
    folder, _ = world
    (folder / "c.yml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(WriteRefused, match=r"c\.yml already exists"):
        write_all(folder, {"a.yml": "a\n", "b/b.yml": "b\n", "c.yml": "c\n", "d.yml": "d\n"})
    assert tree(folder) == {"c.yml": "mine\n"}
    with pytest.raises(WriteRefused, match="refusing to write outside"):
        write_all(folder, {"a.yml": "a\n", "../z.yml": "z\n"}, force=True)
    assert tree(folder) == {"c.yml": "mine\n"}


@pytest.mark.parametrize("bad_id", ["../x", "/etc/x", "a/../../x", "X", "..", "a\\..\\x"])
def test_new_files_refuse_ids_that_are_not_slugs(world: tuple[Path, Path], bad_id: str) -> None:
    folder, _ = world
    with pytest.raises(ScaffoldError, match="not a valid id"):
        scaffold.new_role(folder, bad_id, title="X", parent=None, performer=None)
    with pytest.raises(ScaffoldError, match="not a valid id"):
        scaffold.new_procedure(folder, bad_id, title="X", role="ops")
    assert tree(folder.parent / "outside") == {"secret.yml": "mine\n"}
    assert tree(folder) == {}


# --- the commands -------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["../evil", "/tmp/evil", "roles/../../evil", "..",
                                    "a\\..\\evil", "Evil"])
@pytest.mark.parametrize("kind", ["role", "procedure"])
def test_new_refuses_ids_that_try_to_leave(tmp_path: Path, kind: str, bad_id: str) -> None:
    root = make_playbook(tmp_path)
    before = tree(tmp_path)
    extra = ["--role", "operations"] if kind == "procedure" else []
    done = playbook("new", kind, bad_id, *extra, "--playbook", "playbook", "--force",
                    cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "is not a valid id" in done.stderr
    assert tree(tmp_path) == before
    assert root.is_dir() and not Path("/tmp/evil.yml").exists()


@pytest.mark.parametrize(("kind", "folder"), [("role", "roles"), ("procedure", "procedures")])
def test_new_does_not_write_through_a_linked_folder(tmp_path: Path, kind: str,
                                                    folder: str) -> None:
    root = make_playbook(tmp_path)
    outside = tmp_path / "elsewhere"
    (root / folder).rename(outside)
    os.symlink(outside, root / folder)
    before = tree(tmp_path)
    extra = ["--role", "operations"] if kind == "procedure" else []
    for force in ([], ["--force"]):
        done = playbook("new", kind, "fresh", *extra, "--playbook", "playbook", *force,
                        cwd=tmp_path)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "refusing to write outside" in done.stderr
    assert tree(tmp_path) == before


def test_new_with_force_does_not_overwrite_through_a_link(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    operations = (root / "roles/operations.yml").read_text(encoding="utf-8")
    os.symlink(root / "roles/operations.yml", root / "roles/ops.yml")
    done = playbook("new", "role", "ops", "--playbook", "playbook", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (root / "roles/operations.yml").read_text(encoding="utf-8") == operations
    assert "title: 'Ops'" in (root / "roles/ops.yml").read_text(encoding="utf-8")


def test_new_with_a_title_that_cannot_be_saved(tmp_path: Path) -> None:
    make_playbook(tmp_path)
    before = tree(tmp_path)
    done = playbook("new", "role", "x", "--title", b"Caf\xe9", "--playbook", "playbook",
                    cwd=tmp_path)
    assert done.returncode == 1
    assert "UTF-8" in done.stderr
    assert tree(tmp_path) == before


def test_schema_writes_nothing_when_one_file_differs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    last = sorted(schemas())[-1]
    (out / last).write_text("{}\n", encoding="utf-8")
    done = playbook("schema", "--out", out, cwd=tmp_path)
    assert done.returncode == 1
    assert f"{last} already exists; use --force" in done.stderr
    assert tree(out) == {last: "{}\n"}, "a refused command writes no file at all"


def test_schema_does_not_write_through_links(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, tmp_path / "schema")
    done = playbook("schema", "--out", "schema", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr  # the folder given is the target, link or not
    out = tmp_path / "out"
    out.mkdir()
    name = sorted(schemas())[0]
    (outside / "victim.json").write_text("mine\n", encoding="utf-8")
    os.symlink(outside / "victim.json", out / name)
    done = playbook("schema", "--out", out, "--force", cwd=tmp_path)
    assert done.returncode == 1
    assert "refusing to write outside" in done.stderr
    assert (outside / "victim.json").read_text(encoding="utf-8") == "mine\n"
    assert sorted(tree(out)) == [name]


def test_init_with_force_writes_nothing_when_a_folder_links_outside(tmp_path: Path) -> None:
    book = tmp_path / "book" / "playbook"
    book.mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (book / "business.yml").write_text("name: Mine\n", encoding="utf-8")
    os.symlink(outside, book / "roles")
    before = tree(tmp_path)
    done = playbook("init", "book", "--force", cwd=tmp_path)
    assert done.returncode == 1
    assert "refusing to write outside" in done.stderr
    assert tree(tmp_path) == before


def test_init_refuses_a_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "book").write_text("notes\n", encoding="utf-8")
    done = playbook("init", "book", cwd=tmp_path)
    assert done.returncode == 1
    assert (tmp_path / "book").read_text(encoding="utf-8") == "notes\n"


def test_new_refuses_a_folder_where_the_file_would_go(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    (root / "roles/x.yml").mkdir()
    before = tree(tmp_path)
    for force in ([], ["--force"]):
        done = playbook("new", "role", "x", "--playbook", "playbook", *force, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
    assert tree(tmp_path) == before
