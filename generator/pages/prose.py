"""The Markdown a text field may hold, written out: as the site's Markdown with every
other character escaped, as finished HTML for the pages written as HTML, or as plain text
for calendars and briefs; so HTML, headings and images in text stay text. The parsing
and the judging of links are the model's (generator/model/prose.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup

from ..model.prose import site_target, tokens
from .markup import html_text, md_text

if TYPE_CHECKING:
    from markdown_it.token import Token

_CODE_ESCAPE = re.compile(r"[^A-Za-z0-9 ]")


Resolve = Callable[[str, str], str]
"""(path of a page or file in the site, anchor) -> the link target as seen from the page."""


def to_markdown(text: str, resolve: Resolve) -> Markup:
    """One line of the site's Markdown: the subset kept, everything else escaped."""
    out: list[str] = []
    pieces = tokens(text)
    for n, token in enumerate(pieces):
        kind = token.type
        if kind == "text":
            content = token.content
            following = pieces[n + 1] if n + 1 < len(pieces) else None
            if following is not None and following.type == "link_open" and content.endswith("!"):
                content = content[:-1] + "\\!"  # never the start of a Markdown image
            out.append(md_text(content) if content.strip() else content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "code_inline":
            escaped = _CODE_ESCAPE.sub(lambda m: f"&#{ord(m[0])};", token.content)
            out.append(f"<code>{escaped}</code>")  # entities: no Markdown or table syntax
        elif kind in ("em_open", "em_close"):
            out.append("*")
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind == "link_open":
            out.append("[")
        elif kind == "link_close":
            out.append(f"]({markdown_target(_href(pieces, n), resolve)})")
    return Markup("".join(out))


def to_html(text: str, resolve: Resolve) -> Markup:
    """The same text as finished HTML, for the parts of a page that Markdown passes
    through untouched: what Python-Markdown makes of `to_markdown`'s output."""
    out: list[str] = []
    pieces = tokens(text)
    for n, token in enumerate(pieces):
        kind = token.type
        if kind == "text":  # white space alone between two pieces is kept, as one space
            out.append(html_text(token.content) if token.content.strip()
                       else " " * bool(token.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "code_inline":
            out.append(f"<code>{_CODE_ESCAPE.sub(lambda m: f'&#{ord(m[0])};', token.content)}"
                       "</code>")
        elif kind in _HTML_TAGS:
            out.append(_HTML_TAGS[kind])
        elif kind == "link_open":
            target = html.escape(str(link_target(_href(pieces, _close(pieces, n)), resolve)))
            out.append(f'<a href="{target}">')
        elif kind == "link_close":
            out.append("</a>")
    return Markup("".join(out))


_HTML_TAGS = {"em_open": "<em>", "em_close": "</em>",
              "strong_open": "<strong>", "strong_close": "</strong>"}


def _close(pieces: tuple[Token, ...], opening: int) -> int:
    """The link_close that ends the link opened at `opening` (links do not nest)."""
    return next(n for n in range(opening, len(pieces)) if pieces[n].type == "link_close")


def to_plain(text: str, site: Callable[[str], str] = str) -> str:
    """Plain text for calendars and briefs: a link's text with its address in brackets;
    `site` turns an address on the site ('/roles/ppc/') into one that works elsewhere."""
    out: list[str] = []
    pieces = tokens(text)
    for n, token in enumerate(pieces):
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type == "softbreak":
            out.append(" ")
        elif token.type == "link_close":
            href, label = _href(pieces, n), _label(pieces, n)
            if href != label:
                out.append(f" ({site(href) if site_target(href) else href})")
    return "".join(out)


def _href(pieces: tuple[Token, ...], close: int) -> str:
    opening = next(t for t in reversed(pieces[:close]) if t.type == "link_open")
    return str(opening.attrs.get("href", ""))


def _label(pieces: tuple[Token, ...], close: int) -> str:
    start = max(n for n in range(close) if pieces[n].type == "link_open")
    return "".join(t.content for t in pieces[start + 1: close])


def link_target(href: str, resolve: Resolve) -> str:
    """Where a Markdown link to href points: site pages resolved, an address elsewhere
    percent-encoded (RFC 3986's characters only), so it can end neither a Markdown link
    nor an HTML attribute."""
    inside = site_target(href)
    if inside is not None:
        return resolve(*inside)
    return quote(href, safe=_URL_SAFE)


def markdown_target(href: str, resolve: Resolve) -> str:
    """link_target as a Markdown link's target: Python-Markdown reads character references
    there ('&amp;' would become '&'), so '&' is written as one."""
    return str(link_target(href, resolve)).replace("&", "&amp;")


_URL_SAFE = "!#$%&*+,/:;=?@~"
"""What a link target keeps as written besides letters, digits and '-._': RFC 3986's
delimiters but the quote and the brackets, which would end a Markdown link or an
attribute. Everything else (white space, quotes, '<', '`', non-ASCII) is percent-encoded,
so the target is one token wherever it is written, whatever validation let through."""
