"""Real MkDocs builds through the plugin, checked with an HTML parser."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import EXAMPLE, Build, run_build

ROLE_IDS = sorted(p.stem for p in (EXAMPLE / "roles").glob("*.yml"))
ASSET_TAGS = {"script": "src", "img": "src", "link": "href", "source": "src", "iframe": "src"}


def _role_yaml(role_id: str) -> dict:
    return yaml.safe_load((EXAMPLE / "roles" / f"{role_id}.yml").read_text(encoding="utf-8"))


def test_every_role_has_its_page(example_build: Build) -> None:
    for role_id in ROLE_IDS:
        page = example_build.page(f"roles/{role_id}/")
        assert page.find("h1").get_text(strip=True).rstrip("¶") == _role_yaml(role_id)["title"]


def test_org_chart_links_every_role(example_build: Build) -> None:
    page = example_build.page("org-chart/")
    chart = page.select_one(".pb-org")
    boxes = {a["href"] for a in chart.select("a.pb-box")}
    assert boxes == {f"../roles/{rid}/" for rid in ROLE_IDS}
    outline = page.find(id="outline").find_next("ul")
    assert {a["href"] for a in outline.find_all("a")} == boxes
    for href in boxes:  # every link resolves to a built page
        assert (example_build.site / "org-chart" / href / "index.html").resolve().is_file()


def test_org_chart_shows_status_by_text_and_people(example_build: Build) -> None:
    chart = example_build.page("org-chart/").select_one(".pb-org")
    ppc = chart.find("a", href="../roles/ppc/")
    assert "pb-vacant" in ppc["class"]
    assert "Vacant" in ppc.get_text()
    legend = chart.select_one(".pb-legend").get_text(" ", strip=True)
    for label in ("Kept in-house", "Outsourced", "To outsource", "Vacant"):
        assert label in legend
    assert re.search(r"Dana Whitfield: 11 seats", legend)


def test_role_page_at_a_glance(example_build: Build) -> None:
    page = example_build.page("roles/ezine-articles/")
    glance = page.select_one(".pb-glance")
    cells = [tr.find_all("td") for tr in glance.select("tbody tr")]
    rows = {key.get_text(strip=True): value.get_text(" ", strip=True) for key, value in cells}
    assert rows["Department"] == "Marketing"
    assert rows["Status"].endswith("Outsourced")
    assert rows["Performer"] == "Joy Santos"
    assert rows["Escalate to"].startswith("Dana Whitfield")
    assert re.fullmatch(r"\d+\.\d h", rows["Hours per week"])
    assert "Last reviewed" in rows and "Engagement" in rows
    crumbs = page.select_one(".pb-crumbs").get_text(" ", strip=True)
    assert crumbs.startswith("Marketing › SEO ›")


def test_procedures_are_numbered_checklists_with_anchors(example_build: Build) -> None:
    page = example_build.page("roles/ppc/")
    heading = page.find(id="weekly-bid-review")
    assert heading.name == "h3"
    procedure = yaml.safe_load((EXAMPLE / "procedures/weekly-bid-review.yml").read_text())
    anchors = [span["id"] for span in page.select("span.pb-step")
               if span["id"].startswith("weekly-bid-review-")]
    assert anchors[0] == "weekly-bid-review-step-1"
    assert len([a for a in anchors if a.count("-step-") == 1 and a[-1].isdigit()]) >= len(
        procedure["steps"])
    first = page.find(id="weekly-bid-review-step-1").find_parent("li")
    assert first.find("input", type="checkbox") is not None
    assert "Expected:" in first.get_text()
    assert page.select("li.task-list-item ol li.task-list-item"), "sub-steps are nested lists"


def test_kept_role_says_why(example_build: Build) -> None:
    page = example_build.page("roles/product-ideas/")
    note = page.select_one(".admonition.note")
    assert note.select_one(".admonition-title").get_text(strip=True) == "Kept in-house"
    assert _role_yaml("product-ideas")["reason"].split()[0] in note.get_text()


def test_home_page_totals(example_build: Build) -> None:
    page = example_build.page("")
    table = page.find(id="in-numbers").find_next("table")
    cells = [td.get_text(strip=True) for td in table.select("tbody td")]
    assert cells[:5] == ["16", "4", "7", "1", "4"]
    assert page.find(id="how-to-use") is not None


def test_no_asset_from_another_host(example_build: Build) -> None:
    from bs4 import BeautifulSoup

    for path in example_build.site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in ASSET_TAGS.items():
            for element in soup.find_all(tag):
                url = element.get(attribute)
                loads = {"stylesheet", "preload", "icon"} & set(element.get("rel", []))
                if url and (tag != "link" or loads):
                    assert not urlsplit(url).netloc, f"{path}: {tag} loads {url}"
    for path in example_build.site.rglob("*.css"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert "fonts.googleapis" not in text


def test_hand_written_pages_sit_beside(project_factory: Callable[..., Path]) -> None:
    project = project_factory(docs={"contact.md": "# Contact\n\n[Org chart](org-chart.md)\n"})
    build = run_build(project)
    assert build.returncode == 0, build.output
    assert "Org chart" in build.page("contact/").get_text()


def test_collision_with_hand_written_page(project_factory: Callable[..., Path]) -> None:
    project = project_factory(docs={"roles/ppc.md": "# My own PPC page\n"})
    build = run_build(project)
    assert build.returncode == 1
    assert "docs/roles/ppc.md" in build.output and "playbook/roles/ppc.yml" in build.output
    assert "Traceback" not in build.output


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("broken", "expected"), [
    ("title: PPC\ntitle: Again\n", r"playbook/roles/ppc\.yml:2:1: error: duplicate key 'title'"),
    ("title: PPC\nsourcing: outsorce\n",
     r"playbook/roles/ppc\.yml:2:11: error: sourcing: 'outsorce' is not allowed"),
])
def test_failed_build_keeps_last_good_site(project_factory: Callable[..., Path], broken: str,
                                           expected: str) -> None:
    project = project_factory()
    assert run_build(project).returncode == 0
    before = _digest(project / "site")
    (project / "playbook/roles/ppc.yml").write_text(broken, encoding="utf-8")
    build = run_build(project)
    assert build.returncode == 1
    assert re.search(expected, build.output), build.output
    assert "Traceback" not in build.output
    assert _digest(project / "site") == before


def test_strict_build_fails_on_playbook_warnings(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    path = project / "playbook/roles/legal.yml"
    data = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)^goals:\n(  - .*?\n)+", "", data), encoding="utf-8")
    build = run_build(project)
    assert build.returncode == 1
    assert re.search(r"playbook/roles/legal\.yml:\d+:\d+: warning: role to outsource has no goals",
                     build.output), build.output
    assert not (project / "site").exists()


INJECTED = {
    "title": "</title><script>alert('title')</script> Ads](http://evil.example) {#owned} <!-- x",
    "purpose": "---\n\n<img src=x onerror=alert(1)> {{ config }} {% raw %} # not a heading",
}


def test_text_from_yaml_is_escaped(project_factory: Callable[..., Path]) -> None:
    project = project_factory()
    path = project / "playbook/roles/ppc.yml"
    data = path.read_text(encoding="utf-8")
    data = re.sub(r"(?m)^title: .*$", "title: " + yaml.safe_dump(INJECTED["title"]).split("\n")[0],
                  data)
    data = re.sub(r"(?ms)^purpose: .*?(?=^\w)",
                  "purpose: " + yaml.safe_dump(INJECTED["purpose"], width=1000).split("\n...")[0]
                  .rstrip("\n") + "\n", data)
    path.write_text(data, encoding="utf-8")
    build = run_build(project)
    assert build.returncode == 0, build.output
    page = build.page("roles/ppc/")
    assert page.find("h1").get_text().rstrip("¶") == INJECTED["title"]
    assert page.find(id="owned") is None
    raw = (build.site / "roles/ppc/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "</title><script>" not in raw
    assert page.find("img", src="x") is None
    section = []
    for sibling in page.find(id="purpose").find_next_siblings():
        if sibling.name == "h2":
            break
        section.append(sibling)
    assert [tag.name for tag in section] == ["p", "p"], "no <hr>, no <img>, no heading"
    assert [tag.get_text() for tag in section] == [
        "---", "<img src=x onerror=alert(1)> {{ config }} {% raw %} # not a heading"]
    chart = build.page("org-chart/")
    box = chart.find("a", href="../roles/ppc/")
    assert INJECTED["title"] in box.get_text()
    for path in build.site.rglob("*.html"):
        assert "<script>alert" not in path.read_text(encoding="utf-8"), path
    for other in (chart, build.page("")):
        assert other.find("a", href="http://evil.example") is None


def test_audience_from_environment_is_checked(project_factory: Callable[..., Path]) -> None:
    build = run_build(project_factory(), env={"PLAYBOOK_AUDIENCE": "everyone"})
    assert build.returncode == 1
    assert "PLAYBOOK_AUDIENCE: expected one of public, internal" in build.output


def test_links_resolve(example_build: Build) -> None:
    """Every internal link of every page points at a file that was built (404.html uses
    root-relative links by design: it is served for any missing path)."""
    from bs4 import BeautifulSoup

    for path in example_build.site.rglob("*.html"):
        if path.name == "404.html":
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        base = "file://" + str(path)
        for a in soup.find_all("a", href=True):
            url = urljoin(base, a["href"])
            parts = urlsplit(url)
            if parts.scheme != "file":
                continue
            target = Path(parts.path)
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{path}: broken link {a['href']}"


def test_org_chart_at_300_roles_folds_departments(project_factory: Callable[..., Path],
                                                  tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    playbook = generate(tmp_path / "big", 300)
    build = run_build(project_factory(playbook))
    assert build.returncode == 0, build.output
    chart = build.page("org-chart/").select_one(".pb-org")
    departments = chart.select("details.pb-dept")
    assert len(departments) == 10
    assert not any(d.has_attr("open") for d in departments), "folded at 300 roles"
    assert len(chart.select("a.pb-box")) == 300
    nav = build.page("org-chart/").select(".md-nav--primary a.md-nav__link")
    assert len(nav) < 40, "the nav lists departments, not 300 roles"


def test_pages_made_ahead_by_a_second_process_are_the_pages_made_in_process(
        project_factory: Callable[..., Path], tmp_path: Path) -> None:
    """At 120 roles a forked child renders the pages while MkDocs converts the first ones;
    the site must be byte for byte the one built without it."""
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    project = project_factory(generate(tmp_path / "big", 120))
    forked = run_build(project, "--verbose", "--site-dir", "site-forked")
    assert forked.returncode == 0, forked.output
    ahead = re.search(r"(\d+) of (\d+) generated files were made ahead", forked.output)
    assert ahead and int(ahead[1]) > 0, forked.output[-2000:]
    alone = run_build(project, "--verbose", "--site-dir", "site-alone",
                      env={"PLAYBOOK_NO_FORK": "1"})
    assert alone.returncode == 0, alone.output
    assert re.search(r"\b0 of \d+ generated files were made ahead", alone.output)

    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
                if p.is_file() and p.name != "sitemap.xml.gz"}  # gzip stamps the time

    built, reference = files(project / "site-forked"), files(project / "site-alone")
    assert len(built) > 250
    assert built.keys() == reference.keys()
    assert [path for path in built if built[path] != reference[path]] == []


def test_a_page_that_fails_to_render_is_named_without_a_traceback(tmp_path: Path) -> None:
    """Pages are made when MkDocs reads them; a failure there must still read as ours."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError

    from generator.engines.mkdocs_internals import DeferredFile

    (tmp_path / "docs").mkdir()
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    # The theme named, as every playbook does: ProperDocs ships no default `mkdocs` theme.
    config.load_dict({"site_name": "Test", "docs_dir": str(tmp_path / "docs"),
                      "site_dir": str(tmp_path / "site"), "theme": "material"})
    assert config.validate() == ([], [])
    config.plugins._current_plugin = "playbook"  # as while MkDocs runs our on_files

    def broken() -> str:
        raise KeyError("ppc")

    file = DeferredFile.make(config, "roles/ppc.md", broken)
    with pytest.raises(PluginError, match=r"could not render roles/ppc\.md: KeyError: 'ppc'"):
        _ = file.content_string
    made = DeferredFile.make(config, "roles/seo.md", lambda: "# SEO\n")
    assert made.content_string == "# SEO\n" and made.content_bytes == b"# SEO\n"
