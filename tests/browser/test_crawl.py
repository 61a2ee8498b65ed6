"""Every page of the built site, loaded in the browser: nothing leaves the machine, nothing
breaks. Pages are found by following links from the home page, plus every built HTML file
(so a page no link reaches is still loaded)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from conftest import Build

from .conftest import Tab

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
    base = desktop.base
    built = _built_pages(example_build.site, base)
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
    assert any(u.endswith("search_index.json") for u in desktop.watch.requests), \
        "the crawl did not load the search index: requests are not being recorded?"
    desktop.watch.assert_clean()
