"""What the Changes sections cost: the same synthetic playbook built with and without its
git history (bench/generate.py's playbook, then COMMITS commits that each edit a few
roles and procedures), runs alternated so that a busy machine slows both alike.

Usage: python bench/history.py [--roles 1000] [--commits 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import ENV, PYTHON, project  # noqa: E402

FILES_PER_COMMIT = 4


def git(folder: Path, *args: str, when: int = 0) -> None:
    stamp = f"{1767600000 + when * 3600} +0000"
    env = {**ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
           "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def replace(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, new, text, count=1), encoding="utf-8")


def history(folder: Path, roles: int, commits: int) -> None:
    """One commit of the whole playbook, then commits - 1 that reword steps and retime tasks."""
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "Start")
    book = folder / "playbook"
    for n in range(1, commits):
        for k in range(FILES_PER_COMMIT):
            index = (n * 37 + k * 101) % roles
            if k % 2:  # every edit differs from all before it, so no commit is empty
                replace(book / "roles" / f"role-{index}.yml", r"time: \d+m", f"time: {n}m")
            else:
                replace(book / "procedures" / f"role-{index}-p{k % 3}.yml",
                        rf"Step {n % 6 + 1}, [^\n]*instruction",
                        f"Step {n % 6 + 1}, a revised ({n}) instruction")
        git(folder, "commit", "-q", "-am", f"Edit {n}", when=n)


def build(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run([PYTHON, "-m", "mkdocs", "build", "-q"], cwd=folder, env=ENV, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def check(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(Path(PYTHON).with_name("playbook")), "check", "playbook"], cwd=folder,
                   env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as base:
        tracked = project(Path(base) / "git", args.roles)
        history(tracked, args.roles, args.commits)
        plain = Path(base) / "plain"
        shutil.copytree(tracked, plain, ignore=shutil.ignore_patterns(".git"))
        times: dict[str, list[float]] = {"git": [], "plain": [], "check git": [],
                                         "check plain": []}
        build(plain)  # warm the file cache and Python's bytecode
        for _ in range(args.runs):
            times["git"].append(build(tracked))
            times["plain"].append(build(plain))
            times["check git"].append(check(tracked))
            times["check plain"].append(check(plain))
        pages = len(list((tracked / "site/roles").glob("*/changes.xml")))
        print(f"{args.roles} roles, {args.commits} commits, {pages} role feeds")
        for name, values in times.items():
            print(f"{name:12} best {min(values):6.2f} s  median {statistics.median(values):6.2f} s")
        ratios = [a / b for a, b in zip(times["git"], times["plain"], strict=True)]
        print(f"build with history / without: median of pairs {statistics.median(ratios):.3f}, "
              f"best over best {min(times['git']) / min(times['plain']):.3f}")


if __name__ == "__main__":
    main()
