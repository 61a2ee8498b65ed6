"""Two audiences from one source: nothing under `private:` reaches the public build."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import EXAMPLE, MKDOCS_YML, ROOT, Build, run_build
from playbook_fixtures import MINIMAL
from pypdf import PdfReader

from generator.files.strict_yaml import parse

PLANNING = ("plan", "people", "cadence")


def _private_values(data: Any, inside: bool = False) -> Iterator[Any]:
    """Every leaf value under a `private:` key, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _private_values(value, inside or key == "private")
    elif isinstance(data, list):
        for item in data:
            yield from _private_values(item, inside)
    elif inside:
        yield data


def _example_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.yml"))


def _site_text(site: Path) -> Iterator[tuple[Path, str]]:
    """Every file the build wrote, as searchable text (gzip opened, entities resolved)."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", errors="replace")
        if path.suffix == ".json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        yield path, html.unescape(text)


def _phrases(value: str, words: int = 8) -> list[str]:
    """The value itself, and every run of eight words of a long value (partial leaks)."""
    parts = value.split()
    if len(parts) <= words:
        return [" ".join(parts)]
    return [" ".join(parts[i:i + words]) for i in range(len(parts) - words + 1)]


def _build(tmp_path: Path, playbook: Path, audience: str, name: str) -> Build:
    project = tmp_path / name
    shutil.copytree(playbook, project / "playbook")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    build = run_build(project, env={"PLAYBOOK_AUDIENCE": audience,
                                    "PLAYBOOK_TODAY": "2026-11-23"})
    assert build.returncode == 0, build.output
    return build


def test_public_build_of_the_example_leaks_no_private_text(example_build: Build) -> None:
    texts = [value for path in _example_files(EXAMPLE)
             for value in _private_values(parse(path.read_text(encoding="utf-8")))
             if isinstance(value, str) and (" " in value or "@" in value)]
    assert len(texts) > 10, "the example keeps notes and emails under private:"
    for path, text in _site_text(example_build.site):
        for value in texts:
            for phrase in _phrases(value):
                assert phrase not in text, f"{path} contains private text {phrase!r}"
    for page in PLANNING:
        assert not (example_build.site / page).exists()


def _with_sentinels(source: Path, target: Path) -> list[str]:
    """Copy a playbook, replacing every private text and number with a unique marker."""
    shutil.copytree(source, target)
    markers: list[str] = []

    def mark(data: Any, inside: bool = False) -> Any:
        if isinstance(data, dict):
            return {k: (v if k in ("skill", "enjoyment") else mark(v, inside or k == "private"))
                    for k, v in data.items()}
        if isinstance(data, list):
            return [mark(item, inside) for item in data]
        if not inside:
            return data
        markers.append(f"{9_100_000 + len(markers)}")
        return int(markers[-1]) if isinstance(data, (int, float)) else f"zq{markers[-1]}qz"

    for path in _example_files(target):
        data = parse(path.read_text(encoding="utf-8"))  # not yaml.safe_load: `on:` is text
        path.write_text(yaml.safe_dump(mark(data), sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
    return markers


@pytest.fixture(scope="module")
def sentinel_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build, list[str]]:
    tmp = tmp_path_factory.mktemp("audience")
    markers = _with_sentinels(EXAMPLE, tmp / "marked")
    public = _build(tmp, tmp / "marked", "public", "public")
    internal = _build(tmp, tmp / "marked", "internal", "internal")
    return public, internal, markers


def test_no_private_marker_in_any_public_file(sentinel_builds) -> None:
    public, _, markers = sentinel_builds
    assert len(markers) > 30
    for path, text in _site_text(public.site):
        for marker in markers:
            for form in (marker, f"{int(marker):,}"):
                assert form not in text, f"{path} leaks private value {form}"
        assert "Your assessment" not in text and "Private: internal build only" not in text


def test_internal_build_shows_private_values_and_planning(sentinel_builds) -> None:
    _, internal, markers = sentinel_builds
    everything = "\n".join(text for _, text in _site_text(internal.site))
    shown = [m for m in markers if m in everything or f"{int(m):,}" in everything]
    assert len(shown) == len(markers), set(markers) - set(shown)
    for page in PLANNING:
        assert (internal.site / page / "index.html").is_file()
    assert "Your assessment" in (internal.site / "roles/ppc/index.html").read_text()


def test_role_urls_and_calendars_are_the_same_in_both(sentinel_builds) -> None:
    public, internal, _ = sentinel_builds
    roles = {p.relative_to(public.site) for p in (public.site / "roles").rglob("index.html")}
    assert roles == {p.relative_to(internal.site)
                     for p in (internal.site / "roles").rglob("index.html")}
    for build in (public, internal):
        # The example's mkdocs.yml has a site_url: the link is one to subscribe to.
        link = build.page("roles/ppc/").find(
            "a", href="webcal://playbook.backyardhiveacademy.com/calendar/ppc.ics")
        assert link is not None
        assert (build.site / "calendar/ppc.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_internal_plan_matches_the_analysis(sentinel_builds) -> None:
    _, internal, _ = sentinel_builds
    from generator.checking.pipeline import check
    from generator.figures.plan import plan

    result = check(EXAMPLE)
    ranked = plan(result.playbook, result.analysis)
    page = internal.page("plan/")
    rows = [r for r in page.find(id="ranked").find_next("table").select("tbody tr")
             if r.td.get_text(strip=True).isdigit()]  # not the budget line or the totals
    assert [r.find_all("td")[1].a.get_text(strip=True) for r in rows] == [
        result.playbook.roles[c.id].title for c in ranked.candidates]
    assert [r.find_all("td")[7].get_text(strip=True) for r in rows] == [
        f"{c.owner_hours_after:.1f} h" for c in ranked.candidates]


# --- the public build does not depend on private data at all --------------------------------


def _flip(data: Any, inside: bool = False) -> Any:
    """Every private value changed: texts, numbers, and the assessment deep inside."""
    flipped = {"weak": "strong", "strong": "weak", "average": "weak", "like": "dislike",
               "dislike": "like", "neutral": "like"}
    if isinstance(data, dict):
        return {k: _flip(v, inside or k == "private") for k, v in data.items()}
    if isinstance(data, list):
        return [_flip(item, inside) for item in data]
    if not inside:
        return data
    if isinstance(data, str):
        return flipped.get(data, f"changed {data[::-1]}")
    return data * 3 + 17 if isinstance(data, (int, float)) else data


def _strip(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k != "private"}
    if isinstance(data, list):
        return [_strip(item) for item in data]
    return data


def _rewritten(source: Path, target: Path, change: Any) -> Path:
    shutil.copytree(source, target)
    for path in _example_files(target):
        data = change(parse(path.read_text(encoding="utf-8")))
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
    return target


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


REPRODUCIBLE = {"PLAYBOOK_TODAY": "2026-11-23", "SOURCE_DATE_EPOCH": "1795392000"}


def test_public_build_is_the_same_whatever_the_private_data(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Byte for byte, every file (pages, search index, sitemap, calendars, metadata): the
    public build of the example with its private data, with every private value changed
    (the assessment nested under private: too) and with none, is one and the same site."""
    tmp = tmp_path_factory.mktemp("private-variants")
    variants = {"kept": lambda data: data, "changed": _flip, "none": _strip}
    projects = {}
    for name, change in variants.items():
        project = tmp / name
        _rewritten(EXAMPLE, project / "playbook", change)
        shutil.copytree(ROOT / "docs", project / "docs")
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        projects[name] = project
    changed = (projects["changed"] / "playbook/roles/ppc.yml").read_text(encoding="utf-8")
    assert "skill: strong" in changed and "changed " in changed  # the variants do differ
    with ThreadPoolExecutor(max_workers=3) as pool:
        builds = dict(zip(projects, pool.map(lambda p: run_build(p, env=REPRODUCIBLE),
                                             projects.values()), strict=True))
    for build in builds.values():
        assert build.returncode == 0, build.output
    digests = {name: _digest(build.site) for name, build in builds.items()}
    assert len(digests["kept"]) > 50 and "search/search_index.json" in digests["kept"]
    assert "sitemap.xml.gz" in digests["kept"] and "calendar/playbook.ics" in digests["kept"]
    for name in ("changed", "none"):
        differ = sorted(path for path in digests["kept"].keys() | digests[name].keys()
                        if digests["kept"].get(path) != digests[name].get(path))
        assert not differ, f"the public site changes with the private data ({name}): {differ}"


# --- PDFs ---------------------------------------------------------------------------------

MINIMAL_PRIVATE = {
    "business.yml": {"private": {"notes": "business notes", "monthly_budget": 900}},
    "people.yml": {1: {"private": {"email": "carl@example.com", "notes": "carl notes",
                                   "rate": 31}}},
    "roles/social-media.yml": {"private": {"notes": "social notes", "budget": 42,
                                           "assessment": {"skill": "weak",
                                                          "enjoyment": "dislike"}}},
    "roles/bookkeeping.yml": {"private": {"notes": "bookkeeping notes", "budget": 55}},
    "procedures/post-a-photo.yml": {"private": {"notes": "photo notes"}},
    "procedures/close-the-month.yml": {"private": {"notes": "month notes"}},
}


def _pdf_text(path: Path) -> str:
    """The text of a PDF as pypdf reads it, white space folded: the same reading wherever
    the tests run (a raw-bytes fallback read nothing where fonts encode the text)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def pdf_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build, list[str]]:
    """The minimal playbook with private data marked, printed to PDFs for both audiences."""
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI"):
            pytest.fail("CI must print PDFs: install Debian's chromium (.ci/run does)")
        pytest.skip("PDFs need Chromium at /usr/bin/chromium: apt-get install chromium")
    tmp = tmp_path_factory.mktemp("pdf-leaks")
    source = tmp / "source"
    shutil.copytree(MINIMAL, source)
    for name, extra in MINIMAL_PRIVATE.items():
        data = parse((source / name).read_text(encoding="utf-8"))
        for key, value in extra.items():
            if isinstance(key, int):  # a person in people.yml
                data[key].update(value)
            else:
                data[key] = value
        (source / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    markers = _with_sentinels(source, tmp / "marked")
    builds = []
    for audience in ("public", "internal"):
        project = tmp / audience
        shutil.copytree(tmp / "marked", project / "playbook")
        (project / "docs").mkdir()
        plugin = "  - playbook:\n      pdf: true\n      pdf_browser: /usr/bin/chromium\n"
        (project / "mkdocs.yml").write_text(MKDOCS_YML.replace("  - playbook\n", plugin),
                                            encoding="utf-8")
        build = run_build(project, env={"PLAYBOOK_AUDIENCE": audience})
        assert build.returncode == 0, build.output
        builds.append(build)
    return builds[0], builds[1], markers


def test_no_private_marker_in_a_public_pdf(pdf_builds: tuple[Build, Build, list[str]]) -> None:
    public, internal, markers = pdf_builds
    assert len(markers) == 11  # every private value of MINIMAL_PRIVATE
    pdfs = sorted(public.site.rglob("*.pdf"))
    assert [p.name for p in pdfs] == ["bookkeeping.pdf", "social-media.pdf"]
    for pdf in pdfs:
        text = _pdf_text(pdf)
        assert "Social media" in text or "Bookkeeping" in text  # the text was read
        for marker in markers:
            for form in (marker, f"{int(marker):,}"):
                assert form not in text, f"{pdf.name} leaks private value {form}"
        assert "Private: internal build only" not in text and "Your assessment" not in text
    # The same reading finds them in the owner's PDFs: the check above can see them.
    internal_text = "".join(_pdf_text(p) for p in internal.site.rglob("*.pdf"))
    assert "Your assessment" in internal_text
    assert [m for m in markers if m in internal_text]


def test_internal_build_asks_not_to_be_indexed(sentinel_builds) -> None:
    public, internal, _ = sentinel_builds
    # Every page says noindex (alias redirects have said so in both builds all along).
    noindex = {"name": "robots", "content": re.compile("^noindex")}
    internal_pages = sorted(internal.site.rglob("*.html"))
    assert len(internal_pages) > 20
    for page in internal_pages:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        assert head.find("meta", attrs=noindex) is not None, page
    for page in public.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "noindex, nofollow" not in text, page
    assert (internal.site / "robots.txt").read_text().splitlines()[-2:] == [
        "User-agent: *", "Disallow: /"]
    assert not (public.site / "robots.txt").exists()
    banner = internal.page("").find("p", class_="admonition-title", string=re.compile(
        "Internal copy: do not publish"))
    assert banner is not None
    assert "do not publish" not in public.page("").get_text()
