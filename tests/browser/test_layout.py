"""Layouts: desktop, a phone (390x844) and print. Screenshots of each go to
test-artifacts/browser/ for people to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
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


# The charts of the owner's pages (charts.py): every piece of text in a chart, with its
# boxes on screen and its rendered size (an SVG's text is scaled by its viewBox, so the size
# is the computed one times the screen matrix's scale), and the boxes of the marks drawn to
# scale (bars, capacity markers).
CHART_TEXT = """() => {
  const texts = [];
  for (const chart of document.querySelectorAll(".pb-chart")) {
    const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const element = node.parentElement;
      const matrix = element.getScreenCTM ? element.getScreenCTM() : null;
      const range = document.createRange();
      range.selectNodeContents(node);
      texts.push({text: node.textContent.trim(),
                  px: parseFloat(getComputedStyle(element).fontSize)
                      * (matrix ? Math.hypot(matrix.a, matrix.b) : 1),
                  boxes: [...range.getClientRects()].map(r => r.toJSON())});
    }
  }
  const marks = [...document.querySelectorAll(".pb-chart :is(.pb-bar, .pb-capacity)")]
    .map(mark => ({mark: mark.getAttribute("class"), box: mark.getBoundingClientRect().toJSON()}));
  return {texts, marks};
}"""
CHARTS = {"people/": 4, "cadence/": 0}
"""The pages with charts, and how many capacity markers each chart shows."""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


@pytest.mark.parametrize("path", list(CHARTS))
def test_chart_text_is_readable_and_clear_of_the_marks(owner: Tab, artifacts: Path,
                                                       path: str) -> None:
    page = owner.open(path)
    found = page.evaluate(CHART_TEXT)
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert found["texts"], f"/{path}: no chart text"
    assert len([m for m in found["marks"] if "pb-capacity" in m["mark"]]) == CHARTS[path]
    small = [f"{t['text']!r}: {t['px']:.1f} px" for t in found["texts"] if t["px"] < 12 - 0.01]
    assert not small, f"/{path} at {width} px: chart text under 12 px:\n" + "\n".join(small)
    clashes = [f"{t['text']!r} over {m['mark']}" for t in found["texts"] for box in t["boxes"]
               for m in found["marks"] if _overlap(box, m["box"])]
    assert not clashes, f"/{path} at {width} px: labels over marks:\n" + "\n".join(clashes)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.locator(".pb-chart").first.screenshot(
        path=str(artifacts / f"chart-{path.strip('/')}-{width}.png"))


# Every table's box on the page: how wide its content is against how wide the box is.
TABLE_BOXES = """() => [...document.querySelectorAll("article table")].map(table => {
  const box = table.closest(".md-typeset__scrollwrap, .pb-chart-wrap") || table.parentElement;
  return {table: table.tHead ? table.tHead.textContent.replace(/\\s+/g, " ").trim() : "",
          content: box.scrollWidth, box: box.clientWidth};
})"""
def test_plan_tables_fit_a_desktop_screen(desktop: Tab, internal_url: str,
                                          artifacts: Path) -> None:
    """The ranked table has nine columns with the money figures; all of it shows at 1280."""
    desktop.base = internal_url
    page = desktop.open("plan/")
    tables = page.evaluate(TABLE_BOXES)
    assert len(tables) >= 2
    ranked = page.evaluate("() => document.querySelector('#ranked ~ .md-typeset__scrollwrap "
                           "table').rows[0].cells.length")
    assert ranked == 9
    cut = [f"{t['content']} > {t['box']}: {t['table']}" for t in tables
           if t["content"] > t["box"] + 1]
    assert not cut, "/plan/: tables wider than their box:\n" + "\n".join(cut)
    _shoot(page, artifacts, "desktop-plan")


def test_wide_tables_scroll_in_named_regions_on_a_phone(phone: Tab, internal_url: str) -> None:
    phone.base = internal_url
    page = phone.open("")
    wide = [t for t in page.evaluate(TABLE_BOXES) if t["content"] > t["box"] + 1]
    assert not wide, f"the home page's tables are cut off at 390 px: {wide}"
    page = phone.open("plan/")
    boxes = page.locator(".md-typeset__scrollwrap[data-pb-scrolls]")
    expect(boxes).to_have_count(2)  # both of the plan's tables are wider than a phone
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_have_attribute("tabindex", "0")
        expect(boxes.nth(index)).to_have_attribute("role", "region")
    expect(boxes.first).to_have_attribute("aria-label", "Table: Ranked")
    boxes.first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=boxes.first.element_handle())
