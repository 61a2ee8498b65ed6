"""What the generated pages need from a MkDocs configuration, as plain data.

The pages use admonitions, attribute lists, HTML blocks with Markdown inside, tables,
collapsible blocks and task lists. A `mkdocs.yml` as a MkDocs user first writes it
(`site_name`, `theme: material`, `plugins: [search, playbook]`) enables none of them,
and the pages would come out as raw Markdown, so the plugin adds what is missing.
Kept free of MkDocs imports: the plugin applies it, tests read it.
"""

from __future__ import annotations

from typing import Any

CDN_THEMES = ("mkdocs", "readthedocs")
"""MkDocs' own themes, which load highlight.js from cdnjs.cloudflare.com unless
`highlightjs: false`: no request may leave the site (and the pages' policy would block it)."""
EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True},
}
"""Every Markdown extension the generated pages use, with the settings they look best in."""


def missing_extensions(enabled: list[str], configs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The extensions to add: those not enabled at all, with their settings. An extension
    the user enabled keeps the user's settings (MkDocs enables toc and tables always, with
    no settings: toc then gets its permalinks, unless the user gave toc settings)."""
    added = {name: dict(settings) for name, settings in EXTENSIONS.items()
             if name not in enabled}
    if "toc" in enabled and "toc" not in configs:
        added["toc"] = dict(EXTENSIONS["toc"])
    return added


PLACEHOLDER = "<!-- playbook: the playbook plugin replaces this page with the generated one -->"
"""The first line of a hand-written `docs/index.md` that stands in for the generated home
page. An engine that does not run the plugin (Zensical) builds it instead, so a plugin
project built there shows how to build it rather than an empty site; the plugin and
`playbook render` put the generated home page in its place."""


def is_placeholder(text: str | bytes) -> bool:
    """Whether a hand-written page is the stand-in for a generated one (PLACEHOLDER)."""
    head = text[:200].decode("utf-8", "replace") if isinstance(text, bytes) else text[:200]
    return head.lstrip("\ufeff \t\r\n").startswith(PLACEHOLDER)
