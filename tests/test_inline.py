"""The inline Markdown of text fields (model/prose.py, pages/prose.py), the links checked
(links.py), task notes and links, and work with no known duration: from the parser to the
built page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from conftest import run_build
from corpus.rich import png
from icalendar import Calendar
from playbook_fixtures import make_playbook
from test_injection import PROSE

from generator.checking import links
from generator.checking.pipeline import check
from generator.model.prose import address_problem, problems
from generator.model.records import Business, Person, Procedure, Role
from generator.pages.prose import to_html, to_markdown, to_plain

FIXTURE = Path(__file__).parent / "fixtures/minimal"


def md(text: str) -> str:
    return str(to_markdown(text, lambda target, anchor: f"<{target}#{anchor}>"))


@pytest.mark.parametrize(("text", "expected"), [
    ("plain text", "plain text"),
    ("See [the report](https://example.org/r)", "See [the report](https://example.org/r)"),
    ("at https://example.org/a_b.", "at [https://example\\.org/a\\_b](https://example.org/a_b)\\."),
    ("*em* and **strong**", "*em* and **strong**"),
    ("`a|b*c`", "<code>a&#124;b&#42;c</code>"),
    ("[x](https://a.org/(1))", "[x](https://a.org/%281%29)"),
    ("[page](/roles/ppc/#bids)", "[page](<roles/ppc.md#bids>)"),
    ("[top](#purpose)", "[top](<#purpose>)"),
    ("<b>x</b> # h", "&lt;b&gt;x&lt;/b&gt; \\# h"),
    ("www.example.org and example.org stay text",
     "www\\.example\\.org and example\\.org stay text"),
    ("\\*not em\\*", "\\*not em\\*"),
])
def test_the_subset_is_kept_and_the_rest_escaped(text: str, expected: str) -> None:
    assert md(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("**a** *b*", "<strong>a</strong> <em>b</em>"),
    ("`x` `y`", "<code>x</code> <code>y</code>"),
    ("[a](https://u.example/?p=1&q=2) [b](/roles/b/#c)",
     '<a href="https://u.example/?p=1&amp;q=2">a</a> <a href="&lt;roles/b.md#c&gt;">b</a>'),
    ("<b>not bold</b> & `<i>`", "&lt;b&gt;not bold&lt;/b&gt; &amp; <code>&#60;i&#62;</code>"),
])
def test_the_subset_as_finished_html(text: str, expected: str) -> None:
    """What Python-Markdown makes of `to_markdown`'s text, for the pages written as HTML."""
    assert str(to_html(text, lambda target, anchor: f"<{target}#{anchor}>")) == expected


def test_a_brief_keeps_no_line_break_markdown_could_read() -> None:
    """A raw HTML block's lines must not start with block syntax (a '~~~' fence is read even
    inside raw HTML), and Python-Markdown takes a lone CR for a line break too."""
    from generator.pages.render import _pre

    assert str(_pre("a\r~~~\r\nb\n~~~ c")) == "a&#10;~~~&#10;b&#10;~~~ c"


def test_plain_text_keeps_addresses_for_calendars_and_briefs() -> None:
    text = "Use [the sheet](https://x.org/s), **now**; see https://y.org and [ppc](/roles/ppc/)"
    assert to_plain(text, lambda href: "https://site" + href) == (
        "Use the sheet (https://x.org/s), now; see https://y.org and ppc (https://site/roles/ppc/)")


@pytest.mark.parametrize(("text", "phrase"), [
    ("[x](javascript:alert(1))", "'javascript:' links are not allowed"),
    ("[x](JavaScript:alert(1))", "'JavaScript:' links are not allowed"),
    ("[x](data:text/html,hi)", "'data:' links are not allowed"),
    ("[x](file:///etc/passwd)", "'file:' links are not allowed"),
    ("[x](ppc.md)", "starting with '/'"),
    ("[x](../ppc/)", "starting with '/'"),
    ("see ![shot](media/a.png)", "images are not shown inside text"),
    ("[x](https://)", "the address is missing"),
])
def test_refused_links_are_named(text: str, phrase: str) -> None:
    found = list(problems(text))
    assert len(found) == 1 and phrase in found[0], found


@pytest.mark.parametrize(("href", "phrase"), [
    ("https://a.example/\n\n[r]:https://x/", "holds a line break (U+000A) after "
                                               "'https://a.example/'"),
    ("https://a.example/x\ry", "a line break (U+000D)"),
    ("https://a.example/x\ty", "a tab (U+0009)"),
    ("https://a.example/x y", "a space (U+0020)"),
    ("https://a.example/x\u2028y", "a line separator (U+2028)"),
    ("https://a.example/x\xa0y", "a no-break space (U+00A0)"),
    ("https://a.example/x\x0cy", "a form feed (U+000C)"),
    ("https://a.example/x\x00y", "a control character (U+0000)"),
    ("https://a.example/x\u202ey", "an invisible character (RIGHT-TO-LEFT OVERRIDE)"),
    ("//evil.example/x", "an address starting with '//' leads to another host"),
    ("/\\evil.example/x", "a backslash is not part of an address"),
    ("https:\\\\evil.example", "a backslash is not part of an address"),
    ("?q=1", "starting with '/'"),
    ("/roles/ppc/?q=1", "takes no query ('?q=1')"),
    ("#", "the anchor after '#' is missing"),
    ("/roles/ppc/#", "the anchor after '#' is missing"),
    ("/roles/ppc/#a#b", "'#a#b' is not an anchor"),
    ("/roles/../secret/", "'..' cannot be part of a page's address"),
    ("/roles/%2e%2e/secret/", "'%2e%2e' cannot be part"),
    ("/roles//ppc/", "write one '/' between the parts"),
    ("https:evil.example", "write a web address in full"),
    ("https:///x", "the host is missing"),
    ("mailto:", "the address is missing"),
])
def test_an_address_is_one_token_to_a_page_or_a_full_address(href: str, phrase: str) -> None:
    """Issue 29: white space of any kind anywhere in an address is an error (never trimmed
    or encoded away), as are addresses that only the strict build used to catch."""
    found = address_problem(href)
    assert found is not None and phrase in found, found
    assert "\n" not in found and "\r" not in found  # the message is one line of the report


@pytest.mark.parametrize("href", [
    "https://a.example/x%0A%0Dy", "https://a.example/?q=a%20b&r=1#top", "mailto:a@b.example",
    "tel:+15550100", "/", "/roles/ppc/", "/roles/ppc", "/roles/ppc/#weekly-bid-review",
    "#skills", "/calendar/ppc.ics", "https://de.wikipedia.org/wiki/Bücher",
    'https://a.example/x"y', "/guide/%C3%BCber/"])
def test_addresses_that_are_one_token_pass(href: str) -> None:
    """Percent-encoded line breaks are one token: the address holds them as text, and the
    page writes them as typed. Quotes are escaped where the address is written."""
    assert address_problem(href) is None


def test_markup_reaches_a_page_on_one_line() -> None:
    """Raw HTML in Markdown ends at a blank line and a fence is read even inside it: no
    `{{ }}` of a template writes a line break, whatever type the value has. Only the
    Markdown paragraphs `|block` joins keep theirs."""
    from markupsafe import Markup

    from generator.pages.markup import Blocks, finalize, one_line

    smuggled = Markup("<p>a</p>\n\n~~~\r\n# h\r[r]: x\u2028\x85\x0c<b>b</b>")
    for hook in (one_line, finalize):
        out = str(hook(smuggled))
        assert out.replace("\x85", "").splitlines() == [out.replace("\x85", "")], out
        assert BeautifulSoup(out, "html.parser").get_text() == "a\n\n~~~\n# h\n[r]: x" \
            "\u2028\x85\x0cb"
    assert str(finalize(Blocks("a\n\nb"))) == "a\n\nb"
    assert one_line("a \n\n b") == "a b"


def test_every_prose_field_of_the_models_is_in_the_injection_corpus() -> None:
    """The injection test gives prose fields a payload without the subset's own forms; the
    set it uses must be the models' Prose fields."""
    from generator.model.records import (
        BusinessPrivate,
        Kpi,
        PersonPrivate,
        ProcedurePrivate,
        RolePrivate,
        Step,
        Task,
    )
    models = [Business, BusinessPrivate, Person, PersonPrivate, Role, RolePrivate, Task, Kpi,
              Procedure, ProcedurePrivate, Step]
    found = {name for model in models for name, _ in links._prose_fields(model)}
    assert found == PROSE - {"steps"}  # a plain string step is its `do`


LINKED = {
    "roles/marketing.yml": (
        "title: Marketing\nsourcing: keep\n"
        "reason: See [the style guide](https://example.org/style?a=1&b=2) and **our** `voice`,"
        " **bold** *and* `code` [one](https://one.example) [two](https://two.example).\n"
        "performer: olga\n"
        "tasks:\n"
        "  - task: Plan the next campaign\n"
        "    every: monthly\n"
        "    notes: Use the *Q3* template, then [book it](/roles/bookkeeping/#close-the-month)\n"
        "    link: https://ads.example.org/campaigns?team=a&week=2\n"
        "  - task: Review the ads\n"
        "    every: weekly\n"
        "    time: 30m\n"),
}


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import MKDOCS_YML

    folder = tmp_path_factory.mktemp("linked")
    make_playbook(folder, LINKED)
    (folder / "docs").mkdir()
    internal = MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      audience: internal\n")
    (folder / "mkdocs.yml").write_text(internal + "site_url: https://example.org/pb/\n",
                                       encoding="utf-8")
    build = run_build(folder, env={"PLAYBOOK_TODAY": "2026-11-23"})
    assert build.returncode == 0, build.output
    return folder / "site"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def test_links_emphasis_and_code_show_in_the_built_page(linked_site: Path) -> None:
    kept = page(linked_site, "roles/marketing/").select_one(
        ".admonition.note p:not(.admonition-title)")
    assert kept is not None
    link = kept.find("a")
    assert link["href"] == "https://example.org/style?a=1&b=2"
    assert link.get_text() == "the style guide"
    assert kept.find("strong").get_text() == "our" and kept.find("code").get_text() == "voice"
    # the spaces between pieces with no text between them stay (HTML drops none of them)
    assert "voice, bold and code one two." in " ".join(kept.get_text().split())


def test_task_notes_and_link_show_in_the_task_table_and_cadence(linked_site: Path) -> None:
    for url in ("roles/marketing/", "cadence/"):
        soup = page(linked_site, url)
        row = next(tr for tr in soup.select("table tbody tr")
                   if "Plan the next campaign" in tr.get_text())
        opened = row.find("a", string="open")
        assert opened is not None
        assert opened["href"] == "https://ads.example.org/campaigns?team=a&week=2", url
        note = row.select_one(".pb-note")
        assert note.find("em").get_text() == "Q3"
        inside = note.find("a", string="book it")
        assert inside["href"].endswith("bookkeeping/#close-the-month")
        assert not inside["href"].startswith("/"), "relative, so that a sub-path works"


def test_untimed_work_is_not_given_a_figure(linked_site: Path) -> None:
    soup = page(linked_site, "roles/marketing/")
    glance = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text()
              for tr in soup.select(".pb-glance tr") if len(tr.find_all("td")) == 2}
    assert glance["Hours per week"] == "at least 0.5 h (1 task not timed)"
    row = next(tr for tr in soup.select("table tbody tr") if "Plan the next" in tr.get_text())
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells[-2:] == ["not timed yet", "–"]
    people = page(linked_site, "people/").get_text(" ")
    assert "at least" in people and "not timed" in people


def test_calendar_events_carry_notes_and_link_and_no_invented_length(linked_site: Path) -> None:
    calendar = Calendar.from_ical((linked_site / "calendar/marketing.ics").read_bytes())
    event = next(e for e in calendar.walk("VEVENT") if "Plan the next" in str(e["SUMMARY"]))
    description = str(event["DESCRIPTION"])
    assert "Open: https://ads.example.org/campaigns" in description
    assert ("Notes: Use the Q3 template, then book it "
            "(https://example.org/pb/roles/bookkeeping/#close-the-month)") in description
    assert "time not known yet" in description
    assert "DURATION" not in event and "DTEND" not in event


def test_check_reports_untimed_work_by_sourcing(tmp_path: Path) -> None:
    root = make_playbook(tmp_path, {
        **LINKED,
        "roles/bookkeeping.yml": (FIXTURE / "roles/bookkeeping.yml").read_text("utf-8")
        .replace("    time: 3h\n", "", 1)})
    found = [(p.file.rsplit("/", 1)[-1], p.severity.value, p.message) for p in check(root).problems]
    assert ("bookkeeping.yml", "warning", "tasks[0]: no 'time:', so the role's hours per week, "
            "the hiring brief and its cost leave this task out; add how long it takes") in found
    assert ("marketing.yml", "info", "tasks[0]: no 'time:' yet; hours per week leave this task "
            "out") in found


@pytest.mark.parametrize(("files", "phrase"), [
    ({"roles/marketing.yml": LINKED["roles/marketing.yml"].replace(
        "#close-the-month", "#close-the-year")},
     "link to '/roles/bookkeeping/#close-the-year': the page of role 'bookkeeping' has no "
     "'#close-the-year'"),
    ({"roles/marketing.yml": LINKED["roles/marketing.yml"].replace(
        "/roles/bookkeeping/", "/roles/bookkeping/")},
     "no role 'bookkeping' in roles/ (did you mean 'bookkeeping'?)"),
    ({"roles/marketing.yml": LINKED["roles/marketing.yml"].replace(
        "https://ads.example.org/campaigns", "javascript:alert(1)")},
     "'javascript:' links are not allowed"),
])
def test_bad_links_are_errors_at_their_line(tmp_path: Path, files: dict[str, str],
                                            phrase: str) -> None:
    errors = [p for p in check(make_playbook(tmp_path, files)).problems if p.is_error]
    assert len(errors) == 1 and phrase in errors[0].message, errors
    assert errors[0].file.endswith("marketing.yml") and errors[0].line in (8, 9)


def test_a_site_without_directory_urls_links_to_html_files(
        project_factory: Callable[..., Path], tmp_path: Path) -> None:
    from conftest import MKDOCS_YML

    playbook = make_playbook(tmp_path / "source", LINKED)
    build = run_build(project_factory(playbook, mkdocs_yml=MKDOCS_YML
                                      + "use_directory_urls: false\n"))
    assert build.returncode == 0, build.output
    soup = BeautifulSoup((build.site / "roles/marketing.html").read_text("utf-8"), "html.parser")
    assert soup.select_one(".pb-note a")["href"] == "bookkeeping.html#close-the-month"


TRICKS = [
    '[a](https://e.example/"><script>alert(1)</script>)',
    "[b](https://e.example/ onclick=alert(1))",
    "https://e.example/<img src=x onerror=alert(1)>",
    "[`c|d`](https://e.example/c) and [**e**](/roles/bookkeeping/)",
    "<https://e.example/auto> [f](<https://e.example/g h>)",
    "[x](https://e.example/a%22%3E%3Cscript%3E)",
]


def test_link_forms_cannot_inject_markup(tmp_path: Path) -> None:
    """The injection corpus for the subset itself: link targets and texts that try to break
    out of their attribute or element, and alt text that tries the same."""
    from conftest import MKDOCS_YML

    steps = "".join(f"  - {json_string(text)}\n" for text in TRICKS)
    folder = tmp_path / "tricks"
    make_playbook(folder, {
        "procedures/p.yml": "title: P\nrole: operations\nsteps:\n" + steps
        + "  - do: See the picture\n    image: media/a.png\n"
          "    alt: '\"><script>alert(1)</script> {: onclick=alert(1) }'\n",
        "media/a.png": png()})
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    build = run_build(folder)
    assert build.returncode == 0, build.output
    raw = (folder / "site/roles/operations/index.html").read_text("utf-8")
    soup = BeautifulSoup(raw, "html.parser")
    assert ("<script>alert" not in raw and soup.find("script", string=True) is None) or all(
        "alert(1)" not in s.get_text() for s in soup.find_all("script"))
    for tag in soup.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs), tag
    assert soup.find("img", src="x") is None
    picture = soup.select_one("img.pb-shot")
    assert picture["alt"] == '"><script>alert(1)</script> {: onclick=alert(1) }'
    hrefs = [a["href"] for a in soup.select("article a[href^='https://e.example']")]
    assert all('"' not in href and "<" not in href and " " not in href for href in hrefs), hrefs
    assert soup.select_one("article a strong").get_text() == "e"


def json_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    import json

    return json.dumps(text)


def test_a_picture_named_with_quotes_and_hashes_stays_one_attribute(tmp_path: Path) -> None:
    """A step's picture may be named anything but white space (test_injection.py); in the
    role page's HTML its address is percent-encoded and escaped, so the name can neither
    add an attribute nor cut the link short, and MkDocs finds the file."""
    name = 'shot"1"#2&<x>.png'
    make_playbook(tmp_path, {
        f"media/{name}": png(),
        "procedures/close-the-month.yml": (
            "title: Close the month\nrole: bookkeeping\nsteps:\n"
            f"  - do: Match the bank lines\n    image: 'media/{name}'\n"
            "    alt: The bank screen\n"),
    })
    (tmp_path / "docs").mkdir()
    from conftest import MKDOCS_YML

    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    build = run_build(tmp_path)
    assert build.returncode == 0, build.output
    shot = page(tmp_path / "site", "roles/bookkeeping/").select_one("img.pb-shot")
    assert shot is not None and set(shot.attrs) == {"alt", "class", "height", "loading", "src",
                                                    "width"}
    assert (tmp_path / "site/roles/bookkeeping" / unquote(shot["src"])).resolve().is_file()
