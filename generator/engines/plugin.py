"""The MkDocs plugin: a thin shell that adds the core's pages to the build.

Validation runs in `on_config`, before MkDocs touches `site/`, so a playbook with
errors stops the build at once; the build itself goes to a staging folder that
replaces `site/` only when it succeeds (publish.py), so a failed, strict-failed
or interrupted build leaves the last good site untouched. Generated pages
are virtual files, so MkDocs' own search, navigation, theme and `--strict` link
checks cover them exactly as they cover hand-written pages.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from ..checking.pipeline import check
from ..errors import Severity, display_path
from ..figures.history import read_history
from ..files.loader import Parsed
from ..model.timing import TimingError, parse_date
from ..pages import csp, page_links
from ..pages.markup import role_url
from ..pages.navigation import default_nav
from ..pages.render import SCRIPT, STYLESHEET, Maker, assets, makers
from ..pages.site_config import CDN_THEMES, is_placeholder, missing_extensions
from ..runtime import memory
from ..runtime.parallel import Prerender
from .mkdocs_internals import DeferredFile
from .passthrough import Passthrough
from .pdf import Handout, PdfError, find_browser, print_pdfs
from .publish import Staging, usable

log = get_plugin_logger(__name__)
AUDIENCES = ("public", "internal")
NOINDEX = '<meta name="robots" content="noindex, nofollow">'
ROBOTS_TXT = ("# The owner's internal playbook: not for search engines.\n"
              "User-agent: *\nDisallow: /\n")


def _today() -> date:
    """Today, or PLAYBOOK_TODAY (an ISO date) so that builds and tests can fix the clock."""
    fixed = os.environ.get("PLAYBOOK_TODAY")
    if not fixed:
        return date.today()
    try:
        return parse_date(fixed)
    except TimingError as exc:
        raise PluginError(f"PLAYBOOK_TODAY: {exc}") from None


ENGINE_LOGGERS = ("mkdocs", "properdocs")
"""The top logger of each engine that runs the plugin (ProperDocs renames MkDocs' own)."""


def _strict_warnings() -> int:
    """The warnings that make `--strict` abort the build, which the engine counts only after
    on_post_build: its counter is on its top logger while a strict build runs."""
    return sum(count for name in ENGINE_LOGGERS for handler in logging.getLogger(name).handlers
               if isinstance(handler, CountHandler) for _, count in handler.get_counts())


class PlaybookConfig(Config):
    playbook_dir = c.Type(str, default="playbook")
    """Folder of the playbook, relative to mkdocs.yml."""
    pdf = c.Type(bool, default=False)
    """Print a PDF of every outsourceable role page at build time (needs Chromium)."""
    pdf_browser = c.Optional(c.Type(str))
    """The Chromium command to print with; default: the first of chromium,
    chromium-browser, google-chrome on PATH."""
    audience = c.Choice(AUDIENCES, default="public")
    """public (safe to hand to contractors) or internal (adds private data and planning
    pages); the PLAYBOOK_AUDIENCE environment variable overrides it."""
    csp = c.Type(bool, default=True)
    """Write a Content-Security-Policy into every page (csp.py): scripts run only from the
    site's files and the theme's own inline scripts, nothing loads from another host.
    Turn it off only for a site whose pages must run inline scripts of their own."""
    csp_sources = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Sources to add to the policy's directives, for owners who load scripts or
    pictures from elsewhere, e.g. `{script-src: [https://cdn.example]}`."""


def asked_audience(config: PlaybookConfig) -> tuple[str, str]:
    """The audience a build is asked for, and where it was asked, for messages:
    PLAYBOOK_AUDIENCE overrides the plugin's `audience:`. The plugin and `playbook serve`
    (which must know it before it binds an address) read it the same way."""
    if os.environ.get("PLAYBOOK_AUDIENCE"):
        return os.environ["PLAYBOOK_AUDIENCE"], "PLAYBOOK_AUDIENCE={}"
    return config.audience, "audience: {} in mkdocs.yml"


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    def __init__(self) -> None:
        self.files: dict[str, Maker] = {}
        self.prerender = Prerender({})
        self.passthrough = Passthrough()
        self.root = Path("playbook")
        self.playbook_failed = False
        self.pdf_roles: list[str] = []
        self.browser = ""
        self.audience = "public"
        self.command = "build"
        self.dirty = False
        self.staging: Staging | None = None
        self.csp_extra: dict[str, tuple[str, ...]] = {}
        self.serve_policy = False
        """Whether pages a `serve` command serves carry the policy: `playbook serve` allows
        its live-reload script by its hash (serve.py) and sets this; MkDocs' own server
        adds a script that differs on every request, which no policy made beforehand can
        allow, so its pages carry none."""
        self.parsed: Parsed | None = None
        """The files parsed by the last check, for a long-lived process to reuse
        (`playbook serve`, loader.Parsed); None: every check parses every file."""
        self.make_ahead = True
        """Whether a child process makes every page while MkDocs converts the first ones
        (parallel.Prerender): a build reads them all, but `playbook serve` makes a page
        only when it is asked for, and a child making all of them would take the CPU its
        requests need."""
        self.collect = True
        """Whether a rebuild frees the last build's objects before its check (below);
        `playbook serve` sets it off and frees them while it waits for requests instead
        (serve.py), where the collection would delay the page an edit was made for."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Also makes MkDocs keep this instance across `mkdocs serve` rebuilds."""
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        audience, _ = asked_audience(self.config)
        if audience not in AUDIENCES:
            raise PluginError(f"PLAYBOOK_AUDIENCE: expected one of {', '.join(AUDIENCES)}, "
                              f"found '{audience}'")
        self.audience = audience
        try:
            self.csp_extra = csp.check_extra(self.config.csp_sources)
        except csp.PolicyError as exc:
            raise PluginError(str(exc)) from None
        base = Path(config.config_file_path or ".").parent
        self.root = (base / self.config.playbook_dir)
        if self.files and self.collect:  # a rebuild under `mkdocs serve`: free the last
            memory.collect()  # build's pages first, or the hold below would freeze them
        with memory.hold():
            result = check(self.root, parsed=self.parsed)
        for problem in result.problems:
            if problem.severity is Severity.INFO:
                log.info(str(problem))
        for warning in result.warnings:
            log.warning(str(warning))
        self.playbook_failed = bool(result.errors or (config.strict and result.warnings))
        if self.playbook_failed:
            raise PluginError("the playbook has problems; the site was not built:\n"
                              + "\n".join(str(p) for p in result.problems))
        assert result.playbook is not None and result.analysis is not None
        if self.config.pdf:
            try:
                self.browser = find_browser(self.config.pdf_browser)
            except PdfError as exc:
                raise PluginError(str(exc)) from None
        self.pdf_roles = [rid for rid, role in result.playbook.roles.items()
                          if self.config.pdf and role.sourcing == "outsource"]
        self.close()
        history = read_history(self.root, {p: person.name
                                           for p, person in result.playbook.people.items()})
        if not history.available:
            log.info(f"The role pages have no 'Changes' section: {history.reason}")
        self.files = makers(result.playbook, result.analysis, audience=audience,
                            directory_urls=config.use_directory_urls, today=_today(),
                            pdf=bool(self.config.pdf), site_url=config.site_url or None,
                            history=history if history.available else None)
        if not config.site_url:
            log.info("site_url is not set in mkdocs.yml: calendar links are plain files, which "
                     "calendar programs cannot subscribe to, and PDFs show addresses in the "
                     "playbook instead of links; set it to the site's address")
        # The child starts with the role pages, the bulk of what MkDocs reads, in its order;
        # the first pages MkDocs reads (home, org chart) are made here before the child
        # could deliver them, and files it copies (calendars) are needed only at the end.
        self.prerender = Prerender(self.files, order=sorted(
            self.files, key=lambda path: not path.startswith("roles/")),  # a stable sort
            ahead=self.make_ahead)
        if config.nav is None:
            config.nav = default_nav(result.playbook, result.analysis, Path(config.docs_dir),
                                     internal=audience == "internal")
        self._configure(config)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT)
        self._stage(config)
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a staging folder that replaces the site folder only when the build
        succeeds (see publish.py). `mkdocs serve` builds into a folder of its own."""
        site = Path(config.site_dir)
        if self.command == "serve" or not usable(site):
            return
        self.staging = Staging(site, keep_old=self.dirty)
        config.site_dir = str(self.staging.folder)

    def _configure(self, config: MkDocsConfig) -> None:
        """Enable what the generated pages need, so that the mkdocs.yml a MkDocs user first
        writes gives finished pages, and keep Material from loading Google Fonts."""
        added = missing_extensions(config.markdown_extensions, config.mdx_configs)
        for name, settings in added.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
            if settings:
                config.mdx_configs[name] = settings
        if added:
            log.debug(f"enabled the Markdown extensions the playbook's pages use: "
                      f"{', '.join(added)}")
        if config.theme.name == "material" and config.theme["font"] is not False:
            config.theme["font"] = False
            log.debug("theme.font: false, so that the site makes no request to Google Fonts")
        if config.theme.name in CDN_THEMES and config.theme["highlightjs"]:
            config.theme["highlightjs"] = False
            log.debug("theme.highlightjs: false, so that the site loads nothing from cdnjs")

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for path in [*self.files, *assets()]:
            existing = files.get_file_from_path(path)
            if existing is not None and is_placeholder(existing.content_bytes):
                files.remove(existing)  # the stand-in for engines without the plugin
            elif existing is not None:
                raise PluginError(f"docs/{path} is hand-written, but {self._origin(path)} "
                                  f"generates the same page; rename or remove docs/{path}")
        for path in self.files:
            files.append(DeferredFile.make(config, path, partial(self.prerender.get, path)))
        for path, content in assets().items():
            files.append(File.generated(config, path, content=content))
        if self.audience == "internal":
            files.append(File.generated(config, "robots.txt", content=ROBOTS_TXT))
        return files

    @event_priority(-100)  # last: other plugins see the page whole
    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig,
                         files: Files) -> str:
        """Links in the generated pages' HTML, resolved as MkDocs resolves Markdown's; then
        the HTML taken out of Markdown's way (passthrough.py)."""
        return self.passthrough.hide(page_links.on_page_markdown(markdown, page, config, files),
                                     page)

    @event_priority(100)  # first: other plugins see the page whole
    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig,
                        files: Files) -> str:
        return self.passthrough.restore(html, page)

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        """The 404 page is a page of the site too."""
        if template_name != "404.html":
            return output_content
        return self._protect(self._noindex(output_content), "", template_name)

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        return self._protect(self._noindex(output), page.content or "", page.file.src_uri)

    def _protect(self, output: str, content: str, name: str) -> str:
        """The page with its Content-Security-Policy (csp.py), unless the owner turned it
        off or MkDocs' own server serves it (see serve_policy)."""
        if not self.config.csp or (self.command == "serve" and not self.serve_policy):
            return output
        hashes = csp.frame_hashes(output, content)
        if hashes is None:
            log.warning(f"{name}: another plugin changed the page's content after MkDocs "
                        "converted it, so the Content-Security-Policy cannot tell the "
                        "theme's inline scripts from the content's and allows none of them; "
                        "set the playbook plugin's 'csp: false' if the page needs them")
        return csp.protect(output, hashes or (), self.csp_extra)

    def _noindex(self, output: str) -> str:
        """Ask search engines to leave every page of the internal build alone, hand-written
        pages included: a copy uploaded by mistake must not end up in search results."""
        if self.audience == "internal":
            return output.replace("<head>", "<head>\n" + NOINDEX, 1)
        return output

    @event_priority(-100)  # last, so that other plugins' output is in the site swapped in
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        log.debug(f"{self.prerender.ahead} of {len(self.files)} generated files were made "
                  "ahead by a second process")
        self.close()
        self._print_pdfs(config)
        if self.staging is None:
            return
        if _strict_warnings():
            self._discard()  # MkDocs aborts next; the last good site stays
            return
        config.site_dir = str(self.staging.site)  # for gh-deploy, which reads it next
        self.staging.publish()
        self.staging = None
        log.info(f"The new site replaced {display_path(Path(config.site_dir))} in one step")

    def _print_pdfs(self, config: MkDocsConfig) -> None:
        """Print the PDFs from the pages just written, next to each page."""
        if not self.pdf_roles:
            return
        site = Path(config.site_dir)
        jobs = []
        for rid in self.pdf_roles:
            page = (site / "roles" / rid / "index.html" if config.use_directory_urls
                    else site / "roles" / f"{rid}.html")
            jobs.append(Handout(page, page.parent / f"{rid}.pdf",
                                role_url(rid, config.use_directory_urls)))
        try:
            print_pdfs(jobs, self.browser, config.site_url or None, site)
        except PdfError as exc:
            raise PluginError(str(exc)) from None
        log.info(f"Printed {len(jobs)} role PDFs")

    @event_priority(-100)  # last: what it raises ends the other plugins' error events
    def on_build_error(self, *, error: Exception) -> None:
        self.close()
        self._discard()
        if isinstance(error, OSError):
            # MkDocs shows any error but its own as a traceback; a file it could not write
            # (a name too long, a file where a folder must go) is the user's to fix.
            raise PluginError(f"the site could not be written (an earlier site is left as it "
                              f"was): {error}") from None

    def on_shutdown(self) -> None:
        self.close()
        self._discard()

    def _discard(self) -> None:
        if self.staging is not None:
            self.staging.discard()
            self.staging = None

    def close(self) -> None:
        """Stop the prerendering child, if any, drop what it made, and hand the objects the
        check froze (memory.hold) back to the garbage collector."""
        self.prerender.close()
        memory.release()

    def _origin(self, path: str) -> str:
        """The playbook file a generated page comes from, to name both sides of a clash."""
        root = display_path(self.root)
        if path.startswith("roles/"):
            return f"{root}/roles/{path.removeprefix('roles/').removesuffix('.md')}.yml"
        return f"{root}/business.yml" if path == "index.md" else f"the playbook ({root}/)"

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild on playbook edits; after a bad edit keep serving the last good site.

        MkDocs' dev server holds every page request while its last rebuild failed
        ("the server will appear stuck"). A playbook error stops the build before the
        site folder is touched, so the last good pages are still there to serve.
        """
        server.watch(str(self.root))
        rebuild = server.builder

        def guarded_rebuild() -> None:
            try:
                rebuild()
            except SystemExit:
                if not self.playbook_failed:
                    raise
                log.info("Serving the last good site until the playbook is fixed")

        server.builder = guarded_rebuild
        return server
