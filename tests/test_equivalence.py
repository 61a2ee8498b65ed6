"""The role pages written as finished HTML are the pages the Markdown templates made.

Each yardstick in tests/fixtures/yardstick/ holds a playbook and the export that the
Markdown templates rendered from it before the role pages became HTML (issue 19):
plain MkDocs builds that export, the plugin builds the playbook, and every page's
content and the search index must match. Pages are compared as parsed HTML, so white
space between block elements and the order of attributes do not count (white space
between words and inline elements does); a character reference and the character it
stands for are the same. When a page changes on
purpose, `python scripts/yardstick.py` renders the yardsticks' exports again with the
current code (and the diff of the built pages is the change to review).
"""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from conftest import FIXTURES, Build, run_build

YARDSTICKS = FIXTURES / "yardstick"
CASES = [("example", "public"), ("example", "internal"), ("staffed", "public"),
         ("staffed", "internal"), ("synthetic-300", "public")]
TODAY = {"PLAYBOOK_TODAY": "2026-11-23"}
"""The date the yardsticks were rendered against (overdue reviews on internal pages)."""
STEP_TITLE = re.compile(r"Link to step ([0-9\\.]+)")
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n')

Node = tuple[Any, ...]
LAYOUT = {"article", "div", "details", "ul", "ol", "table", "thead", "tbody", "tr", "[document]"}
"""Elements whose white space between children is layout, not text."""


def _unpack(name: str, folder: Path) -> Path:
    with tarfile.open(YARDSTICKS / f"{name}.tar.xz") as archive:
        archive.extractall(folder, filter="data")
    return folder


def _fixed(name: str, value: str) -> str:
    """The one difference made on purpose: the Markdown templates escaped the step
    number of a step link's tooltip for Markdown inside raw HTML ('Link to step 2\\.1')."""
    if name == "title":
        return STEP_TITLE.sub(lambda m: "Link to step " + m[1].replace("\\", ""), value)
    return value


def content(page: Path) -> list[Node]:
    """The page's article (the whole of a redirect page) as a flat list of elements and
    words."""
    # A difference on purpose: the yardsticks' redirect pages predate the policy (csp.py).
    text = POLICY.sub("", page.read_text(encoding="utf-8"))
    soup = BeautifulSoup(text, "html.parser")
    article = soup.find("article") or soup
    nodes: list[Node] = []
    for node in article.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            words = " ".join(str(node).split())
            if words or (str(node) and node.parent is not None
                         and node.parent.name not in LAYOUT):
                nodes.append(("text", words or " "))  # a space between words counts
        elif isinstance(node, Tag):
            attrs = {key: _fixed(key, " ".join(v) if isinstance(v, list) else v)
                     for key, v in node.attrs.items()}
            nodes.append(("element", node.name, tuple(sorted(attrs.items()))))
    return nodes


def search_entries(site: Path) -> dict[str, tuple[str, str]]:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return {doc["location"]: (" ".join(doc["title"].split()), " ".join(doc["text"].split()))
            for doc in index["docs"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Build, Build]]:
    """(yardstick, audience) -> (plain MkDocs on the old export, the plugin on the playbook)."""
    results = {}
    for name, audience in CASES:
        folder = _unpack(name, tmp_path_factory.mktemp(f"{name}-{audience}"))
        before = run_build(folder / audience, env=TODAY)
        after = run_build(folder, env={**TODAY, "PLAYBOOK_AUDIENCE": audience})
        assert before.returncode == 0, before.output
        assert after.returncode == 0, after.output
        results[(name, audience)] = (before, after)
    return results


@pytest.mark.parametrize(("name", "audience"), CASES)
def test_pages_match_the_markdown_templates(built: dict[tuple[str, str], tuple[Build, Build]],
                                            name: str, audience: str) -> None:
    before, after = built[(name, audience)]
    pages = sorted(path.relative_to(before.site) for path in before.site.rglob("*.html"))
    assert len(pages) > 5 and any(str(page).startswith("roles/") for page in pages)
    assert sorted(path.relative_to(after.site) for path in after.site.rglob("*.html")) == pages
    differ = [str(page) for page in pages
              if content(before.site / page) != content(after.site / page)]
    assert not differ, f"{len(differ)} of {len(pages)} pages differ: {differ[:5]}"


@pytest.mark.parametrize(("name", "audience"), CASES)
def test_search_finds_the_same_text(built: dict[tuple[str, str], tuple[Build, Build]],
                                    name: str, audience: str) -> None:
    before, after = built[(name, audience)]
    assert search_entries(after.site) == search_entries(before.site)
