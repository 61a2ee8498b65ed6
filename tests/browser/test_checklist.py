"""A contractor's working copy of a checklist, in a real browser: ticks survive a reload, a
changed procedure is marked and starts a fresh run, keyboard focus shows on every box, and
paper gets empty boxes."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, make_project, run_build
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import DESKTOP, Tab, open_tab, serve_directory

REVIEW = "playbook/procedures/weekly-bid-review.yml"
STEP_TEXT = "Remove waste from the search terms"


def _git(project: Path, *args: str) -> None:
    when = "2026-03-02T09:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Owner", "GIT_AUTHOR_EMAIL": "owner@example.org",
           "GIT_COMMITTER_NAME": "Owner", "GIT_COMMITTER_EMAIL": "owner@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The example playbook in a git repository of one commit, built."""
    folder = make_project(tmp_path, EXAMPLE)
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "Start")
    build = run_build(folder)
    assert build.returncode == 0, build.output
    return folder


@pytest.fixture
def tab(browser: Browser, project: Path) -> Iterator[Tab]:
    with serve_directory(project / "site") as url, open_tab(browser, url,
                                                           viewport=DESKTOP) as opened:
        yield opened


def box(page: Page, step: str) -> Locator:
    return page.locator(f"label.task-list-control:has(+ #weekly-bid-review-{step}) input")


def status(page: Page) -> Locator:
    return page.locator("h3#weekly-bid-review ~ p.pb-run .pb-run-status").first


def test_ticks_survive_a_reload_until_the_procedure_changes(tab: Tab, project: Path) -> None:
    page = tab.open("roles/ppc/")
    expect(status(page)).to_have_text("Your run: nothing ticked yet.")
    box(page, "step-1").click(force=True)  # Material draws its box over the real one
    box(page, "step-2").click(force=True)
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(box(page, "step-1")).to_be_checked()
    expect(box(page, "step-2")).to_be_checked()
    expect(box(page, "step-3")).not_to_be_checked()
    expect(status(page)).to_have_text(re.compile(
        r"Your run started \d{4}-\d\d-\d\d: 2 of \d+ ticked\."))
    expect(page.locator(".pb-changed")).to_have_count(0)

    edit = project / REVIEW
    edit.write_text(edit.read_text(encoding="utf-8").replace(
        STEP_TEXT, "Cut the waste from the search terms"), encoding="utf-8")
    _git(project, "commit", "-q", "-am", "Reworded step 3")
    build = run_build(project)
    assert build.returncode == 0, build.output
    page.reload()
    page.wait_for_load_state("networkidle")
    notice = page.locator("h3#weekly-bid-review ~ p.pb-changed")
    expect(notice).to_contain_text("Changed since your last visit")
    link = notice.get_by_role("link", name="See what changed")
    change = page.locator("div.pb-changes li", has=page.locator(
        f"span#{link.get_attribute('href').removeprefix('#')}"))
    expect(change).to_contain_text("Weekly bid review: step 3 changed ('Remove waste from the "
                                   "search terms' → 'Cut the waste from the search terms')")
    expect(box(page, "step-1")).not_to_be_checked()
    expect(box(page, "step-2")).not_to_be_checked()
    expect(status(page)).to_have_text("Your run: nothing ticked yet.")
    page.reload()  # seen now: no longer marked
    expect(page.locator(".pb-changed")).to_have_count(0)
    tab.watch.assert_clean()


def test_start_over_clears_the_run(tab: Tab) -> None:
    page = tab.open("roles/ppc/")
    box(page, "step-1").click(force=True)
    page.locator("h3#weekly-bid-review ~ p.pb-run").first.get_by_role(
        "button", name=re.compile("^Start over")).click()
    expect(box(page, "step-1")).not_to_be_checked()
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(box(page, "step-1")).not_to_be_checked()
    expect(status(page)).to_have_text("Your run: nothing ticked yet.")


RING = """el => {
  const ring = getComputedStyle(el.nextElementSibling, '::after');
  return [ring.outlineStyle, ring.outlineWidth, ring.width];
}"""


def test_tab_shows_a_focus_ring_on_every_box(tab: Tab) -> None:
    page = tab.open("roles/ppc/")
    boxes = page.locator(".task-list-control input[type=checkbox]")
    total = boxes.count()
    assert total > 10
    seen: set[str] = set()
    for _ in range(600):
        page.keyboard.press("Tab")
        focused = page.locator(".task-list-control input[type=checkbox]:focus")
        if focused.count():
            style, width, size = focused.evaluate(RING)
            step = focused.evaluate("el => el.getAttribute('aria-labelledby')")
            assert (style, width) == ("solid", "2px"), step
            assert size != "auto" and float(size.removesuffix("px")) > 10, step
            seen.add(step)
        if len(seen) == total:
            break
    assert len(seen) == total
    page.mouse.click(5, 5)  # no ring without keyboard focus
    assert page.locator(".task-list-control input").first.evaluate(RING)[0] == "none"


def test_printing_shows_empty_boxes_even_when_ticked(tab: Tab) -> None:
    page = tab.open("roles/ppc/")
    first = box(page, "step-1")
    first.click(force=True)
    expect(first).to_be_checked()
    page.emulate_media(media="print")
    drawn = first.evaluate("""el => {
      const box = getComputedStyle(el.nextElementSibling, '::before');
      return [box.backgroundColor, box.maskImage, box.borderTopStyle];
    }""")
    assert drawn == ["rgba(0, 0, 0, 0)", "none", "solid"]
    expect(page.locator("p.pb-run").first).to_be_hidden()
