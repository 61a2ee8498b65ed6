"""`playbook check`'s cache of parsed files (generator/files/parse_cache.py).

The cache may only ever save time: a check that reads files from it reports exactly
what a check that parses every file reports, whatever happened to the files or to the
cache in between.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus.cases import CASES as BASE
from corpus.cases import Case
from corpus.rich import RICH
from corpus.syntax import SYNTAX
from playbook_fixtures import fixture_text, make_playbook

import generator.files.strict_yaml
from generator.checking.pipeline import check
from generator.files import parse_cache
from generator.files.parse_cache import MAGIC, ParseCache

ROLE = "roles/social-media.yml"


def report(root: Path, cache: Path | None) -> list[str]:
    return [str(problem) for problem in check(root, cache=cache).problems]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts parsed from now on (the minimal playbook is too small to fork a parser)."""
    parsed: list[str] = []
    real = generator.files.strict_yaml.parse_with_blocks

    def counting(text: str) -> Any:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(generator.files.strict_yaml, "parse_with_blocks", counting)
    yield parsed


def cache_file(folder: Path) -> Path:
    (found,) = folder.glob("*.bin")
    return found


def test_a_second_check_parses_nothing_and_reports_the_same(tmp_path: Path,
                                                            parses: list[str]) -> None:
    root = make_playbook(tmp_path, {ROLE: fixture_text(ROLE) + "sourcing_notes: x\n"})
    cache = tmp_path / "cache"
    first = report(root, cache)
    assert len(parses) == 8  # business, people, four roles, two procedures
    parses.clear()
    assert report(root, cache) == first
    assert parses == []
    assert first == report(root, None)
    assert any("unknown key 'sourcing_notes'" in line for line in first)


def test_an_edited_file_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    root = make_playbook(tmp_path)
    cache = tmp_path / "cache"
    assert report(root, cache) == []
    broken = fixture_text(ROLE).replace("sourcing:", "sourcing: [", 1)
    (root / ROLE).write_text(broken, encoding="utf-8")
    parses.clear()
    assert report(root, cache) == report(root, None) != []
    assert broken in parses


def test_a_file_edited_back_is_read_as_it_is_now(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    cache = tmp_path / "cache"
    original = fixture_text(ROLE)
    edited = original + "title: twice\n"
    for text in (original, edited, original, edited):
        (root / ROLE).write_text(text, encoding="utf-8")
        assert report(root, cache) == report(root, None)
    assert any("duplicate key 'title'" in line for line in report(root, cache))


def test_the_cache_keeps_slips(tmp_path: Path, parses: list[str]) -> None:
    """A warning for valid YAML that was not meant (an item folded into the line above)
    comes from the cache as it came from the parse."""
    folded = "title: X\nsourcing: keep\nreason: Core work.\nskills:\n  - a\n   - b\n"
    root = make_playbook(tmp_path, {"roles/extra.yml": folded})
    cache = tmp_path / "cache"
    first = report(root, cache)
    parses.clear()
    assert report(root, cache) == first == report(root, None)
    assert parses.count(folded) == 1  # by the check without the cache only
    assert any("extra.yml:6:4: warning: line 6 is read as more of the text" in line
               for line in first)


@pytest.mark.parametrize("damage", [
    lambda blob: b"",
    lambda blob: blob[: len(blob) // 2],  # a write cut short
    lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),  # one bit flipped
    lambda blob: b"not a cache at all",
    lambda blob: MAGIC + b"\0\0\0\0" + b"\xff" * 40,  # the right magic, garbage after it
], ids=["empty", "truncated", "bit-flip", "garbage", "bad-payload"])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, parses: list[str],
                                                 damage: Any) -> None:
    root = make_playbook(tmp_path)
    cache = tmp_path / "cache"
    expected = report(root, cache)
    file = cache_file(cache)
    file.write_bytes(damage(file.read_bytes()))
    parses.clear()
    assert report(root, cache) == expected
    assert len(parses) == 8  # nothing was taken from the damaged cache
    parses.clear()
    assert report(root, cache) == expected
    assert parses == []  # and it was written again


def test_an_entry_of_the_wrong_shape_is_parsed_again(tmp_path: Path) -> None:
    """A cache whose checksum holds but whose entry is not what `keep` writes."""
    root = make_playbook(tmp_path)
    folder = tmp_path / "cache"
    report(root, folder)
    cache = ParseCache.open(folder, root)
    assert cache is not None
    salt, entries = marshal.loads(cache_file(folder).read_bytes()[len(MAGIC) + 4:])
    entries[cache.key((root / ROLE).read_bytes())] = ({"title": "Not the file"}, (("slip",),))
    payload = marshal.dumps((salt, entries))
    cache_file(folder).write_bytes(MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload)
    assert report(root, folder) == report(root, None) == []


def test_other_parsing_code_parses_everything_again(tmp_path: Path, parses: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_playbook(tmp_path)
    cache = tmp_path / "cache"
    report(root, cache)
    monkeypatch.setattr(parse_cache, "_salt", lambda: b"another version of strict_yaml.py")
    parses.clear()
    assert report(root, cache) == []
    assert len(parses) == 8


def test_runs_at_the_same_time_leave_a_whole_cache(tmp_path: Path) -> None:
    """Each run writes its own temporary file and renames it: the last one wins whole."""
    root = make_playbook(tmp_path)
    folder = tmp_path / "cache"
    report(root, folder)
    first, second = ParseCache.open(folder, root), ParseCache.open(folder, root)
    assert first is not None and second is not None
    for cache, text in ((first, "a: 1\n"), (second, "b: 2\n")):
        raw = text.encode()
        cache.keep(cache.key(raw), generator.files.strict_yaml.from_bytes(root / "x.yml", "x", raw))
    second.save()
    first.save()
    reopened = ParseCache.open(folder, root)
    assert reopened is not None
    raw = b"a: 1\n"
    source = reopened.source(reopened.key(raw), root / "x.yml", "x", raw)
    assert source is not None and source.data == {"a": 1}
    assert [path.name for path in folder.iterdir() if path.suffix == ".tmp"] == []


def test_a_cache_in_a_file_s_place_costs_only_time(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    folder = tmp_path / "cache"
    folder.write_text("not a folder", encoding="utf-8")
    assert report(root, folder) == report(root, folder) == []


def test_the_cache_folder_is_marked_and_holds_the_last_run_only(tmp_path: Path) -> None:
    root = make_playbook(tmp_path)
    folder = tmp_path / "cache"
    report(root, folder)
    size = cache_file(folder).stat().st_size
    for n in range(5):  # edits do not make it grow
        (root / ROLE).write_text(fixture_text(ROLE) + f"# edit {n}\n", encoding="utf-8")
        report(root, folder)
    assert abs(cache_file(folder).stat().st_size - size) < 100
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")


def test_each_playbook_folder_has_its_own_cache(tmp_path: Path, parses: list[str]) -> None:
    one, two = make_playbook(tmp_path / "one"), make_playbook(tmp_path / "two")
    folder = tmp_path / "cache"
    report(one, folder)
    report(two, folder)
    assert len(list(folder.glob("*.bin"))) == 2
    parses.clear()
    report(one, folder)
    assert parses == []


CORPUS = SYNTAX + BASE + RICH


@pytest.mark.parametrize("case", CORPUS, ids=str)
def test_every_corpus_case_reports_the_same_from_the_cache(tmp_path: Path, case: Case) -> None:
    """Every known mistake, at its file:line:col, parsed, then from the cache."""
    root = make_playbook(tmp_path, case.files)
    if case.setup is not None:
        case.setup(root)
    cache = tmp_path / "cache"
    fresh = report(root, None)
    assert report(root, cache) == fresh
    assert report(root, cache) == fresh


def test_files_parsed_in_two_processes_are_kept(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough files for the loader to fork a second parser: what the child parsed is kept
    too, and a second check parses nothing at all (a parse would raise)."""
    extra = {f"roles/extra-{n}.yml": f"title: Extra {n}\nsourcing: keep\nreason: Core.\n"
             for n in range(250)}
    root = make_playbook(tmp_path, extra)
    cache = tmp_path / "cache"
    expected = report(root, None)
    assert report(root, cache) == expected

    def no_parse(text: str) -> Any:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(generator.files.strict_yaml, "parse_with_blocks", no_parse)
    assert report(root, cache) == expected


def test_the_command_keeps_its_cache_in_the_current_folder(tmp_path: Path) -> None:
    make_playbook(tmp_path)
    command = [str(Path(sys.executable).with_name("playbook")), "check", "playbook"]
    env = {**os.environ, "PLAYBOOK_TODAY": "2026-11-23"}
    without = subprocess.run([*command, "--no-cache"], cwd=tmp_path, env=env,
                             capture_output=True, text=True)
    assert not (tmp_path / ".playbook_cache").exists()
    cold, warm = (subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
                  for _ in range(2))
    assert without.stdout == cold.stdout == warm.stdout
    assert without.returncode == cold.returncode == warm.returncode == 0
    assert len(list((tmp_path / ".playbook_cache").glob("*.bin"))) == 1


def test_a_few_edits_are_parsed_again_until_the_cache_is_worth_writing(
        tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the cache costs more than parsing a few files: it is written once one file
    in REWRITE_AFTER had to be parsed (here 1 in 4 of the minimal playbook's 8 files)."""
    monkeypatch.setattr(parse_cache, "REWRITE_AFTER", 4)
    root = make_playbook(tmp_path)
    folder = tmp_path / "cache"
    report(root, folder)
    written = cache_file(folder).read_bytes()
    edited = fixture_text(ROLE) + "# edited\n"
    (root / ROLE).write_text(edited, encoding="utf-8")
    for _ in range(2):
        parses.clear()
        assert report(root, folder) == report(root, None) == []
        assert parses.count(edited) == 2  # with the cache and without: it was not kept
    assert cache_file(folder).read_bytes() == written
    other = "roles/marketing.yml"
    (root / other).write_text(fixture_text(other) + "# edited\n", encoding="utf-8")
    report(root, folder)  # two of eight files parsed: now it is written
    parses.clear()
    assert report(root, folder) == []
    assert parses == []
