"""The Content-Security-Policy in the browser: Material and our script work under it on every
page of both builds and of `playbook serve`, and it stops a script that got into a page.

Violations are recorded by a listener that Playwright adds before the page's own scripts
run (its init scripts are not subject to the page's policy); the browser also says each
one on the console, which Watch counts as an error.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, Build, build_example, mkdocs_serve
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, Tab, open_tab, serve_directory

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
  `${event.violatedDirective} ${event.blockedURI} ${event.sample}`));
"""
POLICY = 'meta[http-equiv="Content-Security-Policy"]'
ARTICLE = '<article class="md-content__inner md-typeset">'
INJECTED = """
<script>window.__pwned = "script element";</script>
<img alt="" src="data:," onerror="window.__pwned = 'onerror'">
<input id="pb-bait" autofocus onfocus="window.__pwned = 'onfocus'">
<a id="pb-js" href="javascript:window.__pwned='javascript: address'">a link</a>
<svg><script>window.__pwned = "svg script";</script></svg>
<img alt="" src="https://tracker.example/pixel.png">
<iframe src="https://frame.example/"></iframe>
<object data="https://object.example/x.swf"></object>
"""
"""What a hole in escaping would let into a page's article: each tries to run a script
or to reach another host."""


@contextlib.contextmanager
def listening(browser: Browser, base: str) -> Iterator[Tab]:
    with open_tab(browser, base, viewport=DESKTOP) as tab:
        tab.page.context.add_init_script(LISTEN)
        yield tab


def violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__violations || []"))


@pytest.fixture(scope="module")
def internal_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_example(tmp_path_factory.mktemp("csp-internal"), audience="internal")


def _pages(site: Path) -> list[str]:
    """Every built HTML file as a path under the site: pages, the 404 page, redirects."""
    return sorted(path.relative_to(site).as_posix().removesuffix("index.html")
                  for path in site.rglob("*.html"))


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_every_page_carries_the_policy_and_breaks_none_of_it(
        browser: Browser, example_build: Build, internal_build: Build, audience: str) -> None:
    build = example_build if audience == "public" else internal_build
    pages = _pages(build.site)
    assert "404.html" in pages and "roles/hr/" in pages  # hr: an alias of hiring
    for path in pages:
        html = (build.site / path / "index.html" if not path.endswith(".html")
                else build.site / path).read_text(encoding="utf-8")
        assert html.count('http-equiv="Content-Security-Policy"') == 1, path
    with serve_directory(build.site) as base, listening(browser, base) as tab:
        for path in pages:
            page = tab.open(path)
            expect(page.locator(POLICY)).to_have_count(1)
            assert violations(page) == [], path
        tab.watch.assert_clean()


def test_a_redirect_page_runs_its_script(browser: Browser, site_url: str) -> None:
    """Only the script keeps the address's #anchor; the refresh without it drops it."""
    with listening(browser, site_url) as tab:
        tab.page.goto(site_url + "roles/hr/#anchor")
        expect(tab.page).to_have_url(site_url + "roles/hiring/#anchor")
        tab.watch.assert_clean()


def test_search_finds_a_role_under_the_policy(browser: Browser, site_url: str) -> None:
    with listening(browser, site_url) as tab:
        page = tab.open()
        query = page.locator("input.md-search__input")
        query.click()
        query.press_sequentially("PPC management", delay=20)
        result = page.locator(".md-search-result__item a", has_text="PPC management").first
        expect(result).to_be_visible()
        result.click()
        expect(page).to_have_url(re.compile(re.escape(site_url) + r"roles/ppc/"))
        assert violations(page) == []
        tab.watch.assert_clean()


def test_the_checklist_script_works_under_the_policy(browser: Browser, site_url: str) -> None:
    with listening(browser, site_url) as tab:
        page = tab.open("roles/ppc/")
        status = page.locator("h3#weekly-bid-review ~ p.pb-run .pb-run-status").first
        expect(status).to_have_text("Your run: nothing ticked yet.")
        page.locator("label.task-list-control:has(+ #weekly-bid-review-step-1) input").click(
            force=True)  # Material draws its box over the real one
        expect(status).to_have_text(re.compile(r"Your run started .*: 1 of \d+ ticked\."))
        assert violations(page) == []
        tab.watch.assert_clean()


def test_the_policy_stops_what_gets_into_a_page(browser: Browser, example_build: Build,
                                               tmp_path: Path) -> None:
    """A built page with scripts, handlers and foreign addresses written into its article
    by hand: none runs, nothing is asked of another host."""
    site = tmp_path / "site"
    shutil.copytree(example_build.site, site)
    role = site / "roles/ppc/index.html"
    html = role.read_text(encoding="utf-8")
    assert html.count(ARTICLE) == 1
    role.write_text(html.replace(ARTICLE, ARTICLE + INJECTED), encoding="utf-8")
    with serve_directory(site) as base, listening(browser, base) as tab:
        page = tab.open("roles/ppc/")
        page.locator("#pb-bait").focus()
        page.locator("#pb-js").click()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None
        blocked = " ".join(violations(page))
        for directive in ("script-src-elem", "script-src-attr", "img-src", "frame-src",
                          "object-src"):
            assert directive in blocked, blocked
        # A request the policy refuses is never sent: Chromium fails it with "csp".
        assert tab.watch.foreign, "the tracker's picture was not even tried"
        for url in tab.watch.foreign:
            assert f"csp {url}" in tab.watch.failures, tab.watch.failures


def test_playbook_serve_allows_its_live_reload_and_nothing_else(browser: Browser,
                                                                tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    playbook = str(Path(sys.executable).with_name("playbook"))
    with mkdocs_serve(project, command=(playbook,)) as (url, _), \
            listening(browser, url) as tab:
        page = tab.page
        page.goto(url)
        expect(page.locator(POLICY)).to_have_count(1)
        with page.expect_request(re.compile(r"/\.playbook/generation\?known=")):
            page.reload()  # the live-reload script polls at once
        assert violations(page) == []
        page.goto(url.replace("roles/ppc/", "no-such-page/"))
        expect(page.locator(POLICY)).to_have_count(1)
        assert violations(page) == []
        assert not tab.watch.foreign
