"""PDF handouts of role pages, printed from the built site by headless Chromium.

Opt-in (the plugin's `pdf: true`): a real browser engine prints the page with the
same print stylesheet a reader gets from their browser's Print, so the PDF and a
printout never differ. Pages print two at a time (the machines have two cores).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def print_pdfs(jobs: list[tuple[Path, Path]], browser: str, workers: int = 2) -> None:
    """Print each (html file, pdf file) pair; raise PdfError naming every page that failed."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        failures = [f for f in pool.map(lambda job: _print(browser, *job), jobs) if f]
    if failures:
        raise PdfError("could not print: " + "; ".join(failures))


def _print(browser: str, page: Path, pdf: Path) -> str | None:
    with tempfile.TemporaryDirectory(prefix="playbook-pdf-") as profile:
        command = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                   page.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return f"{page} (timed out after {TIMEOUT} s)"
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        return f"{page} (exit {done.returncode}: {done.stderr.strip()[-200:]})"
    return None
