"""The strict YAML reader: plain data only, every problem at its line and column."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.files import strict_yaml
from generator.files.strict_yaml import (
    MAX_BYTES,
    Source,
    YamlProblem,
    parse,
    parse_with_blocks,
    read,
)
from generator.files.yaml_mistakes import Slip
from generator.files.yaml_mistakes import slips as find_slips


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse(text)
    return info.value


def source(tmp_path: Path, content: str | bytes) -> Source:
    path = tmp_path / "file.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return read(path, "file.yml")


# --- what the values mean ---------------------------------------------------------------


def test_only_true_and_false_are_booleans() -> None:
    data = parse("a: true\nb: false\nc: yes\nd: no\ne: on\nf: off\ng: True\nh: FALSE\ni: y\n")
    assert data == {"a": True, "b": False, "c": "yes", "d": "no", "e": "on", "f": "off",
                    "g": "True", "h": "FALSE", "i": "y"}
    assert data["a"] is True and data["b"] is False


def test_on_as_a_key_stays_the_string_on() -> None:
    data = parse("on: monday\nyes: 1\nno: 2\n")
    assert data == {"on": "monday", "yes": 1, "no": 2}
    assert all(isinstance(key, str) for key in data)


def test_clock_times_and_octal_looking_numbers_stay_text() -> None:
    data = parse("at: 12:30\nmode: 0755\nzip: 007\nlong: 1:02:03\n")
    assert data == {"at": "12:30", "mode": "0755", "zip": "007", "long": "1:02:03"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("-3", -3),
        ("+4", 4),
        ("0", 0),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        ("1e3", "1e3"),
        ("0x1F", "0x1F"),
        (".5", ".5"),
        ("1.", "1."),
        ("1_000", "1_000"),
        (".inf", ".inf"),
        (".nan", ".nan"),
    ],
)
def test_only_plain_decimals_are_numbers(text: str, value: object) -> None:
    loaded = parse(f"v: {text}\n")["v"]
    assert loaded == value
    assert type(loaded) is type(value)


def test_quoted_values_stay_strings() -> None:
    data = parse("a: '5'\nb: \"true\"\nc: '12:30'\nd: \"1.5\"\ne: ''\nf: 'null'\ng: !!str 7\n")
    assert data == {"a": "5", "b": "true", "c": "12:30", "d": "1.5", "e": "", "f": "null",
                    "g": "7"}


def test_block_scalars_stay_strings() -> None:
    assert parse("a: |\n  5\nb: >\n  true\n") == {"a": "5\n", "b": "true\n"}


def test_null_spellings() -> None:
    assert parse("a:\nb: ~\nc: null\nd: Null\n") == {"a": None, "b": None, "c": None, "d": "Null"}


def test_lists_and_nested_mappings() -> None:
    text = "tasks:\n  - task: a\n    every: weekly\n  - {task: b, every: daily}\nlist: [1, x]\n"
    assert parse(text) == {
        "tasks": [{"task": "a", "every": "weekly"}, {"task": "b", "every": "daily"}],
        "list": [1, "x"],
    }


def test_small_aliases_are_expanded() -> None:
    assert parse("a: &name Dana\nb: *name\nc: &l [1, 2]\nd: *l\n") == {
        "a": "Dana", "b": "Dana", "c": [1, 2], "d": [1, 2]}


def test_empty_and_comment_only_documents_are_none() -> None:
    assert parse("") is None
    assert parse("# nothing here\n\n") is None
    assert parse("---\n") is None


def test_explicit_document_markers_are_fine() -> None:
    assert parse("---\na: 1\n...\n") == {"a": 1}


# --- what is refused, and where ---------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    found = problem("title: A\nsourcing: keep\ntitle: B\n")
    assert (found.line, found.col) == (3, 1)
    assert "duplicate key 'title'" in found.message
    assert "first at line 1" in found.message


def test_duplicate_key_in_a_nested_mapping() -> None:
    found = problem("tasks:\n  - task: a\n    time: 1h\n    time: 2h\n")
    assert (found.line, found.col) == (4, 5)
    assert "duplicate key 'time' (first at line 3)" in found.message


def test_duplicate_key_in_a_flow_mapping() -> None:
    found = problem("kpi: {name: a, name: b}\n")
    assert (found.line, found.col) == (1, 16)
    assert "duplicate key 'name'" in found.message


def test_same_key_in_different_mappings_is_fine() -> None:
    assert parse("- task: a\n- task: b\n") == [{"task": "a"}, {"task": "b"}]


def test_tab_indentation() -> None:
    found = problem("tasks:\n\t- task: a\n")
    assert (found.line, found.col) == (2, 1)
    assert "tab" in found.message and "spaces" in found.message


def test_unclosed_quote_points_at_the_opening_line() -> None:
    found = problem("title: 'Weekly review\nsourcing: keep\n")
    assert (found.line, found.col) == (1, 8)
    assert "close the quote ' opened at line 1, column 8" in found.message
    assert "read on to line 3" in found.message, "the place libyaml gave up is named too"


def test_unclosed_double_quote() -> None:
    found = problem('a: 1\nb: "open\n')
    assert (found.line, found.col) == (2, 4)
    assert 'close the quote " opened at line 2, column 4' in found.message


def test_unclosed_bracket() -> None:
    found = problem("goals: [a, b\nskills: [c]\n")
    assert (found.line, found.col) == (1, 8)
    assert "close the bracket [ opened at line 1, column 8 with ]" in found.message


def test_bad_indentation() -> None:
    found = problem("review:\n  last: 2026-10-01\n every: yearly\n")
    assert (found.line, found.col) == (3, 1)
    assert ("line 3 is indented 1 space: more than 'review:' on line 1, less than 'last:' on "
            "line 2") in found.message


def test_colon_space_in_a_plain_value() -> None:
    found = problem("trigger: Every Monday: before 10\n")
    assert (found.line, found.col) == (1, 22)
    assert "quotes" in found.message


def test_second_document_is_refused() -> None:
    found = problem("title: A\n---\ntitle: B\n")
    assert (found.line, found.col) == (2, 1)
    assert "only one YAML document" in found.message


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("a: !!python/object:os.system x\n", 1, 4),
        ("a: !!python/object/apply:os.system [echo hi]\n", 1, 4),
        ("a: 1\nb: !!python/name:os.system\n", 2, 4),
        ("a: !!int '5'\n", 1, 4),
        ("a: !custom value\n", 1, 4),
        ("a: !!set {x, y}\n", 1, 4),
    ],
)
def test_tags_are_refused(text: str, line: int, col: int) -> None:
    found = problem(text)
    assert (found.line, found.col) == (line, col)
    assert "tags" in found.message and "not supported" in found.message


def test_merge_key_is_refused() -> None:
    found = problem("base: &b {time: 1h}\ntask:\n  <<: *b\n  task: x\n")
    assert (found.line, found.col) == (3, 3)
    assert "merge keys ('<<')" in found.message


def test_unknown_alias() -> None:
    found = problem("a: 1\nb: *nowhere\n")
    assert (found.line, found.col) == (2, 4)
    assert "'*nowhere'" in found.message


def test_non_text_key() -> None:
    found = problem("? [a, b]\n: 1\n")
    assert "key must be plain text" in found.message


def test_alias_bomb_fails_fast() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\n"  # 9**9 values once expanded
    started = time.perf_counter()
    found = problem(text)
    # Expanding the bomb would take minutes and gigabytes; refusing it takes milliseconds.
    assert time.perf_counter() - started < 5
    assert "alias bomb" in found.message
    assert found.line > 1


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "[" * 100_000 + "]" * 100_000,
        "{" * 100_000,
        "- " * 100_000 + "x",
        "[" * 9_999 + "]" * 9_999,  # few enough brackets for the C composer's fast path
        "- " * 9_999 + "x",
    ],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    found = problem(text)
    assert found.line == 1
    assert "levels deep" in found.message or "key must be plain text" in found.message


def test_deep_block_nesting_names_the_limit() -> None:
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(200))
    found = problem(text)
    assert f"more than {strict_yaml.MAX_DEPTH} levels" in found.message
    assert found.line == strict_yaml.MAX_DEPTH + 1


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = strict_yaml.MAX_DEPTH
    value = parse("[" * depth + "]" * depth)
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


def test_control_character_is_reported_on_one_line_at_its_place() -> None:
    found = problem("title: X\nnotes: 'caf\u00e9 \x07'\n")
    assert (found.line, found.col) == (2, 14)
    assert "\n" not in found.message
    assert "control character" in found.message


# --- files ------------------------------------------------------------------------------


def test_non_utf8_byte_is_named_at_its_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as info:
        source(tmp_path, b"title: X\nnotes: caf\xe9\n")
    assert (info.value.line, info.value.col) == (2, 11)
    assert "not UTF-8 (byte 0xe9)" in info.value.message


def test_non_utf8_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    # 'notes: é' is 8 characters (9 bytes); the bad byte is the 9th character.
    with pytest.raises(YamlProblem) as info:
        source(tmp_path, "title: X\nnotes: \u00e9".encode() + b"\xff\n")
    assert (info.value.line, info.value.col) == (2, 9)


def test_bom_and_crlf_load_fine(tmp_path: Path) -> None:
    loaded = source(tmp_path, b"\xef\xbb\xbftitle: Caf\xc3\xa9\r\ntasks:\r\n  - task: a\r\n")
    assert loaded.data == {"title": "Caf\u00e9", "tasks": [{"task": "a"}]}
    assert loaded.mark(("title",)) == (1, 8)
    assert loaded.mark(("tasks", 0, "task")) == (3, 11)


def test_empty_file_reads_as_none(tmp_path: Path) -> None:
    assert source(tmp_path, "").data is None


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as info:
        source(tmp_path, "a: '" + "x" * MAX_BYTES + "'\n")
    assert (info.value.line, info.value.col) == (1, 1)
    assert "limit" in info.value.message
    assert f"{MAX_BYTES // 1024} KiB limit" in info.value.message
    assert f"is {MAX_BYTES // 1024} KiB" not in info.value.message  # it is over, not at


def test_file_at_the_size_limit_loads(tmp_path: Path) -> None:
    text = "a: '" + "x" * (MAX_BYTES - 6) + "'\n"
    assert len(text.encode()) == MAX_BYTES
    assert len(source(tmp_path, text).data["a"]) == MAX_BYTES - 6


# --- positions --------------------------------------------------------------------------

POSITIONS = """\
title: PPC management
tasks:
  - task: Review bids
    every: weekly
  - {task: Report, every: monthly}
skills:
- Google Ads
-   Excel
empty:
"""


@pytest.mark.parametrize(
    ("loc", "value", "key"),
    [
        (("title",), (1, 8), (1, 1)),
        (("tasks",), (3, 3), (2, 1)),
        (("tasks", 0), (3, 5), (3, 5)),
        (("tasks", 0, "task"), (3, 11), (3, 5)),
        (("tasks", 0, "every"), (4, 12), (4, 5)),
        (("tasks", 1, "task"), (5, 12), (5, 6)),
        (("tasks", 1, "every"), (5, 27), (5, 20)),
        (("skills", 0), (7, 3), (7, 3)),
        (("skills", 1), (8, 5), (8, 5)),
        (("empty",), (9, 7), (9, 1)),
    ],
)
def test_marks_of_values_and_keys(loc: tuple, value: tuple, key: tuple) -> None:
    src = Source(Path("x.yml"), "x.yml", POSITIONS, parse(POSITIONS))
    assert src.mark(loc) == value
    assert src.mark(loc, key=True) == key


def test_mark_of_a_missing_key_falls_back_to_its_parent() -> None:
    src = Source(Path("x.yml"), "x.yml", POSITIONS, parse(POSITIONS))
    assert src.mark(("tasks", 0, "time")) == (3, 5)
    assert src.mark(("tasks", 7)) == (3, 3)
    assert src.mark(("nowhere",)) == (1, 1)
    assert src.mark(()) == (1, 1)


# --- the two readers agree --------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
AGREE = [
    "a: yes\nb: ''\nc: ~\nd: null\ne: 1.5\nf: -0\ng: '007'\nh: |\n  x\ni: true\nj: 12:30\n",
    "- a\n- [1, 2.5, {x: true, y: false, z: 0755}]\n",
    "a: &x [1, {b: 2}]\nb: *x\n",
    "'5': 1\n5x: 2\non: off\n",
    "x: 'a\n\n  b'\nk: >-\n  a\n  b\n",
    "a: [a, b,]\nb: {x: 1,}\n",
    "a: 0.0\nb: +0.5\nc: -1.0e3\nd: 1_000\n",
    "",
]


@pytest.mark.parametrize(
    "text",
    [*AGREE, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "playbook").rglob("*.yml")))],
)
def test_fast_path_and_event_builder_read_the_same_data(text: str) -> None:
    # parse() lets libyaml compose well-formed files; the event builder is the reference.
    reference = strict_yaml._Builder(None, None).build(text)
    assert repr(parse(text)) == repr(reference)  # repr: True and 1 must not compare equal


@pytest.mark.parametrize(("text", "line", "col"), [("[", 1, 2), ("a: [b", 1, 4),
                                                   ("a: 'x\nb", 1, 4), ("a: 'x\n", 1, 4)])
def test_end_of_a_file_is_a_position_inside_it(text: str, line: int, col: int) -> None:
    # libyaml reports the end of a file without a final line break on the line after it.
    found = problem(text)
    assert (found.line, found.col) == (line, col)


# --- several mistakes, and valid YAML that is a slip (yaml_mistakes) ----------------------------


def test_each_mistake_of_a_file_is_reported_where_its_fix_is_certain() -> None:
    found = problem("title: PPC\npurpose: Every Monday: before 10\nparent: marketing\n"
                    "  sourcing: outsource\ngoals:\n  - a\n - b\n")
    assert [(p.line, p.col) for p in [found, *found.also]] == [(2, 22), (4, 1), (7, 1)]
    assert "the value of 'purpose' contains ': '" in found.message
    assert "indented 2 spaces deeper than 'parent:' on line 3" in found.also[0].message


def test_no_second_mistake_is_guessed_after_an_uncertain_one() -> None:
    # Nothing is known about what a tab stood for: later lines are not guessed at.
    found = problem("goals:\n\t- a\nskills:\n  - b\n - c\n")
    assert (found.line, found.col, found.also) == (2, 1, [])


def test_at_most_ten_mistakes_per_file() -> None:
    found = problem("".join(f"k{n}: a: b\n" for n in range(30)))
    assert "the value of 'k0' contains ': '" in found.message
    assert len(found.also) == strict_yaml.MAX_SYNTAX_ERRORS - 1


def slips(text: str) -> list[Slip]:
    """What `read` finds: the blocks of text come from the parse."""
    return find_slips(text, parse_with_blocks(text)[1])


@pytest.mark.parametrize(("text", "line", "col", "phrase"), [
    ("goals:\n  - Keep Dana\n   - Know the profit\n", 3, 4, "not as a new list item"),
    ("goals: Excel\n  - Canva\n", 2, 3, "joins them into 'Excel - Canva'"),
    ("purpose: >\n  Grow\n  sourcing: keep\n", 3, 3, "reads like the key 'sourcing:'"),
    ("purpose: Call #3 first\n", 1, 15, "'#3 first' is read as a comment"),
    ("title: #1\n", 1, 8, "so the value is empty"),
    ("goals:\n  -Excel\n", 2, 4, "'-Excel' is text, not a list item"),
])
def test_slips_are_found_at_their_line(text: str, line: int, col: int, phrase: str) -> None:
    found = [(s.line + 1, s.col + 1, s.message) for s in slips(text)]
    assert len(found) == 1 and found[0][:2] == (line, col), found
    assert phrase in found[0][2]


@pytest.mark.parametrize("text", [
    "goals:\n  - a\n  - b\n",                          # items lined up
    "steps: |\n  - a\n   - b\n  note: call first\n",  # lists and keys inside text are text
    "purpose: >\n  Grow the shop\nsourcing: keep\n",  # the key after the block
    "every: weekly  # was daily\n",                   # a comment with a space is a comment
    "goals:\n  - a\n    b\n",                          # a wrapped line
    "a: 'x #3'\nb: -5\n",
])
def test_what_is_meant_is_not_a_slip(text: str) -> None:
    assert [s for s in slips(text) if s.key in (None, "sourcing")] == []


def test_every_example_file_reads_without_a_slip() -> None:
    for path in sorted((Path(__file__).resolve().parent.parent / "playbook").rglob("*.yml")):
        assert slips(path.read_text(encoding="utf-8")) == [], path
