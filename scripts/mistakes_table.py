"""Rewrite the manual's table of common mistakes (docs/manual/mistakes.md) from the test
corpus (the cases with `fix`), so that every message the page shows is one the tool prints.

Run after changing a message or a case: `.venv/bin/python scripts/mistakes_table.py`;
tests/test_corpus.py fails while the table and the corpus disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "manual" / "mistakes.md"
sys.path[:0] = [str(ROOT / "tests")]

from test_corpus import CASES  # noqa: E402  (the tests folder is not a package)

HEADER = "| Message (an example) | What to fix |\n|---|---|\n"


def main() -> None:
    text = PAGE.read_text(encoding="utf-8")
    before, table = text.split(HEADER, 1)
    after = "".join(line for line in table.splitlines(keepends=True)
                    if not line.startswith("|"))
    rows = "".join(f"| `{case.expect[0].phrase}` | {case.fix} |\n" for case in CASES if case.fix)
    PAGE.write_text(f"{before}{HEADER}{rows}{after}", encoding="utf-8")
    print(f"{PAGE.relative_to(ROOT)}: {rows.count(chr(10))} rows from {len(CASES)} corpus cases")


if __name__ == "__main__":
    main()
