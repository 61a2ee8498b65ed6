"""Property-based tests (Hypothesis): whatever the files hold, `check` answers with a clean
list of problems; whatever valid playbook is written, it checks clean and renders.

Three sources of input: YAML-ish text made of the tokens people get wrong, random edits
of the example playbook (a key deleted, a line duplicated or re-indented, characters
typed in, two values swapped), and small valid playbooks with any text in them
(right-to-left scripts, emoji, Markdown, HTML and Jinja syntax) on any tree shape.
"""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import EXAMPLE, MKDOCS_YML, run_build
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from playbook_fixtures import MINIMAL

from generator.checking.pipeline import Checked, check
from generator.model.limits import NAME_MAX
from generator.pages.render import render

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# YAML breaks lines at CR, LF, CRLF, NEL, LS and PS; so does every position reported.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

TOKENS = [
    "title", "sourcing", "keep", "outsource", "reason", "parent", "performer", "tasks", "task",
    "every", "weekly", "daily", "as needed", "time", "1h", "30", "on", "monday", "steps", "do",
    "optional", "id", "private", "yes", "no", "off", "true", "false", "null", "~", "12:30",
    "0755", "1.5", "-1", "2026-02-30", "x", "Olga", "- ", "-", ": ", ":", "[", "]", "{", "}",
    ", ", "'", '"', "#", " #", "&a ", "*a", "!!str ", "!!python/object:os.system ", "!t ",
    "|\n", ">-\n", "<<: ", "---\n", "...\n", "? ", "%YAML 1.1\n", "\t", " ", "  ", "    ",
    "\n", "\n", "\n  ", "\n    - ", "\r\n", "\r", "\\", "\\x", "\x00", "\x07", "\ufeff",
    "\u00e9", "\U0001f469\u200d\U0001f4bb", "\u0645\u0631\u062d\u0628\u0627", "\u202e", "@",
    "`", "%", "\x85", "\u2028",
]
yamlish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=50).map(
    "".join)
TARGETS = ["roles/x.yml", "roles/social-media.yml", "procedures/post-a-photo.yml",
           "business.yml", "people.yml"]


@contextmanager
def replaced(root: Path, files: dict[str, str | bytes]) -> Iterator[None]:
    """Write files into a playbook for one example, then put the originals back."""
    saved: dict[Path, bytes | None] = {}
    try:
        for name, content in files.items():
            path = root / name
            saved[path] = path.read_bytes() if path.exists() else None
            data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
            path.write_bytes(data)
        yield
    finally:
        for path, original in saved.items():
            if original is None:
                path.unlink()
            else:
                path.write_bytes(original)


def assert_clean_problems(result: Checked, root: Path, files: dict[str, str | bytes]) -> None:
    """Every problem names a file and a real position, says something, on one line."""
    for problem in result.problems:
        assert isinstance(problem.file, str) and problem.file, problem
        assert problem.line >= 1 and problem.col >= 1, problem
        assert problem.message.strip() and "\n" not in problem.message, problem
        assert "Traceback" not in problem.message
        name = Path(problem.file).resolve().relative_to(root.resolve()).as_posix()
        content = files.get(name)
        if isinstance(content, str):  # the position is in the text, or just past a line's end
            lines = LINE_BREAK.split(content.removeprefix("\ufeff"))
            assert problem.line <= len(lines), (problem, content)
            assert problem.col <= len(lines[problem.line - 1]) + 1, (problem, content)
    assert (result.playbook is None) == bool(result.errors)


def assert_renders(result: Checked) -> None:
    """A playbook without errors renders for both audiences, every title readable by MkDocs."""
    if result.playbook is None or result.analysis is None:
        return
    for audience in ("public", "internal"):
        pages = render(result.playbook, result.analysis, audience=audience)
        for path, content in pages.items():
            if path.endswith(".md"):
                assert isinstance(content, str)
                _, meta = get_data(content)
                assert "title" in meta, f"{path}: front matter unreadable: {content[:300]!r}"
        for rid, role in result.playbook.roles.items():
            title = get_data(pages[f"roles/{rid}.md"])[1]["title"]  # type: ignore[arg-type]
            assert title == html.escape(" ".join(role.title.split()))


@pytest.fixture(scope="module")
def minimal_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("properties") / "playbook"
    shutil.copytree(MINIMAL, root)
    return root


@FAST
@given(name=st.sampled_from(TARGETS), text=yamlish)
def test_random_yaml_never_escapes_check(minimal_copy: Path, name: str, text: str) -> None:
    files: dict[str, str | bytes] = {name: text}
    with replaced(minimal_copy, files):
        result = check(minimal_copy)
        assert_clean_problems(result, minimal_copy, files)
        assert_renders(result)


@FAST
@given(name=st.sampled_from(TARGETS), data=st.binary(max_size=200))
def test_random_bytes_never_escape_check(minimal_copy: Path, name: str, data: bytes) -> None:
    with replaced(minimal_copy, {name: data}):
        result = check(minimal_copy)
        assert_clean_problems(result, minimal_copy, {})
        assert_renders(result)


# --- mutations of the example playbook ----------------------------------------------------

EXAMPLE_FILES = {p.relative_to(EXAMPLE).as_posix(): p.read_text(encoding="utf-8")
                 for p in sorted(EXAMPLE.rglob("*.yml"))}
KEY_VALUE = re.compile(r"^(\s*(?:- )?[\w-]+: )(\S.*)$")


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """One edit a person makes by mistake."""
    lines = text.splitlines(keepends=True)
    at = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["delete", "duplicate", "indent", "type", "swap"]))
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "indent":
        shift = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
        line = lines[at]
        lines[at] = " " * shift + line if shift > 0 else line[min(-shift, len(line) -
                                                                  len(line.lstrip(" "))):]
    elif kind == "type":
        whole = "".join(lines)
        cut = draw(st.integers(0, len(whole)))
        return whole[:cut] + draw(yamlish.filter(bool)) + whole[cut:]
    else:
        pairs = [i for i, line in enumerate(lines) if KEY_VALUE.match(line.rstrip("\n"))]
        assume(len(pairs) >= 2)
        first, second = draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=2,
                                      unique=True))
        a = KEY_VALUE.match(lines[first].rstrip("\n"))
        b = KEY_VALUE.match(lines[second].rstrip("\n"))
        assert a and b
        lines[first] = a[1] + b[2] + "\n"
        lines[second] = b[1] + a[2] + "\n"
    return "".join(lines)


@st.composite
def example_edits(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(EXAMPLE_FILES)))
        files[name] = draw(mutated(files.get(name, EXAMPLE_FILES[name])))
    return files


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutations") / "playbook"
    shutil.copytree(EXAMPLE, root)
    return root


@FAST
@given(files=example_edits())
def test_edits_of_the_example_never_escape_check(example_copy: Path,
                                                 files: dict[str, str]) -> None:
    with replaced(example_copy, files):  # type: ignore[arg-type]
        result = check(example_copy)
        assert_clean_problems(result, example_copy, files)  # type: ignore[arg-type]
        assert_renders(result)


# --- valid playbooks ----------------------------------------------------------------------

SPECIAL = [
    "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "](http://evil.example)",
    "{#owned}", "<!-- open", "`tick`", "| cell |", "# heading", "1. first", "> quote", "- item",
    "---", "{{ 7*7 }}", "{% raw %}", "??? note", "~~~", "\u0645\u0631\u062d\u0628\u0627",
    "\u05e9\u05dc\u05d5\u05dd", "\U0001f469\u200d\U0001f4bb", "\u202eevil", "&amp;", "\\",
    "**bold**", "[ ] box", "a\n\nb", "  padded  ", "x" * 300, "C'est l'été", '"quoted"',
]
any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                 exclude_characters="\ufffe\uffff"), min_size=1, max_size=12)
text = st.lists(st.one_of(st.sampled_from(SPECIAL), any_text), min_size=1, max_size=3).map(
    " ".join).filter(lambda value: value.strip() != "")
texts = st.lists(text, max_size=2)
name = text.filter(lambda value: len(value) <= NAME_MAX)
"""Titles and names: a text within their limit (generator/model/limits.py)."""
EVERY_DAY = {"daily": [None], "every 3 days": [None], "as needed": [None],
             "weekly": [None, "monday", "friday", ["monday", "thursday"]],
             "every 2 weeks": [None, "tuesday"],
             "monthly": [None, "day 15", "first monday", "last friday", "last workday", "day 31",
                         ["day 1", "day 15"]],
             "quarterly": [None, "day 1"], "yearly": ["december 1", "second tuesday of june"],
             "every 2 months": [None, "day 28"]}
STARTS = {"every 3 days": "2026-01-05", "every 2 weeks": "2026-01-06"}  # a Tuesday
"""Rhythms of N days or weeks need `starts:`, or check warns that it cannot know which."""


@st.composite
def steps(draw: st.DrawFn, ids: Iterator[str], depth: int = 0) -> list[Any]:
    items: list[Any] = []
    for _ in range(draw(st.integers(1, 3 if depth < 2 else 1))):
        step: dict[str, Any] = {"do": draw(text)}
        if draw(st.booleans()):
            step["check"] = draw(text)
        if draw(st.booleans()):
            step["optional"] = True
        if draw(st.booleans()):
            step["id"] = next(ids)
        if depth < 2 and draw(st.booleans()):
            step["steps"] = draw(steps(ids, depth + 1))
        items.append(step["do"] if list(step) == ["do"] and draw(st.booleans()) else step)
    return items


@st.composite
def playbooks(draw: st.DrawFn) -> dict[str, Any]:
    """A valid playbook as {file: data}: no errors and no warnings."""
    people = [{"id": "owner", "name": draw(name), "kind": "owner", "capacity": "40h"}]
    for n in range(draw(st.integers(0, 3))):
        person: dict[str, Any] = {"id": f"p{n}", "name": draw(name),
                                  "kind": draw(st.sampled_from(["staff", "contractor"]))}
        if draw(st.booleans()):
            person["contact"] = draw(text)
        if draw(st.booleans()):
            person["private"] = {"notes": draw(text), "email": draw(name), "rate": 30}
        people.append(person)
    pids = [p["id"] for p in people]
    business: dict[str, Any] = {"name": draw(name), "model": draw(text),
                                "deliverables": draw(st.lists(text, min_size=1, max_size=2)),
                                "revenue": draw(texts), "owner": "owner", "currency": "EUR"}
    if draw(st.booleans()):
        business["customers"] = draw(text)
    files: dict[str, Any] = {"business.yml": business, "people.yml": people}
    count = draw(st.integers(1, 6))
    for i in range(count):
        role: dict[str, Any] = {"title": draw(name)}
        if i and draw(st.integers(0, 3)):
            role["parent"] = f"r{draw(st.integers(0, i - 1))}"
        performer = draw(st.sampled_from([None, *pids]))
        if performer:
            role["performer"] = performer
        role["sourcing"] = draw(st.sampled_from(["keep", "outsource"]))
        if role["sourcing"] == "keep":
            role["reason"] = draw(text)
        else:
            for key in ("goals", "objectives", "success_factors", "expectations"):
                role[key] = draw(st.lists(text, min_size=1, max_size=2))
        for key in ("purpose", "escalation"):
            if draw(st.booleans()):
                role[key] = draw(text) if key == "purpose" else draw(st.sampled_from(pids))
        role["skills"], role["access"] = draw(texts), draw(texts)
        procedures = [f"p{i}x{k}" for k in range(draw(st.integers(0, 2)))]
        outsourced = role["sourcing"] == "outsource" and performer not in (None, "owner")
        if outsourced and not procedures:
            procedures = [f"p{i}x0"]
        for pid in procedures:
            ids = iter(f"s{n}" for n in range(100))
            procedure = {"title": draw(name), "role": f"r{i}", "steps": draw(steps(ids)),
                         "inputs": draw(texts), "done_when": draw(texts)}
            for key in ("summary", "trigger"):
                if draw(st.booleans()):
                    procedure[key] = draw(text)
            files[f"procedures/{pid}.yml"] = procedure
        tasks = []
        for _ in range(draw(st.integers(0, 3))):
            every = draw(st.sampled_from(sorted(EVERY_DAY)))
            item: dict[str, Any] = {"task": draw(name), "every": every,
                                    "time": draw(st.sampled_from(["15m", "1h", "1h30m", "3h"]))}
            day = draw(st.sampled_from(EVERY_DAY[every]))
            if day:
                item["on"] = day
            if every in STARTS:
                item["starts"] = STARTS[every]
            # Two tasks with the same text need ids of their own; any text may slug to any
            # id, so every task gets one.
            item["id"] = f"task-{len(tasks)}"
            if procedures and draw(st.booleans()):
                item["procedure"] = draw(st.sampled_from(procedures))
            tasks.append(item)
        role["tasks"] = tasks
        role["kpis"] = [{"name": draw(name), "target": draw(name), "every": "monthly"}
                        for _ in range(draw(st.integers(0, 2)))]
        if draw(st.booleans()):
            role["private"] = {"notes": draw(text), "budget": 40,
                               "assessment": {"skill": "weak", "enjoyment": "dislike"}}
        files[f"roles/r{i}.yml"] = role
    return files


def write_playbook(root: Path, files: dict[str, Any]) -> None:
    if root.exists():
        shutil.rmtree(root)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=playbooks())
def test_valid_playbooks_check_clean_and_render(tmp_path_factory: pytest.TempPathFactory,
                                                files: dict[str, Any]) -> None:
    root = tmp_path_factory.getbasetemp() / "valid-playbooks" / "playbook"
    write_playbook(root, files)
    result = check(root)
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.playbook is not None
    for name, data in files.items():  # the files read back as written
        if name.startswith("roles/"):
            assert result.playbook.roles[Path(name).stem].title == data["title"]
    assert_renders(result)


@settings(max_examples=2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(files=playbooks())
def test_valid_playbooks_build(tmp_path: Path, files: dict[str, Any]) -> None:
    """A real `mkdocs build --strict` of generated playbooks: every role page shows its title,
    the nav reaches every department, no page has two elements with one id."""
    project = tmp_path / f"build-{len(list(tmp_path.iterdir()))}"
    write_playbook(project / "playbook", files)
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    build = run_build(project, env={"PLAYBOOK_AUDIENCE": "internal"})
    assert build.returncode == 0, build.output
    nav = build.page("").select_one("nav.md-nav--primary").get_text(" ")
    for name, data in files.items():
        if not name.startswith("roles/"):
            continue
        page = build.page(f"{name.removesuffix('.yml')}/")
        assert page.find("h1").get_text().rstrip("¶") == " ".join(data["title"].split())
        if "parent" not in data:
            assert " ".join(data["title"].split()) in nav
    for path in build.site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        repeated = [k for k, n in Counter(t["id"] for t in soup.find_all(id=True)).items() if n > 1]
        assert not repeated, f"{path}: ids used twice: {repeated}"


# --- the rules that name YAML mistakes ------------------------------------------------------


def _each_rule_answers(text: str) -> None:
    """Every rule of yaml_mistakes either passes or names a place inside the text: none may
    raise (explain() would fall back to libyaml's words, hiding the bug from users)."""
    from generator.files import yaml_mistakes

    try:
        for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
        lines = yaml_mistakes.LINE_BREAK.split(text)
        error = yaml_mistakes._Error(
            lines, exc.problem or "", exc.context or "", mark.line if mark else 0,
            mark.column if mark else 0, context.line if context else None,
            context.column if context else None)
        for rule in yaml_mistakes._RULES:
            found = rule(error)
            if found is not None:
                assert 0 <= found.line <= len(lines) and found.col >= 0, (rule, found)
    except yaml.YAMLError:
        pass


@FAST
@given(text=yamlish)
def test_yaml_mistake_rules_never_raise_on_random_text(text: str) -> None:
    _each_rule_answers(text)


@FAST
@given(files=example_edits())
def test_yaml_mistake_rules_never_raise_on_edits_of_the_example(files: dict[str, str]) -> None:
    for text in files.values():
        _each_rule_answers(text)
