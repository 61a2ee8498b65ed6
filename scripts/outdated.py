"""Report the pinned dependencies (constraints.txt) that have a newer release on the index.

Usage: python scripts/outdated.py [constraints.txt]  (`make outdated`)

It asks pip (`pip list --outdated`) in the environment it runs in, which `make outdated`
sets up from the constraints, so every pin is installed there. It only reports: the exit
status is 0 when newer releases exist and when the index cannot be reached, so a scheduled
run never breaks a build. To take the new releases, run `make lock` and then `make test`;
a release outside a range in pyproject.toml needs that range widened first, and says so.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)\s*(?:#.*)?$")
INDEX = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/")


def canonical(name: str) -> str:
    """A distribution's name as the index compares it (PEP 503): 'PyYAML' -> 'pyyaml'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text: str) -> dict[str, str]:
    """{canonical name: version} of every `name==version` line; comments and blanks skipped.

    >>> read_pins("# locked\\nPyYAML==6.0.4\\nmkdocs==1.6.1  # the engine\\n")
    {'pyyaml': '6.0.4', 'mkdocs': '1.6.1'}
    """
    pins: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        if match is None:
            raise ValueError(f"line {number}: expected name==version but received: {line!r}")
        pins[canonical(match["name"])] = match["version"]
    return pins


def newer(pins: dict[str, str], latest: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, pinned, latest) for every pin with a newer release, sorted by name.

    >>> newer({"pyyaml": "6.0.4", "mkdocs": "1.6.1"}, {"PyYAML": "7.0", "mkdocs": "1.6.1"})
    [('pyyaml', '6.0.4', '7.0')]
    """
    found = []
    for name, release in latest.items():
        pinned = pins.get(canonical(name))
        if pinned is None:
            continue
        try:
            if Version(release) > Version(pinned):
                found.append((canonical(name), pinned, release))
        except InvalidVersion:
            found.append((canonical(name), pinned, release))
    return sorted(found)


def ranges(pyproject: str) -> dict[str, SpecifierSet]:
    """{canonical name: allowed versions} of every dependency pyproject.toml names,
    optional ones included (a name listed twice must satisfy both)."""
    project = tomllib.loads(pyproject)["project"]
    found: dict[str, SpecifierSet] = {}
    for text in [*project.get("dependencies", []),
                 *(r for extra in project.get("optional-dependencies", {}).values()
                   for r in extra)]:
        requirement = Requirement(text)
        name = canonical(requirement.name)
        found[name] = found.get(name, SpecifierSet()) & requirement.specifier
    return found


def advice(name: str, release: str, allowed: dict[str, SpecifierSet]) -> str:
    """Whether pyproject.toml allows release (then `make lock` can take it, unless another
    dependency holds it back) or its range must be widened first.

    >>> advice("pypdf", "7.1.1", {"pypdf": SpecifierSet(">=4,<7")})
    'outside pyproject.toml (<7,>=4)'
    """
    specifier = allowed.get(name)
    if specifier is None or specifier.contains(release, prereleases=True):
        return "allowed by pyproject.toml"
    return f"outside pyproject.toml ({specifier})"


def drift(pins: dict[str, str]) -> list[str]:
    """Pins that this environment does not have as pinned (it would report the wrong base)."""
    problems = []
    for name, pinned in sorted(pins.items()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            problems.append(f"{name}: pinned {pinned}, not installed here (not checked)")
            continue
        if Version(installed) != Version(pinned):
            problems.append(f"{name}: pinned {pinned}, installed {installed}")
    return problems


def reachable(url: str = INDEX) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10):  # the package index only
            return True
    except OSError:
        return False


def latest_releases() -> tuple[dict[str, str], str]:
    """{name: latest version} of the installed packages with a newer release, and pip's
    complaints (an index it could not read makes the answer incomplete)."""
    done = subprocess.run([sys.executable, "-m", "pip", "list", "--outdated", "--format=json",
                           "--retries", "1", "--timeout", "15", "--disable-pip-version-check"],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return {}, done.stderr.strip() or f"pip exited with {done.returncode}"
    rows = json.loads(done.stdout or "[]")
    complaints = [line for line in done.stderr.splitlines()
                  if "Could not fetch" in line or "Retrying" in line or "ERROR" in line]
    return {row["name"]: row["latest_version"] for row in rows}, "\n".join(complaints)


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "constraints.txt")
    pins = read_pins(path.read_text(encoding="utf-8"))
    pyproject = path.with_name("pyproject.toml")
    allowed = ranges(pyproject.read_text(encoding="utf-8")) if pyproject.exists() else {}
    print(f"{len(pins)} pins in {path}")
    for line in drift(pins):
        print(f"  note: {line}")
    if not reachable():
        print(f"The package index ({INDEX}) cannot be reached: nothing checked.")
        return 0
    latest, complaints = latest_releases()
    if complaints:
        print(f"pip could not read every index page; the list may be incomplete:\n{complaints}")
    found = newer(pins, latest)
    if not found:
        print("Every pinned dependency is at its newest release.")
        return 0
    width = max(len(name) for name, *_ in found)
    print(f"{len(found)} pinned dependencies have a newer release "
          "(re-lock with `make lock`, then run `make test`):")
    for name, pinned, release in found:
        print(f"  {name:<{width}}  {pinned:>12} -> {release:<12}  "
              f"{advice(name, release, allowed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
