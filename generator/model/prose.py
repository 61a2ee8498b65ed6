"""The Markdown a text field may hold: links, bare web addresses, *emphasis*, **strong**
and `code`. Everything else stays text.

Real SOPs link to the report they export and the dashboard they check; owners write
those links the way every chat app and wiki taught them. markdown-it-py parses the
subset (CommonMark's rules for emphasis, code spans and escapes; linkify-it for bare
`https://` addresses). This module parses and judges it; generator/pages/prose.py writes
each piece back out. Links are judged here rather than by the parser's own filter: a
`javascript:` link is an error at its line, not a silently dropped link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported on first use: `playbook check` starts fast

    parser = MarkdownIt("zero", {"linkify": True}).enable(
        ["link", "linkify", "emphasis", "backticks", "escape"])
    assert parser.linkify is not None
    parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False})  # only https://... links
    parser.linkify.add("ftp:", None).add("//", None)  # bare web and mail addresses only
    # Judged by `problems` instead, so that a refused link is an error, not silent text.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """The inline pieces of one text (cached: a text is checked, then rendered)."""
    from markdown_it.token import Token

    if not any(c in text for c in "[*_`:\\"):
        return (Token("text", "", 0, content=text),)  # the usual case: nothing to parse
    parsed = _parser().parseInline(text)
    return tuple(parsed[0].children or ()) if parsed else ()


@dataclass(frozen=True)
class Link:
    href: str
    image: bool
    """Written as an image, `![text](address)`: images belong on a step's `image:`."""


def links(text: str) -> Iterator[Link]:
    pieces = tokens(text)
    for n, token in enumerate(pieces):
        if token.type == "link_open":
            before = pieces[n - 1] if n else None
            image = before is not None and before.type == "text" and before.content.endswith("!")
            yield Link(str(token.attrs.get("href", "")), image)


def problems(text: str) -> Iterator[str]:
    """What is wrong with the links of a text, in the words of an error message."""
    for link in links(text):
        if link.image:
            yield (f"images are not shown inside text ('![…]({link.href})'); put the picture on "
                   "a step of a procedure with 'image:' and 'alt:'")
            continue
        wrong = address_problem(link.href)
        if wrong:
            yield wrong


def address_problem(href: str) -> str | None:
    """Why an address cannot be linked to, or None: web, mail and phone addresses, and
    pages of the site by their address ('/roles/ppc/'), nothing that runs code.

    An address is one token: a space or line break in it would end the attribute or the
    raw HTML it is written into, so it is refused wherever it is, not trimmed."""
    bad = _bad_character(href)
    if bad is not None:
        return bad
    scheme = _SCHEME.match(href)
    if scheme and scheme[1].lower() not in SCHEMES:
        return (f"link to '{href}': '{scheme[1]}:' links are not allowed; link to an address "
                f"starting with {', '.join(s + ':' for s in SCHEMES)}")
    if "\\" in href:
        return (f"link to '{href}': a backslash is not part of an address; write '/' "
                "between its parts")
    if scheme:
        return _scheme_problem(href, scheme[1].lower(), href[scheme.end():])
    if href.startswith("//"):
        return (f"link to '{href}': an address starting with '//' leads to another host "
                f"without saying how; write it in full, such as 'https:{href}', or link to a "
                "page of this playbook as '/roles/ppc/'")
    if not href.startswith(("/", "#")):
        return (f"link to '{href}': link to a page of this playbook by its address on the "
                "site, starting with '/', such as '/roles/ppc/#weekly-bid-review'")
    return _site_problem(href)


_NAMES = {"\n": "a line break", "\r": "a line break", "\t": "a tab", " ": "a space",
          "\xa0": "a no-break space", "\u2028": "a line separator",
          "\u2029": "a paragraph separator", "\x0c": "a form feed"}
_SEGMENT = re.compile(r"[\w.~+-]+\Z")
_ANCHOR = re.compile(r"[\w.~:+-]+\Z")
"""A part of a page's address and an anchor, percent-decoded (markdown-it encodes what it
links to, so '%5C' would otherwise pass for a backslash)."""


def _bad_character(href: str) -> str | None:
    """The first space, line break, control or invisible character of an address, named:
    everything str.isprintable refuses (Unicode's 'Other' and 'Separator'), and the space."""
    if href.isprintable() and " " not in href:
        return None  # the usual case
    at = next(n for n, char in enumerate(href) if char == " " or not char.isprintable())
    char = href[at]
    name = _NAMES.get(char) or ("a control character" if unicodedata.category(char) == "Cc"
                                else f"an invisible character ({unicodedata.name(char, '?')})")
    shown = repr(href[:60] + ("…" if len(href) > 60 else ""))
    return (f"link to {shown}: the address holds {name} (U+{ord(char):04X}) after "
            f"{href[:at][-30:]!r}; an address is one word with no spaces or line breaks: "
            "delete it, or write a space that belongs in the address as %20")


def _scheme_problem(href: str, scheme: str, rest: str) -> str | None:
    """A web address names its host ('https://example.org/...'); a mail or phone address
    is not empty."""
    if rest in ("", "//"):
        return f"link to '{href}': the address is missing"
    if scheme not in ("http", "https"):
        return None
    if not rest.startswith("//"):
        return (f"link to '{href}': write a web address in full, with '//' and its host, "
                f"such as '{scheme}://{rest.lstrip('/')}'")
    host = rest[2:].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if not host.rsplit("@", 1)[-1]:
        return (f"link to '{href}': the host is missing; write it after '{scheme}://', "
                f"such as '{scheme}://example.org/'")
    return None


def _site_problem(href: str) -> str | None:
    """A page of the site ('/roles/ppc/', '/calendar/ppc.ics'), with an optional anchor:
    nothing the site does not build (a query), nothing that climbs ('..')."""
    path, hashed, anchor = href.partition("#")
    if "?" in path:
        query = path[path.index("?"):]
        return (f"link to '{href}': a page of this playbook takes no query ('{query}'); "
                "link to the page, or to a place on it with '#', such as "
                "'/roles/ppc/#skills'")
    if hashed and not anchor:
        return (f"link to '{href}': the anchor after '#' is missing; name a heading or step "
                "of the page, such as '#skills', or leave out the '#'")
    if hashed and not _ANCHOR.match(unquote(anchor)):
        return (f"link to '{href}': '#{anchor}' is not an anchor of a page; anchors are "
                "letters, digits and '-', such as '#weekly-bid-review'")
    parts = path.strip("/").split("/") if path.strip("/") else []
    for part in parts:
        if not part:
            return f"link to '{href}': write one '/' between the parts of a page's address"
        if unquote(part) in (".", "..") or not _SEGMENT.match(unquote(part)):
            return (f"link to '{href}': '{part}' cannot be part of a page's address; write the "
                    "page's address from the site's root, such as '/roles/ppc/'")
    return None


def site_target(href: str) -> tuple[str, str] | None:
    """'/roles/ppc/#bids' -> ('roles/ppc.md', 'bids'); '#bids' -> ('', 'bids'); None for
    an address outside the site. Files keep their name: '/calendar/ppc.ics'."""
    if not href.startswith(("/", "#")):
        return None
    path, _, anchor = href.partition("#")
    path = path.strip("/")
    if href.startswith("#"):
        return "", anchor
    if not path:
        return "index.md", anchor
    last = path.rsplit("/", 1)[-1]
    return (path if "." in last else path + ".md"), anchor
