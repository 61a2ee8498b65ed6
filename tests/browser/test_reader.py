"""The site as a reader and a contractor use it: navigate, search, tick, follow a link."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import DESKTOP, Tab

# A phrase from a sub-step of playbook/procedures/weekly-bid-review.yml (role ppc).
STEP_PHRASE = "lost impression share"


def test_home_to_org_chart_to_role_page(desktop: Tab) -> None:
    page = desktop.open()
    expect(page.locator("h1")).to_be_visible()
    page.locator("nav.md-nav--primary").get_by_role("link", name="Org chart", exact=True).click()
    expect(page).to_have_url(desktop.base + "org-chart/")
    box = page.locator(".pb-org a.pb-box", has_text="PPC management")
    department = page.locator("details.pb-dept",
                              has=page.locator("a.pb-box", has_text="PPC management"))
    if department.get_attribute("open") is None:  # large playbooks fold departments
        department.locator("summary").click(position={"x": 5, "y": 5})
    box.click()
    expect(page).to_have_url(desktop.base + "roles/ppc/")
    expect(page.locator("article h1")).to_contain_text("PPC management")
    desktop.watch.assert_clean()


def test_search_finds_a_procedure_step(desktop: Tab) -> None:
    page = desktop.open()
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially(STEP_PHRASE, delay=20)  # Material searches as keys come in
    result = page.locator(".md-search-result__item a", has_text=re.compile("impression share",
                                                                           re.I)).first
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(re.compile(re.escape(desktop.base) + r"roles/ppc/(\?[^#]*)?#"))
    step = page.locator("li.task-list-item", has_text=STEP_PHRASE).last
    expect(step).to_be_visible()
    desktop.watch.assert_clean()


def test_ticking_a_checklist_step(desktop: Tab) -> None:
    page = desktop.open("roles/ppc/")
    first = page.locator("label.task-list-control:has(+ #weekly-bid-review-step-1) input")
    second = page.locator("label.task-list-control:has(+ #weekly-bid-review-step-2) input")
    expect(first).not_to_be_checked()
    # Material hides the real checkbox (opacity 0) under the box it draws in its place;
    # force=True skips the visibility wait and clicks that spot with the mouse, as a reader.
    first.click(force=True)
    expect(first).to_be_checked()
    expect(second).not_to_be_checked()
    first.click(force=True)
    expect(first).not_to_be_checked()


def test_procedure_link_scrolls_its_heading_into_view(desktop: Tab) -> None:
    page = desktop.open("roles/ppc/#weekly-bid-review")
    heading = page.locator("h3#weekly-bid-review")
    expect(heading).to_be_in_viewport()
    box = heading.bounding_box()
    header = page.locator("header.md-header").bounding_box()
    assert box is not None and header is not None
    assert page.evaluate("window.scrollY") > 0
    assert box["y"] >= header["y"] + header["height"] - 1, "heading hidden under the header"
    assert box["y"] + box["height"] <= DESKTOP["height"]
