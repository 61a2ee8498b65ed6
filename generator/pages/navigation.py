"""The site's navigation when mkdocs.yml does not set one.

Every page renders the whole nav, so its size decides whether a big playbook
builds in seconds or minutes. Up to FULL_NAV_LIMIT roles, each department is a
section listing its roles; above it, only the department pages are listed and
the other roles are reached through the org chart and the department pages. Above
FULL_NAV_LIMIT departments (roles without a parent) none is listed: a nav that grows with
the playbook, on every page, makes the site grow with the playbook's square.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..figures.analysis import Analysis
from ..model.playbook import Playbook

FULL_NAV_LIMIT = 100


INTERNAL_NAV = [{"What to outsource next": "plan.md"}, {"People and load": "people.md"},
                {"Cadence of the work": "cadence.md"}]


def default_nav(playbook: Playbook, analysis: Analysis, docs_dir: Path, *,
                internal: bool = False) -> list[Any]:
    nav: list[Any] = [{"Home": "index.md"}, {"Org chart": "org-chart.md"}]
    if internal:
        nav.append({"Planning": INTERNAL_NAV})
    full = len(analysis.roles) <= FULL_NAV_LIMIT
    departments: dict[str, list[str]] = {}
    for rid, figures in analysis.roles.items():
        departments.setdefault(figures.department, []).append(f"roles/{rid}.md")
    roots = analysis.roots if len(analysis.roots) <= FULL_NAV_LIMIT else ()
    for root in roots:
        pages = departments[root]
        # Section titles reach the theme's HTML unescaped, so escape them here.
        title = html.escape(playbook.roles[root].title)
        nav.append({title: pages} if full and len(pages) > 1 else pages[0])
    nav.extend(_hand_written(docs_dir))
    return nav


def _hand_written(docs_dir: Path) -> list[str]:
    if not docs_dir.is_dir():
        return []
    found = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    return [path for path in found if not path.startswith(("roles/", "index.md"))]
