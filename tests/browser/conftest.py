"""Fixtures for the browser tests: the built example site on a local HTTP server, and one
Debian Chromium for the whole session, driven by Playwright.

Playwright cannot download its own browsers on these machines, so it launches the system
binary. Without it the tests skip, unless the environment variable CI is set: CI must run
them (.ci/run installs Chromium first).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, Build, build_example
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    expect,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
"""Screenshots of the layouts, kept for people to look at (named in CONTRIBUTING.md)."""
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENS: dict[str, dict[str, object]] = {
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": DESKTOP},
}
"""Browser context options of each screen the layouts are checked on."""
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session", autouse=True)
def _chromium_installed() -> None:
    if CHROMIUM.exists():
        return
    reason = (f"browser tests need Debian's Chromium at {CHROMIUM} "
              "(apt-get install chromium); Playwright cannot download browsers here")
    if os.environ.get("CI"):
        pytest.fail(f"{reason}. CI is set, so they must run, not skip.", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path, under: str = "") -> Iterator[str]:
    """Serve a built site on a free port of 127.0.0.1; yields its base URL (ends in '/').
    With `under` ('playbook/'), the site is served at that path and nothing is at the
    root, as on a host that publishes it under a sub-path."""
    with tempfile.TemporaryDirectory() as root:
        if under:
            (Path(root) / under.strip("/")).symlink_to(directory.resolve(),
                                                       target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=root if under else str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/{under}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)


@pytest.fixture(scope="session")
def site_url(example_build: Build) -> Iterator[str]:
    """The example playbook's site (repository mkdocs.yml and docs/), served locally."""
    with serve_directory(example_build.site) as url:
        yield url


@pytest.fixture(scope="session")
def internal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The owner's build of the example (planning pages, private notes), served locally."""
    build = build_example(tmp_path_factory.mktemp("internal"), audience="internal")
    with serve_directory(build.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class Watch:
    """Everything the pages of one browser context asked for, and every sign of trouble."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    """Requests to any host other than the local server."""
    errors: list[str] = field(default_factory=list)
    """Console errors and uncaught exceptions, with the page they happened on."""
    failures: list[str] = field(default_factory=list)
    """Responses with status >= 400, and requests that got no response at all."""

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._request)
        context.on("response", lambda r: r.status >= 400 and self.failures.append(
            f"{r.status} {r.url}"))
        context.on("requestfailed", self._failed)
        context.on("page", self.attach_page)

    def attach_page(self, page: Page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"{page.url}: console error: {m.text} at {m.location}"))
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: uncaught {e!r}"))

    def _request(self, request: Request) -> None:
        url = request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(url)

    def _failed(self, request: Request) -> None:
        # A navigation (a click, livereload) cancels what the page was still loading; that
        # is not a broken link, which shows up as a response with status >= 400.
        if request.failure != "net::ERR_ABORTED":
            self.failures.append(f"{request.failure} {request.url}")

    def assert_clean(self) -> None:
        assert not self.foreign, "requests left the machine:\n" + "\n".join(self.foreign)
        assert not self.errors, "errors in the browser:\n" + "\n".join(self.errors)
        assert not self.failures, "failed requests:\n" + "\n".join(self.failures)


@dataclass
class Tab:
    """A fresh browser context and page on the served site, with its Watch."""

    page: Page
    watch: Watch
    base: str

    def open(self, path: str = "") -> Page:
        """Go to a site path such as 'roles/ppc/' and wait until the network is quiet."""
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page


@contextlib.contextmanager
def open_tab(browser: Browser, base: str, **options: object) -> Iterator[Tab]:
    parts = urlsplit(base)
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    watch = Watch(f"{parts.scheme}://{parts.netloc}")
    watch.attach(context)
    try:
        yield Tab(context.new_page(), watch, base)
    finally:
        context.close()


@pytest.fixture
def desktop(browser: Browser, site_url: str) -> Iterator[Tab]:
    with open_tab(browser, site_url, **SCREENS["desktop"]) as tab:
        yield tab


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[Tab]:
    with open_tab(browser, site_url, **SCREENS["phone"]) as tab:
        yield tab


@pytest.fixture(params=list(SCREENS))
def owner(request: pytest.FixtureRequest, browser: Browser, internal_url: str) -> Iterator[Tab]:
    """The owner's (internal) build, on each screen of SCREENS in turn: a test that asks
    for it runs once per screen."""
    with open_tab(browser, internal_url, **SCREENS[request.param]) as tab:
        yield tab
