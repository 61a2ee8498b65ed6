"""Injection: text from YAML is shown as typed, never run, never breaking a page or the nav.

Every text field of every record kind (business, person, role, task, KPI, procedure,
step, private notes) gets a payload: HTML and JavaScript, Markdown that tries to break
out (`](`, `{#id}`, `<!--`, backticks, `|`, a line starting with `#`, `1.`, `>`, `- `,
`---`, `???`, `~~~`, `!!!`), Jinja syntax, a 10,000-character word, right-to-left
text and emoji (titles and names, at most 200 characters, take it in pieces by turns).
The minimal playbook is built with `mkdocs build --strict` for both audiences, and each
built page is compared with the same page built from harmless
text of the same shape: the same elements, ids, headings and nav links, and every
field's text on the page exactly as typed.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import MKDOCS_YML, Build, run_build
from icalendar import Calendar
from playbook_fixtures import MINIMAL

from generator.checking.validate import ROLE_PAGE_ANCHORS
from generator.files.strict_yaml import parse
from generator.model.limits import NAME_MAX

INLINE = ('<script>alert("pb-xss")</script> <img src=x onerror=alert(1)> <b id="pb-owned">b</b> '
          '<a href="http://evil.example">a</a> ](http://evil.example) [l](http://evil.example) '
          "{#pb-owned} <!-- open `tick` | cell | **bold** _em_ <http://evil.example> ![i](x.png) "
          "&amp; &lt; \\ {{ 7*7 }} {% if true %}yes{% endif %} {# c #} {{ config.site_name }} "
          "${x} \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd "
          "\U0001f469\u200d\U0001f4bb\U0001f680 \u202eevil\u202c \u4e2d\u6587 " + "w" * 10_000)
PROSE_INLINE = re.sub(r"\[l\]\(http://evil\.example\)|<http://evil\.example>|\*\*bold\*\*|_em_|"
                      r"`tick`|!\[i\]\(x\.png\)|http://", "", INLINE)
"""The payload for fields that may hold the inline Markdown subset (model.Prose): without
the subset's own forms (links, bare addresses, emphasis, code, which test_inline.py
renders), everything else in it must still show as typed."""
NAMES = frozenset({"name", "email", "title", "task", "target"})
"""Field names typed Name: at most limits.NAME_MAX characters each."""


def _name_pieces(payload: str) -> list[str]:
    """The payload in pieces that fit a name, cut where one attack ends and the next begins;
    the names take turns, so each piece reaches several of them."""
    head, _, word = payload.rpartition(" ")
    first, second = head.index("](http://evil"), head.index("&amp;")
    pieces = [head[:first].strip(), head[first:second].strip(), head[second:].strip(),
              word[:NAME_MAX - 10]]
    assert " ".join(pieces[:3]) + " " + word == payload
    assert all(len(piece) <= NAME_MAX - 10 for piece in pieces)  # room for the marker
    return pieces


NAME_INLINE = _name_pieces(INLINE)
PROSE = frozenset({"model", "customers", "deliverables", "revenue", "notes", "contact",
                   "purpose", "goals", "objectives", "success_factors", "expectations",
                   "skills", "access", "reason", "trigger", "summary", "inputs", "steps", "do",
                   "check", "done_when"})
"""Field names typed Prose (tests/test_inline.py checks this against the models)."""
STARTS = ["# heading", "1. first", "> quote", "- item", "---\ntitle: pb-owned\n---", "??? note",
          "~~~", "!!! danger", "| a | b |", "<!-- open", "{#pb-owned}", "    code", "[ ] box",
          "* star", "+ plus", "```", "===", ":::", "<div markdown>x</div>", "[^1]: note"]
AFTER = "\n\n# heading\n\n1. first\n\n> quote\n\n- item\n\n---\n\n??? note \"t\"\n\n~~~\n\nx"
FOLD = re.compile(r"\s+")

# Every text field: (file, path to it, pages it shows on in the public build, pages it also
# shows on in the internal build). Numbers in a path index lists.
FIELDS: list[tuple[str, tuple[Any, ...], list[str], list[str]]] = [
    ("business.yml", ("name",), [""], []),
    ("business.yml", ("model",), ["", "roles/social-media/"], []),
    ("business.yml", ("customers",), [""], []),
    ("business.yml", ("deliverables", 0), [""], []),
    ("business.yml", ("revenue", 0), [""], []),
    ("business.yml", ("private", "notes"), [], [""]),
    ("people.yml", (0, "name"), ["roles/marketing/", "org-chart/"], ["people/"]),
    ("people.yml", (0, "contact"), ["roles/social-media/"], []),
    ("people.yml", (1, "name"), ["roles/social-media/", "org-chart/"], ["people/"]),
    ("people.yml", (1, "contact"), [], []),
    ("people.yml", (1, "private", "email"), [], ["people/"]),
    ("people.yml", (1, "private", "notes"), [], ["people/"]),
    ("roles/social-media.yml", ("title",),
     ["roles/social-media/", "org-chart/", "roles/marketing/"], ["plan/"]),
    ("roles/social-media.yml", ("purpose",), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("goals", 0), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("objectives", 0), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("success_factors", 0), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("expectations", 0), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("skills", 0), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("tasks", 0, "task"), ["roles/social-media/"], ["cadence/"]),
    ("roles/social-media.yml", ("tasks", 0, "notes"), ["roles/social-media/"], ["cadence/"]),
    ("roles/social-media.yml", ("kpis", 0, "name"), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("kpis", 0, "target"), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("access", 0), ["roles/social-media/"], []),
    ("roles/social-media.yml", ("private", "notes"), [], ["roles/social-media/"]),
    ("roles/marketing.yml", ("title",), ["roles/marketing/", "roles/social-media/", ""], []),
    ("roles/marketing.yml", ("reason",), ["roles/marketing/"], ["plan/"]),
    ("roles/bookkeeping.yml", ("tasks", 1, "trigger"), ["roles/bookkeeping/"], ["cadence/"]),
    ("procedures/post-a-photo.yml", ("title",), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("summary",), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("trigger",), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("inputs", 0), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("steps", 0), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("steps", 1, "do"), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("steps", 1, "check"), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("done_when", 0), ["roles/social-media/"], []),
    ("procedures/post-a-photo.yml", ("private", "notes"), [], ["roles/social-media/"]),
    ("procedures/close-the-month.yml", ("steps", 0, "steps", 1, "do"), ["roles/bookkeeping/"],
     []),
]
EXTRA = {  # fields the minimal playbook leaves out, added so that every one is covered
    "business.yml": {"customers": "", "revenue": [""], "private": {"notes": ""}},
    "people.yml": [{"contact": ""}, {"contact": "", "private": {"email": "",
                                                                              "notes": ""}}],
    "roles/social-media.yml": {"purpose": "", "skills": [""], "access": [""],
                               "tasks": [{"notes": ""}], "private": {"notes": ""}},
    "roles/bookkeeping.yml": {"tasks": [{}, {"trigger": ""}]},
    "procedures/post-a-photo.yml": {"summary": "", "trigger": "", "inputs": [""],
                                    "private": {"notes": ""}},
}


def fold(text: str) -> str:
    return FOLD.sub(" ", text).strip()


def _merge(data: Any, extra: Any) -> Any:
    if isinstance(extra, dict):
        return {**data, **{k: _merge(data.get(k), v) if k in data else v
                           for k, v in extra.items()}}
    if isinstance(extra, list):
        return [_merge(data[i], item) if i < len(data) else item for i, item in enumerate(extra)]
    return extra if data is None else data


def values(kind: str) -> list[str]:
    """The text each field gets: its marker 'pbf<n>' at the end, so the payload starts it."""
    if kind == "inline":
        names = [n for n, (_, path, _, _) in enumerate(FIELDS) if _last(path) in NAMES]
        payloads = [NAME_INLINE[names.index(n) % len(NAME_INLINE)] if n in names
                    else PROSE_INLINE if _prose(path) else INLINE
                    for n, (_, path, _, _) in enumerate(FIELDS)]
        return [f"{payload} pbf{n}" for n, payload in enumerate(payloads)]
    offset = 0 if kind == "starts" else len(STARTS) // 2
    return [f"{STARTS[(n + offset) % len(STARTS)]}{AFTER} pbf{n}" for n in range(len(FIELDS))]


def _prose(path: tuple[Any, ...]) -> bool:
    return _last(path) in PROSE


def _last(path: tuple[Any, ...]) -> str:
    """The field's name: the last key of its path."""
    return [part for part in path if isinstance(part, str)][-1]


def field(kind: str, name: str, *path: Any) -> str:
    """The text a build of this kind gave one field."""
    index = next(n for n, (file, at, _, _) in enumerate(FIELDS) if (file, at) == (name, path))
    return values(kind)[index]


def harmless(value: str) -> str:
    """Text of the same shape (lengths, spaces, line breaks) with nothing special in it."""
    return re.sub(r"\S", "a", value)


def playbook_with(root: Path, texts: list[str]) -> None:
    shutil.copytree(MINIMAL, root)
    data = {name: _merge(parse((root / name).read_text(encoding="utf-8")), EXTRA.get(name, {}))
            for name in {field[0] for field in FIELDS}}
    for (name, path, _, _), text in zip(FIELDS, texts, strict=True):
        target = data[name]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = text
    for name, content in data.items():
        (root / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                                 encoding="utf-8")


KINDS = ["inline", "starts", "starts-rotated"]
AUDIENCES = ["public", "internal"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Build]:
    """{(kind, audience, 'payload' or 'harmless'): build}, built two or three at a time."""
    base = tmp_path_factory.mktemp("injection")
    env = {"PLAYBOOK_TODAY": "2026-11-23", "PYTHONDONTWRITEBYTECODE": "",
           "PYTHONPYCACHEPREFIX": str(tmp_path_factory.getbasetemp() / "pycache")}
    jobs = []
    for kind in KINDS:
        for variant in ("payload", "harmless"):
            texts = values(kind)
            project = base / f"{kind}-{variant}"
            playbook_with(project / "playbook",
                          texts if variant == "payload" else [harmless(t) for t in texts])
            (project / "docs").mkdir()
            for audience in AUDIENCES:
                (project / f"mkdocs-{audience}.yml").write_text(
                    MKDOCS_YML.replace("  - playbook\n",
                                       f"  - playbook:\n      audience: {audience}\n")
                    + f"site_dir: site-{audience}\n", encoding="utf-8")
                jobs.append(((kind, audience, variant), project))
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) + 1) as pool:
        futures = {key: pool.submit(run_build, project, "-f", f"mkdocs-{key[1]}.yml", env=env)
                   for key, project in jobs}
        return {key: future.result() for key, future in futures.items()}


def site(build: Build, audience: str) -> Path:
    return build.project / f"site-{audience}"


def pages(folder: Path) -> Iterator[tuple[str, BeautifulSoup, str]]:
    for path in sorted(folder.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        yield path.relative_to(folder).as_posix(), BeautifulSoup(raw, "html.parser"), raw


def shape(soup: BeautifulSoup) -> tuple[Counter[str], list[tuple[str, str]], list[str]]:
    """What injected markup would change: the elements, the ids (but the ones the Markdown
    extension derives from a heading's text) and the navigation's links."""
    slugged = {h["id"] for h in soup.find_all("h1", id=True)}
    elements = Counter(tag.name for tag in soup.find_all(True))
    ids = [(tag.name, tag["id"]) for tag in soup.find_all(id=True) if tag["id"] not in slugged]
    nav = [a.get("href", "") for a in soup.select("nav a")
           if a.get("href", "").lstrip("#") not in slugged]
    return elements, ids, nav


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_builds_pass_strict(builds: dict[tuple[str, str, str], Build], kind: str,
                            audience: str) -> None:
    for variant in ("payload", "harmless"):
        build = builds[(kind, audience, variant)]
        assert build.returncode == 0, build.output
        assert "WARNING" not in build.output, build.output


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_nothing_is_injected(builds: dict[tuple[str, str, str], Build], kind: str,
                             audience: str) -> None:
    folder = site(builds[(kind, audience, "payload")], audience)
    checked = 0
    for name, soup, raw in pages(folder):
        checked += 1
        for fragment in ("<script>alert", "<img src=x", '<b id="pb-owned"', "<!-- open",
                         '<a href="http://evil.example"', "<div markdown>"):
            assert fragment not in raw, f"{name}: {fragment} is in the HTML unescaped"
        assert soup.find(id="pb-owned") is None, name
        assert not soup.find_all(href=re.compile(r"^[^#]*evil")), name
        assert not soup.find_all("img", src=re.compile(r"^x")), name
        for script in soup.find_all("script"):
            assert "pb-xss" not in script.get_text() and "alert(" not in script.get_text()
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                assert not (attribute.startswith("on") and "alert" in str(value)), name
        assert "49" not in " ".join(t for t in soup.find_all(string=True) if "{{" in t), name
    assert checked == {"public": 7, "internal": 10}[audience]  # 404, home, org chart, 4 roles


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_pages_keep_their_shape(builds: dict[tuple[str, str, str], Build], kind: str,
                                audience: str) -> None:
    """The same elements, ids, headings and nav links as the harmless build, page by page."""
    payload = dict((name, soup) for name, soup, _ in pages(site(builds[(kind, audience,
                                                                        "payload")], audience)))
    plain = dict((name, soup) for name, soup, _ in pages(site(builds[(kind, audience,
                                                                      "harmless")], audience)))
    assert payload.keys() == plain.keys()
    for name, soup in payload.items():
        got, expected = shape(soup), shape(plain[name])
        assert got[0] == expected[0], f"{name}: elements differ: {got[0] - expected[0]} more, " \
                                      f"{expected[0] - got[0]} fewer"
        assert got[1] == expected[1], f"{name}: ids differ"
        assert got[2] == expected[2], f"{name}: nav links differ"
        assert len(soup.find_all("h1")) == 1, name


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_field_shows_as_typed(builds: dict[tuple[str, str, str], Build], kind: str,
                                    audience: str) -> None:
    folder = site(builds[(kind, audience, "payload")], audience)
    texts = values(kind)
    shown: dict[str, str] = {}
    for (_, _, public, internal), text in zip(FIELDS, texts, strict=True):
        for url in public + (internal if audience == "internal" else []):
            if url not in shown:
                soup = BeautifulSoup((folder / url / "index.html").read_text("utf-8"),
                                     "html.parser")
                shown[url] = fold(soup.find("article").get_text(" "))
            assert fold(text) in shown[url], f"{url}: {fold(text)[:80]!r}... not shown as typed"
    department = field(kind, "roles/marketing.yml", "title")
    for url, title in [("", field(kind, "business.yml", "name")),
                       ("roles/marketing/", department),
                       ("roles/social-media/", field(kind, "roles/social-media.yml", "title"))]:
        soup = BeautifulSoup((folder / url / "index.html").read_text("utf-8"), "html.parser")
        assert soup.find("h1").get_text().rstrip("¶") == fold(title)
        assert soup.title.get_text() == f"{fold(title)} - Test playbook"
        nav = fold(soup.select_one("nav.md-nav--primary").get_text(" "))
        assert fold(department) in nav
        if url:
            assert fold(title) in nav


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("kind", KINDS)
def test_private_fields_only_in_the_internal_build(builds: dict[tuple[str, str, str], Build],
                                                   kind: str, audience: str) -> None:
    folder = site(builds[(kind, audience, "payload")], audience)
    private = [f"pbf{n}" for n, (_, path, _, _) in enumerate(FIELDS) if "private" in path]
    everything = "\n".join(_text_of(path) for path in sorted(folder.rglob("*")) if path.is_file())
    for marker in private:
        assert (re.search(rf"\b{marker}\b", everything) is not None) == (audience == "internal")


def _text_of(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return html.unescape(raw.decode("utf-8", errors="replace"))


@pytest.mark.parametrize("kind", KINDS)
def test_calendars_read_back_as_typed(builds: dict[tuple[str, str, str], Build],
                                      kind: str) -> None:
    folder = site(builds[(kind, "public", "payload")], "public")
    plain = site(builds[(kind, "public", "harmless")], "public")
    business, title = field(kind, "business.yml", "name"), field(kind, "roles/social-media.yml",
                                                                   "title")
    task = field(kind, "roles/social-media.yml", "tasks", 0, "task")
    calendar = Calendar.from_ical((folder / "calendar/social-media.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == fold(f"{title} ({business})")
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert fold(f"{title}: {task}") in [fold(s) for s in summaries]
    for path in sorted(folder.glob("calendar/*.ics")):
        events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        expected = Calendar.from_ical((plain / "calendar" / path.name).read_bytes())
        assert len(events) == len(expected.walk("VEVENT")), path.name


@pytest.mark.parametrize("kind", KINDS)
def test_search_index_holds_text_not_markup(builds: dict[tuple[str, str, str], Build],
                                            kind: str) -> None:
    """Material's search shows entries as HTML: the index must hold our text escaped once."""
    folder = site(builds[(kind, "internal", "payload")], "internal")
    index = json.loads((folder / "search/search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            soup = BeautifulSoup(doc[key], "html.parser")
            assert soup.find(["script", "img", "a", "div", "b"]) is None, doc["location"]
            assert soup.find(id="pb-owned") is None
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    assert html.unescape(titles["roles/social-media/"]) == fold(
        field(kind, "roles/social-media.yml", "title"))


def test_role_page_headings_are_the_reserved_anchors(
        builds: dict[tuple[str, str, str], Build]) -> None:
    """validate.ROLE_PAGE_ANCHORS (ids a procedure may not take) lists every heading a role
    page has; the page built with every field set shows all of them."""
    folder = site(builds[("inline", "internal", "harmless")], "internal")
    soup = BeautifulSoup((folder / "roles/social-media/index.html").read_text("utf-8"),
                         "html.parser")
    headings = {h["id"] for h in soup.select("article h2[id], article h3[id]")
                if isinstance(h, Tag) and not h["id"].startswith("post-a-photo")}
    tasks = {anchor for anchor in headings if re.fullmatch(r"tasks-\d+", anchor)}
    assert tasks and headings - tasks <= ROLE_PAGE_ANCHORS
    marketing = BeautifulSoup((folder / "roles/marketing/index.html").read_text("utf-8"),
                              "html.parser")
    assert marketing.find(id="sub-roles") is not None
    # + sub-roles (on the marketing page) and changes (only with git history: test_history)
    assert len(headings - tasks) + 2 == len(ROLE_PAGE_ANCHORS)


# --- Addresses (issue 29): one token each, escaped at the attribute, never re-read as Markdown.

REVIEW = "https://a.example/\n\n[r]:https://x/autofocus/onfocus=alert(1)//\n\n[x][r]"
"""The security review's stored script: the blank line ended the raw HTML block, and
Python-Markdown made a second <a> of the rest inside the first one's href."""
SMUGGLED = [REVIEW, "https://a.example/\r\r~~~\r# pb-heading\r", "https://a.example/\u2028\u2028x",
            "https://a.example/\n    [r]: https://x/\n\n<b id=pb-owned>b</b>\n\n"]
"""Addresses with line breaks, which validation refuses (tests/corpus/rich.py), put straight
into the checked model: what reaches the page must still be one token on one line."""
ADDRESS = 'https://a.example/x"onfocus="alert(1)"autofocus=""`<b>[r]:~~~{#pb-owned}&amp;'
"""The most hostile address validation lets through: no white space, every quote and
bracket."""
BLOCKS = ("\n\n[r]: /pb-ref \"pb\"\n\n[pb-ref][r]\n\n[r2]:/x/autofocus/onfocus=alert(1)//\n\n"
          "[x][r2]\n\n~~~\nfence\n~~~\n\n# pb-heading\n\n    indented\n\n"
          "<b id=\"pb-owned\">b</b>\n\n")
"""Block syntax for every text field: reference definitions, a fence, a heading (no bare
https:// address, which text may hold and which is then a link the playbook asked for)."""


def _attributes(soup: BeautifulSoup) -> Counter[tuple[str, str]]:
    return Counter((tag.name, name) for tag in soup.find_all(True) for name in tag.attrs)


def _markdown(page: str) -> BeautifulSoup:
    """A generated page as MkDocs converts it, with the extensions of tests/conftest.py."""
    import markdown

    body = page.split("\n---\n", 1)[1]  # the front matter: MkDocs reads it, not Markdown
    html_page = markdown.markdown(body, extensions=[
        "admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details",
        "pymdownx.superfences", "pymdownx.tasklist"])
    return BeautifulSoup(html_page, "html.parser")


def _with_addresses(playbook: Any, link: str, video: str) -> Any:
    """The checked playbook with the social-media role's first task linking to `link` and
    post-a-photo's second step to `video`, validation bypassed (model_copy)."""
    import dataclasses

    role = playbook.roles["social-media"]
    task = role.tasks[0].model_copy(update={"link": link})
    procedure = playbook.procedures["post-a-photo"]
    step = procedure.steps[1].model_copy(update={"video": video})
    return dataclasses.replace(
        playbook,
        roles={**playbook.roles, "social-media": role.model_copy(
            update={"tasks": [task, *role.tasks[1:]]})},
        procedures={**playbook.procedures, "post-a-photo": procedure.model_copy(
            update={"steps": [procedure.steps[0], step, *procedure.steps[2:]]})})


@pytest.mark.parametrize("address", SMUGGLED, ids=["review", "cr-fence", "u2028", "indented"])
def test_an_address_that_got_past_validation_still_adds_nothing(address: str) -> None:
    """Structural, not incidental to validation: whatever an address holds, the role page
    (HTML) and the cadence page (Markdown) that show it convert to the same elements and
    attributes as with a harmless address of the same length."""
    from generator.checking.pipeline import check
    from generator.pages.render import render

    checked = check(MINIMAL)
    assert checked.playbook is not None and checked.analysis is not None
    pages = {}
    for variant, value in (("payload", address), ("harmless", "https://a.example/"
                                                  + "a" * (len(address) - 18))):
        playbook = _with_addresses(checked.playbook, value, value)
        pages[variant] = render(playbook, checked.analysis, audience="internal")
    for path in ("roles/social-media.md", "cadence.md"):
        payload, plain = (pages[v][path] for v in ("payload", "harmless"))
        assert isinstance(payload, str) and isinstance(plain, str)
        got, expected = _markdown(payload), _markdown(plain)
        assert _attributes(got) == _attributes(expected), path
        assert shape(got)[:2] == shape(expected)[:2], path
        assert "onfocus" not in {name for tag in got.find_all(True) for name in tag.attrs}
        opened = [a for a in got.find_all("a") if a.get_text() in ("open", "Watch a video of "
                                                                           "this step")]
        assert opened and all(a["href"].startswith("https://a.example/") for a in opened)
        assert all(not re.search(r"\s", a["href"]) for a in opened), path


@pytest.fixture(scope="module")
def address_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Build]:
    """{(engine, variant): build}: the plugin's build and the `playbook render` export built
    by plain `mkdocs build`, of a playbook with ADDRESS in a task's `link:` and a step's
    `video:` and BLOCKS in every text field, and of the same playbook made harmless."""
    from test_cli import COMMAND

    base = tmp_path_factory.mktemp("addresses")
    env = {"PLAYBOOK_TODAY": "2026-11-23", "PLAYBOOK_AUDIENCE": "internal"}
    texts = [f"{STARTS[n % len(STARTS)]}{BLOCKS}pbf{n}" for n in range(len(FIELDS))]
    jobs = {}
    for variant in ("payload", "harmless"):
        project = base / variant
        playbook_with(project / "playbook", texts if variant == "payload"
                      else [harmless(text) for text in texts])
        _set_addresses(project / "playbook", ADDRESS if variant == "payload"
                       else "https://a.example/" + "a" * (len(ADDRESS) - 18))
        (project / "docs").mkdir()
        (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        export = subprocess.run([*COMMAND, "render", "playbook", "--out", "export",
                                 "--audience", "internal"],
                                cwd=project, capture_output=True, text=True, timeout=300,
                                env={**os.environ, **env})
        assert export.returncode == 0, export.stdout + export.stderr
        jobs[("plugin", variant)] = (project, ())
        jobs[("export", variant)] = (project, ("-f", "export/mkdocs.yml"))
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2)) as pool:
        futures = {key: pool.submit(run_build, project, *extra, env=env)
                   for key, (project, extra) in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def _set_addresses(root: Path, address: str) -> None:
    for name, path in (("roles/social-media.yml", ("tasks", 0, "link")),
                       ("procedures/post-a-photo.yml", ("steps", 1, "video"))):
        data = parse((root / name).read_text(encoding="utf-8"))
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = address
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                 encoding="utf-8")


def _site_of(build: Build, engine: str) -> Path:
    return build.project / ("export/site" if engine == "export" else "site")


@pytest.mark.parametrize("engine", ["plugin", "export"])
def test_addresses_and_block_syntax_add_no_element_or_attribute(
        address_builds: dict[tuple[str, str], Build], engine: str) -> None:
    payload, plain = (address_builds[(engine, variant)] for variant in ("payload", "harmless"))
    for build in (payload, plain):
        assert build.returncode == 0, build.output
    ours = dict((name, soup) for name, soup, _ in pages(_site_of(payload, engine)))
    theirs = dict((name, soup) for name, soup, _ in pages(_site_of(plain, engine)))
    assert ours.keys() == theirs.keys() and "cadence/index.html" in ours
    for name, soup in ours.items():
        assert _attributes(soup) == _attributes(theirs[name]), name
        assert shape(soup) == shape(theirs[name]), name
        assert soup.find(id="pb-owned") is None and soup.find(id="pb-heading") is None, name
        assert not soup.select('[href$="/pb-ref"], [href*="x/autofocus/"]'), name
    expected = quote(ADDRESS, safe="!#$%&*+,/:;=?@~")
    role = ours["roles/social-media/index.html"]
    links = [a for a in role.find_all("a") if a.get_text() in ("open", "Watch a video of this "
                                                                       "step")]
    assert [a["href"] for a in links] == [expected, expected]
    assert all(set(a.attrs) == {"href"} for a in links)
    cadence = [a["href"] for a in ours["cadence/index.html"].find_all("a")
               if a.get_text() == "open"]
    assert cadence == [expected]
