"""The Content-Security-Policy as written (csp.py, the plugin's csp options): the theme's
inline scripts are allowed by hash, a script from a page's content never is. Whether the
browser then runs what it should is tests/browser/test_csp.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MKDOCS_YML, make_project, run_build
from playbook_fixtures import MINIMAL

from generator.pages.csp import (
    PolicyError,
    check_extra,
    frame_hashes,
    inline_scripts,
    policy,
    protect,
    source_hash,
)

FRAME = ('<html><head><script>var theme = 1;</script><script type="application/json">{}'
         '</script><script src="x.js"></script></head><body><article>{content}</article>'
         '<script>var after = 2;</script></body></html>')
CONTENT_SCRIPT = "window.__pwned = 1;"
DOCS = {"notes.md": f"# Notes <script>{CONTENT_SCRIPT}</script>\n\n"
                    f"<script>{CONTENT_SCRIPT}</script>\n\nText.\n"}


def _policies(site: Path) -> dict[str, str]:
    found = {}
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        metas = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        found[page.relative_to(site).as_posix()] = " | ".join(m["content"] for m in metas)
    return found


def test_only_the_frame_s_running_scripts_are_hashed() -> None:
    content = f"<p>x</p><script>{CONTENT_SCRIPT}</script><script>var theme = 1;</script>"
    output = FRAME.replace("{content}", content)
    assert frame_hashes(output, content) == sorted([source_hash("var after = 2;")])


def test_a_script_left_open_in_the_content_cannot_take_the_frame_with_it() -> None:
    content = "<script>evil();/*"
    output = FRAME.replace("{content}", content)
    assert inline_scripts(output)[1].startswith("evil();/*</article>")  # what a browser runs
    assert frame_hashes(output, content) == sorted([source_hash("var theme = 1;"),
                                                    source_hash("var after = 2;")])


def test_content_changed_after_conversion_allows_no_script() -> None:
    output = FRAME.replace("{content}", "<p>changed</p>")
    assert frame_hashes(output, "<p>as converted</p>") is None


@pytest.mark.parametrize(("page", "before"), [
    ("<!doctype html><html lang=en><head><title>t", "<!doctype html><html lang=en><head>"),
    ("<!doctype html><html><header>x", "<!doctype html><html>"),
    ("<!DOCTYPE html><p>x", "<!DOCTYPE html>"),
])
def test_the_policy_goes_where_the_browser_reads_it(page: str, before: str) -> None:
    assert protect(page, []).startswith(before + '\n<meta http-equiv="Content-Security-Policy"')


def test_the_browser_s_line_breaks_are_hashed() -> None:
    assert inline_scripts("<script>a\r\nb\rc</script>") == ["a\nb\nc"]


def test_extra_sources_cannot_add_a_directive() -> None:
    with pytest.raises(PolicyError, match="unknown directive 'frame-ancestors'"):
        check_extra({"frame-ancestors": ["'none'"]})
    with pytest.raises(PolicyError, match="is not one source"):
        check_extra({"script-src": ["https://cdn.example; script-src *"]})
    extra = check_extra({"frame-src": ["https://video.example"]})
    assert "frame-src https://video.example;" in policy((), extra)


def test_content_scripts_of_hand_written_pages_are_never_allowed(tmp_path: Path) -> None:
    project = make_project(tmp_path, MINIMAL, docs=DOCS)
    build = run_build(project)
    assert build.returncode == 0, build.output
    policies = _policies(project / "site")
    assert len(policies) > 5
    for page, text in policies.items():
        assert "script-src 'self' 'sha256-" in text, page
        assert source_hash(CONTENT_SCRIPT) not in text, page


def test_the_owner_can_add_sources_or_turn_the_policy_off(tmp_path: Path) -> None:
    extended = MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      csp_sources:\n"
                                  "        img-src: [https://img.example]\n")
    (tmp_path / "on").mkdir()
    project = make_project(tmp_path / "on", MINIMAL, mkdocs_yml=extended)
    assert run_build(project).returncode == 0
    assert all("img-src 'self' data: https://img.example;" in text
               for text in _policies(project / "site").values())
    off = MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      csp: false\n")
    (tmp_path / "off").mkdir()
    project = make_project(tmp_path / "off", MINIMAL, mkdocs_yml=off)
    assert run_build(project).returncode == 0
    assert set(_policies(project / "site").values()) == {""}


def test_a_source_that_would_break_the_policy_stops_the_build(tmp_path: Path) -> None:
    bad = MKDOCS_YML.replace("  - playbook\n", "  - playbook:\n      csp_sources:\n"
                             "        script-src: [\"'self'; script-src *\"]\n")
    project = make_project(tmp_path, MINIMAL, mkdocs_yml=bad)
    build = run_build(project)
    assert build.returncode != 0
    assert "csp_sources: script-src: ''self'; script-src *' is not one source" in build.output
    assert "Traceback" not in build.output
    assert not (project / "site").exists()


HOOK = """\
from mkdocs.plugins import event_priority


@event_priority(100)
def on_post_page(output, page, config):
    return output.replace("Text.", "Changed.")
"""


def test_a_page_another_plugin_changed_gets_no_script_hash(tmp_path: Path) -> None:
    project = make_project(tmp_path, MINIMAL, docs=DOCS,
                           mkdocs_yml=MKDOCS_YML + "hooks:\n  - change.py\n")
    (project / "change.py").write_text(HOOK, encoding="utf-8")
    build = run_build(project, "--no-strict")
    assert build.returncode == 0, build.output
    assert re.search(r"WARNING .*notes.md: another plugin changed the page's content",
                     build.output), build.output
    policies = _policies(project / "site")
    assert "script-src 'self'; " in policies["notes/index.html"]
    assert "'sha256-" in policies["index.html"]  # untouched pages keep the theme's scripts
