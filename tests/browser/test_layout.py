"""Layouts: desktop, a phone (390x844) and print. Screenshots of each go to
test-artifacts/browser/ for people to look at."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import PHONE, Tab

# Content that does not fit its box: clipped (overflow hidden) or pushed behind a sideways
# scroll (Material wraps tables in a scrolling box, which hides their last columns). Code
# blocks keep their lines and scroll sideways by design, so they are left out.
OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth,
  cut: [...document.querySelectorAll("article *:not(pre, pre *)")]
    .filter(e => ["hidden", "auto", "scroll"].includes(getComputedStyle(e).overflowX))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.scrollWidth} > ${e.clientWidth}: ${e.outerHTML.slice(0, 150)}`),
})"""
BOXES = """() => [...document.querySelectorAll(".pb-org a.pb-box")].map(box => {
  const r = box.getBoundingClientRect();
  return {title: box.querySelector(".pb-box-title").textContent, left: r.left, right: r.right,
          width: r.width, overflows: box.scrollWidth > box.clientWidth + 1};
})"""


def _shoot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def _assert_fits(page: Page, width: int) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["page"] <= width + 1, f"the page scrolls sideways: {found['page']} > {width}"
    assert not found["cut"], "content cut off:\n" + "\n".join(found["cut"])


def test_desktop_org_chart_and_role_page(desktop: Tab, artifacts: Path) -> None:
    page = desktop.open("org-chart/")
    expect(page.locator(".pb-org a.pb-box").first).to_be_visible()
    _shoot(page, artifacts, "desktop-org-chart")
    desktop.open("roles/ppc/")
    expect(page.locator("nav.md-nav--primary")).to_be_visible()
    _shoot(page, artifacts, "desktop-role-page")


def test_phone_org_chart_fits_the_screen(phone: Tab, artifacts: Path) -> None:
    page = phone.open("org-chart/")
    page.evaluate("document.querySelectorAll('details.pb-dept').forEach(d => d.open = true)")
    width = PHONE["width"]
    _assert_fits(page, width)
    boxes = page.evaluate(BOXES)
    assert len(boxes) > 10
    for box in boxes:
        assert box["width"] > 0, f"{box['title']}: not shown"
        assert box["left"] >= 0 and box["right"] <= width + 1, f"{box['title']}: off screen"
        assert not box["overflows"], f"{box['title']}: text cut off"
    _shoot(page, artifacts, "phone-org-chart")


def test_phone_role_page_fits_the_screen(phone: Tab, artifacts: Path) -> None:
    page = phone.open("roles/ppc/")
    _assert_fits(page, PHONE["width"])
    heading = page.locator("article h1")
    expect(heading).to_be_in_viewport()
    box = heading.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    _shoot(page, artifacts, "phone-role-page")


def test_print_role_page_hides_navigation(desktop: Tab, artifacts: Path) -> None:
    page = desktop.open("roles/ppc/")
    page.emulate_media(media="print")
    for chrome in ("header.md-header", ".md-sidebar--primary", ".md-sidebar--secondary",
                   ".md-search", ".md-footer"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("h3#weekly-bid-review")).to_be_visible()
    _shoot(page, artifacts, "print-role-page")
