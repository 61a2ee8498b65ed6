"""Render the yardsticks' exports again with the current code (tests/test_equivalence.py).

Run it after changing a page on purpose, then review the change in the built pages: each
yardstick keeps its playbook, and only its exports (public/, internal/) are replaced.
Usage: python scripts/yardstick.py [NAME ...]
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YARDSTICKS = ROOT / "tests/fixtures/yardstick"
TODAY = "2026-11-23"
PLAYBOOK = Path(sys.executable).with_name("playbook")


def refresh(archive: Path) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        with tarfile.open(archive) as source:
            source.extractall(folder, filter="data")
        for audience in ("public", "internal"):
            if (folder / audience).is_dir():
                subprocess.run([str(PLAYBOOK), "render", "playbook", "--out", audience,
                                "--audience", audience, "--today", TODAY, "--force"],
                               cwd=folder, check=True)
        with tarfile.open(archive, "w:xz") as target:
            for path in sorted(folder.iterdir()):
                target.add(path, arcname=path.name)
    print(f"refreshed {archive.relative_to(ROOT)}")


def main() -> None:
    names = sys.argv[1:] or [path.name.removesuffix(".tar.xz")
                             for path in sorted(YARDSTICKS.glob("*.tar.xz"))]
    for name in names:
        refresh(YARDSTICKS / f"{name}.tar.xz")


if __name__ == "__main__":
    main()
