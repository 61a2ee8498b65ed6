"""Grow a synthetic playbook of N roles (three procedures each) for benchmarks.

Field sizes follow the example playbook: a ~60-line role file and a ~40-line
procedure file. Roles sit in ten departments, three levels deep, so the nav and
org chart see a realistic tree rather than a flat list.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

DEPARTMENTS = 10
FREQUENCIES = ("daily", "weekly", "every 2 weeks", "monthly", "quarterly", "as needed")

BUSINESS = """\
name: Synthetic Holdings
model: >
  A group of online brands selling courses, e-books and software subscriptions to
  hobbyists, each brand run by a small team of specialist contractors.
deliverables:
  - Video courses
  - E-books
  - Software subscriptions
owner: owner
workweek_days: 5
currency: USD
"""


def person(index: int) -> str:
    return (f"- id: contractor-{index}\n  name: Contractor {index}\n  kind: contractor\n"
            f"  capacity: 20h\n  contact: Slack @c{index}\n  timezone: Europe/Berlin\n"
            f"  private:\n    rate: {20 + index % 30}\n    email: c{index}@example.com\n")


def role(index: int, parent: str | None, performer: str | None) -> str:
    lines = [f"title: Role number {index} of the synthetic business"]
    if parent:
        lines.append(f"parent: {parent}")
    lines += ["sourcing: outsource"]
    if performer:
        lines.append(f"performer: {performer}")
    lines += [
        "purpose: >",
        "  Keep this part of the business running so that customers get what they paid",
        "  for on time and the owner can spend their hours on new products instead.",
    ]
    for key in ("goals", "objectives", "success_factors", "expectations", "skills", "access"):
        lines.append(f"{key}:")
        lines += [f"  - {key.replace('_', ' ').capitalize()} item {n} for role {index}, "
                  "written as a full sentence of realistic length" for n in range(1, 4)]
    lines.append("tasks:")
    for n in range(4):
        every = FREQUENCIES[(index + n) % len(FREQUENCIES)]
        lines += [f"  - task: Recurring task {n} of role {index} with a descriptive name",
                  f"    every: {every}", f"    time: {15 * (n + 1)}m"]
        if every == "as needed":
            lines.append("    trigger: A customer asks for it")
        if every == "every 2 weeks":  # which weeks: the playbook says, as a real one would
            lines.append("    starts: 2026-01-05")
    lines.append("kpis:")
    lines += [f"  - name: Outcome measure {n}\n    target: '>= 95%'\n    every: monthly"
              for n in range(2)]
    lines += ["escalation: owner", "review:", "  last: 2026-10-01", "  every: quarterly",
              "private:", "  assessment:", "    skill: weak", "    enjoyment: dislike",
              "  budget: 35", "  notes: Hire a specialist before the spring launch."]
    return "\n".join(lines) + "\n"


def procedure(index: int, role_id: str, n: int) -> str:
    lines = [f"title: Procedure {n} of role {index}", f"role: {role_id}",
             "summary: Do the recurring work the same way every time, so anyone can pick it up.",
             "trigger: Every Monday morning", "time: 45m", "inputs:",
             "  - The shared drive folder for this role",
             "  - Last week's report", "steps:"]
    for step in range(1, 7):
        lines += [f"  - do: Step {step}, an instruction with enough words to be realistic here",
                  f"    check: The expected result of step {step} is visible"]
        if step == 3:
            lines += ["    steps:", "      - Sub-step one of step three", "      - Sub-step two"]
    lines += ["done_when:", "  - The report is posted", "  - The checklist is complete"]
    return "\n".join(lines) + "\n"


def generate(folder: Path, roles: int) -> Path:
    """Write a playbook of `roles` roles and 3 x roles procedures into folder."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "roles").mkdir(parents=True)
    (folder / "procedures").mkdir()
    (folder / "business.yml").write_text(BUSINESS, encoding="utf-8")
    people = max(1, roles // 3)
    (folder / "people.yml").write_text(
        "- id: owner\n  name: The Owner\n  kind: owner\n  capacity: 50h\n"
        + "".join(person(i) for i in range(people)), encoding="utf-8")
    for index in range(roles):
        role_id = f"role-{index}"
        parent = None if index < DEPARTMENTS else f"role-{(index - DEPARTMENTS) // 3}"
        performer = None if index % 17 == 0 else (
            "owner" if index % 3 == 0 else f"contractor-{index % people}")
        (folder / "roles" / f"{role_id}.yml").write_text(role(index, parent, performer),
                                                         encoding="utf-8")
        for n in range(3):
            (folder / "procedures" / f"{role_id}-p{n}.yml").write_text(
                procedure(index, role_id, n), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("roles", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    generate(args.folder, args.roles)


if __name__ == "__main__":
    main()
