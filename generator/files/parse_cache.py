"""What each file parsed to, kept between runs of `playbook check`, keyed by its bytes.

`playbook check` runs on every save (pre-commit hooks, editors), and between two runs
almost every file is unchanged, yet parsing them was most of a check's time. The command
keeps each file's data and slips in one file under `.playbook_cache/`, named after the
playbook folder, keyed by a hash of the file's bytes: an edited file has other bytes,
hence another key, and is parsed again; modification times are never trusted.

The hash is keyed with the code that parses (strict_yaml.py, yaml_mistakes.py), PyYAML's
and libyaml's versions and Python's, so a change of any parses everything again. Only
files that parsed are kept: an unreadable file is read again each time, so its errors
keep their positions (a kept file's positions are found again from its text, as always,
by `Source.mark`).

The cache is written whole to a temporary file and renamed over the old one, so runs at
the same time each leave a complete cache and a reader never sees half of one; a cache
that does not check out (its magic, checksum or code differ) is ignored and replaced.
It holds the files of the run that wrote it only, so edits do not make it grow.

Only the command uses it. A site build's time is in its pages, not in parsing (a small
share of it), and `mkdocs serve` and `render --watch` rebuild when
files change where they watch, which a cache written beside the playbook could set off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import yaml

from . import strict_yaml, yaml_mistakes
from .strict_yaml import Source
from .yaml_mistakes import Slip

MAGIC = b"PBPARSE1"
_HEADER = len(MAGIC) + 4  # the magic, then the payload's CRC-32
_SLIP_FIELDS = 4
REWRITE_AFTER = 50
"""The cache is written when at least 1 in this many files had to be parsed (2%)."""

Entry = tuple[Any, tuple[tuple[str, int, int, str | None], ...]]
"""A file's data and its slips (message, line, col, key), as marshal stores them."""


class ParseCache:
    """The parsed files of one playbook folder: those the cache was written with, and
    this run's."""

    def __init__(self, file: Path, salt: bytes, entries: dict[bytes, Entry]) -> None:
        self.file = file
        self._salt = salt
        self._old = entries
        self._new: dict[bytes, Entry] = {}
        self._parsed = 0

    @classmethod
    def open(cls, folder: Path, root: Path) -> ParseCache | None:
        """The cache of the playbook in `root`; None where the parsing code cannot be read
        (then nothing could tell a stale entry from a good one)."""
        salt = _salt()
        if salt is None:
            return None
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
        file = folder / f"{name}.bin"
        return cls(file, salt, _load(file, salt))

    def key(self, raw: bytes) -> bytes:
        """The key of a file's bytes (keyed with the parsing code's hash)."""
        return hashlib.blake2b(raw, digest_size=16, key=self._salt).digest()

    def source(self, key: bytes, path: Path, name: str, raw: bytes) -> Source | None:
        """The file parsed as before, or None when these bytes were not parsed before."""
        entry = self._old.get(key)
        if entry is None or not _well_formed(entry):
            return None
        self._new[key] = entry
        data, slips = entry
        return Source(path, name, strict_yaml.decode(raw), data, [Slip(*s) for s in slips])

    def keep(self, key: bytes, source: Source) -> None:
        """Remember a file parsed in this run."""
        slips = tuple((s.message, s.line, s.col, s.key) for s in source.slips)
        self._new[key] = (source.data, slips)
        self._parsed += 1

    def save(self) -> None:
        """Write this run's files, once enough of them had to be parsed. Writing the whole
        cache costs as much as parsing a few dozen files, so the usual edit of a file or
        two is parsed again by the next runs too, until one in REWRITE_AFTER files is new
        to the cache. A cache that cannot be written (a read-only folder) only costs the
        next run its speed."""
        if self._parsed * REWRITE_AFTER < len(self._new) or not self._parsed:
            return
        payload = marshal.dumps((self._salt, self._new))
        folder = self.file.parent
        try:
            _make_folder(folder)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload)
                os.replace(temporary, self.file)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass


def _salt() -> bytes | None:
    """A hash of everything a file's parse depends on besides its bytes: our parsing code,
    PyYAML and the libyaml it uses, and the Python that reads the marshal format."""
    libyaml = getattr(yaml, "_yaml", None)
    versions = (MAGIC.decode(), yaml.__version__, sys.implementation.cache_tag,
                libyaml.get_version_string() if libyaml is not None else "no libyaml")
    digest = hashlib.blake2b(repr(versions).encode(), digest_size=32)
    try:
        for module in (strict_yaml, yaml_mistakes):
            digest.update(Path(module.__file__ or "").read_bytes())
    except OSError:
        return None
    return digest.digest()


def _load(file: Path, salt: bytes) -> dict[bytes, Entry]:
    """The entries of a cache file; none for a missing, damaged or outdated one."""
    try:
        blob = file.read_bytes()
    except OSError:
        return {}
    payload = blob[_HEADER:]
    if blob[:len(MAGIC)] != MAGIC or blob[len(MAGIC):_HEADER] != zlib.crc32(payload).to_bytes(
            4, "little"):
        return {}
    try:
        stored_salt, entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if stored_salt != salt or not isinstance(entries, dict):
        return {}
    return entries


def _well_formed(entry: Any) -> bool:
    """The shape `keep` writes; anything else is treated as never parsed."""
    return (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], tuple)
            and all(isinstance(s, tuple) and len(s) == _SLIP_FIELDS for s in entry[1]))


def _make_folder(folder: Path) -> None:
    """The cache folder, marked as one: git ignores it (its own .gitignore) and backup
    tools may skip it (CACHEDIR.TAG)."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Written by playbook check.\n*\n", encoding="utf-8")
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                       "# playbook check's cache; see https://bford.info/cachedir/\n",
                       encoding="utf-8")
