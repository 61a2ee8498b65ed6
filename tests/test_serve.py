"""`mkdocs serve` rebuilds on playbook edits and survives a bad one; `playbook serve` shows an
edit on every page it changes, and survives a bad one too."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import runner
from bs4 import BeautifulSoup
from conftest import EXAMPLE, ROOT, free_port, mkdocs_serve


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def served(project_factory: Callable[..., Path]):
    project = project_factory()
    with mkdocs_serve(project) as (url, log):
        assert "PPC" in _fetch(url)
        yield project, url, log


def test_edit_shows_up_and_bad_edit_keeps_last_good_site(served) -> None:
    project, url, log = served
    role = project / "playbook/roles/ppc.yml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("title: PPC management", "title: Paid search management"),
                    encoding="utf-8")
    assert _wait_for(lambda: "Paid search management" in _fetch(url), 15), log.read_text()

    role.write_text("title: [unclosed\n", encoding="utf-8")
    reported = "playbook/roles/ppc.yml:1:8: error: invalid YAML: close the bracket ["
    assert _wait_for(lambda: reported in log.read_text(), 15), log.read_text()
    assert "Paid search management" in _fetch(url)
    assert "Traceback" not in log.read_text()


# `playbook serve`: pages rendered on request from the newest state (generator/engines/serve.py).

PLAYBOOK = Path(sys.executable).with_name("playbook")
HANG = 60
"""Seconds after which a wait counts as hung: the machine can be 3x slower when busy; an
edit shows in about a second on a quiet one."""


@dataclass
class Preview:
    project: Path
    base: str
    log: Path
    process: subprocess.Popen[bytes]

    def page(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(_fetch(self.base + url), "html.parser")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")


def _example(tmp_path: Path) -> Path:
    """The example (playbook/, docs/, mkdocs.yml) copied to tmp_path."""
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


@contextmanager
def playbook_serve(project: Path, env: dict[str, str] | None = None, *,
                   address: str = "127.0.0.1", options: tuple[str, ...] = (),
                   port: int | None = None) -> Iterator[Preview]:
    """`playbook serve` in project on port (default: a free one) of address, asked at
    127.0.0.1 (at [::1] for an IPv6 address); stopped (if still running) at the end."""
    port = port or free_port()
    log = project / "serve.log"
    with log.open("w") as stream:
        process = subprocess.Popen([str(PLAYBOOK), "serve", "-a", f"{address}:{port}",
                                    *options], cwd=project, stdout=stream,
                                   stderr=subprocess.STDOUT, env=runner.env(env))
        try:
            asked = "[::1]" if ":" in address else "127.0.0.1"
            yield Preview(project, f"http://{asked}:{port}/", log, process)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """The example under `playbook serve`, its role page served."""
    with playbook_serve(_example(tmp_path)) as served:
        assert _wait_for(lambda: "PPC management" in _fetch(served.base + "roles/ppc/"),
                         HANG), served.output()
        yield served


def _titles_of_ppc(preview: Preview) -> dict[str, str]:
    """Where the title of the PPC role shows: its page, another role's nav, the org chart,
    its department's page and the search index."""
    index = json.loads(_fetch(preview.base + "search/search_index.json"))
    seo, chart = preview.page("roles/seo/"), preview.page("org-chart/")
    return {
        "role page": preview.page("roles/ppc/").select_one("article h1").get_text(
            strip=True).removesuffix("¶"),  # the heading's permalink
        "nav of another role": seo.select_one('nav a.md-nav__link[href="../ppc/"]'
                                              ).get_text(strip=True),
        "org chart": chart.select_one('article a.pb-box[href="../roles/ppc/"] .pb-box-title'
                                      ).get_text(strip=True),
        "department page": preview.page("roles/marketing/").select_one(
            'article a[href="../ppc/"]').get_text(strip=True),
        "search index": next(doc["title"] for doc in index["docs"]
                             if doc["location"] == "roles/ppc/"),
    }


def _token(html: str) -> str:
    """The state a served page was made from, as its live-reload script knows it."""
    match = re.search(r'var known = "([^"]+)"', html)
    assert match, "the page has no live-reload script"
    return match[1]


def test_playbook_serve_shows_a_rename_everywhere(preview: Preview) -> None:
    before = _titles_of_ppc(preview)
    assert set(before.values()) == {"PPC management"}, before
    token = _token(_fetch(preview.base + "roles/seo/"))
    role = preview.project / "playbook/roles/ppc.yml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("title: PPC management", "title: Paid search management"),
                    encoding="utf-8")
    assert _wait_for(lambda: set(_titles_of_ppc(preview).values()) == {
        "Paid search management"}, HANG), (_titles_of_ppc(preview), preview.output())
    # An open page is told at once that its state is old (it reloads itself).
    live = _fetch(f"{preview.base}.playbook/generation?known={token}")
    assert live and live != token
    assert "Traceback" not in preview.output()


def test_playbook_serve_keeps_the_last_good_state_after_a_bad_edit(preview: Preview) -> None:
    role = preview.project / "playbook/roles/ppc.yml"
    good = role.read_text(encoding="utf-8")
    role.write_text("title: [unclosed\n", encoding="utf-8")
    reported = "playbook/roles/ppc.yml:1:8: error: invalid YAML: close the bracket ["
    assert _wait_for(lambda: reported in preview.output(), HANG), preview.output()
    assert set(_titles_of_ppc(preview).values()) == {"PPC management"}
    assert "Traceback" not in preview.output()

    role.write_text(good.replace("title: PPC management", "title: Paid search management"),
                    encoding="utf-8")
    assert _wait_for(lambda: "Paid search management" in _fetch(preview.base + "roles/ppc/"),
                     HANG), preview.output()


def test_playbook_serve_shows_hand_written_edits_and_stops_on_ctrl_c(
        preview: Preview) -> None:
    page = preview.project / "docs/working-with-us.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added while served.\n",
                    encoding="utf-8")
    assert _wait_for(lambda: "A sentence added while served." in preview.page(
        "working-with-us/").select_one("article").get_text(), HANG), preview.output()
    config = preview.project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_name: Backyard Hive Academy playbook", "site_name: Renamed site"),
        encoding="utf-8")
    assert _wait_for(lambda: "Renamed site" in preview.page("roles/ppc/").title.get_text(),
                     HANG), preview.output()

    preview.process.send_signal(signal.SIGINT)
    assert preview.process.wait(timeout=HANG) == 0, preview.output()
    assert "Traceback" not in preview.output()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=HANG) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_playbook_serve_waits_for_a_playbook_with_errors_and_a_good_mkdocs_yml(
        tmp_path: Path) -> None:
    project = _example(tmp_path)
    role = project / "playbook/roles/ppc.yml"
    good = role.read_text(encoding="utf-8")
    role.write_text("title: [unclosed\n", encoding="utf-8")
    with playbook_serve(project) as preview:
        # Served at once, as a page that names the problem and reloads once it is fixed.
        assert _wait_for(lambda: _status(preview.base + "roles/ppc/") == 503, HANG)
        reported = "playbook/roles/ppc.yml:1:8: error: invalid YAML: close the bracket ["
        assert reported in preview.output()
        role.write_text(good, encoding="utf-8")
        assert _wait_for(lambda: "PPC management" in _fetch(preview.base + "roles/ppc/"),
                         HANG), preview.output()

        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text + "theme: [unclosed\n", encoding="utf-8")
        assert _wait_for(lambda: "error parsing the configuration file" in preview.output(),
                         HANG), preview.output()
        assert _status(preview.base + "roles/ppc/") == 200
        config.write_text(text.replace("site_name: Backyard Hive Academy playbook",
                                       "site_name: Renamed site"), encoding="utf-8")
        assert _wait_for(lambda: "Renamed site" in _fetch(preview.base + "roles/ppc/"),
                         HANG), preview.output()
        assert "Traceback" not in preview.output()


def test_a_check_that_reuses_parsed_files_sees_every_edit(tmp_path: Path) -> None:
    """`playbook serve` checks with loader.Parsed: files whose text is unchanged are not
    parsed again, and an edit is seen even when it keeps the file's size and time stamp."""
    from generator.checking.pipeline import check
    from generator.files.loader import Parsed

    root = _example(tmp_path) / "playbook"
    parsed = Parsed()
    first = check(root, parsed=parsed)
    assert first.playbook is not None and not first.errors
    again = check(root, parsed=parsed)
    assert [str(p) for p in again.problems] == [str(p) for p in check(root).problems]
    assert again.playbook == first.playbook

    role = root / "roles/ppc.yml"
    stamp = role.stat()
    role.write_text(role.read_text(encoding="utf-8").replace("title: PPC management",
                                                             "title: PPC managemenT"),
                    encoding="utf-8")
    os.utime(role, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    edited = check(root, parsed=parsed)
    assert edited.playbook is not None and edited.playbook.roles["ppc"].title == "PPC managemenT"

    role.write_text("title: [unclosed\n", encoding="utf-8")
    assert any("ppc.yml:1:8: error: invalid YAML" in str(p) for p in check(root, parsed=parsed)
               .errors)


def test_playbook_serve_takes_the_audience_from_the_environment(tmp_path: Path) -> None:
    """As the plugin does: PLAYBOOK_AUDIENCE=internal previews the owner's site."""
    with playbook_serve(_example(tmp_path), {"PLAYBOOK_AUDIENCE": "internal"}) as preview:
        assert _wait_for(lambda: _status(preview.base + "plan/") == 200, HANG), (
            preview.output())
        plan = preview.page("plan/")
        assert plan.select_one('meta[name="robots"][content="noindex, nofollow"]')
        assert "What to outsource next" in plan.select_one("article h1").get_text()
        assert "Disallow: /" in _fetch(preview.base + "robots.txt")


# The preview is for this machine (generator/engines/serve.py, Hosts).

EVIL = ("evil.example", "evil.example:{port}", "localhost.evil.example", "localhost@evil.example",
        "evil.example/localhost", "127.0.0.1.nip.io", "127.0.0.1:nope", "[::2]:{port}")
"""Host headers a page on another site can make a browser send (DNS rebinding), and
some that are no host at all."""
OWN = ("localhost:{port}", "localhost", "LOCALHOST.", "127.0.0.1:{port}", "127.0.0.1",
       "[::1]:{port}", "[::1]")


def _ask(preview: Preview, path: str, *hosts: str) -> tuple[int, str]:
    """GET path from the preview with these Host headers (none: no Host header at all)."""
    base = urlsplit(preview.base)
    port = base.port
    connection = http.client.HTTPConnection(str(base.hostname), port, timeout=HANG)
    try:
        connection.putrequest("GET", path, skip_host=True)
        for host in hosts:
            connection.putheader("Host", host.format(port=port))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def test_playbook_serve_answers_only_requests_for_this_machine(preview: Preview) -> None:
    token = _token(_fetch(preview.base + "roles/ppc/"))
    paths = ("/roles/ppc/", "/search/search_index.json", "/no-such-page/",
             f"/.playbook/generation?known={token}")  # the live-reload poll, which waits
    for path in paths:
        for host in EVIL:
            status, body = _ask(preview, path, host)
            assert status == 421, (path, host, status)
            assert "localhost, not for" in body and "--allow-host" in body, body
            assert "PPC" not in body
    for host in OWN:
        status, body = _ask(preview, "/roles/ppc/", host)
        assert (status, "PPC management" in body) == (200, True), host
    assert _ask(preview, "/roles/ppc/")[0] == 400  # no Host header at all
    assert _ask(preview, "/roles/ppc/", "localhost", "evil.example")[0] == 400
    assert "Traceback" not in preview.output()


def test_playbook_serve_on_every_address_answers_this_machines_names(tmp_path: Path) -> None:
    """Bound to 0.0.0.0: the machine's own name and the names given with --allow-host are
    accepted, other names are not."""
    with playbook_serve(_example(tmp_path), address="0.0.0.0",
                        options=("--allow-host", "preview.example")) as preview:
        assert _wait_for(lambda: _status(preview.base + "roles/ppc/") == 200, HANG), (
            preview.output())
        for host in (socket.gethostname(), "preview.example:{port}", "PREVIEW.example",
                     "0.0.0.0:{port}", "127.0.0.1"):
            assert _ask(preview, "/roles/ppc/", host)[0] == 200, host
        for host in EVIL:
            assert _ask(preview, "/roles/ppc/", host)[0] == 421, host
        assert "answering requests for 0.0.0.0, 127.0.0.1" in preview.output()

        # An edit that asks for the internal audience is refused: the last state stays.
        config = preview.project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "      audience: public\n" in text
        config.write_text(text.replace("      audience: public\n", "      audience: internal\n"),
                          encoding="utf-8")
        assert _wait_for(lambda: "--expose-internal" in preview.output(), HANG), (
            preview.output())
        assert _status(preview.base + "plan/") == 404
        assert "Traceback" not in preview.output()


def test_playbook_serve_on_ipv6_loopback(tmp_path: Path) -> None:
    """-a [::1]:PORT binds IPv6 (it was refused before) and checks Host the same way."""
    with playbook_serve(_example(tmp_path), address="[::1]") as preview:
        assert _wait_for(lambda: _status(preview.base + "roles/ppc/") == 200, HANG), (
            preview.output())
        for host in OWN:
            assert _ask(preview, "/roles/ppc/", host)[0] == 200, host
        for host in EVIL:
            assert _ask(preview, "/roles/ppc/", host)[0] == 421, host


def test_the_internal_audience_beyond_this_machine_needs_expose_internal(
        tmp_path: Path) -> None:
    project = _example(tmp_path)
    internal = runner.env({"PLAYBOOK_AUDIENCE": "internal"})
    refused = subprocess.run([str(PLAYBOOK), "serve", "-a", f"0.0.0.0:{free_port()}"],
                             cwd=project, capture_output=True, text=True, env=internal,
                             timeout=HANG)
    assert refused.returncode == 1, refused.stderr
    assert "error: the internal audience (PLAYBOOK_AUDIENCE=internal) shows the owner's " \
           "private notes, rates" in refused.stderr
    assert "--expose-internal" in refused.stderr and "Traceback" not in refused.stderr

    with playbook_serve(project, {"PLAYBOOK_AUDIENCE": "internal"}, address="0.0.0.0",
                        options=("--expose-internal",)) as preview:
        assert _wait_for(lambda: _status(preview.base + "plan/") == 200, HANG), (
            preview.output())
        warning = preview.output().split("\n")[0]
        assert warning.startswith("WARNING -  --expose-internal: serving the internal "
                                  "audience"), warning
        assert "private notes, rates and pay" in warning and "anyone on any network" in warning


# `playbook serve` answers with the files `mkdocs build` writes (README, "pages are the ones
# `mkdocs serve` builds, byte for byte").

NOT_SERVED = {"sitemap.xml.gz"}
"""What a build writes and `playbook serve` does not serve: MkDocs compresses the sitemap
at the end of a build, for search engines, which never ask a preview."""


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=HANG) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return error.code, bytes(error.read())


def _without_live_reload(page: bytes) -> bytes:
    """The served page less exactly what `playbook serve` adds: its live-reload script at
    the end of the body, and that script's hash first in the policy's script-src."""
    from generator.engines.serve import LIVE, LIVE_SCRIPT
    from generator.pages.csp import source_hash

    text = page.decode("utf-8")
    script = LIVE_SCRIPT.format(token=_token(text), url="/" + LIVE)
    end = text.rfind("</body>")
    assert text.count(script) == 1 and text[end - len(script):end] == script
    body = script.removeprefix("<script>").removesuffix("</script>")
    allowed = f"script-src {source_hash(body)} "
    assert text.count(allowed) == 1
    return (text[:end - len(script)] + text[end:]).replace(allowed, "script-src ").encode("utf-8")


def _first_difference(built: bytes, served: bytes) -> str:
    for number, (one, other) in enumerate(zip(built.split(b"\n"), served.split(b"\n"),
                                              strict=False), 1):
        if one != other:
            return f"line {number}: built {one[:200]!r}, served {other[:200]!r}"
    return f"built {len(built)} bytes, served {len(served)}"


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_playbook_serve_answers_every_file_as_mkdocs_build_writes_it(
        audience: str, tmp_path: Path) -> None:
    """Every file of the build, asked from `playbook serve` at its address (a page at its
    folder's): the same bytes, apart from the live-reload script. The example is the golden
    baseline's (with its git history: the Changes sections and feeds). Absolute addresses
    come from site_url, which a preview sets to its own address, as `mkdocs serve` does: the
    build is given that address."""
    from test_golden import golden

    project = golden.project("example", tmp_path)
    port = free_port()
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nsite_url: https://playbook.backyardhiveacademy.com/\n" in text
    config.write_text(text.replace("https://playbook.backyardhiveacademy.com/",
                                   f"http://127.0.0.1:{port}/"), encoding="utf-8")
    fixed = {"PLAYBOOK_TODAY": golden.TODAY, "SOURCE_DATE_EPOCH": golden.EPOCH,
             "PLAYBOOK_AUDIENCE": audience}
    # `playbook serve` runs on MkDocs' library under either runner (ProperDocs' pages name
    # ProperDocs in their generator tag), so its pages are the ones MkDocs builds.
    done = subprocess.run(runner.command("build", "--strict", runner="mkdocs"), cwd=project,
                          capture_output=True, text=True, timeout=HANG * 5, env=runner.env(fixed))
    assert done.returncode == 0, done.stdout + done.stderr
    site = project / "site"
    built = sorted(path for path in site.rglob("*") if path.is_file())
    assert len(built) > 100 and (site / "roles/ppc/changes.xml").is_file()

    differ, unserved = [], []
    with playbook_serve(project, fixed, port=port) as preview:
        assert _wait_for(lambda: _status(preview.base) == 200, HANG), preview.output()
        for path in built:
            name = path.relative_to(site).as_posix()
            status, body = _get(preview.base + name.removesuffix("index.html"))
            if status != 200:
                unserved.append(f"{name}: {status}")
                continue
            if name.endswith(".html") and b"var known = " in body:  # not on redirect stubs
                body = _without_live_reload(body)
            if body != path.read_bytes():
                differ.append(f"{name}: {_first_difference(path.read_bytes(), body)}")
        assert "Traceback" not in preview.output()
    assert not differ, "\n".join(differ)
    assert unserved == [f"{name}: 404" for name in sorted(NOT_SERVED)]
