"""Links in the finished HTML of generated pages, resolved for MkDocs as it resolves links
written in Markdown.

The role pages are mostly HTML that Markdown passes through (see role.md), and links in
that HTML are written as their Markdown would be: relative to the source file
('../marketing.md#weekly', '../media/shot.png'). Zensical resolves such links in HTML
itself; MkDocs and ProperDocs leave raw HTML as written. This module is their half:
the plugin calls it for each page, and `playbook render` copies it into the export as a
MkDocs hook (named in the export's mkdocs.yml), so the export needs nothing installed.
That is why it imports nothing from this package, and nothing from MkDocs: it is handed
MkDocs' own page and files and uses only their public attributes.

Only pages the playbook generated are touched (their front matter says so): a
hand-written page's raw HTML is the author's, written for the page's address.
"""

from __future__ import annotations

import logging
import posixpath
import re
from typing import Any
from urllib.parse import unquote

_HANDOUT = re.compile(r"[a-z0-9][a-z0-9-]*\.pdf")
"""A role's PDF, beside its page (named by the role's id)."""
MARKER = "playbook_generated"
"""The front-matter key that marks a generated page."""
_TAG = re.compile(r"<(?:a|img)\s[^>]*>")
"""A link or picture's opening tag: text in a generated page never holds a raw '<' (it is
escaped), so only the page's own HTML matches."""
_LINK = re.compile(r'(?P<attr>\s(?:href|src))="(?P<path>[^"#?:]*?)(?P<rest>[#?][^"]*)?"')


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Each link in the HTML of a generated page's source, turned into the address MkDocs
    gives the same link written in Markdown; a link to a missing file is a warning, which
    fails a `--strict` build as MkDocs' own link check does. A role's PDF is left as
    written: the plugin prints it beside its page after the build. Anchors are not
    checked here: those into role pages are checked in the playbook (links.py). Before
    conversion, links in the page's Markdown are still Markdown, which MkDocs resolves
    itself."""
    if not page.meta.get(MARKER):
        return markdown
    folder = posixpath.dirname(page.file.src_uri)

    def resolve(match: re.Match[str]) -> str:
        path = match["path"]
        if not path or path.startswith("/"):
            return match[0]  # an anchor on this page, or an absolute address
        target = files.get_file_from_path(posixpath.normpath(posixpath.join(folder,
                                                                            unquote(path))))
        if target is None and _HANDOUT.fullmatch(path):
            return match[0]  # printed after the build, beside the page (the plugin's pdf)
        if target is None:
            _log(page).warning(f"Doc file '{page.file.src_uri}' contains a link to '{path}', "
                               "which is not found among the documentation files.")
            return match[0]
        return f'{match["attr"]}="{target.url_relative_to(page.file)}{match["rest"] or ""}"'

    return _TAG.sub(lambda tag: _LINK.sub(resolve, tag[0]), markdown)


def _log(page: Any) -> logging.Logger:
    """The engine's own logger ('mkdocs', or 'properdocs', which renames it), whose
    warnings a strict build counts."""
    engine = type(page).__module__.split(".", 1)[0]
    return logging.getLogger(f"{engine}.plugins.playbook.links")
