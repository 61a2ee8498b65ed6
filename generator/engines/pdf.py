"""PDF handouts of role pages, printed from the built site by headless Chromium.

Opt-in (the plugin's `pdf: true`): a real browser engine prints the page with the
same print stylesheet a reader gets from their browser's Print, so the PDF and a
printout never differ.

A page may carry hostile HTML (a playbook's author is only semi-trusted), and a PDF
is published, so the printer can read nothing but the site itself:
- Chromium runs with script execution off (DevTools' Emulation.setScriptExecutionDisabled;
  the command line's --print-to-pdf has no working switch for it), so no page can
  fetch, read or write anything.
- It loads the pages from a loopback HTTP server that serves only the built site's
  folder, never from `file://`, where an iframe could show `/etc/passwd` or the internal
  build beside the site. Every answer carries a Content-Security-Policy that allows
  nothing but that server, and no script.
- Every request for anything else goes to that same server as a proxy, which refuses
  it: other hosts, other ports of this machine, Chromium's own background requests.
  Host names do not resolve at all.

A PDF travels without the site, so it is printed from a copy of the page whose
links are full web addresses (the site's `site_url`), shown as text after each
link too; without `site_url`, the links become plain text with the page's address
in the playbook, since the only address Chromium could give them is the loopback
server's, gone after the build. The copy leaves out the link to the PDF itself and
starts with the page's web address.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import html
import http.server
import json
import mimetypes
import os
import posixpath
import re
import select
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--disable-default-apps", "--mute-audio",
         "--remote-debugging-pipe")
TIMEOUT = 120
"""Seconds one page may take, from loading to its PDF; only a hung browser needs them."""
PRINT = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False}
"""The print settings of Chromium's --print-to-pdf, which printed the handouts before."""
POLICY = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
          "form-action 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self' data:")
"""Sent with every answer of the print server: if scripts ever ran, this still forbids
them, and the page cannot ask any other place for anything."""


class PdfError(Exception):
    """No browser to print with, or a page that did not print."""


def find_browser(configured: str | None = None) -> str:
    """The Chromium to print with: the configured one, else the first on PATH."""
    for name in ([configured] if configured else BROWSERS):
        found = shutil.which(name)
        if found:
            return found
    wanted = configured or " or ".join(BROWSERS)
    raise PdfError(f"pdf: needs {wanted} to print the role pages; install it (Debian: "
                   "apt-get install chromium) or set pdf: false")


@dataclass(frozen=True)
class Handout:
    """One page to print: the built HTML file, the PDF to write, and the page's path in
    the site ('roles/ppc/'), which with site_url is its web address."""

    page: Path
    pdf: Path
    url_path: str


@dataclass(frozen=True)
class Request:
    """One request that reached the print server while printing, and the status it got:
    a caller (or a test) sees what a page asked for and what was refused."""

    method: str
    target: str
    status: int


def print_pdfs(jobs: list[Handout], browser: str, site_url: str | None,
               site: Path) -> list[Request]:
    """Print each page of the built site in the folder `site`, the only folder the
    browser can read; raise PdfError naming every page that failed. Returns every
    request the server saw."""
    failures = []
    with SiteServer(site) as server, \
            tempfile.TemporaryDirectory(prefix="playbook-pdf-") as profile, \
            _DevTools(browser, server.port, Path(profile)) as chrome:
        for job in jobs:
            failure = _print(chrome, server, job, site_url)
            if failure:
                failures.append(failure)
    if failures:
        raise PdfError("could not print: " + "; ".join(failures))
    return server.requests


def _print(chrome: _DevTools, server: SiteServer, job: Handout,
           site_url: str | None) -> str | None:
    # The copy sits beside the page, so that its stylesheets and images load as the page's.
    copy = job.page.with_name(f".print-{job.pdf.stem}.html")
    copy.write_text(handout_html(job.page.read_text(encoding="utf-8"), job.url_path, site_url),
                    encoding="utf-8")
    try:
        job.pdf.write_bytes(chrome.print_page(server.url(copy)))
    except PdfError as exc:
        return f"{job.page} ({exc})"
    finally:
        copy.unlink(missing_ok=True)
    return None


# --- The print server ---------------------------------------------------------------------


class SiteServer:
    """The built site on a free port of 127.0.0.1, served by a thread of this process,
    and nothing else on disk: no `..`, no symbolic link that leads out of the folder.
    It is the browser's proxy too, and refuses every request for another place."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = _Httpd(self)
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        name="pdf-site-server", daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def url(self, page: Path) -> str:
        """The address of a file of the site on this server."""
        try:
            inside = page.resolve().relative_to(self.root)
        except ValueError:
            raise PdfError(f"{page} is not in the site {self.root}") from None
        return f"http://127.0.0.1:{self.port}/{quote(inside.as_posix())}"

    def file(self, target: str) -> Path | None:
        """The file of the site a request's target names, or None: any target that is not
        a plain path of this server (a proxy request names a whole address, `//host` another
        host) and any path that leads out of the site."""
        if not target.startswith("/") or target.startswith("//"):
            return None
        path = unquote(urlsplit(target).path)
        parts = [part for part in path.split("/") if part]
        if "\0" in path or "\\" in path or any(part in (".", "..") for part in parts):
            return None
        found = self.root.joinpath(*parts)
        if found.is_dir():
            found /= "index.html"
        try:
            real = found.resolve(strict=True)
        except OSError:
            return None
        return real if real.is_relative_to(self.root) and real.is_file() else None

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)


class _Httpd(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: SiteServer) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.site = site

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: the browser hangs up on refusals it no longer waits for, and a traceback
        in the build's output for that would only alarm."""


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the site's files; anything else (CONNECT, POST) is refused by
    BaseHTTPRequestHandler itself as not implemented."""

    server: _Httpd

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        found = self.server.site.file(self.path)
        if found is None:
            self.send_error(404 if self.path.startswith("/") else 403)
            return
        self.send_response(200)
        self.send_header("Content-Type",
                         mimetypes.guess_type(found.name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(found.stat().st_size))
        self.end_headers()
        if body:
            with found.open("rb") as content:
                shutil.copyfileobj(content, self.wfile)

    def end_headers(self) -> None:
        """Every answer, errors included, forbids scripts and any other source."""
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.site.record(Request(str(self.command), self.path,
                                        int(code) if isinstance(code, int) else 0))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the requests are recorded; MkDocs' log is no place for them


# --- The browser ----------------------------------------------------------------------------


class _DevTools:
    """One headless Chromium for all the pages, driven over its DevTools pipe (the child's
    file descriptors 3 and 4, messages ending in a NUL byte): that is what can switch
    scripts off, which the command line's --print-to-pdf cannot."""

    def __init__(self, browser: str, port: int, profile: Path) -> None:
        self._name = browser
        self._log = profile / "chromium.log"
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._last_id = 0
        to_child, self._to_child = (_high(fd) for fd in os.pipe())
        self._from_child, from_child = (_high(fd) for fd in os.pipe())
        proxy = f"127.0.0.1:{port}"
        args = [*FLAGS, f"--user-data-dir={profile / 'user-data'}",
                # every request but one for the print server goes to the print server as
                # a proxy, which refuses it; <-loopback> takes this machine's other ports in
                f"--proxy-server=http://{proxy}", f"--proxy-bypass-list=<-loopback>;{proxy}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        try:
            self._pid = _spawn(browser, args, self._log, to_child, from_child)
        except OSError as exc:
            os.close(self._to_child)
            os.close(self._from_child)
            raise PdfError(f"could not start {browser}: {exc.strerror}") from None
        finally:
            os.close(to_child)
            os.close(from_child)

    def __enter__(self) -> _DevTools:
        try:
            self.call("Browser.getVersion")
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop()

    def print_page(self, url: str) -> bytes:
        """The PDF of the page at `url`, loaded with scripts off."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        try:
            self.call("Emulation.setScriptExecutionDisabled", {"value": True}, session)
            self.call("Page.enable", {}, session)
            self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session)
            started = self.call("Page.navigate", {"url": url}, session)
            if started.get("errorText"):
                raise PdfError(f"could not load {url}: {started['errorText']}")
            self._wait(session, lambda event: event["method"] == "Page.lifecycleEvent"
                       and event["params"].get("name") == "load"
                       and event["params"].get("loaderId") == started.get("loaderId"))
            return base64.b64decode(self.call("Page.printToPDF", PRINT, session)["data"])
        finally:
            self._events.clear()  # one page at a time: what is left is this page's
            self.call("Target.closeTarget", {"targetId": target})

    def call(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        """Send one command and wait for its answer, keeping the events that come first."""
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_child, data):]
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._last_id:
                if "error" in reply:
                    raise PdfError(f"{method}: {reply['error'].get('message')}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._events.append(reply)

    def _wait(self, session: str, wanted: Callable[[dict[str, Any]], bool]) -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self._events:
                if event.get("sessionId") == session and wanted(event):
                    return
            self._events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PdfError(f"{self._name} did not answer within {TIMEOUT} s")
            if select.select([self._from_child], [], [], left)[0]:
                chunk = os.read(self._from_child, 1 << 16)
                if not chunk:
                    raise PdfError(f"{self._name} quit: {self._tail()}")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        answer: dict[str, Any] = json.loads(message)
        return answer

    def _tail(self) -> str:
        try:
            return self._log.read_text(errors="replace").strip()[-200:]
        except OSError:
            return "no log"

    def _stop(self) -> None:
        """Close the browser, then end whatever is left of its process group."""
        with contextlib.suppress(PdfError, OSError):
            self.call("Browser.close")
        deadline = time.monotonic() + 10
        while not _exited(self._pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        # Not yet reaped, the browser keeps its group's number: this ends only its own.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._to_child)
        os.close(self._from_child)


def _exited(pid: int) -> bool:
    """Whether the child has ended, leaving it to be reaped later."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _spawn(browser: str, args: list[str], log: Path, to_child: int, from_child: int) -> int:
    """Start the browser in a process group of its own (so that all of it can be ended),
    with the DevTools pipe on its descriptors 3 and 4 and its output in the log."""
    with open(os.devnull, "rb") as nothing, log.open("wb") as output:
        return os.posix_spawn(browser, [browser, *args], dict(os.environ), setsid=True,
                              file_actions=[(os.POSIX_SPAWN_DUP2, nothing.fileno(), 0),
                                            (os.POSIX_SPAWN_DUP2, output.fileno(), 1),
                                            (os.POSIX_SPAWN_DUP2, output.fileno(), 2),
                                            (os.POSIX_SPAWN_DUP2, to_child, 3),
                                            (os.POSIX_SPAWN_DUP2, from_child, 4)])


def _high(fd: int) -> int:
    """The descriptor moved above 9, so that placing the pipe on the child's 3 and 4
    never overwrites one of the two before it is placed."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


# --- The printed copy -----------------------------------------------------------------------

_ANCHOR = re.compile(r"<a\b([^>]*)>")
_HREF = re.compile(r'\shref="([^"]*)"')
_SELF_LINK = re.compile(r"<tr>(?:(?!</tr>).)*?class=\"pb-pdf\"(?:(?!</tr>).)*?</tr>", re.S)
_TITLE = re.compile(r"(<h1\b[^>]*>.*?</h1>)", re.S)
_PLAIN_TABLE = re.compile(r"<table>.*?</table>", re.S)
_DETAILS = re.compile(r"<details\b([^>]*)>")
_OPEN = re.compile(r"(?:^|\s)open(?:[\s=]|$)")


def handout_html(page: str, url_path: str, site_url: str | None) -> str:
    """The page as its PDF shows it: links to where they lead on the web, or plain text
    with their address in the playbook; no link to the PDF itself; the page's address
    under its title. (MkDocs writes every attribute in double quotes.)"""
    base = site_url.rstrip("/") + "/" + url_path if site_url else None
    page = _SELF_LINK.sub("", page)
    page = page.replace(' loading="lazy"', "")  # a printer does not scroll: load them all
    page = _ANCHOR.sub(lambda match: _anchor(match[1], url_path, base), page)
    page = _as_scripts_leave_it(page)
    where = (f'<a href="{html.escape(base)}">{html.escape(base)}</a>' if base else
             f"{html.escape(url_path)} in the playbook (printed without the site's web "
             "address, site_url)")
    return _TITLE.sub(lambda match: f'{match[1]}\n<p class="pb-source">This page online: '
                      f"{where}</p>", page, count=1)


def _as_scripts_leave_it(page: str) -> str:
    """What Material's scripts do to a page before a browser prints it, done here since
    the printer runs none: each plain table in its scrolling wrapper (Material's table
    styles assume it), and every <details> open (closed, its content would not print)."""
    page = _PLAIN_TABLE.sub(lambda match: '<div class="md-typeset__scrollwrap"><div '
                            f'class="md-typeset__table">{match[0]}</div></div>', page)
    return _DETAILS.sub(lambda match: match[0] if _OPEN.search(re.sub(r'"[^"]*"', '""',
                                                                      match[1]))
                        else f"<details{match[1]} open>", page)


def _anchor(attributes: str, url_path: str, base: str | None) -> str:
    found = _HREF.search(attributes)
    if found is None:
        return f"<a{attributes}>"
    href = html.unescape(found[1])
    if urlsplit(href).scheme:  # already a full address: https:, mailto:, webcal:
        return f"<a{attributes}>"
    if base is not None:
        full = html.escape(urljoin(base, href))
        kept = _HREF.sub(lambda _: f' href="{full}"', attributes, count=1)
        shown = "" if href.startswith("#") else f' data-pb-href="{full}"'
        return f"<a{kept}{shown}>"
    unlinked = _HREF.sub("", attributes, count=1)
    if href.startswith("#"):
        return f"<a{unlinked}>"
    target = posixpath.normpath(posixpath.join(url_path, href))
    target += "/" if href.endswith("/") else ""
    return f'<a{unlinked} data-pb-href="{html.escape(target)}">'
