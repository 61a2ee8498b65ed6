"""Two audiences from one source: nothing under `private:` reaches the public build."""

from __future__ import annotations

import gzip
import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE, ROOT, Build, run_build

from generator.strict_yaml import parse

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
        link = build.page("roles/ppc/").find("a", href="../../calendar/ppc.ics")
        assert link is not None
        assert (build.site / "calendar/ppc.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_internal_plan_matches_the_analysis(sentinel_builds) -> None:
    _, internal, _ = sentinel_builds
    from generator.analysis import plan
    from generator.check import check

    result = check(EXAMPLE)
    ranked = plan(result.playbook, result.analysis)
    page = internal.page("plan/")
    rows = page.find(id="ranked").find_next("table").select("tbody tr")
    assert [r.find_all("td")[1].get_text(strip=True) for r in rows] == [
        result.playbook.roles[c.id].title for c in ranked.candidates]
    assert [r.find_all("td")[6].get_text(strip=True) for r in rows] == [
        f"{c.owner_hours_after:.1f} h" for c in ranked.candidates]
