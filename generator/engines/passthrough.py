"""The plugin's shortcut: a role page's finished HTML goes around Markdown, not through it.

Markdown leaves raw HTML as it is, but reads every tag of it to find where it ends,
twice over (Python-Markdown's block parser, and MkDocs collecting anchors for its link
check): at 1,000 roles that was a third of the build once the pages were HTML. Each
block of HTML in a generated page (role.md and org-chart.md keep to this: a block
starts with '<' at the start of a line, ends at a blank line and holds no Markdown) is
swapped for an HTML comment before conversion and put back after it. The ids it holds
are handed to MkDocs' anchor check, which would otherwise not see them.

The export takes none of this: engines there read the HTML as they read any page, more
slowly, to the same result. This module imports nothing from MkDocs; the plugin hands it
MkDocs' page.
"""

from __future__ import annotations

import re
from typing import Any

from ..pages.page_links import MARKER

_PLACEHOLDER = re.compile(r"<!--playbook:(\d+)-->")
_ID = re.compile(r'\sid="([^"]+)"')


class Passthrough:
    """The blocks taken out of the pages being converted, by page."""

    def __init__(self) -> None:
        self.blocks: dict[str, list[str]] = {}

    def hide(self, markdown: str, page: Any) -> str:
        """The page's Markdown with each block of HTML replaced by a placeholder."""
        if not page.meta.get(MARKER):
            return markdown
        blocks: list[str] = []
        chunks = markdown.split("\n\n")
        for n, chunk in enumerate(chunks):
            if chunk.startswith("<"):
                chunks[n] = f"<!--playbook:{len(blocks)}-->"
                blocks.append(chunk)
        self.blocks[page.file.src_uri] = blocks
        return "\n\n".join(chunks)

    def restore(self, html: str, page: Any) -> str:
        """The converted page with its blocks back; their ids join the page's anchors."""
        blocks = self.blocks.pop(page.file.src_uri, None)
        if blocks is None:
            return html
        if page.present_anchor_ids is not None:  # a new set: the old may be cached
            page.present_anchor_ids = page.present_anchor_ids | set(
                _ID.findall("".join(blocks)))
        return _PLACEHOLDER.sub(lambda match: blocks[int(match[1])], html)
