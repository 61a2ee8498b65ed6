"""axe-core on the home page, the org chart and a role page, and on the owner's pages
(home, plan, people, cadence) on a phone and a desktop: no serious or critical
violations. axe.min.js comes from the PyPI package axe-playwright-python (a test extra), so
nothing is fetched at test time."""

from __future__ import annotations

from importlib.resources import files

import pytest
from playwright.sync_api import Page

from .conftest import Tab

AXE_JS = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")

# Known violations that these tests tolerate: (rule id, CSS selector the element must match,
# why). Only that rule on elements matching that selector is tolerated; anything else fails.
KNOWN = [
    # Material's own search overlay is a role="dialog" without a name (theme markup, not ours;
    # the fix is a theme override of partials/search.html, outside the plugin).
    ("aria-dialog-name", ".md-search", "Material for MkDocs theme"),
]

AXE_RUN = """async (known) => {
  const results = await axe.run(document, {resultTypes: ["violations"], elementRef: true});
  return results.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes
        .filter(n => !known.some(([id, selector]) => id === v.id && n.element
                                                     && n.element.matches(selector)))
        .map(n => `${n.target.join(" ")}: ${n.failureSummary.replace(/\\s+/g, " ")}`),
    }))
    .filter(v => v.nodes.length);
}"""


def _assert_axe_clean(page: Page, path: str) -> None:
    page.evaluate(AXE_JS)
    violations = page.evaluate(AXE_RUN, [[rule, selector] for rule, selector, _ in KNOWN])
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"])
                       for v in violations)
    size = page.viewport_size or {}
    assert not violations, f"axe found on /{path} at {size.get('width')} px:\n{report}"


@pytest.mark.parametrize("path", ["", "org-chart/", "roles/ppc/"])
def test_no_serious_accessibility_violations(desktop: Tab, path: str) -> None:
    _assert_axe_clean(desktop.open(path), path)


@pytest.mark.parametrize("path", ["", "plan/", "people/", "cadence/"])
def test_owner_pages_have_no_serious_accessibility_violations(owner: Tab, path: str) -> None:
    """The owner's planning pages and home page, on a phone and a desktop: their charts
    and wide tables (which scroll inside a focusable region on a phone) included."""
    _assert_axe_clean(owner.open(path), path)
