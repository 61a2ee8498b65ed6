"""Attacks in a real browser: payloads in every string field of the model, addresses and
media file names included, built into public and internal sites by real MkDocs; every page
is loaded in Chromium, and the test fails on any script that runs, any inline event
handler in the DOM, any `javascript:` address, or any request to another host.

Hypothesis draws the payloads (deterministically, and few: each example is two real
builds); the first example is a fixed list of known payloads, the security review's among
them. A payload that `playbook check` refuses must be refused cleanly, at `file:line:col`;
the field then keeps harmless text and the rest of the payloads are built.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import runner
import yaml
from conftest import MKDOCS_YML
from corpus.rich import png
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from playbook_fixtures import MINIMAL
from playwright.sync_api import Browser, Page, expect
from test_injection import EXTRA, FIELDS, _merge

from generator.checking.pipeline import check
from generator.files.strict_yaml import parse

from .conftest import DESKTOP, Watch, open_tab, serve_directory

REVIEW = "https://a.example/\n\n[r]:https://x/autofocus/onfocus=alert(1)//\n\n[x][r]"
"""The security review's payload, in a task's `link:`: it once ran with no click."""
KNOWN = [
    '<script>__pwn("script")</script>',
    '<img src=x onerror=__pwn("img")>',
    '"><svg onload=__pwn("svg")>',
    "'><b onmouseover=__pwn('quote')>x</b>",
    '<a href="javascript:__pwn(\'a\')">x</a>',
    '[x](javascript:__pwn("md"))',
    '<input autofocus onfocus=__pwn("autofocus")>',
    'a\n\n[r]: javascript:__pwn("ref")\n\n[x][r]',
    'a\n\n[r]:https://x/autofocus/onfocus=__pwn("refdef")//\n\n[x][r]',
    '<details open ontoggle=__pwn("toggle")>',
    "{{ 7*7 }} {% raw %}x{% endraw %}",
    '\u202e<script>__pwn("rlo")</script>\u202c',
    '\uff1cscript\uff1e__pwn("fullwidth")\uff1c/script\uff1e',
    '<iframe src="https://frame.example/"></iframe>',
    "![i](https://pixel.example/t.png)",
    "&lt;script&gt;__pwn('entity')&lt;/script&gt; &#60;b&#62;",
    '`<script>__pwn("code")</script>`',
    "<!-- a",
    "]]> ${__pwn('template')} <% x %>",
    '<math><mtext><table><mglyph><style><img src=x onerror=__pwn("mxss")>',
]
ADDRESSES = [
    REVIEW,
    'javascript:__pwn("link")',
    'https://a.example/"onmouseover="__pwn(2)',
    "https://a.example/?q=<script>__pwn(3)</script>",
    'https://a.example/#"><img src=x onerror=__pwn(4)>',
    "data:text/html,<script>__pwn(5)</script>",
    "//evil.example/x",
    "https://a.example/\tonfocus=__pwn(6) autofocus",
    "https://a.example/\u2028<script>__pwn(7)</script>",
    "JaVaScRiPt:__pwn(8)",
]
PICTURES = [
    'media/a"onerror="__pwn(1).png',
    "media/b' onerror='__pwn(2).png",
    "media/<svg onload=__pwn(3)>.png",
    "media/&quot;&gt;.png",
    "media/c d.png",
]
"""Step pictures: names of files the test writes, so that a valid one passes the check."""
TOKENS = ["<", ">", '"', "'", "&", "/", "=", "(", ")", "[", "]", "{", "}", ":", "`", "\\",
          "\n", "\n\n", " ", "#", "*", "_", "|", "-", "!", "script", "img src=x", "onerror=",
          "onfocus=", "autofocus", "javascript:", "__pwn(1)", "svg", "a", "https://x.example/",
          "&#34;", "&quot;", "\u202e", "\u200b", "\uff1c", "<!--", "-->", "]]>", "{{", "}}"]

TEXTS = [(name, path) for name, path, _, _ in FIELDS] + [
    ("roles/social-media.yml", ("aliases", 0)),
    ("procedures/post-a-photo.yml", ("steps", 1, "alt")),
]
ADDRESS_FIELDS = [("roles/social-media.yml", ("tasks", 0, "link")),
                  ("procedures/post-a-photo.yml", ("steps", 1, "video")),
                  ("roles/bookkeeping.yml", ("tasks", 1, "link"))]
PICTURE_FIELD = ("procedures/post-a-photo.yml", ("steps", 1, "image"))
Field = tuple[str, tuple[Any, ...]]
ALL: list[Field] = [*TEXTS, *ADDRESS_FIELDS, PICTURE_FIELD]
HARMLESS: dict[Field, str] = {
    **{field: f"plain text {n}" for n, field in enumerate(TEXTS)},
    **{field: "https://example.org/page" for field in ADDRESS_FIELDS},
    PICTURE_FIELD: "media/plain.png",
}
HARMLESS[("roles/social-media.yml", ("aliases", 0))] = "old-social"
SEARCHES = ["onerror", "script"]
LOCATED = re.compile(r"^\S.*:\d+:\d+: (error|warning): ")

tokens = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12).map("".join)
texts = st.one_of(st.sampled_from(KNOWN), tokens)
addresses = st.one_of(st.sampled_from(ADDRESSES), tokens.map("https://a.example/".__add__))
payloads = st.fixed_dictionaries({**{field: texts for field in TEXTS},
                                  **{field: addresses for field in ADDRESS_FIELDS},
                                  PICTURE_FIELD: st.sampled_from(PICTURES)})
KNOWN_EXAMPLE = {**{field: KNOWN[n % len(KNOWN)] for n, field in enumerate(TEXTS)},
                 **{field: ADDRESSES[n] for n, field in enumerate(ADDRESS_FIELDS)},
                 PICTURE_FIELD: PICTURES[0]}

TRAP = """
window.__pwned = [];
window.__pwn = (what) => window.__pwned.push(String(what));
"""
"""Every payload calls __pwn (or alert, which Playwright reports as a dialog)."""
INSPECT = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const value = attribute.value.trim().toLowerCase();
      if (/^on/i.test(attribute.name) || (["href", "src", "action", "formaction", "data"]
          .includes(attribute.name.toLowerCase()) && /^(javascript|vbscript|data:text)/.test(
          value.replace(/[\\s\\u0000-\\u001f]/g, "")))) {
        found.push(`<${element.localName} ${attribute.name}="${attribute.value}">`);
      }
    }
  }
  return {pwned: window.__pwned || [], found};
}"""

POKE = """() => {
  for (const element of document.querySelectorAll("body *")) {
    if (typeof element.focus === "function") element.focus();
    for (const kind of ["mouseover", "mouseenter", "pointerover", "click"]) {
      if (kind === "click" && !element.matches("a[href^='javascript' i], summary")) continue;
      element.dispatchEvent(new MouseEvent(kind, {bubbles: true}));
    }
  }
}"""


def write_playbook(root: Path, values: dict[Field, str]) -> None:
    """The minimal playbook with every field of ALL set, and the step pictures written."""
    shutil.copytree(MINIMAL, root)
    files = {name for name, _ in ALL}
    data = {name: _merge(parse((root / name).read_text(encoding="utf-8")), EXTRA.get(name, {}))
            for name in files}
    data["roles/social-media.yml"].setdefault("aliases", [""])
    data["procedures/post-a-photo.yml"]["steps"][1].update({"alt": "", "video": "",
                                                            "image": ""})
    data["roles/bookkeeping.yml"]["tasks"][1]["link"] = ""
    for (name, path), value in values.items():
        target = data[name]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    for name, content in data.items():
        (root / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                                 encoding="utf-8")
    (root / "media").mkdir(exist_ok=True)
    for picture in [*PICTURES, HARMLESS[PICTURE_FIELD]]:
        (root / picture).write_bytes(png())


def accepted(folder: Path, values: dict[Field, str]) -> dict[Field, str]:
    """The payloads the check takes, each tried alone in the playbook; a refused one must
    be refused at a place (file:line:col) and is replaced by harmless text."""
    kept = {}
    for field, value in values.items():
        root = folder / "try"
        write_playbook(root, {**HARMLESS, field: value})
        result = check(root)
        shutil.rmtree(root)
        if not result.errors:
            kept[field] = value
            continue
        for problem in result.problems:
            assert LOCATED.match(str(problem)), f"{field}: {value!r}: {problem}"
        kept[field] = HARMLESS[field]
    return kept


def build(project: Path, audience: str) -> Path:
    """The real `mkdocs build` (not strict: what an owner who ignores warnings publishes)."""
    site = project / f"site-{audience}"
    done = subprocess.run(runner.command("build", "-f", f"mkdocs-{audience}.yml"),
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env=runner.env({"PLAYBOOK_TODAY": "2026-11-23"}))
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in output, output
    return site


def attack(browser: Browser, site: Path) -> list[str]:
    """Load every page of the site; what ran, what is in the DOM, what left the machine."""
    pages = sorted(path.relative_to(site).as_posix().removesuffix("index.html")
                   for path in site.rglob("*.html"))
    problems: list[str] = []
    with serve_directory(site) as base, open_tab(browser, base, viewport=DESKTOP) as tab:
        tab.page.context.add_init_script(TRAP)
        tab.page.on("dialog", lambda dialog: (problems.append(
            f"{tab.page.url}: a dialog opened: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page = tab.open(path)
            _poke(page)
            seen = page.evaluate(INSPECT)
            problems += [f"{path}: script ran: {what}" for what in seen["pwned"]]
            problems += [f"{path}: in the DOM: {what}" for what in seen["found"]]
        if (site / "search/search_index.json").exists():  # not the harness's lone page
            problems += _search(tab.open(""))
        problems += _left(tab.watch)
    return problems


def _poke(page: Page) -> None:
    """Focus and hover every element, as a reader's keyboard and mouse would: a handler that
    waits for either runs now (events sent from a script run inline handlers too)."""
    page.evaluate(POKE)
    page.wait_for_load_state("networkidle")


def _search(page: Page) -> list[str]:
    """Material shows search results as HTML made from the index: search for words the
    payloads hold and inspect the results."""
    problems = []
    for word in SEARCHES:
        query = page.locator("input.md-search__input")
        query.click()
        query.fill("")
        query.press_sequentially(word, delay=20)
        expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
        _poke(page)
        seen = page.evaluate(INSPECT)
        problems += [f"search '{word}': script ran: {what}" for what in seen["pwned"]]
        problems += [f"search '{word}': in the DOM: {what}" for what in seen["found"]]
    return problems


def _left(watch: Watch) -> list[str]:
    return [f"a request left the machine: {url}" for url in watch.foreign]


def _projects(folder: Path, values: dict[Field, str]) -> Path:
    project = folder / "project"
    write_playbook(project / "playbook", values)
    (project / "docs").mkdir()
    for audience in ("public", "internal"):
        (project / f"mkdocs-{audience}.yml").write_text(
            MKDOCS_YML.replace("  - playbook\n", f"  - playbook:\n      audience: {audience}\n")
            + f"site_dir: site-{audience}\n", encoding="utf-8")
    return project


def run_attack(browser: Browser, values: dict[Field, str]) -> None:
    with tempfile.TemporaryDirectory(prefix="pb-attack-") as temp:
        folder = Path(temp)
        kept = accepted(folder, values)
        project = _projects(folder, kept)
        assert not check(project / "playbook").errors
        problems = []
        for audience in ("public", "internal"):
            problems += [f"{audience}: {p}" for p in attack(browser, build(project, audience))]
        tried = [f"  {name} {path}: {value!r}" for (name, path), value in kept.items()
                 if value != HARMLESS[(name, path)]]
        assert len(tried) >= len(ALL) // 2, "the check refused most payloads: nothing to attack"
        payloads = "\n".join(tried)
        assert not problems, "\n".join(problems) + "\nwith the payloads:\n" + payloads


settle: Callable[..., Any] = settings(
    max_examples=3, derandomize=True, deadline=None, database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: every example is two builds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@settle
@given(values=payloads)
@example(values=KNOWN_EXAMPLE)
def test_no_payload_runs_or_leaves_the_site(browser: Browser, values: dict[Field, str]
                                           ) -> None:
    run_attack(browser, values)


def test_the_attack_sees_what_runs_what_waits_and_what_leaves(browser: Browser,
                                                             tmp_path: Path) -> None:
    """The harness itself: a page with a script, a handler, a `javascript:` link and a
    foreign picture (and no policy) is caught on each count."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>t</title><script>__pwn("ran")</script>'
        '<a href="#x" onmouseover="__pwn(\'hovered\')">a</a><a href="javascript:void 0">j</a>'
        '<img alt="" src="https://pixel.example/t.png">', encoding="utf-8")
    problems = "\n".join(attack(browser, tmp_path))
    for caught in (": script ran: ran", ": script ran: hovered", ' onmouseover="',
                   ' href="javascript:void 0"', "left the machine: https://pixel.example/"):
        assert caught in problems, problems
