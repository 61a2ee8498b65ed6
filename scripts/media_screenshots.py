"""Remake the example's step screenshots (playbook/media/) from the example site itself.

Usage: `make site`, then `.venv/bin/python scripts/media_screenshots.py site`. Needs
Debian's chromium and Playwright (`pip install -e ".[browser]"`).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

MEDIA = Path(__file__).resolve().parent.parent / "playbook" / "media"
CALENDAR_TOP = ("() => { const r = document.getElementById('calendar').getBoundingClientRect();"
                " return [r.left + scrollX, r.top + scrollY]; }")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve()
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.goto(f"http://127.0.0.1:{server.server_port}/roles/ppc/")
        page.locator(".pb-glance").screenshot(path=str(MEDIA / "role-at-a-glance.png"))
        page.locator("details.pb-brief summary").click()
        page.locator("details.pb-brief").screenshot(path=str(MEDIA / "hiring-brief.png"))
        left, top = page.evaluate(CALENDAR_TOP)
        page.screenshot(path=str(MEDIA / "role-calendar.png"), full_page=True,
                        clip={"x": left - 10, "y": top - 10, "width": 760, "height": 300})
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
