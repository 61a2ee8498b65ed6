"""History from git: change summaries on role pages and in Atom feeds, built from a fixture
repository with real commits; nothing private of any old version reaches the site."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest
from conftest import EXAMPLE, MKDOCS_YML, Build, make_project, run_build

from generator.figures.history import public, read_history
from generator.figures.summaries import Unparsed, procedure_changes, role_changes, steps_changes

AUTHOR_EMAIL = "sam.private.inbox@example.org"
SECRETS = ("SECRET-FIRST-NOTE", "SECRET-SECOND-NOTE", "SECRET-IN-BROKEN-VERSION",
           "SECRET-NOTE-NOW", "SECRET-COMMIT-MESSAGE", "SECRET-PROCEDURE-NOTE", AUTHOR_EMAIL)
SITE_URL = "https://playbook.example.com/"
PPC = "playbook/roles/ppc.yml"
REVIEW = "playbook/procedures/weekly-bid-review.yml"
EXPORT = "Export the search-terms report for all three campaigns to the PPC Weekly sheet"
DOWNLOAD = "Download the search-terms report for all three campaigns to the PPC Weekly sheet"
NEW_TASK = """\
  - task: Pause unprofitable keywords
    every: weekly
    on: monday
    time: 30m
kpis:
"""


def git(project: Path, *args: str, when: str = "2026-01-05T09:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Sam Tester", "GIT_AUTHOR_EMAIL": AUTHOR_EMAIL,
           "GIT_COMMITTER_NAME": "Sam Tester", "GIT_COMMITTER_EMAIL": AUTHOR_EMAIL,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=project, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout


def edit(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(project: Path, message: str, when: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message, when=when)


def history_repository(project: Path) -> None:
    """Five commits: the start, a private-only edit, a version that does not parse, its fix
    with real changes, and a change to the procedure."""
    edit(project, PPC, "  notes: >\n", "  notes: >\n    SECRET-FIRST-NOTE\n")
    edit(project, PPC, 'target: "under 40 USD"', 'target: "< $45"')
    edit(project, REVIEW, "  notes: >\n", "  notes: >\n    SECRET-PROCEDURE-NOTE\n")
    git(project, "init", "-q", "-b", "main")
    commit(project, "Start", "2026-01-05T09:00:00+00:00")
    edit(project, PPC, "SECRET-FIRST-NOTE", "SECRET-SECOND-NOTE")
    commit(project, "Private only", "2026-01-12T09:00:00+00:00")
    good = (project / PPC).read_text(encoding="utf-8")
    (project / PPC).write_text(good.replace("title: PPC management",
                                            "title: 'PPC management\n# SECRET-IN-BROKEN-VERSION"),
                               encoding="utf-8")
    commit(project, "Broken SECRET-COMMIT-MESSAGE", "2026-01-19T09:00:00+00:00")
    (project / PPC).write_text(good.replace("SECRET-SECOND-NOTE", "SECRET-NOTE-NOW"),
                               encoding="utf-8")
    edit(project, PPC, 'target: "< $45"', 'target: "< $40"')
    edit(project, PPC, "kpis:\n", NEW_TASK)
    edit(project, PPC, "sourcing: outsource\n", "sourcing: outsource\nperformer: joy\n")
    commit(project, "Fixed", "2026-01-26T09:00:00+00:00")
    edit(project, REVIEW, EXPORT, DOWNLOAD)
    commit(project, "Procedure", "2026-02-02T09:00:00+00:00")


@pytest.fixture(scope="module")
def history_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = make_project(tmp_path_factory.mktemp("history"), EXAMPLE,
                           mkdocs_yml=MKDOCS_YML + f"site_url: {SITE_URL}\n")
    history_repository(project)
    build = run_build(project)
    assert build.returncode == 0, build.output
    return build


def changes_of(build: Build, rid: str) -> list[tuple[str, list[str]]]:
    """(date, summary lines) of each change listed on a role page, newest first."""
    section = build.page(f"roles/{rid}/").select_one("div.pb-changes")
    assert section is not None
    return [(item.find("strong").get_text(),
             [" ".join(li.get_text().split()) for li in item.select("ul > li")])
            for item in section.select(":scope > ul > li")]


def test_role_page_lists_changes_in_words(history_build: Build) -> None:
    changes = changes_of(history_build, "ppc")
    assert [date for date, _ in changes] == ["2026-02-02", "2026-01-26", "2026-01-19",
                                             "2026-01-05"]
    assert changes[0][1] == [f"Weekly bid review: step 2 changed ('{EXPORT[:69]}…' → "
                             f"'{DOWNLOAD[:69]}…')"]
    fixed = changes[1][1]
    assert "performer: vacant → Joy Santos" in fixed
    assert "KPI 'Cost per course sale' target < $45 → < $40" in fixed
    assert "task added: Pause unprofitable keywords (weekly, monday, 30m)" in fixed
    assert changes[2][1] == ["this version of roles/ppc.yml did not parse (YAML error near "
                             "line 2); it was left out"]
    assert changes[3][1] == ["role added", "procedure added: Weekly bid review"]


def test_last_changed_and_feed_links(history_build: Build) -> None:
    page = history_build.page("roles/ppc/")
    glance = {row.find_all("td")[0].get_text(): row.find_all("td")[1].get_text()
              for row in page.select(".pb-glance tr") if len(row.find_all("td")) == 2}
    assert glance["Last changed"].startswith("2026-02-02")
    hrefs = [a["href"] for a in page.select("#changes + p a")]
    assert hrefs == ["changes.xml", "../../changes.xml"]
    heading = page.select_one("h3#weekly-bid-review")
    assert heading is not None and heading["data-pb-change"] == changes_anchor(page, 0)


def changes_anchor(page: object, index: int) -> str:
    spans = page.select("div.pb-changes span.pb-change")  # type: ignore[attr-defined]
    return str(spans[index]["id"])


def test_role_feed_is_atom_with_the_summaries(history_build: Build) -> None:
    feed = feedparser.parse((history_build.site / "roles/ppc/changes.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "PPC management: changes"
    assert [e.updated[:10] for e in feed.entries] == ["2026-02-02", "2026-01-26", "2026-01-19",
                                                      "2026-01-05"]
    newest = feed.entries[0]
    assert newest.title.startswith("PPC management: Weekly bid review: step 2 changed")
    assert re.fullmatch(re.escape(SITE_URL) + r"roles/ppc/#change-[0-9a-f]{12}", newest.link)
    assert "performer: vacant → Joy Santos" in feed.entries[1].content[0].value
    assert any(link.rel == "self" and link.href == SITE_URL + "roles/ppc/changes.xml"
               for link in feed.feed.links)


def test_playbook_feed_covers_every_role(history_build: Build) -> None:
    feed = feedparser.parse((history_build.site / "changes.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title.startswith("PPC management: Weekly bid review")
    titles = {entry.title.split(":")[0] for entry in feed.entries}
    assert {"PPC management", "Shipping", "Legal"} <= titles


def test_no_private_value_or_email_reaches_the_site(history_build: Build) -> None:
    site_files = [path for path in history_build.site.rglob("*") if path.is_file()]
    assert len(site_files) > 40
    for path in site_files:
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret} in {path}"
    assert "Sam Tester" not in (history_build.site / "changes.xml").read_text()


def test_search_ranks_steps_before_brief_and_history(history_build: Build) -> None:
    import json

    index = json.loads((history_build.site / "search/search_index.json").read_text())
    sections = {doc["location"]: doc["text"] for doc in index["docs"]
                if doc["location"].startswith("roles/ppc/")}
    with_word = [location for location, text in sections.items() if "negatives" in text]
    assert "roles/ppc/#weekly-bid-review" in with_word
    assert not any(loc.endswith(("#kpis", "#hiring-brief", "#changes")) for loc in with_word)
    assert "Download the search-terms" not in sections["roles/ppc/#changes"]


def test_shallow_clone_builds_without_changes(history_build: Build, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history_build.project}", str(clone))
    (clone / "docs").mkdir(exist_ok=True)  # git keeps no empty folder
    build = run_build(clone)
    assert build.returncode == 0, build.output
    assert build.output.count("no 'Changes' section") == 1
    assert "shallow clone" in build.output
    assert build.page("roles/ppc/").select_one("#changes") is None
    assert not (build.site / "changes.xml").exists()


def test_without_git_the_build_works(history_build: Build, tmp_path: Path) -> None:
    project = make_project(tmp_path, history_build.project / "playbook")
    empty = tmp_path / "bin"
    empty.mkdir()
    build = run_build(project, env={"PATH": str(empty)})
    assert build.returncode == 0, build.output
    assert "have no 'Changes' section: git is not installed" in build.output
    assert build.page("roles/ppc/").select_one("#changes") is None


def test_outside_a_repository(tmp_path: Path) -> None:
    history = read_history(tmp_path, {})
    assert not history.available and "not in a git repository" in history.reason


def test_private_keys_are_removed_at_any_depth() -> None:
    data = {"a": [{"private": 1, "b": {"private": {"x": 2}, "c": 3}}], "private": 4}
    assert public(data) == {"a": [{"b": {"c": 3}}]}


def test_summaries_from_parsed_versions() -> None:
    old = {"title": "T", "steps": ["One", {"do": "Two", "check": "ok"}, "Three"]}
    new = {"title": "T", "steps": ["One", {"do": "Two", "check": "fine"}, "Three", "Four"]}
    assert procedure_changes("procedures/p.yml", "T", old, new) == [
        "T: step 2: expected result 'ok' → 'fine'", "T: step 4 added: 'Four'"]
    assert steps_changes(["A", "B", "C"], ["A", "C"]) == ["step 2 removed: 'B'"]
    assert role_changes("roles/r.yml", {"title": "R"}, Unparsed(3), {}) == [
        "this version of roles/r.yml did not parse (YAML error near line 3); it was left out"]
    assert role_changes("roles/r.yml", {"title": "R", "performer": "joy"},
                        {"title": "R"}, {"joy": "Joy Santos"}) == ["performer: Joy Santos → vacant"]
    assert role_changes("roles/r.yml", {"skills": ["A"], "newfield": 1},
                        {"skills": ["B"], "newfield": 2}, {}) == [
        "skill removed: 'A'", "skill added: 'B'", "newfield changed"]


# What XML 1.0 cannot carry: C0 controls but tab, LF and CR, and the non-characters U+FFFE
# and U+FFFF. YAML's double-quoted escapes can write any of them into an old version.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def test_a_control_character_in_history_leaves_every_feed_well_formed(
        tmp_path: Path) -> None:
    """An old version with a control character in a role's purpose and in a procedure's
    role (which becomes a role id in the playbook feed); the current files are clean."""
    import xml.etree.ElementTree as ET

    project = make_project(tmp_path, EXAMPLE, mkdocs_yml=MKDOCS_YML + f"site_url: {SITE_URL}\n")
    git(project, "init", "-q", "-b", "main")
    commit(project, "Start", "2026-01-05T09:00:00+00:00")
    clean = {path: (project / path).read_text(encoding="utf-8") for path in (PPC, REVIEW)}
    edit(project, PPC, "purpose: >\n", 'purpose: "Bell\\a and\\x01 \\uFFFF end"\nwas: >\n')
    edit(project, REVIEW, "role: ppc\n", 'role: "ppc\\x02"\n')
    commit(project, "Controls", "2026-01-12T09:00:00+00:00")
    for path, text in clean.items():
        (project / path).write_text(text, encoding="utf-8")
    commit(project, "Clean again", "2026-01-19T09:00:00+00:00")
    build = run_build(project)
    assert build.returncode == 0, build.output

    feeds = sorted(build.site.rglob("changes.xml"))
    assert build.site / "changes.xml" in feeds and build.site / "roles/ppc/changes.xml" in feeds
    for path in feeds:
        data = path.read_bytes()
        ET.fromstring(data)  # well-formed, or ParseError
        feed = feedparser.parse(data)
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert not NOT_XML.search(data.decode("utf-8")), path
    role = feedparser.parse((build.site / "roles/ppc/changes.xml").read_bytes())
    texts = [entry.content[0].value for entry in role.entries]
    assert len(texts) == 3, texts
    assert "purpose: " in texts[1] and "Bell\ufffd and\ufffd \ufffd end" in texts[1], texts
    whole = feedparser.parse((build.site / "changes.xml").read_bytes())
    assert any("ppc\ufffd" in entry.title for entry in whole.entries), [
        entry.title for entry in whole.entries]
    page = build.page("roles/ppc/").select_one("div.pb-changes")
    assert page is not None and "Bell\ufffd and\ufffd" in page.get_text()
    assert not NOT_XML.search(page.get_text())


def test_the_feed_writer_cleans_every_text_it_writes() -> None:
    """Whatever reaches atom() (a title, a role id, a summary line), the feed parses."""
    import xml.etree.ElementTree as ET
    from datetime import UTC, datetime

    from generator.figures.history import Change
    from generator.pages.feeds import atom

    change = Change("a" * 40, datetime(2026, 1, 5, tzinfo=UTC), ("line\x03 \ufffe end",))
    data = atom("changes.xml", "Shop\x01: changes", [("r\x02", change)], {"r\x02": "T\x0b"},
                directory_urls=True, site_url=SITE_URL)
    ET.fromstring(data)
    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "Shop\ufffd: changes"
    assert feed.entries[0].title == "T\ufffd: line\ufffd \ufffd end"
    assert not NOT_XML.search(data.decode("utf-8"))
