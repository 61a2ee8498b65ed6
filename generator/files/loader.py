"""Find and read a playbook folder's files, safely.

The folder is trusted to hold only the playbook: a stray file, a symlink that
leads outside it or loops, or a `.yaml` spelling is reported rather than guessed
at, because a file that is silently skipped is a role that silently vanishes
from the site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Problem, Severity, display_path
from ..runtime.parallel import split_map
from .strict_yaml import Source, YamlProblem, decode, from_bytes, read_bytes

BUSINESS = "business.yml"
PEOPLE = "people.yml"
FOLDERS = ("roles", "procedures")
MEDIA = "media"
"""Pictures for steps (generator/model/media.py checks them): any files, so not read here."""


@dataclass
class RawPlaybook:
    """Every readable file of a playbook, with the problems met while reading."""

    root: Path
    business: Source | None = None
    people: Source | None = None
    roles: dict[str, Source] = field(default_factory=dict)
    procedures: dict[str, Source] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    """'role:<id>' and 'procedure:<id>' of files that exist but could not be read (already
    reported), so that references to them are not reported missing as well."""

    def error(self, name: str, message: str, line: int = 1, col: int = 1) -> None:
        self.problems.append(Problem(name, line, col, Severity.ERROR, message))


def load(root: Path, *, cache: Path | None = None, parsed: Parsed | None = None
         ) -> RawPlaybook:
    """Read `business.yml`, `people.yml`, `roles/*.yml` and `procedures/*.yml` under root.

    With `cache`, a folder, files parsed by an earlier run are taken from the cache there
    (parse_cache.py) and only new or edited ones are parsed; with `parsed`, files parsed
    by an earlier check of the same process are (`playbook serve`), and `cache` is not
    used.
    """
    raw = RawPlaybook(root)
    shown = display_path(root)
    if not root.is_dir():
        raw.error(shown, f"playbook folder '{shown}' does not exist or is not a folder")
        return raw
    real_root = root.resolve()
    jobs = [(name, root / name, display_path(root / name))
            for name in _top_files(raw, root, real_root)]
    jobs += [(folder, path, f"{prefix}/{path.name}") for folder in FOLDERS
             for prefix in [display_path(root / folder)]
             for path in _files(raw, root / folder, real_root)]
    files = [(path, name) for _, path, name in jobs]
    if parsed is not None:
        outcomes = parsed.attempt_all(files)
    else:
        outcomes = _parse(files) if cache is None else _parse_cached(files, root, cache)
    for (kind, path, name), outcome in zip(jobs, outcomes, strict=True):
        source = _accept(raw, name, outcome)
        if kind in (BUSINESS, PEOPLE):
            setattr(raw, kind.removesuffix(".yml"), source)
        elif source is not None:
            getattr(raw, kind)[path.stem] = source
        else:
            raw.unreadable.add(f"{kind.removesuffix('s')}:{path.stem}")
    _check_top_level(raw, root, real_root)
    return raw


def _top_files(raw: RawPlaybook, root: Path, real_root: Path) -> list[str]:
    """business.yml and people.yml, where they are there to read; missing ones reported."""
    found = []
    for name in (BUSINESS, PEOPLE):
        path = root / name
        if not path.exists() and not path.is_symlink():
            raw.error(display_path(path), f"missing {name}; every playbook needs one "
                      "(run 'playbook init' to start from a template)")
        elif _inside(path, real_root, raw):
            found.append(name)
    return found


def _files(raw: RawPlaybook, folder: Path, real_root: Path) -> list[Path]:
    """The `.yml` files of a folder, sorted; anything else there is reported."""
    if not folder.exists() and not folder.is_symlink():
        return []
    if not _inside(folder, real_root, raw):
        return []
    if not folder.is_dir():
        raw.error(display_path(folder), f"'{folder.name}' must be a folder of .yml files")
        return []
    found = []
    prefix = display_path(folder)
    with os.scandir(folder) as scan:  # entries know their type: no stat call per file
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        path = folder / entry.name
        name = f"{prefix}/{entry.name}"
        if entry.name.startswith(".") or entry.name.endswith("~"):
            continue  # editor swap files, backups and .DS_Store
        if path.suffix == ".yaml":
            raw.error(name, f"rename to '{path.stem}.yml'; playbook files end in .yml")
        elif path.suffix != ".yml":
            raw.error(name, f"unexpected file in {folder.name}/; only .yml files belong here "
                      "(move notes and attachments into docs/)")
        elif entry.is_symlink() and not _inside(path, real_root, raw):
            continue
        elif entry.is_dir():
            raw.error(name, "a folder named like a .yml file; remove or rename it")
        else:
            found.append(path)
    return found


def _inside(path: Path, real_root: Path, raw: RawPlaybook) -> bool:
    """False, with an error, for links that loop or lead outside the playbook."""
    name = display_path(path)
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        raw.error(name, "symbolic link loop; replace the link with the file itself")
        return False
    except (FileNotFoundError, OSError):
        raw.error(name, "broken symbolic link; it points to a file that does not exist")
        return False
    if not target.is_relative_to(real_root):
        raw.error(name, f"links to '{target}', outside the playbook folder; copy the file in "
                  "instead, so that the playbook is self-contained")
        return False
    return True


def _parse(files: list[tuple[Path, str]]) -> list[Source | _Unreadable]:
    """Parsing is most of a check's time; split_map gives up to 60% of the files to a
    second core."""
    return split_map(_attempt, [(path, name, None) for path, name in files])


def _parse_cached(files: list[tuple[Path, str]], root: Path, folder: Path
                  ) -> list[Source | _Unreadable]:
    """The files' bytes are read here and looked up in the cache; only those not found are
    parsed (by `_parse`'s split), from the very bytes that were looked up, so a file saved
    meanwhile cannot be kept under the key of its older bytes."""
    from .parse_cache import ParseCache  # only the command uses it

    cache = ParseCache.open(folder, root)
    if cache is None:
        return _parse(files)
    outcomes: list[Source | _Unreadable] = []
    missed: list[tuple[int, bytes, tuple[Path, str, bytes]]] = []
    for path, name in files:
        found = _bytes(path)
        if isinstance(found, _Unreadable):
            outcomes.append(found)
            continue
        key = cache.key(found)
        source = cache.source(key, path, name, found)
        if source is None:
            missed.append((len(outcomes), key, (path, name, found)))
        outcomes.append(source or _NOT_YET)
    parsed = split_map(_attempt, [job for _, _, job in missed])
    for (index, key, _), outcome in zip(missed, parsed, strict=True):
        outcomes[index] = outcome
        if isinstance(outcome, Source):
            cache.keep(key, outcome)
    cache.save()
    return outcomes


@dataclass(frozen=True)
class _Unreadable:
    message: str
    line: int = 1
    col: int = 1
    also: tuple[tuple[str, int, int], ...] = ()
    """Further mistakes in the file (message, line, col)."""


def _attempt(job: tuple[Path, str, bytes | None]) -> Source | _Unreadable:
    """Read one file (or parse its bytes, when they were read already); what went wrong
    comes back as a value, so that it can cross from the process that parsed it."""
    path, name, raw = job
    if raw is None:
        found = _bytes(path)
        if isinstance(found, _Unreadable):
            return found
        raw = found
    try:
        return from_bytes(path, name, raw)
    except YamlProblem as exc:
        return _unreadable(exc)


_NOT_YET = _Unreadable("not parsed yet")
"""The place of a file the cache did not know, until its parse fills it in."""


def _bytes(path: Path) -> bytes | _Unreadable:
    try:
        return read_bytes(path)
    except YamlProblem as exc:
        return _unreadable(exc)
    except OSError as exc:
        return _Unreadable(f"cannot read the file: {exc.strerror or exc}")


class Parsed:
    """The files a long-lived process (`playbook serve`) has parsed, so that the check
    after an edit parses only the files whose text changed: parsing is most of a check's
    time, and an edit changes one file of thousands. A file is read again each time and
    its text compared, so no change can be missed, whatever its time stamp says."""

    def __init__(self) -> None:
        self._sources: dict[tuple[Path, str], Source] = {}
        self._seen: set[tuple[Path, str]] = set()

    def attempt(self, job: tuple[Path, str]) -> Source | _Unreadable:
        """_attempt of the file, from the last parse where the file's text is the same. Each
        call gets its own Source: validation lets go of a Source's data as it goes."""
        self._seen.add(job)
        found = _bytes(job[0])
        if isinstance(found, _Unreadable):
            return self._keep(job, found)
        known = self._sources.get(job)
        if known is not None:
            try:
                if decode(found) == known.text:
                    return replace(known)
            except YamlProblem:
                pass  # _attempt says what is wrong
        return self._keep(job, _attempt((*job, found)))

    def _keep(self, job: tuple[Path, str], outcome: Source | _Unreadable
              ) -> Source | _Unreadable:
        """Remember a file's parse for the next check (a copy: see attempt)."""
        self._seen.add(job)
        if isinstance(outcome, Source):
            self._sources[job] = replace(outcome)
        else:
            self._sources.pop(job, None)
        return outcome

    def attempt_all(self, jobs: list[tuple[Path, str]]) -> list[Source | _Unreadable]:
        """attempt() of each job; files not among them (removed, or not read this time)
        are forgotten. Files never parsed (all of them, the first time) are parsed with
        _parse, which gives a second core part of them where it can."""
        new = [job for job in jobs if job not in self._sources]
        fresh = dict(zip(new, _parse(new), strict=True))
        outcomes = [self._keep(job, fresh[job]) if job in fresh else self.attempt(job)
                    for job in jobs]
        self._sources = {job: source for job, source in self._sources.items()
                         if job in self._seen}
        self._seen = set()
        return outcomes


def _unreadable(exc: YamlProblem) -> _Unreadable:
    return _Unreadable(exc.message, exc.line, exc.col,
                       tuple((more.message, more.line, more.col) for more in exc.also))


def _accept(raw: RawPlaybook, name: str, outcome: Source | _Unreadable) -> Source | None:
    if isinstance(outcome, _Unreadable):
        raw.error(name, outcome.message, outcome.line, outcome.col)
        for message, line, col in outcome.also:
            raw.error(name, message, line, col)
        return None
    _report_slips(raw, name, outcome)
    if outcome.data is None:
        raw.error(name, "file is empty; it needs at least the required keys (see "
                  "'playbook new' for a template)")
        return None
    return outcome


def _report_slips(raw: RawPlaybook, name: str, source: Source) -> None:
    """Slips become warnings; a key-like line inside a text block only where the word is a
    playbook key ('note:' in a step's text is just text)."""
    keys: frozenset[str] = frozenset()
    if any(slip.key for slip in source.slips):
        from ..model.schema import key_names  # the models' import is needed for nothing else here

        keys = key_names()
    for slip in source.slips:
        if slip.key is None or slip.key in keys:
            raw.problems.append(Problem(name, slip.line + 1, slip.col + 1, Severity.WARNING,
                                        slip.message))


def _check_top_level(raw: RawPlaybook, root: Path, real_root: Path) -> None:
    """Catch the usual slips at the top: `role/` for `roles/`, `business.yaml`."""
    known = {BUSINESS, PEOPLE, *FOLDERS, MEDIA}
    for path in sorted(root.iterdir()):
        if path.name in known or path.name.startswith(".") or path.name.endswith("~"):
            continue
        name = display_path(path)
        if path.suffix == ".yaml" and path.stem + ".yml" in known:
            raw.error(name, f"rename to '{path.stem}.yml'; playbook files end in .yml")
        elif path.suffix in (".yml", ".yaml") or path.is_dir():
            expected = ", ".join(sorted(known))
            raw.error(name, f"unexpected '{path.name}' in the playbook folder; it holds only "
                      f"{expected}")
