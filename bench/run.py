"""The benchmark: our build against plain MkDocs building the same pages.

For each size it grows a synthetic playbook (bench/generate.py) and measures, in
one run on this machine:

- `playbook --version` and `playbook check` of the example as commands (best of 7);
- `playbook check`: in-process (best of 3) and as a command, with peak memory;
- `mkdocs build` with the plugin;
- the floor: plain `mkdocs build` of the `playbook render` export (same pages,
  same nav, none of our code running);
- at 1,000 roles, the Markdown yardstick: plain `mkdocs build` of the export the
  Markdown templates rendered before the role pages became finished HTML
  (bench/yardstick-1000.tar.xz, from `generate(folder, 1000)`): the same content
  written as ordinary Markdown, what a user writing these SOPs by hand pays;
- flat nav: that yardstick (the export at other sizes) with every role listed in the
  nav, what a user writing SOP pages by hand in MkDocs gets (skipped above
  FLAT_LIMIT roles: it grows with the square of the page count);
- the size of the built site: every file's bytes, and bytes per role, which must stay
  flat as the playbook grows (a value repeated on every page, such as a role's title in
  the nav, would make the site grow with the square of the playbook);
- `mkdocs serve`: time from saving an edited role file to the new title being
  served, at the example's size and at 1,000 roles; the same with `playbook serve`; and
  at 1,000 roles with `zensical serve` on the export and `playbook render --watch`
  keeping it current.

It prints a table with ratios and writes it to bench/RESULTS.md.
Usage: python bench/run.py [--sizes 10,100,300,1000,3000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
import runner  # noqa: E402  (the engine: MkDocs, or ProperDocs with PLAYBOOK_RUNNER=properdocs)
from generate import generate  # noqa: E402

PYTHON = sys.executable
ZENSICAL = os.environ.get("PLAYBOOK_ZENSICAL", str(ROOT / ".venv-zensical/bin/zensical"))
"""Zensical, for the live preview of the export (make bench sets it up)."""
PREVIEW = "1,000 roles, export: `zensical serve` + `playbook render --watch`"
FLAT_LIMIT = 1000
YARDSTICK = HERE / "yardstick-1000.tar.xz"
"""The export of `generate(folder, 1000)` as the Markdown templates rendered it (issue 19)."""
ENV = runner.env({"PLAYBOOK_TODAY": "2026-11-23"})


@dataclass
class Row:
    roles: int
    check_s: float = 0.0
    check_cmd_s: float = 0.0
    check_mb: float = 0.0
    plugin_s: float = 0.0
    floor_s: float = 0.0
    flat_s: float | None = None
    markdown_s: float | None = None
    """Plain MkDocs building the Markdown yardstick (1,000 roles only)."""
    markdown_pairs: list[float] = field(default_factory=list)
    """Plugin / Markdown yardstick of each back-to-back pair of runs."""
    fork_pairs: list[float] = field(default_factory=list)
    """Plugin / plugin without its forked helper (PLAYBOOK_NO_FORK=1), pair by pair
    (1,000 roles only): what the fork and the deferred files it needs are worth."""
    org_chart_kb: float = 0.0
    site_bytes: int = 0
    """Every file of the site the plugin built, in bytes."""
    runs: int = 1
    pairs: list[float] = field(default_factory=list)
    """Plugin / floor of each back-to-back pair of runs."""
    notes: list[str] = field(default_factory=list)

    @property
    def plugin_over_floor(self) -> float:
        """The median of the pairs (best plugin over best floor in logs without pairs)."""
        return statistics.median(self.pairs) if self.pairs else self.plugin_s / self.floor_s


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall time of a command that must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={**ENV, **(env or {})}, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout}{done.stderr}")
    return elapsed


def project(base: Path, roles: int) -> Path:
    folder = base / f"n{roles}"
    generate(folder / "playbook", roles)
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs/about.md").write_text("# About\n\nA synthetic business.\n")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = f"Synthetic playbook ({roles} roles)"
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def measure_check(folder: Path, repeat: int) -> tuple[float, float, float]:
    """Best in-process time of 3 calls; best command time; peak memory of one check."""
    timing = ("import sys, time; from pathlib import Path; "
              "from generator.checking.pipeline import check\n"
              "from generator.runtime.memory import hold\n"
              "best = 1e9\n"
              "for _ in range(3):\n"
              "    r = None  # one playbook in memory at a time, as in one command\n"
              "    t = time.perf_counter()\n"
              "    with hold():  # as the engines run it\n"
              "        r = check(Path(sys.argv[1]))\n"
              "    best = min(best, time.perf_counter() - t)\n"
              "assert not r.errors, r.errors[:3]\n"
              "print(best)")
    # Memory of a single check, as one command runs it: the process's peak plus its
    # forked helper's (both resident sizes, so pages they share count twice).
    memory = ("import resource, sys; from pathlib import Path; "
              "from generator.checking.pipeline import check\n"
              "from generator.runtime.memory import hold\n"
              "with hold():\n"
              "    r = check(Path(sys.argv[1]))\n"
              "print(sum(resource.getrusage(who).ru_maxrss / 1024 for who in "
              "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))")
    best, peak = (float(subprocess.run([PYTHON, "-c", script, str(folder / "playbook")],
                                       env=ENV, capture_output=True, text=True,
                                       check=True).stdout)
                  for script in (timing, memory))
    # The first run fills .playbook_cache/, so the best is a run from it, as hooks and
    # editors run the command; the in-process calls above parse every file.
    command = min(run([str(Path(PYTHON).with_name("playbook")), "check", "playbook"], folder)
                  for _ in range(repeat))
    return best, command, peak


VERSION = "`playbook --version`"
CHECK_EXAMPLE = "`playbook check` of the example (16 roles)"


def command_rows(repeat: int = 7) -> list[tuple[str, float]]:
    """The command as pre-commit hooks and editors run it on every save: best of `repeat`."""
    playbook = str(Path(PYTHON).with_name("playbook"))
    return [(name, min(run([playbook, *args], ROOT) for _ in range(repeat)))
            for name, args in ((VERSION, ["--version"]),
                               (CHECK_EXAMPLE, ["check", "playbook"]))]


def flat_export(folder: Path, source: Path) -> Path:
    """The export at `source` with every role page listed flat in the nav."""
    flat = folder / "flat"
    shutil.copytree(source, flat, dirs_exist_ok=True)
    config = yaml.safe_load((flat / "mkdocs.yml").read_text(encoding="utf-8"))
    roles = sorted((flat / "docs/roles").glob("*.md"), key=lambda p: int(p.stem.split("-")[1]))
    config["nav"] = [{"Home": "index.md"}, {"Org chart": "org-chart.md"},
                     {"Roles": [f"roles/{p.name}" for p in roles]}]
    (flat / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return flat


def measure_size(base: Path, roles: int, quick: bool, repeat: int) -> Row:
    folder = project(base, roles)
    row = Row(roles, runs=repeat)
    row.check_s, row.check_cmd_s, row.check_mb = measure_check(folder, repeat)
    run([str(Path(PYTHON).with_name("playbook")), "render", "playbook", "--out", "export",
         "--config", "mkdocs.yml"], folder)
    build = runner.command("build", "--strict")
    markdown = yardstick(folder) if roles == 1000 else None
    # Plugin and floor builds alternate. Each time keeps its best run (a busy neighbour
    # only ever adds time), and the ratio is the median of the back-to-back pairs: this
    # machine's speed drifts by 10% over minutes, which a best-of-each ratio would mix in.
    plugin, floor, by_hand, alone = [], [], [], []
    for _ in range(repeat):
        plugin.append(run(build, folder))
        floor.append(run(build, folder / "export"))
        if markdown is not None:
            by_hand.append(run(build, markdown))
            alone.append(run(build, folder, {"PLAYBOOK_NO_FORK": "1"}))
    row.fork_pairs = [p / a for p, a in zip(plugin, alone, strict=True)] if alone else []
    row.plugin_s, row.floor_s = min(plugin), min(floor)
    row.pairs = [p / f for p, f in zip(plugin, floor, strict=True)]
    if by_hand:
        row.markdown_s = min(by_hand)
        row.markdown_pairs = [p / m for p, m in zip(plugin, by_hand, strict=True)]
    size = (folder / "site/org-chart/index.html").stat().st_size
    row.org_chart_kb = size / 1024
    row.site_bytes = site_bytes(folder / "site")
    if roles <= FLAT_LIMIT and not (quick and roles > 100):
        source = markdown or folder / "export"
        row.flat_s = run(runner.command("build"), flat_export(folder, source))
    shutil.rmtree(folder)
    return row


def site_bytes(site: Path) -> int:
    """The bytes of every file of a built site."""
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def added_per_role(rows: list[Row]) -> list[tuple[Row, float]]:
    """Each size after the first with the bytes each role added since the size before it:
    the theme's files are paid once, so this is what a role costs; it stays flat where the
    site grows linearly and would grow with the playbook where it grew with its square."""
    measured = [row for row in rows if row.site_bytes]
    return [(row, (row.site_bytes - before.site_bytes) / (row.roles - before.roles))
            for before, row in pairwise(measured)]


def size_lines(rows: list[Row]) -> list[str]:
    """The site's size at each size of playbook (the table after the timings)."""
    measured = [row for row in rows if row.site_bytes]
    if not measured:
        return []
    added = {row.roles: f"{per_role / 1e3:.1f}" for row, per_role in added_per_role(rows)}
    lines = ["", "Size of the site the plugin built, every file (the theme's own files count "
             "once, at every size):", "",
             "| roles | site (MB) | KB per role | KB per role added since the size before |",
             "|---:|---:|---:|---:|"]
    lines += [f"| {row.roles:,} | {row.site_bytes / 1e6:.1f} "
              f"| {row.site_bytes / row.roles / 1e3:.1f} | {added.get(row.roles, '–')} |"
              for row in measured]
    return lines


def yardstick(folder: Path) -> Path:
    """The Markdown yardstick, unpacked beside the synthetic playbook it was rendered from."""
    target = folder / "markdown"
    with tarfile.open(YARDSTICK) as archive:
        archive.extractall(target, filter="data")
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def measure_serve(folder: Path, role_file: Path, page: str, old: str, new: str) -> float:
    """Seconds from saving an edit to the edited title being served by `mkdocs serve`."""
    return _served(folder, role_file, page, old, new,
                   lambda port: runner.command("serve", "--dev-addr", f"127.0.0.1:{port}"))


def measure_playbook_serve(folder: Path, role_file: Path, page: str, old: str,
                           new: str) -> float:
    """The same with `playbook serve`, which renders each page on request."""
    return _served(folder, role_file, page, old, new, lambda port: [
        str(Path(PYTHON).with_name("playbook")), "serve", "-a", f"127.0.0.1:{port}"])


def _served(folder: Path, role_file: Path, page: str, old: str, new: str,
            command: Callable[[int], list[str]]) -> float:
    port = free_port()
    server = subprocess.Popen(command(port), cwd=folder, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return edit_shows_up(f"http://127.0.0.1:{port}/{page}", role_file, old, new)
    finally:
        server.terminate()
        server.wait(timeout=30)


PLAYBOOK_SERVE = {"example (16 roles), `playbook serve`": 0.5,
                  "1,000 roles, `playbook serve`": 2.0}
"""The rows of `playbook serve` and their targets in seconds (issue 19, item 3)."""


def playbook_serve_rows(example: Path, big: Path) -> list[tuple[str, float]]:
    """`playbook serve` on the projects `mkdocs serve` was measured on, renaming other roles
    (departments at 1,000 roles: a department's title is in every page's nav)."""
    names = list(PLAYBOOK_SERVE)
    return [(names[0], measure_playbook_serve(
                example, example / "playbook/roles/seo.yml", "roles/seo/", "SEO",
                "Search engine optimisation")),
            (names[1], measure_playbook_serve(
                big, big / "playbook/roles/role-7.yml", "roles/role-7/", "Role number 7 of",
                "Renamed role 7 of"))]


def measure_preview(folder: Path, role_file: Path, page: str, old: str, new: str) -> float:
    """The same with Zensical serving the export and `playbook render --watch` keeping
    the export current."""
    playbook = str(Path(PYTHON).with_name("playbook"))
    run([playbook, "render", "playbook", "--out", "export", "--force"], folder)
    shutil.rmtree(folder / "export/site", ignore_errors=True)  # _built waits for a new one
    port = free_port()
    server = subprocess.Popen([ZENSICAL, "serve", "-f", "export/mkdocs.yml",
                               "-a", f"127.0.0.1:{port}"], cwd=folder, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watcher = subprocess.Popen([playbook, "render", "playbook", "--out", "export", "--watch"],
                               cwd=folder, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return edit_shows_up(f"http://127.0.0.1:{port}/{page}", role_file, old, new,
                             ready=partial(_built, folder / "export/site"))
    finally:
        watcher.send_signal(signal.SIGINT)
        server.terminate()
        watcher.wait(timeout=60)
        server.wait(timeout=30)


def _built(site: Path, quiet: float = 5) -> bool:
    """Whether Zensical's first build is done (its server says nothing): the search index
    is written and no page has changed for `quiet` seconds. It rebuilds after an edit only
    once that build is over."""
    if not (site / "search.json").is_file():
        return False
    newest = max(path.stat().st_mtime for path in site.rglob("*.html"))
    return time.time() - newest > quiet


def edit_shows_up(url: str, role_file: Path, old: str, new: str,
                  ready: Callable[[], bool] = lambda: True) -> float:
    """Wait for the server at url to serve `old` (and to be `ready`), then save the edit
    and time how long it takes to serve `new`."""
    deadline = time.monotonic() + 900
    while old not in fetch(url) or not ready():
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not come up")
        time.sleep(0.2)
    time.sleep(2)  # the first build's last writes and the watcher's first look settle
    text = role_file.read_text(encoding="utf-8")
    start = time.perf_counter()
    role_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    while new not in fetch(url):
        time.sleep(0.05)
    return time.perf_counter() - start


def serve_rows(base: Path) -> list[tuple[str, float]]:
    example = base / "example"
    for name in ("playbook", "docs"):
        shutil.copytree(ROOT / name, example / name)
    shutil.copy(ROOT / "mkdocs.yml", example / "mkdocs.yml")
    results = [("example (16 roles)", measure_serve(
        example, example / "playbook/roles/ppc.yml", "roles/ppc/", "PPC management",
        "Paid search management"))]
    big = project(base, 1000)
    results.append(("1,000 roles", measure_serve(
        big, big / "playbook/roles/role-5.yml", "roles/role-5/", "Role number 5 of",
        "Renamed role 5 of")))
    results += playbook_serve_rows(example, big)
    if Path(ZENSICAL).is_file():
        # A role below a department: a department's title is in the nav, in mkdocs.yml, and
        # a changed mkdocs.yml makes Zensical rebuild every page (about a minute here).
        results.append((PREVIEW, measure_preview(
            big, big / "playbook/roles/role-506.yml", "roles/role-506/", "Role number 506 of",
            "Renamed role 506 of")))
        print(f"{PREVIEW}: an edit shows up after {results[-1][1]:.2f} s", flush=True)
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        cpu = model[1] if model else cpu
    except OSError:
        pass
    import material

    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{runner.version()}, Material {material.__version__}, "
            f"{platform.system()} {platform.release()}")


def report(rows: list[Row], serve: list[tuple[str, float]],
           commands: list[tuple[str, float]]) -> str:
    lines = [
        "# Benchmark results", "",
        f"Machine: {machine()}. Run on {time.strftime('%Y-%m-%d')} by `make bench`.", "",
        "Synthetic playbooks from `bench/generate.py`: N roles in 10 departments, three "
        "procedures each, ~60-line role files. Times are wall-clock seconds, the best of "
        f"{rows[0].runs if rows else 1} runs (plugin and floor builds alternate; check "
        "in-process is the best of 3 calls; plugin / floor is the median ratio of the "
        "back-to-back pairs); flat nav is one run. At 1,000 roles the Markdown yardstick "
        "(the same content as ordinary Markdown, built by plain MkDocs) alternates with "
        "them too.", "",
        "| roles | check in-process (s) | check command (s) | check peak MB "
        "| build with plugin (s) | floor: plain MkDocs (s) | plugin / floor "
        "| Markdown yardstick (s) | plugin / yardstick "
        "| flat nav (s) | flat / plugin "
        "| ms per role (plugin) | org chart HTML (KB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        flat = f"{row.flat_s:.1f}" if row.flat_s is not None else "not run"
        speedup = f"{row.flat_s / row.plugin_s:.1f}x" if row.flat_s is not None else "–"
        by_hand = (f"{row.markdown_s:.1f} | {statistics.median(row.markdown_pairs):.2f}"
                   if row.markdown_s is not None else "– | –")
        lines.append(
            f"| {row.roles:,} | {row.check_s:.3f} | {row.check_cmd_s:.2f} | {row.check_mb:.0f} "
            f"| {row.plugin_s:.1f} | {row.floor_s:.1f} | {row.plugin_over_floor:.2f} "
            f"| {by_hand} | {flat} | {speedup} | {1000 * row.plugin_s / row.roles:.1f} "
            f"| {row.org_chart_kb:.0f} |")
    for row in rows:
        if row.fork_pairs:
            lines += ["", f"At {row.roles:,} roles the plugin with its forked helper took "
                      f"{', '.join(f'{pair:.2f}x' for pair in row.fork_pairs)} the time of the "
                      "plugin without it (PLAYBOOK_NO_FORK=1), pair by pair; the deferred "
                      "files (`mkdocs_internals.DeferredFile`, which overrides MkDocs' "
                      "`File._content`) exist only so that MkDocs can take pages the helper "
                      "made."]
    lines += size_lines(rows)
    lines += ["", "`mkdocs serve` (and `playbook serve`, Zensical on the export), seconds from "
              "saving an edited role file to the new title being served:", "",
              "| playbook | edit shows up after (s) |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in serve]
    lines += ["", "Commands, best of 7 runs:", "", "| command | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in commands]
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    found = targets(rows, serve, commands)
    lines += [f"| {name} | {value} | {'yes' if ok else 'no'} |" for name, value, ok in found]
    missed = [name for name, _, ok in found if not ok]
    if missed:
        lines += ["", "## Why a target is not met", ""]
        lines += [f"- {name}: {why(name, rows)}" for name in missed]
    return "\n".join(lines) + "\n"


def why(target: str, rows: list[Row]) -> str:
    """The reason a target was missed, from this run's own figures where they tell it."""
    by_size = {row.roles: row for row in rows}
    row = by_size.get(1000)
    if target.startswith("at least 5x") and row is not None and row.flat_s is not None:
        base = row.markdown_s or row.floor_s
        return (f"listing every role in the nav adds {row.flat_s - base:.0f} s at 1,000 roles "
                f"(flat minus the same pages without), and the plugin's build takes "
                f"{row.plugin_s:.0f} s, of which the theme and the search index (Material's, "
                "which parses every page's HTML again) are most now that the pages need "
                "little parsing: CONTRIBUTING.md says where the time goes.")
    if target.startswith("build with the plugin at 1,000 roles <= 0.5x") and row is not None:
        pairs = ", ".join(f"{pair:.2f}x" for pair in row.markdown_pairs)
        return (f"the back-to-back pairs gave {pairs}; what is left is mostly Material's "
                "search index and theme, which are the same for both builds (CONTRIBUTING.md).")
    match = re.search(r"at ([0-9,]+) roles <= ", target)
    if match and (built := by_size.get(int(match[1].replace(",", "")))) and built.pairs:
        spread = max(built.pairs) - min(built.pairs)
        return ("the back-to-back pairs of runs gave "
                f"{', '.join(f'{pair:.2f}x' for pair in built.pairs)}: they differ by "
                f"{spread:.2f} among themselves, so a miss smaller than that may be this "
                "machine's drift rather than our code (CONTRIBUTING.md says where our time goes).")
    return "missed in this run (see the table above)."


def targets(rows: list[Row], serve: list[tuple[str, float]],
            commands: list[tuple[str, float]]) -> list[tuple[str, str, bool]]:
    """The targets of issues 8, 17 and 19, each with what this run measured."""
    by_size = {row.roles: row for row in rows}
    found: list[tuple[str, str, bool]] = []
    for roles in (1000, 3000):
        if roles in by_size:
            ratio = by_size[roles].plugin_over_floor
            found.append((f"build with the plugin at {roles:,} roles <= 1.10x the floor",
                          f"{ratio:.2f}x", ratio <= 1.10))
    if 1000 in by_size and by_size[1000].markdown_pairs:
        ratio = statistics.median(by_size[1000].markdown_pairs)
        found.append(("build with the plugin at 1,000 roles <= 0.5x plain MkDocs building the "
                      "same content as Markdown (the yardstick)", f"{ratio:.2f}x", ratio <= 0.5))
    if 1000 in by_size and by_size[1000].flat_s is not None:
        speedup = by_size[1000].flat_s / by_size[1000].plugin_s
        found.append(("at least 5x faster than the yardstick with a flat nav at 1,000 roles",
                      f"{speedup:.1f}x", speedup >= 5))
    if 300 in by_size and 3000 in by_size:
        linear = (by_size[3000].plugin_s / 3000) / (by_size[300].plugin_s / 300)
        found.append(("time per role at 3,000 roles within 1.3x of that at 300",
                      f"{linear:.2f}x", linear <= 1.3))
    if 1000 in by_size:
        row = by_size[1000]
        found.append(("`playbook check`, 1,000 roles and 3,000 procedures, in-process < 0.5 s",
                      f"{row.check_s:.2f} s", row.check_s < 0.5))
        found.append(("the same as a command < 0.8 s", f"{row.check_cmd_s:.2f} s",
                      row.check_cmd_s < 0.8))
    if 3000 in by_size:
        found.append(("peak memory of `playbook check` at 3,000 roles < 300 MB",
                      f"{by_size[3000].check_mb:.0f} MB", by_size[3000].check_mb < 300))
    added = added_per_role(rows)
    if len(added) >= 2:
        (first, early), (last, late) = added[0], added[-1]
        found.append((f"the site grows linearly: KB per role added at {last.roles:,} roles "
                      f"within 1.3x of that at {first.roles:,}", f"{late / early:.2f}x",
                      late / early <= 1.3))
    for name, seconds in serve[:1]:
        found.append((f"`mkdocs serve`: an edit at the {name} size shows up in < 2 s",
                      f"{seconds:.2f} s", seconds < 2))
    limits = {VERSION: 0.15, CHECK_EXAMPLE: 0.3}
    for name, seconds in commands:
        found.append((f"{name} < {limits[name]} s as a command", f"{seconds:.2f} s",
                      seconds < limits[name]))
    for name, seconds in serve:
        if name in PLAYBOOK_SERVE:
            size, limit = name.rsplit(", `", 1)[0], PLAYBOOK_SERVE[name]
            found.append((f"`playbook serve`, {size}: an edit of one role shows up in "
                          f"< {limit:g} s", f"{seconds:.2f} s", seconds < limit))
        if name == PREVIEW:
            found.append(("an edit of one role at 1,000 roles shows up in < 5 s "
                          "(Zensical on the export)", f"{seconds:.2f} s", seconds < 5))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,300,1000,3000")
    parser.add_argument("--quick", action="store_true", help="skip flat nav above 100 roles")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each check and build; the best one counts")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--from-log", type=Path,
                        help="rewrite the report from the JSON lines of an earlier run's output")
    args = parser.parse_args()
    if args.from_log:
        lines = args.from_log.read_text(encoding="utf-8").splitlines()
        rows = [Row(**json.loads(line)) for line in lines if line.startswith('{"roles"')]
        serve = [(m[1], float(m[2])) for line in lines
                 if (m := re.match(r"\| (example.*|1,000 roles.*) \| ([0-9.]+) \|", line))]
        commands = [(m[1], float(m[2])) for line in lines
                    if (m := re.match(r"\| (`playbook .*`.*) \| ([0-9.]+) \|", line))]
        args.out.write_text(report(rows, serve, commands), encoding="utf-8")
        return
    commands = command_rows()
    for name, seconds in commands:
        print(f"| {name} | {seconds:.2f} |", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:
        for roles in (int(n) for n in args.sizes.split(",")):
            rows.append(measure_size(Path(tmp), roles, args.quick, args.repeat))
            print(json.dumps(rows[-1].__dict__), flush=True)
        serve = serve_rows(Path(tmp))
    text = report(rows, serve, commands)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
