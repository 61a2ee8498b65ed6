"""The Content-Security-Policy written into every page: a second wall behind escaping.

Escaping keeps playbook text from becoming markup; if a hole ever lets some through,
the policy still keeps an injected script, handler or `javascript:` address from
running and keeps the page from loading anything from another host. Scripts run only
from the site's own files, plus the theme's own inline scripts, each allowed by the
SHA-256 hash of its text. The theme writes those around the page's content, and their
text depends on the page's depth, so each page gets the hashes of its own frame; no
script of the content is ever hashed, or an injected one would be allowed.

A `<meta>` policy cannot carry `frame-ancestors`, `report-to` or `sandbox`: hosts that
can send headers add `Content-Security-Policy: frame-ancestors 'none'` (docs/guide.md).
Pure string work, free of MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from html import escape
from html.parser import HTMLParser

BASE: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    # Inline style attributes are what Python-Markdown's tables write for aligned columns
    # and what the planning charts' bars are drawn with; `<style>` elements stay refused
    # where a browser knows the -elem/-attr split, and the older fall back to style-src.
    "style-src": ("'self'", "'unsafe-inline'"),
    "style-src-elem": ("'self'",),
    "style-src-attr": ("'unsafe-inline'",),
    # Material draws its icons from data: SVGs in its stylesheet.
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),  # the search index
    "worker-src": ("'self'",),  # the search worker
    "media-src": ("'self'",),
    "object-src": ("'none'",),
    "frame-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}
"""Every directive the policy writes, with its sources before any page's hashes."""
RUNS = re.compile(r"(?:(?:text|application)/(?:x-)?(?:java|ecma)script|module|importmap)?",
                  re.IGNORECASE)
"""The `type` of a script element that a browser runs (empty: classic JavaScript)."""
SOURCE = re.compile(r"[^\s;,'\"]+|'[a-z0-9+/=-]+'", re.IGNORECASE)
"""One source expression: a host, scheme or keyword; never a separator, so that an extra
source cannot end its directive or add one."""

HEAD = [re.compile(rf"<{tag}[^>]*>", re.IGNORECASE)
        for tag in (r"head(?=[\s>])", r"html(?=[\s>])", "!doctype")]
"""Where the policy goes, the first found: first in the head, or where the browser starts
one itself (a policy in the body is ignored, and one before the doctype would change how
the page is laid out)."""
SCRIPT_START = re.compile(r"<script(?=[\s/>])", re.IGNORECASE)
SCRIPT_END = re.compile(r"</script(?=[\s/>])[^>]*>?", re.IGNORECASE)
"""Where a script element starts, and the end tag that ends its text (HTML's script data
state ends at `</script` and white space, `/` or `>`)."""


class PolicyError(ValueError):
    """An extra source that a policy cannot carry."""


class _Scripts(HTMLParser):
    """The text of each inline script element that a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        values = dict(attrs)
        runs = RUNS.fullmatch((values.get("type") or "").strip())
        self._open = [] if runs and "src" not in values else None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.found.append("".join(self._open))
            self._open = None


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in html, as a browser hashes it: script text is
    taken as it stands, after any CR LF or lone CR is read as LF. Only each script element
    goes through the parser (from its start tag to the end tag that closes it, as the
    browser finds that), so a page costs a scan for `<script`, not a parse."""
    if "\r" in html:
        html = html.replace("\r\n", "\n").replace("\r", "\n")
    found: list[str] = []
    stop = 0
    for start in SCRIPT_START.finditer(html):
        if start.start() < stop:
            continue  # inside the last script's text: no element of its own
        end = SCRIPT_END.search(html, start.end())
        stop = len(html) if end is None else end.end()
        parser = _Scripts()
        parser.feed(html[start.start():stop])
        parser.close()
        found += parser.found
    return found


def source_hash(script: str) -> str:
    """The source expression that allows one inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def frame_hashes(output: str, content: str) -> list[str] | None:
    """The hashes of the theme's inline scripts on a page: those of the page with its
    content cut out, but any whose text is also a script in the content. Cutting the
    content out first keeps a script left open in it from swallowing the frame after it
    into a text that would then be hashed. None: the content is not in the page as it
    was converted (another plugin changed it), so no script can be told to be the
    theme's."""
    at = output.find(content) if content else 0
    if at < 0:
        return None
    frame = output[:at] + output[at + len(content):]
    own = set(inline_scripts(content)) if content else set()
    return sorted({source_hash(script) for script in inline_scripts(frame)
                   if script not in own})


def check_extra(extra: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Extra sources by directive, as the plugin's `csp_sources` option gives them."""
    checked = {}
    for directive, sources in extra.items():
        if directive not in BASE:
            raise PolicyError(f"csp_sources: unknown directive '{directive}'; expected one "
                              f"of {', '.join(BASE)}")
        items = tuple(sources)
        for source in items:
            if not SOURCE.fullmatch(source):
                raise PolicyError(f"csp_sources: {directive}: '{source}' is not one source "
                                  "(no spaces, ';' or ','; keywords and hashes in single "
                                  "quotes)")
        checked[directive] = items
    return checked


def policy(hashes: Iterable[str] = (),
           extra: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The policy's text: BASE, the extra sources, and the hashes in script-src."""
    directives = {name: list(sources) for name, sources in BASE.items()}
    for name, added in (extra or {}).items():
        directives[name] += [s for s in added if s not in directives[name]]
    directives["script-src"] += list(hashes)
    for listed in directives.values():
        if len(listed) > 1 and "'none'" in listed:
            listed.remove("'none'")  # 'none' beside a source is ignored, with a warning
    return "; ".join(f"{name} {' '.join(listed)}" for name, listed in directives.items())


def meta(text: str) -> str:
    """The `<meta>` element that carries a policy."""
    content = escape(text, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def protect(output: str, hashes: Iterable[str],
            extra: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The page with its policy first in its head, before anything it governs."""
    tag = meta(policy(hashes, extra))
    found = next((match for tag in HEAD if (match := tag.search(output))), None)
    at = found.end() if found else 0
    return output[:at] + "\n" + tag + output[at:]


def allow_script(output: str, script: str) -> str:
    """The page with one more inline script allowed by its policy, if it has one: for a
    script a server adds to every page it serves (`playbook serve`'s live reload)."""
    start = output.find('<meta http-equiv="Content-Security-Policy" content="')
    if start < 0:
        return output
    at = output.find("script-src ", start)
    if at < 0:
        return output
    at += len("script-src ")
    return output[:at] + source_hash(script) + " " + output[at:]
