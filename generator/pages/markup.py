"""Escaping and linking for generated Markdown.

Every value from YAML is text, never markup: a role title with `<script>`,
`](`, `{#id}` or `<!--` must show as typed and must not break the page. The
Markdown environment escapes every printed value by default (`finalize`), so a
template cannot forget; fragments we build ourselves are `Markup` and pass
through untouched.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import quote

from markupsafe import Markup

# The characters Python-Markdown (with the tables extension) accepts after a backslash;
# escaping any other character would leave a visible backslash. `<`, `>` and `&` become
# HTML entities instead, which Markdown leaves alone.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
BLANK_LINES = re.compile(r"\n\s*\n")
# Block syntax of the site's extensions that no backslash escapes: `???` opens a collapsible
# block (pymdownx.details), `~~~` a code fence (pymdownx.superfences). Only the start of a
# line opens one, so a character reference there keeps the text plain.
_BLOCK_START = re.compile(r"\A(\s*)([?~])")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def md_text(value: object) -> str:
    """One line of plain text, safe inside a Markdown paragraph, list item or table cell.

    Runs of white space (new lines included) fold to one space, kept at the ends so
    that separators such as ", " survive.
    """
    escaped = html.escape(_MD_SPECIAL.sub(r"\\\1", _fold(value)), quote=False)
    return _BLOCK_START.sub(lambda m: f"{m[1]}&#{ord(m[2])};", escaped)


def html_text(value: object) -> str:
    """One line of plain text as HTML, white space folded as `md_text` folds it: what
    Python-Markdown makes of `md_text`'s output, for pages written as finished HTML."""
    return html.escape(_fold(value), quote=False)


def _fold(value: object) -> str:
    raw = str(value)
    text = " ".join(raw.split())
    if text and raw[:1].isspace():
        text = " " + text
    if text and raw[-1:].isspace():
        text += " "
    return text


# The characters a line parser may split at: Python-Markdown splits at LF after turning CR
# and CRLF into LF; str.splitlines, which an extension may use, splits at the rest too. NEL
# (U+0085) is left as it is: nothing on the way splits at it, and HTML reads '&#133;' as '…'.
_LINE_BREAKS = re.compile("\r\n?|[\n\x0b\x0c\x1c-\x1e\u2028\u2029]")


def _references(match: re.Match[str]) -> str:
    return "&#10;" if match[0][0] in "\r\n" else f"&#{ord(match[0])};"


def flat(markup: Markup) -> Markup:
    """Markup on one line: its line breaks as character references, which HTML reads as the
    same characters (between elements too) and Markdown does not read at all."""
    return Markup(_LINE_BREAKS.sub(_references, markup)) if _LINE_BREAKS.search(markup) \
        else markup


class Blocks(Markup):
    """Markdown paragraphs we joined with blank lines, each of them one line (`flat`): the
    only markup whose line breaks a template writes as they are."""

    __slots__ = ()


def one_line(value: object) -> object:
    """Jinja's hook for the HTML templates: white space in plain text folds to one space, and
    markup keeps its line breaks only as character references. Raw HTML inside Markdown
    ends at a blank line, and a line of it that starts with block syntax ('~~~') is read as
    Markdown: whatever a value holds, every line of the page starts with template text."""
    if isinstance(value, Markup):
        return flat(value)
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def finalize(value: object) -> object:
    """Jinja's hook for every `{{ }}`: escape unless the value is already markup; markup
    stays on one line (`flat`) unless it is paragraphs we made (`Blocks`)."""
    if isinstance(value, Markup):
        return value if isinstance(value, Blocks) else flat(value)
    if value is None:
        return ""
    if isinstance(value, str) and _SLUG.match(value):
        return value  # ids, anchors and class names: nothing in them is Markdown syntax
    return md_text(value)


def page_url(path: str, directory_urls: bool) -> str:
    """'roles/ppc.md' -> 'roles/ppc/' (or 'roles/ppc.html'); 'index.md' -> ''."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def role_url(rid: str, directory_urls: bool) -> str:
    """A role's page: 'roles/ppc/' (or 'roles/ppc.html')."""
    return page_url(f"roles/{rid}.md", directory_urls)


def absolute(site_url: str, path: str) -> str:
    """A site path as a full address: 'https://example.org/playbook/' + 'roles/ppc/'."""
    return site_url.rstrip("/") + "/" + path


def md_link(from_path: str, to_path: str, anchor: str = "") -> Markup:
    """Relative link between two .md files, which MkDocs checks and rewrites in Markdown
    (and page_links.py, for MkDocs, in a generated page's HTML). Percent-encoded before it
    is marked safe: a picture's file is named by the playbook, and the link is written
    into Markdown targets and HTML attributes alike."""
    target = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    return Markup(quote(target) + (f"#{quote(anchor)}" if anchor else ""))


def relative_url(from_page: str, to_page: str, directory_urls: bool) -> str:
    """URL of to_page as seen from from_page (both .md paths), for raw HTML, where MkDocs
    does not rewrite links: 'roles/ppc.md' -> 'org-chart.md' is '../../org-chart/'."""
    here, there = page_url(from_page, directory_urls), page_url(to_page, directory_urls)
    base = here.rstrip("/") if directory_urls else posixpath.dirname(here)
    target = posixpath.relpath(there.rstrip("/") or ".", base or ".")
    return target + "/" if directory_urls else target


def checkbox(anchor: str) -> Markup:
    """A checklist box named after its step's text (the element `<anchor>-text`), in the
    markup pymdownx.tasklist gives `[ ]`. The page carries it as written, so every engine
    builds the same box; the tasklist's own box would be unnamed for screen readers, and
    only a plugin could name it after the page is converted."""
    return Markup('<label class="task-list-control"><input type="checkbox" aria-labelledby="'
                  f'{html.escape(anchor)}-text"/><span class="task-list-indicator"></span>'
                  "</label> ")
