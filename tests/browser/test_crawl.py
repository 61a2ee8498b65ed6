"""Every page of the built site, loaded in the browser: nothing leaves the machine, nothing
breaks. Pages are found by following links from the home page, plus every built HTML file
(so a page no link reaches is still loaded). The same crawl runs over the export built by
Zensical and served under a sub-path (make test-zensical)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from conftest import Build
from playwright.sync_api import Browser

from .conftest import DESKTOP, Tab, open_tab, serve_directory

LINKS_AND_IDS = """() => ({
  links: [...document.querySelectorAll("a[href]")].map(a => a.href),
  ids: [...document.querySelectorAll("[id]")].map(e => e.id),
})"""


def _built_pages(site: Path, base: str) -> set[str]:
    pages = {base + "404.html"}
    for index in site.rglob("index.html"):
        folder = index.parent.relative_to(site).as_posix()
        pages.add(base if folder == "." else f"{base}{folder}/")
    return pages


def _is_page(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith("/") or path.endswith(".html")


def test_every_page_loads_offline_without_errors(desktop: Tab, example_build: Build) -> None:
    crawl(desktop, example_build.site, "search/search_index.json")


@pytest.mark.zensical
def test_the_zensical_export_under_a_sub_path(browser: Browser, zensical_build: Build) -> None:
    """Zensical resolves links in raw HTML from the source file, MkDocs from the page: only
    links both engines rewrite land on the right page once the site is not at the root."""
    assert zensical_build.returncode == 0, zensical_build.output
    with serve_directory(zensical_build.site, under="playbook/") as base, \
            open_tab(browser, base, viewport=DESKTOP) as tab:
        crawl(tab, zensical_build.site, "search.json")


def crawl(desktop: Tab, site: Path, search_index: str) -> None:
    """Load every page of the site served at desktop.base, following links and then the
    built pages no link reached; every link, file and anchor must resolve."""
    base = desktop.base
    built = _built_pages(site, base)
    queue, seen = [base], {base}
    ids: dict[str, set[str]] = {}
    links: set[str] = set()
    files: set[str] = set()
    while queue:
        url = queue.pop(0)
        response = desktop.page.goto(url)
        assert response is not None and response.status < 400, f"{url}: {response}"
        desktop.page.wait_for_load_state("networkidle")
        found = desktop.page.evaluate(LINKS_AND_IDS)
        ids[url] = set(found["ids"])
        for link in found["links"]:
            target, _ = urldefrag(link)
            target = target.split("?")[0]
            if not target.startswith(base):
                continue  # a link out is fine; only requests must stay here
            links.add(link)
            if not _is_page(target):
                files.add(target)
            elif target not in seen:
                seen.add(target)
                queue.append(target)
        if not queue:  # links exhausted: load the built pages no link reached
            queue.extend(sorted(built - seen))
            seen |= built

    assert built <= seen
    assert len(ids) >= len(built) > 10
    for url in sorted(files):  # downloads such as calendars: fetched, not opened as pages
        response = desktop.page.request.get(url)
        assert response.status < 400, f"{response.status} {url}"
    broken = []
    for link in sorted(links):
        target, fragment = urldefrag(link)
        target = target.split("?")[0]
        if fragment and target in ids and fragment not in ids[target]:
            broken.append(link)
    assert not broken, "links to anchors that do not exist:\n" + "\n".join(broken)
    assert any(u == base + search_index for u in desktop.watch.requests), \
        "the crawl did not load the search index: requests are not being recorded?"
    desktop.watch.assert_clean()
