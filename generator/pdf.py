"""PDF handouts of role pages, printed from the built site by headless Chromium.

Opt-in (the plugin's `pdf: true`): a real browser engine prints the page with the
same print stylesheet a reader gets from their browser's Print, so the PDF and a
printout never differ. Pages print two at a time (the machines have two cores).

A PDF travels without the site, so it is printed from a copy of the page whose
links are full web addresses (the site's `site_url`), shown as text after each
link too; without `site_url`, the links become plain text with the page's address
in the playbook, since the only address Chromium could give them is a `file://`
path of the machine that built the site. The copy leaves out the link to the PDF
itself and starts with the page's web address.
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")
TIMEOUT = 120


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


def print_pdfs(jobs: list[Handout], browser: str, site_url: str | None,
               workers: int = 2) -> None:
    """Print each page; raise PdfError naming every page that failed."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        failures = [f for f in pool.map(lambda job: _print(browser, job, site_url), jobs) if f]
    if failures:
        raise PdfError("could not print: " + "; ".join(failures))


def _print(browser: str, job: Handout, site_url: str | None) -> str | None:
    # The copy sits beside the page, so that its stylesheets and images load as the page's.
    copy = job.page.with_name(f".print-{job.pdf.stem}.html")
    copy.write_text(handout_html(job.page.read_text(encoding="utf-8"), job.url_path, site_url),
                    encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="playbook-pdf-") as profile:
            command = [browser, *FLAGS, f"--user-data-dir={profile}",
                       f"--print-to-pdf={job.pdf}", copy.resolve().as_uri()]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                return f"{job.page} (timed out after {TIMEOUT} s)"
    finally:
        copy.unlink(missing_ok=True)
    if done.returncode != 0 or not job.pdf.is_file() or job.pdf.stat().st_size == 0:
        return f"{job.page} (exit {done.returncode}: {done.stderr.strip()[-200:]})"
    return None


_ANCHOR = re.compile(r"<a\b([^>]*)>")
_HREF = re.compile(r'\shref="([^"]*)"')
_SELF_LINK = re.compile(r"<tr>(?:(?!</tr>).)*?class=\"pb-pdf\"(?:(?!</tr>).)*?</tr>", re.S)
_TITLE = re.compile(r"(<h1\b[^>]*>.*?</h1>)", re.S)


def handout_html(page: str, url_path: str, site_url: str | None) -> str:
    """The page as its PDF shows it: links to where they lead on the web, or plain text
    with their address in the playbook; no link to the PDF itself; the page's address
    under its title. (MkDocs writes every attribute in double quotes.)"""
    base = site_url.rstrip("/") + "/" + url_path if site_url else None
    page = _SELF_LINK.sub("", page)
    page = page.replace(' loading="lazy"', "")  # a printer does not scroll: load them all
    page = _ANCHOR.sub(lambda match: _anchor(match[1], url_path, base), page)
    where = (f'<a href="{html.escape(base)}">{html.escape(base)}</a>' if base else
             f"{html.escape(url_path)} in the playbook (printed without the site's web "
             "address, site_url)")
    return _TITLE.sub(lambda match: f'{match[1]}\n<p class="pb-source">This page online: '
                      f"{where}</p>", page, count=1)


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
