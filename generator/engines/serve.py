"""`playbook serve`: a live preview that renders each page when it is asked for.

`mkdocs serve` rebuilds the whole site on every change: at 1,000 roles an edit takes
tens of seconds to show (bench/RESULTS.md), because every page is converted again, indexed
for search again and put through the theme again, changed or not. This server loads
the MkDocs configuration once and keeps the current state of the sources instead (the
checked playbook, the files and the nav), and renders a page only when a browser asks
for it, with the MkDocs and plugin events a build runs, so the page is the one `mkdocs
build` writes. What does not change from one edit to the next is not redone:

- Markdown is converted once per page source: the conversion is cached by the page's
  Markdown (and by the site's list of files, which links resolve against), so after an
  edit only the pages whose source changed are converted again, when they are asked for;
- a page's HTML is cached until the next edit (its nav holds other pages' titles, so
  any edit may change it; putting it through the theme takes milliseconds);
- the search index is made when it is asked for, from the cached conversions, with
  each page's entries cached by its content.

A page is always rendered from the newest state, so no page can be stale: the nav, the
org chart, a department's page and every page that links to a renamed role show the new
title as soon as the edit is checked. Each served page polls the server for the number
of the state it was made from and reloads when it changes. A playbook error is printed
as `file:line:col` and the last good state keeps being served.

The edits are noticed by polling (see watch.py), in a thread of their own; the requests
are answered by the standard library's threaded HTTP server. MkDocs' objects are not
made for threads, so all rendering happens under one lock. An edit's check parses only
the files whose text changed (loader.Parsed). The garbage of a replaced state is
collected once no request came for a moment, and what survives is frozen out of the
collector's way (memory.py), as a build freezes its checked playbook; each
edit unfreezes everything first, so no earlier state stays frozen across reloads.

The preview is for this machine. A request is answered only when its Host header names
the address served (Hosts): a web page whose name an attacker points at 127.0.0.1 (DNS
rebinding) would otherwise read the preview as its own origin. The internal audience
(private notes, rates, planning pages) is served beyond the loopback address only with
--expose-internal, which says what it exposes to whom.
"""

from __future__ import annotations

import contextlib
import copy
import html
import ipaddress
import logging
import mimetypes
import posixpath
import signal
import socket
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from ..files.loader import Parsed
from ..pages.csp import allow_script
from ..runtime import memory
from ..runtime.watch import POLL_SECONDS, SETTLE_SECONDS, changes, snapshot
from . import mkdocs_internals as internals
from .plugin import PlaybookPlugin, asked_audience

log = logging.getLogger("mkdocs.playbook.serve")

LIVE = ".playbook/generation"
"""The address, under the site's root, that served pages poll for the state's number."""
LIVE_WAIT_SECONDS = 20.0
"""How long a poll waits for a change before it answers with the same number."""
LIVE_SCRIPT = """<script>
(function () {{
  var known = "{token}", url = "{url}";
  function poll() {{
    fetch(url + "?known=" + encodeURIComponent(known), {{cache: "no-store"}})
      .then(function (response) {{ return response.text(); }})
      .then(function (token) {{
        if (token && token !== known) {{ location.reload(); }} else {{ poll(); }}
      }})
      .catch(function () {{ setTimeout(poll, 1000); }});
  }}
  poll();
}})();
</script>"""
"""Reloads the page when the server's state changes; a long poll, so the reload follows
the edit at once, and nothing but this server is asked."""
SEARCH_INDEX = "search/search_index.json"
IDLE_SECONDS = 0.3
"""How long no request must have come before the garbage of earlier states is collected:
long enough for a reloading page's own requests (its styles, scripts, search index) to
have come, short enough to be over before the next edit is saved."""
NAV_LOG = "mkdocs.structure.nav"
"""MkDocs' logger that lists the pages the nav leaves out (every role at 1,000 roles)."""
LOOPBACK = ("localhost", "127.0.0.1", "::1")
"""The names of this machine that every preview answers to."""
WILDCARDS = ("0.0.0.0", "::")
"""Addresses that bind every network the machine is on."""
INTERNAL = "internal"
"""The audience whose site holds private values (plugin.AUDIENCES)."""
EXPOSED = "the owner's private notes, rates and pay, the budget and the planning pages"
"""What the internal audience adds to the public site, in words for the user."""


class ServeError(Exception):
    """The preview cannot start: the configuration cannot be read, or the address is taken."""


@dataclass
class Converted:
    """What converting a page's Markdown gives, as `Page.render` leaves it on the page."""

    content: str
    toc: Any
    title: str | None
    anchors: set[str] | None


class Conversions:
    """Converted pages by (path, Markdown, files), the least recently used dropped first:
    an edit changes a few pages' sources, and the others are looked up, not converted."""

    def __init__(self) -> None:
        self._found: OrderedDict[tuple[str, str, int], Converted] = OrderedDict()
        self.limit = 256

    def get(self, key: tuple[str, str, int]) -> Converted | None:
        found = self._found.get(key)
        if found is not None:
            self._found.move_to_end(key)
        return found

    def put(self, key: tuple[str, str, int], value: Converted) -> None:
        self._found[key] = value
        while len(self._found) > self.limit:
            self._found.popitem(last=False)


@dataclass
class Generation:
    """One state of the sources and what has been made from it so far; replaced whole
    by the next edit, so nothing made from an older state is ever served."""

    number: int
    files: Files
    nav: Navigation
    by_dest: dict[str, File]
    files_key: int
    """Identifies the set of files and their addresses, which page links resolve against."""
    read: set[str] = field(default_factory=set)
    populated: set[str] = field(default_factory=set)
    html: dict[str, bytes] = field(default_factory=dict)
    search: bytes | None = None

    @cached_property
    def doc_files(self) -> list[File]:
        """The pages, drafts included as `mkdocs serve` includes them."""
        return list(self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve))


@dataclass
class Session:
    """mkdocs.yml as loaded once, with its plugins and theme; replaced when it changes."""

    config: MkDocsConfig
    env: Any
    user_nav: Any
    plugin: PlaybookPlugin | None
    mount: str
    theme_files: list[File]

    @property
    def watched(self) -> list[Path]:
        """What an edit may change: the playbook, the hand-written pages, mkdocs.yml and
        the folders mkdocs.yml asks to watch."""
        roots = [Path(self.config.docs_dir), *self.reloading]
        if self.plugin is not None:
            roots.append(self.plugin.root)
        roots += [Path(path) for path in self.config.watch]
        return roots

    @property
    def reloading(self) -> list[Path]:
        """The files whose change means loading the configuration again: mkdocs.yml and
        the theme's overrides."""
        found = [Path(self.config.config_file_path)] if self.config.config_file_path else []
        custom = self.config.theme.custom_dir
        return found + ([Path(custom)] if custom else [])


@dataclass
class Response:
    status: int
    body: bytes
    kind: str = "text/html; charset=utf-8"
    location: str | None = None


class Preview:
    """The state of the preview: the loaded configuration, the current generation and
    the caches that outlive generations. Thread-safe: every method that touches MkDocs
    takes `lock`."""

    def __init__(self, config_file: str | None, dev_addr: str | None, *,
                 expose_internal: bool = False) -> None:
        self.config_file = config_file
        self.dev_addr = dev_addr
        self.expose_internal = expose_internal
        self.bound: str | None = None
        """The host the server is bound to: a reloaded mkdocs.yml cannot move it."""
        self.lock = threading.RLock()
        self.changed = threading.Condition()
        self.session: Session | None = None
        self.generation: Generation | None = None
        self.number = 0
        self.problem = ""
        """Why the newest edit could not be shown (printed already), for the error page."""
        self.conversions = Conversions()
        self.entries: dict[tuple[str, str | None, str, str], list[Any]] = {}
        self.pending_reload = False
        """A changed mkdocs.yml could not be taken in yet: the next edit loads it again."""
        self.busy = 0
        """Page requests and reloads under way: the search index waits for them."""
        self._counting = threading.Lock()
        self._indexing = threading.Lock()
        self.garbage = False
        """Whether an earlier state may be left to collect (see collect)."""
        self.last_request = time.monotonic()
        self.token_prefix = f"{time.time_ns():x}"
        self._scratch = tempfile.TemporaryDirectory(prefix="playbook-serve-")

    # -- loading ---------------------------------------------------------------------

    def start(self, config: MkDocsConfig) -> None:
        """Set up the configuration read_config read, and check the playbook; a bad
        playbook is reported and waited for."""
        self.session = self._setup(config)
        self._refresh(configure=False)

    def read_config(self) -> MkDocsConfig:
        """mkdocs.yml, read and validated by MkDocs, with the address to serve at."""
        kwargs: dict[str, Any] = {"site_dir": self._scratch.name}
        if self.dev_addr:
            kwargs["dev_addr"] = self.dev_addr
        try:
            config = load_config(config_file=self.config_file, **kwargs)
        except (MkDocsException, OSError) as exc:
            raise ServeError(str(exc)) from None
        self.guard(config)
        return config

    def guard(self, config: MkDocsConfig) -> None:
        """Refuse the internal audience on an address other machines reach, unless the user
        said --expose-internal; checked on every load, as an edit of mkdocs.yml may switch
        the audience while the server runs."""
        host = self.bound or config.dev_addr.host
        source = _internal(config)
        if source and not _loopback(host) and not self.expose_internal:
            raise ServeError(
                f"the internal audience ({source}) shows {EXPOSED}; serving it at "
                f"{_host(host)}:{config.dev_addr.port} would show them to {_who(host)}. "
                "Serve it at 127.0.0.1 (the default), or add --expose-internal if everyone "
                "who can reach that address may read them")

    def _setup(self, config: MkDocsConfig) -> Session:
        """The plugins started and configured (the playbook checked), the theme loaded."""
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount = _mount_path(config.site_url)
        config.site_url = f"http://{_host(host)}:{port}{mount}"
        plugin = next((p for p in config.plugins.values() if isinstance(p, PlaybookPlugin)),
                      None)
        if plugin is not None:
            plugin.collect = False  # see Preview.collect
            plugin.parsed = Parsed()  # an edit's check parses only the files it changed
            plugin.make_ahead = False  # nothing is made before it is asked for
            plugin.serve_policy = True  # its policy allows LIVE_SCRIPT (_live_reload)
        user_nav = copy.deepcopy(config.nav)
        config = self._configure_all(config, plugin)
        env = config.theme.get_env()
        theme = Files([])
        theme.add_files_from_theme(env, config)
        return Session(config, env, user_nav, plugin, mount, list(theme))

    def _configure_all(self, config: MkDocsConfig, plugin: PlaybookPlugin | None
                       ) -> MkDocsConfig:
        """Every plugin's configuration step, in MkDocs' order (PluginCollection.on_config).
        A playbook with problems is reported and the other plugins are still set up, so
        that the edit that fixes it needs only our step again."""
        for method in config.plugins.events["config"]:
            try:
                config = method(config) or config
            except MkDocsException as exc:
                if plugin is None or getattr(method, "__self__", None) is not plugin:
                    raise ServeError(str(exc)) from None
                self.report(exc)
        return config

    def reload(self) -> None:
        """mkdocs.yml (or the theme's overrides) changed: load everything again. A file that
        does not load, or a new state whose playbook has problems, is reported and the last
        good state stays until the next edit, which tries the whole load again."""
        with self._busy():
            self.pending_reload = True
            try:
                session = self._setup(self.read_config())
            except ServeError as exc:
                self.report(exc)
                return
            failed = session.plugin is not None and session.plugin.playbook_failed
            if failed and self.generation is not None:
                session.config.plugins.on_shutdown()
                return
            with self.lock:
                old, self.session = self.session, session
                self.pending_reload = False
                self.conversions = Conversions()
                self.entries = {}
                self.generation = None
                self._refresh(configure=False)
            if old is not None:
                old.config.plugins.on_shutdown()

    def refresh(self) -> None:
        """A source changed: check the playbook again and take its files and nav."""
        with self._busy():
            self._refresh()

    def _refresh(self, configure: bool = True) -> None:
        """Take in the sources as they are now: check the playbook (with `configure`; after
        a load it was checked already), then gather the files and the nav. A playbook with
        problems is reported and the last good state stays."""
        session = self.session
        assert session is not None
        with self.lock:
            memory.release()  # what collect() froze may be garbage now: let it go
            self.garbage = True
            if configure and session.plugin is not None and not self._configure(session):
                return
            if session.plugin is not None and session.plugin.playbook_failed:
                return
            self.generation = self._gather(session)
            # The pages of this state, and a few of earlier ones: a page's conversions as it
            # was before an edit are of no more use (the org chart's grows with the playbook).
            self.conversions.limit = len(self.generation.doc_files) + 64
            self.problem = ""
        with self.changed:
            self.changed.notify_all()

    def _configure(self, session: Session) -> bool:
        """Our plugin's configuration step again: it checks the playbook and makes the
        generated files and the default nav; False, with the problems printed, if the
        playbook has any. The other plugins keep their configuration from the load."""
        assert session.plugin is not None
        config = session.config
        previous = config.nav
        config.nav = copy.deepcopy(session.user_nav)  # the plugin fills in a nav left out
        try:
            session.plugin.on_config(config)
        except MkDocsException as exc:
            config.nav = previous
            self.report(exc)
            return False
        return True

    def _gather(self, session: Session) -> Generation:
        """The files, with the theme's and the plugins', and the nav: what a build gathers
        before it reads any page (mkdocs.commands.build.build)."""
        config = session.config
        files = get_files(config)
        for theme_file in session.theme_files:  # listed once per load: the theme is fixed
            if files.get_file_from_path(theme_file.src_uri) is None:
                files.append(theme_file)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        with _quiet(NAV_LOG, after_first=self.number > 0):
            nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        session.env = config.plugins.on_env(session.env, config=config, files=files)
        by_dest = {file.dest_uri: file for file in files}
        key = hash(tuple(sorted((file.src_uri, file.dest_uri) for file in files)))
        self.number += 1
        return Generation(self.number, files, nav, by_dest, key)

    def report(self, exc: Exception) -> None:
        """Print why an edit cannot be shown (the playbook's problems as file:line:col)."""
        self.problem = str(exc)
        log.error(self.problem)
        if self.generation is not None:
            log.info("Serving the last good state until this is fixed")
        with self.changed:
            self.changed.notify_all()

    @property
    def token(self) -> str:
        """What the served pages poll for: new with every state (and server)."""
        return f"{self.token_prefix}.{self.number}"

    # -- answering -------------------------------------------------------------------

    def respond(self, target: str) -> Response:
        """The response to a GET of target (a path with its query)."""
        self.last_request = time.monotonic()
        parts = urlsplit(target)
        path = unquote(parts.path)
        session = self.session
        mount = session.mount if session is not None else "/"
        if not path.startswith(mount):
            if path + "/" == mount:
                return Response(HTTPStatus.MOVED_PERMANENTLY, b"", location=mount)
            return Response(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
        relative = path[len(mount):]
        dest = relative + "index.html" if relative.endswith("/") or not relative else relative
        if posixpath.normpath("/" + dest) != "/" + dest:
            return Response(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
        if relative == LIVE:
            return self._live(parts.query)
        if dest == SEARCH_INDEX:  # made between the page requests, not under the lock
            body = self.search_index()
            if body is not None:
                return Response(HTTPStatus.OK, body, "application/json")
        # The state is taken under the lock: a request that came during an edit's check
        # waits for it and gets the new state.
        with self._busy(), self.lock:
            session, generation = self.session, self.generation
            if session is None or generation is None:
                return self._unavailable()
            return self._serve(session, generation, dest, path)

    def _serve(self, session: Session, generation: Generation, dest: str,
               path: str) -> Response:
        """A page, a file or a theme template of the current state (under the lock)."""
        file = generation.by_dest.get(dest)
        if file is None and dest in session.config.theme.static_templates:
            return Response(HTTPStatus.OK, self._template(session, generation, dest),
                            _kind(dest))
        if file is None and f"{dest}/index.html" in generation.by_dest:
            return Response(HTTPStatus.MOVED_PERMANENTLY, b"", location=path + "/")
        if file is None:
            return self._not_found(session, generation)
        if file.is_documentation_page():
            return Response(HTTPStatus.OK, self.page(generation, file))
        return Response(HTTPStatus.OK, file.content_bytes, _kind(dest))

    def _live(self, query: str) -> Response:
        """Wait for the state to change from the one the page knows, then name the new one."""
        known = query.removeprefix("known=")
        with self.changed:
            self.changed.wait_for(lambda: self.token != unquote(known), LIVE_WAIT_SECONDS)
        return Response(HTTPStatus.OK, self.token.encode(), "text/plain; charset=utf-8")

    def _unavailable(self) -> Response:
        """No good state yet: the problems, on a page that reloads once they are fixed."""
        text = html.escape(self.problem or "Starting...")
        body = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Playbook preview"
                f"</title></head><body><h1>The playbook cannot be shown yet</h1><pre>{text}"
                "</pre></body></html>")
        return Response(HTTPStatus.SERVICE_UNAVAILABLE, self._live_reload(body).encode())

    def _not_found(self, session: Session, generation: Generation) -> Response:
        body = b"not found"
        if "404.html" in session.config.theme.static_templates:
            body = self._template(session, generation, "404.html")
        return Response(HTTPStatus.NOT_FOUND, body)

    # -- rendering ---------------------------------------------------------------------

    def page(self, generation: Generation, file: File) -> bytes:
        """A page's HTML as `mkdocs build` writes it, with the live-reload script."""
        with self.lock:
            made = generation.html.get(file.dest_uri)
            if made is None:
                started = time.perf_counter()
                made = generation.html[file.dest_uri] = self._page(generation, file)
                log.debug(f"Rendered {file.src_uri} in {time.perf_counter() - started:.2f} s")
            return made

    def _page(self, generation: Generation, file: File) -> bytes:
        """What a build writes for the page, from the cached conversion; the search
        plugins' indexes are left alone (see search_index)."""
        session = self.session
        assert session is not None
        config = session.config
        self._read_nav(generation)
        page = self._populate(generation, file)
        search = _quiet_search(config)
        try:
            output = internals.build_page(page, config, generation.nav, generation.doc_files,
                                          session.env)
        finally:
            search()
        return self._live_reload(output).encode("utf-8", errors="xmlcharrefreplace")

    def _template(self, session: Session, generation: Generation, name: str) -> bytes:
        """A theme template that is no page (the 404 page), as a build writes it."""
        self._read_nav(generation)
        # Error pages link from the site's root: they are served at any address.
        base_url = session.mount if name == "404.html" else "."
        output = internals.build_template(name, session.config, generation.nav,
                                          generation.files, session.env, base_url)
        if name.endswith(".html"):
            output = self._live_reload(output)
        return output.encode("utf-8", errors="xmlcharrefreplace")

    def _live_reload(self, output: str) -> str:
        """The page with LIVE_SCRIPT at the end of its body."""
        session = self.session
        mount = session.mount if session is not None else "/"
        script = LIVE_SCRIPT.format(token=self.token, url=mount + LIVE)
        output = allow_script(output, script.removeprefix("<script>").removesuffix("</script>"))
        at = output.rfind("</body>")
        return output + script if at < 0 else output[:at] + script + output[at:]

    def _page_of(self, file: File) -> Page:
        """The file's page: the nav made those it lists, the others are made here."""
        assert self.session is not None
        if file.page is None:
            Page(None, file, self.session.config)
        assert file.page is not None
        return file.page

    def _read_nav(self, generation: Generation) -> None:
        """Read the pages the nav lists: every page shows their titles and the theme reads
        their front matter (icon, status), or their first heading, for which a page is
        converted. A page the playbook generates is left alone where the nav gives its
        title (the org chart, the home page): its front matter holds only its title
        (render.front_matter), and at 1,000 roles the org chart takes a fifth of a second
        to make."""
        session = self.session
        generated = session.plugin.files if session and session.plugin else {}
        for page in generation.nav.pages:
            if internals.nav_gave_title(page) and page.file.src_uri in generated:
                continue
            self._read(generation, page)
            if "title" not in page.meta and page.file.src_uri not in generation.populated:
                self._populate(generation, page.file)

    def _read(self, generation: Generation, page: Page) -> None:
        """Read a page's source and front matter: enough for its title in the nav."""
        if page.file.src_uri in generation.read:
            return
        assert self.session is not None
        internals.read_page(page, self.session.config, generation.files)
        generation.read.add(page.file.src_uri)

    def _populate(self, generation: Generation, file: File) -> Page:
        """A page read and converted, from the cache where its source was converted before."""
        page = self._page_of(file)
        if file.src_uri in generation.populated:
            return page
        assert self.session is not None
        config, files = self.session.config, generation.files
        self._read(generation, page)
        assert page.markdown is not None
        key = (file.src_uri, page.markdown, generation.files_key)
        converted = self.conversions.get(key)
        if converted is None:
            page.render(config, files)
            assert page.content is not None
            converted = Converted(page.content, page.toc, internals.rendered_title(page),
                                  page.present_anchor_ids)
            self.conversions.put(key, converted)
        page.content, page.toc = converted.content, converted.toc
        internals.set_rendered_title(page, converted.title)
        page.present_anchor_ids = converted.anchors
        page.content = config.plugins.on_page_content(page.content, page=page, config=config,
                                                      files=files)
        generation.populated.add(file.src_uri)
        return page

    # -- search ------------------------------------------------------------------------

    def search_index(self) -> bytes | None:
        """search/search_index.json of the newest state, from the search plugin, made from
        every page; None without a search plugin. Page requests go first: it is made
        between them."""
        session = self.session
        if session is None:
            return None
        plugin = _search_plugin(session.config)
        if plugin is None:
            return None
        with self._indexing:  # a second request waits for the index the first one makes
            while True:
                current = self.generation
                if current is None:
                    return None
                if current.search is None:
                    made = self._search_index(session, current, plugin)
                    if made is None:
                        continue  # an edit came in meanwhile: make the newest one
                    current.search = made
                return current.search

    def _search_index(self, session: Session, generation: Generation,
                      plugin: Any) -> bytes | None:
        """The index of every page, written by the plugin's on_post_build into a scratch
        folder; None when an edit replaced the state meanwhile."""
        entries: list[Any] = []
        used: dict[tuple[str, str | None, str, str], list[Any]] = {}
        for file in generation.doc_files:
            self._wait_for_pages()
            with self.lock:
                if self.generation is not generation:
                    return None
                page = self._populate(generation, file)
                entries += self._entries(plugin, page, used)
        config = session.config
        with self.lock:
            self.entries = used  # the entries of pages as they were are let go
            index = plugin.search_index
            whole = _fresh_index(index)
            internals.set_search_entries(whole, entries)
            site_dir = config.site_dir
            config.site_dir = self._scratch.name
            plugin.search_index = whole
            try:
                plugin.on_post_build(config=config)
            finally:
                plugin.search_index, config.site_dir = index, site_dir
            return (Path(self._scratch.name) / SEARCH_INDEX).read_bytes()

    def _entries(self, plugin: Any, page: Page,
                 used: dict[tuple[str, str | None, str, str], list[Any]]) -> list[Any]:
        """A page's search entries, made again only when its content or title changed;
        noted in `used`, which keeps them for the next index."""
        key = (page.url, page.title, page.content or "", repr(page.meta))
        found = self.entries.get(key)
        if found is None:
            index = _fresh_index(plugin.search_index)
            index.add_entry_from_context(page)
            found = internals.search_entries(index)
        used[key] = found
        return found

    def _wait_for_pages(self) -> None:
        while self.busy:
            time.sleep(0.01)

    @contextlib.contextmanager
    def _busy(self) -> Iterator[None]:
        with self._counting:
            self.busy += 1
        try:
            yield
        finally:
            with self._counting:
                self.busy -= 1

    def collect(self, idle: float = IDLE_SECONDS) -> None:
        """Free the states edits replaced, once no request came for `idle` seconds, then
        freeze the survivors (memory.collect_and_hold), as a build does after its check.

        A full collection takes half a second at 1,000 roles; done on the next edit
        (as `mkdocs serve` does) it would delay the very page the edit was made for. Frozen,
        the current state is not scanned again by the collections page requests set off;
        the next edit unfreezes it before anything else (_refresh), so an earlier state is
        never kept frozen.
        """
        if not self.garbage or time.monotonic() - self.last_request < idle or self.busy:
            return
        with self.lock:
            started = time.perf_counter()
            memory.collect_and_hold()
            self.garbage = False
        log.debug(f"Collected the garbage of earlier states in "
                  f"{time.perf_counter() - started:.2f} s")

    def close(self) -> None:
        if self.session is not None:
            self.session.config.plugins.on_shutdown()
        self._scratch.cleanup()


def _mount_path(site_url: str | None) -> str:
    """The path the site is served under, from site_url, as `mkdocs serve` takes it."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


@contextlib.contextmanager
def _quiet(name: str, *, after_first: bool) -> Iterator[None]:
    """Say a logger's INFO messages once, not again after every edit (MkDocs lists the
    pages the nav leaves out: every role at 1,000 roles)."""
    logger = logging.getLogger(name)
    level = logger.level
    if after_first:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _kind(path: str) -> str:
    """The Content-Type of a file, text in UTF-8 (MkDocs reads and writes nothing else)."""
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json",
                                              "application/xml"):
        kind += "; charset=utf-8"
    return kind


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _search_plugin(config: MkDocsConfig) -> Any:
    """The search plugin (MkDocs' or Material's): both keep a `search_index` that pages are
    added to as they are rendered and that their on_post_build writes out."""
    for plugin in config.plugins.values():
        if hasattr(getattr(plugin, "search_index", None), "add_entry_from_context"):
            return plugin
    return None


def _fresh_index(index: Any) -> Any:
    """An empty search index like `index` (both plugins' indexes take their settings)."""
    return type(index)(**index.config)


def _quiet_search(config: MkDocsConfig) -> Callable[[], None]:
    """Keep a page render from adding to the search plugins' indexes, which would grow
    with every request (the index is made on its own, see Preview.search_index); returns
    what puts the indexes back."""
    plugins = [plugin for plugin in config.plugins.values()
               if hasattr(getattr(plugin, "search_index", None), "add_entry_from_context")]
    kept = [plugin.search_index for plugin in plugins]
    for plugin in plugins:
        plugin.search_index = _fresh_index(plugin.search_index)

    def restore() -> None:
        for plugin, index in zip(plugins, kept, strict=True):
            plugin.search_index = index

    return restore


class Watcher:
    """Polls the sources the way `playbook render --watch` does (watch.py), in a thread of
    its own, and brings the preview up to date after each burst of edits."""

    def __init__(self, preview: Preview, poll: float = POLL_SECONDS) -> None:
        self.preview = preview
        self.poll = poll
        self.stopped = threading.Event()

    def _roots(self) -> tuple[list[Path], list[Path]]:
        session = self.preview.session
        if session is None:
            return [], []
        return session.watched, session.reloading

    def run(self) -> None:
        roots, reloading = self._roots()
        before = snapshot(roots)
        while not self.stopped.wait(self.poll):
            self.preview.collect()
            after = snapshot(roots)
            changed = changes(before, after)
            if not changed:
                continue
            while not self.stopped.wait(SETTLE_SECONDS):
                settled = snapshot(roots)
                if settled == after:
                    break
                changed |= changes(after, settled)
                after = settled
            self._apply(changed, reloading)
            # Edits saved while this one was taken in are changes from `after`, found at
            # the next look; a reload may watch other folders, which start afresh.
            watched, reloading = self._roots()
            before = after if watched == roots else snapshot(watched)
            roots = watched

    def _apply(self, changed: set[Path], reloading: list[Path]) -> None:
        roots = [root.resolve() for root in reloading]
        edited = [path.resolve() for path in changed]
        reload = self.preview.pending_reload or any(
            path == root or root in path.parents for path in edited for root in roots)
        started, number = time.perf_counter(), self.preview.number
        try:
            if reload:
                self.preview.reload()
            else:
                self.preview.refresh()
        except Exception as exc:  # a bug of ours or a plugin's: say it, serve on
            self.preview.report(exc)
        if self.preview.number != number:
            log.info(f"Serving the new state, taken in {time.perf_counter() - started:.2f} s "
                     "after the change was noticed")


@dataclass(frozen=True)
class Hosts:
    """The names a request's Host header may give: this machine's loopback names, the
    address served (with a wildcard, the machine's own names too), the address the request
    came in on, and the names given with --allow-host. The port is not compared: a tunnel
    (ssh -L 9000:localhost:8000) changes it, and DNS rebinding cannot forge the name."""

    names: frozenset[str]

    @classmethod
    def serving(cls, host: str, allowed: Iterable[str] = ()) -> Hosts:
        names = {*LOOPBACK, _normal(host), *(_normal(name) for name in allowed)}
        if host in WILDCARDS:
            names |= _machine_names()
        return cls(frozenset(names))

    def accepts(self, header: str, local: str) -> bool:
        """Whether a request with this Host header, on a connection to the local address,
        is for this server."""
        name = host_name(header)
        return name is not None and (name in self.names or name == _normal(local))

    def listing(self) -> str:
        return ", ".join(f"[{name}]" if ":" in name else name for name in sorted(self.names))


def host_name(header: str) -> str | None:
    """The host a Host header (or --allow-host) names, normalised; None for anything that
    is not host[:port], such as user@host or a path, which urlsplit would take apart."""
    if not header or "@" in header or any(c.isspace() for c in header):
        return None
    try:
        parts = urlsplit("//" + header)
        parts.port  # noqa: B018 (a port that is no number raises)
    except ValueError:
        return None
    if parts.netloc != header or parts.path or parts.query or parts.fragment:
        return None
    return _normal(parts.hostname) if parts.hostname else None


def _normal(name: str) -> str:
    """A host name in lower case without the root's dot, an address in its standard form
    (an IPv4 address as a dual-stack socket sees it, ::ffff:a.b.c.d, as a.b.c.d)."""
    name = name.lower().removesuffix(".").removeprefix("[").removesuffix("]")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


def _machine_names() -> set[str]:
    """This machine's names and the addresses they resolve to: what another machine on
    the network uses to reach a preview bound to every address."""
    names = {socket.gethostname(), socket.getfqdn()}
    with contextlib.suppress(OSError):
        names |= {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)}
    return {_normal(name) for name in names if name}


def _loopback(host: str) -> bool:
    """Whether an address MkDocs accepted (localhost or an IP address) reaches only this
    machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _who(host: str) -> str:
    if host in WILDCARDS:
        return "anyone on any network this machine is on"
    return f"anyone who can reach {host}"


def _internal(config: MkDocsConfig) -> str:
    """Where the internal audience was asked for (plugin.asked_audience); empty for the
    public site, and for a value the plugin refuses, which it reports itself."""
    plugin = next((p for p in config.plugins.values() if isinstance(p, PlaybookPlugin)), None)
    if plugin is None:
        return ""
    found, source = asked_audience(plugin.config)
    return source.format(found) if found == INTERNAL else ""


class Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the preview, for this machine's names only; says nothing
    per request."""

    preview: Preview
    hosts: Hosts
    server_version = "playbook-serve"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, *, body: bool) -> None:
        response = self._refusal() or self._response()
        self.send_response(response.status)
        self.send_header("Content-Type", response.kind)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        if response.location:
            self.send_header("Location", response.location)
        self.end_headers()
        if body:
            with contextlib.suppress(ConnectionError):  # the browser went on: a reload
                self.wfile.write(response.body)       # cancels the live-reload poll

    def _response(self) -> Response:
        try:
            return self.preview.respond(self.path)
        except Exception as exc:  # a page that cannot be rendered: say which, serve on
            message = f"could not serve {self.path}: {type(exc).__name__}: {exc}"
            log.error(message)
            return Response(HTTPStatus.INTERNAL_SERVER_ERROR, message.encode(),
                            "text/plain; charset=utf-8")

    def _refusal(self) -> Response | None:
        """400 without exactly one Host header, 421 for a Host that is not this server's:
        before anything is rendered or waited for (the live-reload poll included)."""
        given = self.headers.get_all("Host") or []
        if len(given) != 1:
            return Response(HTTPStatus.BAD_REQUEST, b"playbook serve: one Host header, please\n",
                            "text/plain; charset=utf-8")
        if self.hosts.accepts(given[0], str(self.connection.getsockname()[0])):
            return None
        text = (f"playbook serve answers only requests for {self.hosts.listing()}, not for "
                f"{given[0]!r}; start it with --allow-host NAME to answer to another name.\n")
        return Response(HTTPStatus.MISDIRECTED_REQUEST, text.encode("utf-8", "replace"),
                        "text/plain; charset=utf-8")

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server(ThreadingHTTPServer):
    """The standard library's threaded server, which says a request's failure in one line,
    on IPv6 as well (`-a [::1]:8000`; `[::]` takes IPv4 too, as `0.0.0.0` would)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[Handler]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, handler)

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6 and self.server_address[0] == "::":
            with contextlib.suppress(OSError):
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a browser that went away is no news
            log.error(f"request from {client_address[0]} failed: "
                      f"{type(error).__name__}: {error}")


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve(config_file: str | None, dev_addr: str | None, *, allow_hosts: Iterable[str] = (),
          expose_internal: bool = False) -> None:
    """Serve the preview until interrupted (KeyboardInterrupt, which the caller turns
    into a clean exit). allow_hosts: more names the Host header may give (Hosts);
    expose_internal: the internal audience may be served beyond this machine."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as Ctrl-C does
    preview = Preview(config_file, dev_addr, expose_internal=expose_internal)
    try:
        config = preview.read_config()
        preview.bound = config.dev_addr.host
        hosts = Hosts.serving(config.dev_addr.host, _allowed(allow_hosts))
        _warn_exposed(config)
        with _bound(config, preview, hosts) as server:
            # The first check runs before the server's thread starts: alone, this process
            # may fork a helper to parse (parallel.py). Browsers wait in the socket's queue.
            preview.start(config)
            thread = threading.Thread(target=server.serve_forever, name="playbook-serve",
                                      daemon=True)
            thread.start()
            log.info(f"Serving on {config.site_url} (Ctrl-C stops), answering requests "
                     f"for {hosts.listing()}")
            watcher = Watcher(preview)
            try:
                watcher.run()
            finally:
                watcher.stopped.set()
                server.shutdown()
    finally:
        preview.close()


def _allowed(names: Iterable[str]) -> list[str]:
    """The --allow-host names, each a host name or an address (IPv6 with or without its
    brackets), without a port or a scheme."""
    found = []
    for name in names:
        with contextlib.suppress(ValueError):
            found.append(str(ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))))
            continue
        normal = host_name(name)
        if normal is None or ":" in name:
            raise ServeError(f"--allow-host {name!r}: give a host name or an address, "
                             "without a port or a scheme")
        found.append(normal)
    return found


def _warn_exposed(config: MkDocsConfig) -> None:
    """With --expose-internal on an address other machines reach: say what, and to whom."""
    host, port = config.dev_addr
    source = _internal(config)
    if source and not _loopback(host):
        log.warning(f"--expose-internal: serving the internal audience ({source}) at "
                    f"{_host(host)}:{port}: {EXPOSED} can be read by {_who(host)}. "
                    "Stop it with Ctrl-C when you are done")


@contextlib.contextmanager
def _bound(config: MkDocsConfig, preview: Preview, hosts: Hosts) -> Iterator[Server]:
    """The server, bound to dev_addr before the playbook is checked, so that a taken
    address is said at once."""
    host, port = config.dev_addr
    handler = type("Bound", (Handler,), {"preview": preview, "hosts": hosts})
    try:
        server = Server((host, port), handler)
    except OSError as exc:
        raise ServeError(f"cannot serve at {host}:{port}: {exc.strerror or exc}") from None
    try:
        yield server
    finally:
        server.server_close()
