"""Pages that keep old links alive: a renamed role lists its old ids under `aliases:`.

Each alias gets a tiny HTML page at its old address that sends the reader on to
the role's page (keeping any `#procedure` anchor). It works on any static host,
needs no server configuration and no extra plugin, and search engines are told
the new address is canonical.
"""

from __future__ import annotations

from markupsafe import escape

from ..model.playbook import Playbook, alias_path
from .csp import meta, policy, source_hash
from .markup import relative_url

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
{policy}
<title>Moved: {title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{href}">
<meta http-equiv="refresh" content="0; url={href}">
<script>{script}</script>
</head>
<body>
<p>This page has moved to <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


def redirects(playbook: Playbook, *, directory_urls: bool = True) -> dict[str, str]:
    """{file path under the site: HTML} for every alias of every role."""
    pages = {}
    for rid, role in sorted(playbook.roles.items()):
        for alias in role.aliases:
            source = alias_path(alias) + ".md"
            href = relative_url(source, f"roles/{rid}.md", directory_urls)
            file = (source[:-3] + "/index.html") if directory_urls else source[:-3] + ".html"
            script = f"location.replace({_js_string(href)} + location.hash);"
            pages[file] = TEMPLATE.format(title=escape(role.title), href=escape(href),
                                          script=script, policy=meta(policy([source_hash(
                                              script)])))
    return pages


def _js_string(text: str) -> str:
    """A JavaScript string literal that cannot close the script element."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\x3c") + '"'
