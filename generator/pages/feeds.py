"""Atom feeds of the playbook's changes, and what a role page shows of its history.

One feed per role (`roles/<id>/changes.xml`) and one for the whole playbook
(`changes.xml`), so that a contractor can follow the SOPs they work from. The XML
is written with the standard library's ElementTree, which escapes every value but
writes a control character as it is, which no XML parser accepts: every text and
address is cleaned of what XML 1.0 cannot carry first (history.xml_text), so one odd
character in an old version cannot make a whole feed unreadable. The tests read the
feeds back with feedparser and ElementTree. Links are absolute where the site's
address (site_url) is known, relative to the feed otherwise.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from ..figures.history import PAGE_LIMIT, Change, History, xml_text
from .markup import absolute, page_url

ATOM = "http://www.w3.org/2005/Atom"
ROLE_FEED_LIMIT = 50
PLAYBOOK_FEED_LIMIT = 100
PLAYBOOK_FEED = "changes.xml"


def role_feed(rid: str) -> str:
    """Where a role's feed lives under docs/: next to its page, at /roles/<id>/changes.xml."""
    return f"roles/{rid}/changes.xml"


def feed_files(history: History, titles: dict[str, str], business: str, *,
               directory_urls: bool, site_url: str | None) -> dict[str, Callable[[], bytes]]:
    """Every feed to write, by its path under docs/ (made when MkDocs asks for it)."""
    files: dict[str, Callable[[], bytes]] = {}
    for rid in titles:
        if history.of(rid):
            files[role_feed(rid)] = _maker(
                role_feed(rid), f"{titles[rid]}: changes",
                [(rid, c) for c in history.of(rid)[:ROLE_FEED_LIMIT]],
                titles, directory_urls, site_url)
    if history.roles:
        files[PLAYBOOK_FEED] = _maker(
            PLAYBOOK_FEED, f"{business}: changes to the playbook",
            history.latest(PLAYBOOK_FEED_LIMIT), titles, directory_urls, site_url)
    return files


def _maker(path: str, title: str, entries: list[tuple[str, Change]], titles: dict[str, str],
           directory_urls: bool, site_url: str | None) -> Callable[[], bytes]:
    return lambda: atom(path, title, entries, titles, directory_urls=directory_urls,
                        site_url=site_url)


def atom(path: str, title: str, entries: list[tuple[str, Change]], titles: dict[str, str], *,
         directory_urls: bool, site_url: str | None) -> bytes:
    """One Atom 1.0 document: the feed at path, its entries newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", _id(path))
    _text(feed, "updated", entries[0][1].when.isoformat())
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", title.split(":")[0])
    _text(feed, "generator", "outsourcing playbook")
    if site_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                      href=xml_text(absolute(site_url, path)))
    for rid, change in entries:
        feed.append(_entry(path, rid, change, titles, directory_urls, site_url))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(path: str, rid: str, change: Change, titles: dict[str, str], directory_urls: bool,
           site_url: str | None) -> ET.Element:
    entry = ET.Element(f"{{{ATOM}}}entry")
    more = f" (and {len(change.lines) - 1} more)" if len(change.lines) > 1 else ""
    _text(entry, "title", f"{titles.get(rid, rid)}: {change.lines[0]}{more}")
    _text(entry, "id", _id(f"roles/{rid}/{change.commit}"))
    _text(entry, "updated", change.when.isoformat())
    page = page_url(f"roles/{rid}.md", directory_urls) + "#" + change.anchor
    href = absolute(site_url, page) if site_url else _relative(path, page)
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                  href=xml_text(href))
    items = "".join(f"<li>{_html(line)}</li>" for line in change.lines)
    _text(entry, "content", f"<ul>{items}</ul>").set("type", "html")
    return entry


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = xml_text(text)
    return element


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _id(path: str) -> str:
    """A permanent id that does not change when the site moves to another address."""
    return f"urn:x-outsourcing-playbook:{path}"


def _relative(feed: str, page: str) -> str:
    """page's URL as seen from the feed's (feed readers resolve it against the feed)."""
    target, _, anchor = page.partition("#")
    relative = posixpath.relpath(target or ".", posixpath.dirname(feed) or ".")
    if target.endswith("/"):
        relative += "/"
    return relative + (f"#{anchor}" if anchor else "")


def role_history(history: History | None, rid: str, link: Callable[[str], Any]
                 ) -> dict[str, Any]:
    """What role.md shows: the newest changes, the date of the last, the feeds' links."""
    if history is None or not history.available or not history.of(rid):
        return {"changes": [], "more_changes": False, "last_changed": None, "changed_at": {}}
    changes = history.of(rid)
    shown = changes[:PAGE_LIMIT]
    changed_at = {pid: change.anchor for change in reversed(shown) for pid in change.procedures}
    return {"changes": shown, "more_changes": len(changes) > PAGE_LIMIT,
            "last_changed": changes[0].when.date().isoformat(), "changed_at": changed_at,
            "role_feed": link(role_feed(rid)), "all_feed": link(PLAYBOOK_FEED)}
