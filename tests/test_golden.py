"""The golden baseline (scripts/golden.py): the example and the staffed fixture, both
audiences, through the plugin and through `playbook render`, build every file byte for byte
as tests/fixtures/golden/ records.

Here the builds run with the forked helper, as users build; `python scripts/golden.py` runs
them all, with and without it, and `--update` rewrites the manifests after a deliberate
change to the pages.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts/golden.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["golden"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


golden = _script()


@pytest.mark.parametrize("case", golden.CASES, ids=lambda case: case.name)
def test_the_build_matches_its_golden_manifest(case, tmp_path: Path) -> None:
    folder = golden.build(case, fork=True, folder=tmp_path)
    found = golden.differences(golden.stored(case), folder)
    if found:
        pytest.fail(f"{case.name} differs from {case.path.relative_to(ROOT)} (after a "
                    "deliberate change: python scripts/golden.py --update):\n"
                    + "\n".join(found), pytrace=False)


def test_every_case_has_a_manifest_and_no_manifest_is_left_over() -> None:
    assert sorted(golden.GOLDEN.glob("*.json")) == sorted(case.path for case in golden.CASES)


def test_a_difference_names_the_file_and_a_pages_first_differing_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "roles/ppc").mkdir(parents=True)
    page = site / "roles/ppc/index.html"
    page.write_text("<html>\n<h1>PPC</h1>\n<p>Weekly</p>\n</html>\n", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset/>\n", encoding="utf-8")
    (site / "gone.txt").write_text("x", encoding="utf-8")
    expected = golden.manifest(site)
    assert golden.differences(expected, site) == []

    page.write_text("<html>\n<h1>PPC</h1>\n<p>Monthly</p>\n</html>\n", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset></urlset>\n", encoding="utf-8")
    (site / "gone.txt").unlink()
    (site / "new.txt").write_text("y", encoding="utf-8")
    assert golden.differences(expected, site) == [
        "missing: gone.txt", "new: new.txt",
        "differs: roles/ppc/index.html, first at line 3, which now reads: '<p>Monthly</p>'",
        "differs: sitemap.xml"]

    page.write_text("<html>\n<h1>PPC</h1>\n", encoding="utf-8")
    assert golden.differences(expected, site)[2] == (
        "differs: roles/ppc/index.html, first at line 3, which now reads: ''")
    page.write_text("<html>\n<h1>PPC</h1>\n<p>Weekly</p>", encoding="utf-8")
    assert golden.differences(expected, site)[2] == (
        "differs: roles/ppc/index.html, which now ends after line 3 (it had 5 lines)")
