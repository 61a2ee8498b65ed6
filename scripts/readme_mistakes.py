"""Rewrite the README's table of common mistakes from the test corpus (the cases with `fix`).

Run after changing a message or a case: `.venv/bin/python scripts/readme_mistakes.py`;
tests/test_corpus.py fails while the table and the corpus disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from test_corpus import CASES  # noqa: E402  (the tests folder is not a package)

HEADER = "| Message (an example) | What to fix |\n|---|---|\n"


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split("\n## Common mistakes\n", 1)
    section, after = rest.split("\n## ", 1)
    intro = section.split(HEADER, 1)[0]
    rows = "".join(f"| `{case.expect[0].phrase}` | {case.fix} |\n" for case in CASES if case.fix)
    readme.write_text(f"{before}\n## Common mistakes\n{intro}{HEADER}{rows}\n## {after}",
                      encoding="utf-8")
    print(f"README.md: {rows.count(chr(10))} rows from {len(CASES)} corpus cases")


if __name__ == "__main__":
    main()
