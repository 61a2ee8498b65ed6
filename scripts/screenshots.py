"""Take the README's screenshots from the real build of the example playbook.

Usage: python scripts/screenshots.py [SITE_DIR] [OUT_DIR]  (after `make site`).
Serves SITE_DIR on a free local port and drives Debian's Chromium with Playwright;
the PDF page needs pdftoppm (Debian's poppler-utils).
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator.engines.pdf import Handout, find_browser, print_pdfs

SITE_URL = "https://playbook.backyardhiveacademy.com/"
"""The example's address (mkdocs.yml), as the plugin passes it when printing."""

CHROMIUM = "/usr/bin/chromium"
SHOTS = [
    # (file name, page, viewport width, viewport height, full page)
    ("org-chart.png", "org-chart/", 1280, 900, False),
    ("role-page.png", "roles/ppc/", 1280, 1000, False),
    ("procedure.png", "roles/ppc/#weekly-bid-review", 1280, 1000, False),
    ("phone-org-chart.png", "org-chart/", 390, 844, False),
    ("print-role-page.png", "roles/ezine-articles/", 900, 1100, False),
]
INTERNAL_SHOTS = [("plan.png", "plan/", 1280, 1000, False)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    shoot(site, out, SHOTS)
    internal = site.with_name(site.name + "-internal")
    if internal.is_dir():
        shoot(internal, out, INTERNAL_SHOTS)
    pdf_page(site, out / "role-pdf-page1.png")


def pdf_page(site: Path, png: Path) -> None:
    """Print the PPC role page to PDF as the plugin's `pdf: true` does; page 1 as PNG."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "ppc.pdf"
        page = site / "roles/ppc/index.html"
        print_pdfs([Handout(page, pdf, "roles/ppc/")], find_browser(), SITE_URL, site)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(png.with_suffix(""))], check=True)
    print(f"wrote {png}")


def shoot(site: Path, out: Path, shots: list[tuple[str, str, int, int, bool]]) -> None:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync"])
            for name, page_url, width, height, full in shots:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base + page_url)
                page.wait_for_load_state("networkidle")
                if name.startswith("print-"):
                    page.emulate_media(media="print")
                    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
                page.screenshot(path=str(out / name), full_page=full)
                page.close()
                print(f"wrote {out / name}")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
