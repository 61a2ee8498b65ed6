"""Contractor handoff: lasting links, hiring briefs, review dates, PDFs, the owner's guide."""

from __future__ import annotations

import contextlib
import functools
import http.client
import http.server
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import EXAMPLE, ROOT, Build, run_build
from playbook_fixtures import guide_files, guide_playbook
from pypdf import PdfReader

from generator.checking.pipeline import check
from generator.engines.pdf import Handout, Request, SiteServer, handout_html, print_pdfs

ROLE_IDS = sorted(p.stem for p in (EXAMPLE / "roles").glob("*.yml"))


def _outsourceable() -> list[str]:
    return sorted(rid for rid, role in check(EXAMPLE).playbook.roles.items()
                  if role.sourcing == "outsource")


def _redirect_target(build: Build, old: str) -> Path:
    page = build.site / old / "index.html"
    text = page.read_text(encoding="utf-8")
    href = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)[1]
    assert f'<link rel="canonical" href="{href}">' in text
    return (page.parent / href / "index.html").resolve()


def test_renamed_role_keeps_its_old_links(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    roles = project / "playbook/roles"
    text = (roles / "ppc.yml").read_text(encoding="utf-8")
    (roles / "paid-search.yml").write_text(
        text.replace("title: PPC management", "title: Paid search\naliases: [ppc, marketing/ppc]"),
        encoding="utf-8")
    (roles / "ppc.yml").unlink()
    procedure = project / "playbook/procedures/weekly-bid-review.yml"
    procedure.write_text(procedure.read_text().replace("role: ppc", "role: paid-search"))
    build = run_build(project)
    assert build.returncode == 0, build.output
    new_page = (build.site / "roles/paid-search/index.html").resolve()
    assert _redirect_target(build, "roles/ppc") == new_page
    assert _redirect_target(build, "marketing/ppc") == new_page
    assert "location.hash" in (build.site / "roles/ppc/index.html").read_text()


def test_every_anchor_a_role_page_links_exists(example_build: Build) -> None:
    for rid in ROLE_IDS:
        page = example_build.page(f"roles/{rid}/")
        ids = {tag["id"] for tag in page.find_all(id=True)}
        anchors = [a["href"][1:] for a in page.find_all("a", href=True)
                   if a["href"].startswith("#") and len(a["href"]) > 1]
        assert anchors, rid
        missing = [anchor for anchor in anchors if anchor not in ids]
        assert not missing, f"roles/{rid}/ links to missing anchors {missing}"


def test_each_procedure_and_step_has_a_permalink(example_build: Build) -> None:
    page = example_build.page("roles/ppc/")
    heading = page.find(id="weekly-bid-review")
    assert heading.find("a", class_="headerlink")["href"] == "#weekly-bid-review"
    step = page.find(id="weekly-bid-review-step-3-1")
    assert step.find_next("a", class_="pb-step-link")["href"] == "#weekly-bid-review-step-3-1"


@pytest.mark.parametrize("rid", _outsourceable())
def test_hiring_brief_for_every_outsourceable_role(example_build: Build, rid: str) -> None:
    from generator.checking.pipeline import check

    result = check(EXAMPLE)
    role, figures = result.playbook.roles[rid], result.analysis.roles[rid]
    brief = example_build.page(f"roles/{rid}/").select_one("details.pb-brief")
    assert brief is not None
    text = brief.find("code").get_text()
    first = text.splitlines()[0]
    assert first.startswith(f"{role.title}: ")
    assert f"about {figures.hours_per_week:.1f} h a week" in first  # as the page rounds it
    for item in [*role.skills, *(k.name for k in role.kpis), *role.success_factors]:
        assert " ".join(item.split()) in text
    if role.private and role.private.notes:
        assert " ".join(role.private.notes.split()[:8]) not in text


def test_kept_roles_have_no_hiring_brief(example_build: Build) -> None:
    assert example_build.page("roles/product-ideas/").select_one("details.pb-brief") is None


def test_review_overdue_banner_only_in_the_internal_build(
        project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    env = {"PLAYBOOK_TODAY": "2026-11-23"}
    public = run_build(project, env=env)
    assert public.returncode == 0, public.output
    assert "Review overdue" not in (public.site / "roles/shipping/index.html").read_text()
    internal = run_build(project, "-d", "site-internal",
                         env={**env, "PLAYBOOK_AUDIENCE": "internal"})
    assert internal.returncode == 0, internal.output
    shipping = (project / "site-internal/roles/shipping/index.html").read_text()
    assert "Review overdue" in shipping and "2026-09-15" in shipping
    ppc = (project / "site-internal/roles/ppc/index.html").read_text()
    assert "Review overdue" not in ppc
    glance = (public.site / "roles/shipping/index.html").read_text()
    assert "2026-06-15, reviewed quarterly" in glance


def test_check_warns_about_stale_reviews_against_an_injected_today() -> None:
    early = check(EXAMPLE, today=date(2026, 9, 1))
    late = check(EXAMPLE, today=date(2026, 11, 23))
    assert not early.warnings
    stale = [p for p in late.warnings if "review overdue" in p.message]
    assert [Path(p.file).name for p in stale] == ["product-creation.yml", "shipping.yml"]
    assert "review overdue since 2026-09-15 (reviewed quarterly)" in stale[1].message
    assert late.failed(strict=True) and not late.failed()


CHROMIUM = shutil.which("chromium")


def _need_chromium() -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must print PDFs: install Debian's chromium (.ci/run does)")
        pytest.skip("PDFs need Chromium: apt-get install chromium")


@pytest.fixture
def pdf_build(project_factory: Callable[..., Path]) -> Build:
    _need_chromium()
    project = project_factory(ROOT / "tests/fixtures/minimal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - playbook\n",
                                                 "  - playbook:\n      pdf: true\n"))
    build = run_build(project)
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output
    return build


def test_pdf_of_each_outsourceable_role(pdf_build: Build) -> None:
    result = check(pdf_build.project / "playbook")
    for rid, role in result.playbook.roles.items():
        pdf = pdf_build.site / "roles" / rid / f"{rid}.pdf"
        link = pdf_build.page(f"roles/{rid}/").find("a", class_="pb-pdf")
        if role.sourcing == "outsource":
            assert pdf.read_bytes().startswith(b"%PDF-"), rid
            assert link["href"] == f"{rid}.pdf"
        else:
            assert not pdf.exists() and link is None


def test_pdf_needs_a_browser(project_factory: Callable[..., Path]) -> None:
    project = project_factory(ROOT / "tests/fixtures/minimal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - playbook\n", "  - playbook:\n      pdf: true\n      pdf_browser: no-such-browser\n"))
    build = run_build(project)
    assert build.returncode == 1
    assert "pdf: needs no-such-browser" in build.output and "Traceback" not in build.output


def test_every_guide_example_passes_the_real_loader(tmp_path: Path) -> None:
    files = guide_files()
    assert {"business.yml", "people.yml"} <= set(files) and len(files) >= 6
    result = check(guide_playbook(tmp_path), today=date(2026, 11, 23))
    # The one problem the guide shows on purpose: a task of a role to outsource not timed yet.
    assert [(Path(p.file).name, p.line, p.severity.value, p.message.split(":")[0])
            for p in result.problems] == [("support.yml", 18, "warning", "tasks[2]")], \
        "\n".join(map(str, result.problems))
    assert set(result.playbook.roles) == {"design", "social", "support", "bookkeeping"}


@pytest.mark.parametrize("name", sorted(guide_files()))
def test_each_guide_example_alone_is_strict_yaml(name: str) -> None:
    from generator.files.strict_yaml import parse

    assert parse(guide_files()[name]) is not None


def test_pdf_with_a_browser_that_is_not_chromium(project_factory: Callable[..., Path]) -> None:
    """A pdf_browser that does not speak DevTools ends the build with an error naming it."""
    project = project_factory(ROOT / "tests/fixtures/minimal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - playbook\n", "  - playbook:\n      pdf: true\n      pdf_browser: /bin/false\n"))
    build = run_build(project)
    assert build.returncode != 0
    assert "/bin/false quit" in build.output and "Traceback" not in build.output
    assert not build.site.exists()


SITE_URL = "https://playbook.backyardhiveacademy.com/"


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The example with `pdf: true` and the repository's mkdocs.yml, which sets site_url."""
    _need_chromium()
    project = tmp_path_factory.mktemp("pdfs") / "project"
    shutil.copytree(EXAMPLE, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    config = (ROOT / "mkdocs.yml").read_text()
    assert f"site_url: {SITE_URL}" in config
    (project / "mkdocs.yml").write_text(config.replace(
        "      audience: public\n", "      audience: public\n      pdf: true\n"))
    build = run_build(project)
    assert build.returncode == 0, build.output
    return build


def _links(pdf: Path) -> list[str]:
    """Every link a PDF reader can follow in the file."""
    found = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def _lowest_text(pdf: Path) -> float:
    """How far down the first page its text goes, from 0 (top) to 1 (bottom)."""
    page = PdfReader(pdf).pages[0]
    height = float(page.mediabox.height)
    lows: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():  # the text's baseline on the page: its matrix times the page's
            lows.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return 1 - min(lows) / height  # PDF pages count y from the bottom


def test_pdfs_link_to_the_published_site(example_pdfs: Build) -> None:
    pdfs = sorted(example_pdfs.site.glob("roles/*/*.pdf"))
    assert len(pdfs) == 12  # the outsourceable roles
    for pdf in pdfs:
        rid = pdf.stem
        links = _links(pdf)
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert links, rid
        assert not [link for link in links if link.startswith("file:")], rid
        assert b"file://" not in pdf.read_bytes(), rid
        assert all(link.startswith((SITE_URL, "webcal://playbook.backyardhiveacademy.com/",
                                    "mailto:", "https://")) for link in links), links
        assert f"This page online: {SITE_URL}roles/{rid}/" in " ".join(text.split()), rid
        assert f"{SITE_URL}roles/{rid}/{rid}.pdf" not in links  # no link to itself
        assert "Download this page as a PDF" not in text
        # The first page is filled: the role's title, at-a-glance box and what follows, not
        # a page that stops after the box (text reaches below 70% of the page).
        assert _lowest_text(pdf) > 0.7, rid


def test_pdfs_without_a_site_url_carry_no_file_links(pdf_build: Build) -> None:
    for pdf in pdf_build.site.glob("roles/*/*.pdf"):
        assert not [link for link in _links(pdf) if link.startswith("file:")]
        assert b"file://" not in pdf.read_bytes()
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
        assert f"roles/{pdf.stem}/ in the playbook" in text
    assert "site_url is not set" in pdf_build.output


def test_pdf_shows_the_step_screenshots(example_pdfs: Build) -> None:
    """The hiring procedure has three screenshots; lazy loading must not leave them out of
    the printed copy, which no one scrolls."""
    pdf = example_pdfs.site / "roles/hiring/hiring.pdf"
    images = [name for page in PdfReader(pdf).pages
              for name, item in (page["/Resources"].get("/XObject") or {}).items()
              if item.get_object().get("/Subtype") == "/Image"]
    assert len(images) >= 3, images
    assert "https://www.youtube.com/@Upwork" in _links(pdf)


# --- PDFs print where nothing but the site can be read ----------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A server on another port of this machine: whatever reaches it would have left the
    site. It answers with a marker, so that an answer that got into a PDF shows."""

    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = b"<p>OTHER-PORT-MARK</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serving(folder: Path | None = None) -> Iterator[tuple[int, list[str]]]:
    """A plain HTTP server on a free port of 127.0.0.1 (no Content-Security-Policy): with
    a folder it serves it, else it is a _Recorder. Yields its port and the paths it saw."""
    seen: list[str] = []
    if folder is None:
        handler: Callable[..., http.server.BaseHTTPRequestHandler] = type(
            "Seen", (_Recorder,), {"seen": seen})
    else:
        class Logged(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                seen.append(self.path)
        handler = functools.partial(Logged, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _text(pdf: Path) -> str:
    """A PDF's text as pypdf reads it, white space folded."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


SCRIPT = ("<p id='pb-probe'>no script ran</p>"
          "<script>document.getElementById('pb-probe').textContent = 'SCRIPT-RAN-MARK';"
          "document.write('<p>SCRIPT-WROTE-MARK</p>');</script>"
          "<img src='missing.png' alt='' onerror=\"document.body.append('HANDLER-RAN-MARK')\">"
          "<iframe srcdoc=\"<script>document.write('SRCDOC-SCRIPT-MARK')</script>\"></iframe>"
          "<iframe src=\"data:text/html,<script>document.write('DATA-SCRIPT-MARK')</script>\">"
          "</iframe>")


def test_pdf_prints_with_scripts_off_and_no_other_port(tmp_path: Path) -> None:
    """The browser itself runs no script and reaches no other port, even when the page
    comes from a server that sends no Content-Security-Policy (the print server's own
    policy is a second lock, tested below)."""
    _need_chromium()
    from generator.engines.pdf import _DevTools

    (tmp_path / "site").mkdir()
    with _serving() as (other, other_seen):
        (tmp_path / "site/page.html").write_text(
            f"<h1>Probe page</h1>{SCRIPT}<img src='http://127.0.0.1:{other}/img' alt=''>"
            f"<link rel='preconnect' href='http://127.0.0.1:{other}'>"
            f"<iframe src='http://127.0.0.1:{other}/frame'></iframe>", encoding="utf-8")
        with _serving(tmp_path / "site") as (port, seen), \
                _DevTools(str(CHROMIUM), port, tmp_path) as chrome:
            (tmp_path / "page.pdf").write_bytes(
                chrome.print_page(f"http://127.0.0.1:{port}/page.html"))
    text = _text(tmp_path / "page.pdf")
    assert "Probe page" in text and "no script ran" in text  # the page was printed
    assert "MARK" not in text, text
    assert "/page.html" in seen
    assert other_seen == [], "a request reached another port of this machine"


@pytest.fixture
def hostile_pdf(pdf_build: Build, tmp_path: Path) -> Iterator[tuple[str, list[Request], list[str]]]:
    """A role page of a real build carrying hostile HTML, printed as the plugin prints it.
    The internal build sits beside the site, as `make site-internal` puts it, and the site
    holds a symbolic link out to it. Yields the PDF's text, what the print server saw and
    what another port of this machine saw."""
    site = pdf_build.site
    people = site.parent / "site-internal/people"
    people.mkdir(parents=True)
    (people / "index.html").write_text("<p>INTERNAL-RATE-MARK 31 an hour</p>")
    (site / "roles/bookkeeping/leak.html").symlink_to(people / "index.html")
    page = site / "roles/bookkeeping/index.html"
    with _serving() as (other, other_seen):
        payload = (
            f"{SCRIPT}"
            "<iframe src='file:///etc/passwd'></iframe><iframe src='/etc/passwd'></iframe>"
            "<object data='file:///etc/passwd'></object>"
            "<iframe src='../../../site-internal/people/index.html'></iframe>"
            "<iframe src='%2e%2e/%2e%2e/%2e%2e/site-internal/people/'></iframe>"
            "<img src='../../../site-internal/people/rates.png' alt=''>"
            "<iframe src='leak.html'></iframe>"
            "<script>fetch('../../../site-internal/people/index.html')"
            ".then(r => r.text()).then(t => document.body.append(t));</script>"
            f"<iframe src='http://127.0.0.1:{other}/frame'></iframe>"
            f"<img src='http://127.0.0.1:{other}/img' alt=''>"
            f"<link rel='preconnect' href='http://127.0.0.1:{other}'>"
            "<img src='http://203.0.113.5/x' alt=''><img src='https://example.com/y.png' alt=''>"
            "<iframe src='https://example.com/'></iframe>"
            "<details><summary>Folded</summary><p>Folded text prints too</p></details>")
        html = page.read_text(encoding="utf-8")
        assert html.count("</article>") == 1
        page.write_text(html.replace("</article>", payload + "</article>"), encoding="utf-8")
        pdf = tmp_path / "bookkeeping.pdf"
        requests = print_pdfs([Handout(page, pdf, "roles/bookkeeping/")], str(CHROMIUM),
                              None, site)
        yield _text(pdf), requests, other_seen


def test_hostile_page_prints_nothing_from_outside_the_site(
        hostile_pdf: tuple[str, list[Request], list[str]]) -> None:
    text, _, other_seen = hostile_pdf
    assert "Bookkeeping" in text and "no script ran" in text  # the page was read
    assert "Folded text prints too" in text  # as Material's script opens it for print
    assert "MARK" not in text, text
    for line in Path("/etc/passwd").read_text().splitlines():
        user = ":".join(line.split(":")[:3])  # root:x:0
        assert not user or user not in text, f"{line} of /etc/passwd is in the PDF"
    assert other_seen == [], "a request reached another port of this machine"


def test_hostile_page_asks_for_nothing_outside_the_site(
        hostile_pdf: tuple[str, list[Request], list[str]]) -> None:
    """What the print server saw: files of the site, answered; anything else, refused
    (a proxy request for another host; a path that leads out, which the browser folds
    into the site and the server does not find)."""
    _, requests, _ = hostile_pdf
    answered = [r.target for r in requests if r.status == 200]
    assert "/roles/bookkeeping/.print-bookkeeping.html" in answered
    assert all(target.startswith("/") for target in answered), answered
    assert not [t for t in answered if "site-internal" in t or "leak" in t or "passwd" in t]
    assert not [r for r in requests if "203.0.113.5" in r.target and r.status < 400]


def test_printed_copy_does_what_materials_scripts_would() -> None:
    """The printer runs no script, so the copy it prints has Material's table wrapper and
    every <details> open, as a reader's browser has them when it prints."""
    page = ('<h1>T</h1><table>\n<tr><td>a</td></tr>\n</table><table class="pb-heat"></table>'
            '<details class="note"><summary>S</summary>x</details><details open>y</details>'
            '<details class="opened">z</details>')
    copy = BeautifulSoup(handout_html(page, "roles/x/", None), "html.parser")
    wrapped = copy.select(".md-typeset__scrollwrap > .md-typeset__table > table")
    assert len(wrapped) == 1 and not wrapped[0].get("class")
    assert all(details.has_attr("open") for details in copy.find_all("details"))


@pytest.mark.parametrize("target", [
    "/../site-internal/people/index.html", "/%2e%2e/site-internal/people/index.html",
    "/roles/..%2f..%2fsite-internal/people/index.html", "//etc/passwd", "/etc/passwd",
    "/leak.html", "/out/index.html", "http://example.com/", "http://127.0.0.1:1/x"])
def test_print_server_serves_only_the_site(tmp_path: Path, target: str) -> None:
    site, internal = tmp_path / "site", tmp_path / "site-internal/people"
    (site / "roles").mkdir(parents=True)
    internal.mkdir(parents=True)
    (site / "index.html").write_text("<p>the site</p>")
    (internal / "index.html").write_text("INTERNAL-RATE-MARK")
    (site / "leak.html").symlink_to(internal / "index.html")
    (site / "out").symlink_to(internal, target_is_directory=True)
    with SiteServer(site) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/")
        home = connection.getresponse()
        assert home.status == 200 and home.read() == b"<p>the site</p>"
        assert "script-src 'none'" in home.headers["Content-Security-Policy"]
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", target)
        answer = connection.getresponse()
        assert answer.status in (403, 404) and b"INTERNAL" not in answer.read()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("CONNECT", "example.com:443")
        assert connection.getresponse().status >= 400


def test_a_role_shows_one_figure_for_its_hours(example_build: Build) -> None:
    """The page, the engagement line, the hiring brief, the org chart box and the outline
    all round the role's hours the same way (they said 0.3 h, 'about 0 h' and '1 hour')."""
    for rid, shown in (("legal", "0.3 h"), ("ppc", "9.5 h")):
        page = example_build.page(f"roles/{rid}/")
        glance = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text()
                  for tr in page.select(".pb-glance tr") if len(tr.find_all("td")) == 2}
        assert glance["Hours per week"] == shown
        assert glance["Engagement"].endswith(f"about {shown} a week")
        brief = page.select_one(".pb-brief code")
        assert brief is not None and f"about {shown} a week" in brief.get_text().splitlines()[0]
        chart = example_build.page("org-chart/").select_one(
            f".pb-org a.pb-box[href='../roles/{rid}/']")
        assert f"{shown}/wk" in chart.get_text()
