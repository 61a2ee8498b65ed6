"""What changed in each SOP, read from git and told in words.

The playbook folder's history is read in one `git log` pass (the commits and which
files each one touched) plus one `git cat-file --batch` for the files' contents,
never one git command per file, so history costs little even at thousands of roles.
Every version is parsed with the project's strict YAML reader, stripped of its
`private:` parts before anything compares it, and compared with the last version
that parsed: summaries come from the data ("step 3 changed ('Export' → 'Download')"),
never from a text diff, so no private value, no commit message and no author's
e-mail can reach the public site. A version that does not parse is named as such.
Old versions were never validated, so every summary line and id is cleaned of what
XML 1.0 cannot carry (xml_text) before a page or a feed shows it.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..files.strict_yaml import YamlProblem, decode, parse
from ..model.records import Procedure
from .summaries import Unparsed, procedure_changes, role_changes

NULL_SHA = "0" * 40
PAGE_LIMIT = 20
"""Changes shown on a role page; the role's feed holds more."""
GIT_TIMEOUT = 120
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What XML 1.0's Char production leaves out: C0 controls but tab, LF and CR, lone
surrogates, U+FFFE and U+FFFF."""


@dataclass(frozen=True)
class Change:
    """One commit's changes to one role: its role file and its procedures."""

    commit: str
    when: datetime
    lines: tuple[str, ...]
    procedures: tuple[str, ...] = ()
    """Ids of the role's procedures this change touched (for 'changed since your visit')."""

    @property
    def anchor(self) -> str:
        return f"change-{self.commit[:12]}"


@dataclass
class History:
    """Every role's changes, newest first; `reason` says why there are none at all."""

    roles: dict[str, list[Change]] = field(default_factory=dict)
    reason: str = ""

    @property
    def available(self) -> bool:
        return not self.reason

    def of(self, rid: str) -> list[Change]:
        return self.roles.get(rid, [])

    def latest(self, limit: int) -> list[tuple[str, Change]]:
        """The newest changes across the playbook, (role id, change), newest first."""
        every = [(rid, change) for rid, changes in self.roles.items() for change in changes]
        every.sort(key=lambda item: (item[1].when, item[0]), reverse=True)
        return every[:limit]

    def procedure_change(self, rid: str, pid: str) -> Change | None:
        """The newest change of the role that touched procedure pid."""
        return next((c for c in self.of(rid) if pid in c.procedures), None)


def xml_text(text: str) -> str:
    """text with every character XML 1.0 cannot carry replaced by U+FFFD. Old versions are
    never validated (a double-quoted YAML escape writes any control character), and one
    such character in a feed makes the whole document ill-formed, which feed readers
    refuse; the replacement shows the reader that something was there."""
    return NOT_XML.sub("\ufffd", text)


def fingerprint(procedure: Procedure) -> str:
    """A short hash of a procedure's public content: the browser compares it with the one
    it saw last to tell a reader that the procedure changed since their last visit."""
    public = procedure.model_dump(mode="json", exclude={"private"})
    text = json.dumps(public, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_history(root: Path, names: dict[str, str]) -> History:
    """The history of the playbook folder root; names maps person ids to names (the current
    ones, so that 'performer: vacant → Joy Santos' reads as the site does)."""
    where = _repository(root)
    if isinstance(where, History):
        return where
    log = _git(root, "log", "--reverse", "--first-parent", "--diff-merges=first-parent",
               "--raw", "--no-abbrev", "--no-renames", "--relative", "-z",
               "--format=%x1e%H%x1f%cI", "--", "roles", "procedures")
    if log is None:
        return History(reason="git log failed in the playbook folder")
    try:
        commits = list(_commits(log))
        blobs = _blobs(root, {sha for _, _, f in commits for _, sha in f if sha != NULL_SHA})
    except ValueError as exc:  # output of a git we do not know: leave history out, say why
        return History(reason=f"git's output could not be read ({exc})")
    if blobs is None:
        return History(reason="git cat-file failed in the playbook folder")
    return History(roles=_walk(commits, blobs, names))


def _repository(root: Path) -> History | None:
    """None where history can be read; else an empty History saying why not."""
    try:
        out = _git(root, "rev-parse", "--is-shallow-repository", "--is-inside-work-tree")
    except FileNotFoundError:
        return History(reason="git is not installed")
    if out is None or out.split()[1:] != [b"true"]:
        return History(reason="the playbook folder is not in a git repository")
    if out.split()[0] == b"true":
        return History(reason="the repository is a shallow clone, whose history is cut short "
                       "(fetch it whole with 'git fetch --unshallow')")
    return None


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """Run one git command in root; None when it fails. GIT_* variables a hook may have set
    are not passed on, so git finds the repository from root."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True,
                              timeout=GIT_TIMEOUT, env={**env, "LC_ALL": "C"})
    except subprocess.TimeoutExpired:
        return None
    return done.stdout if done.returncode == 0 else None


Commit = tuple[str, datetime, list[tuple[str, str]]]
"""(hash, committer date, [(path, new blob hash)]) with NULL_SHA for a deleted file."""


def _commits(log: bytes) -> Iterator[Commit]:
    """Parse `git log -z --raw`: records start with \\x1e; the raw lines ':mode mode old new
    status' and paths are separated by NUL."""
    for record in log.split(b"\x1e")[1:]:
        fields = record.split(b"\x00")
        sha, date = fields[0].strip().decode().split("\x1f")
        files: list[tuple[str, str]] = []
        rest = [part for part in fields[1:] if part.strip()]
        for meta, path in zip(rest[::2], rest[1::2], strict=False):
            parts = meta.strip().split()
            if len(parts) >= 4 and parts[0].startswith(b":"):
                files.append((path.decode("utf-8", "replace"), parts[3].decode()))
        yield sha, datetime.fromisoformat(date), files


def _blobs(root: Path, shas: set[str]) -> dict[str, bytes] | None:
    """The contents of every blob in one `git cat-file --batch` run."""
    if not shas:
        return {}
    ordered = sorted(shas)
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in ordered).encode())
    if out is None:
        return None
    blobs: dict[str, bytes] = {}
    at = 0
    for sha in ordered:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) < 3 or header[1] != b"blob":
            at = end + 1
            continue
        size = int(header[2])
        blobs[sha] = out[end + 1:end + 1 + size]
        at = end + 1 + size + 1
    return blobs


@dataclass
class _State:
    """The last version of each file that parsed, stripped of private parts."""

    versions: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    """Procedure id -> role id, from the last version that named one."""


def _walk(commits: Iterable[Commit], blobs: dict[str, bytes],
          names: dict[str, str]) -> dict[str, list[Change]]:
    state = _State()
    parsed: dict[str, Any] = {}
    roles: dict[str, list[Change]] = {}
    for sha, when, files in commits:
        # Per role: the role file's lines first, then its procedures', and which those were.
        by_role: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for path, blob in files:
            for rid, lines, pid in _file_changes(path, blob, blobs, parsed, state, names):
                own, others, pids = by_role.setdefault(rid, ([], [], []))
                (others if pid else own).extend(lines)
                if pid and lines:
                    pids.append(pid)
        for rid, (own, others, pids) in by_role.items():
            if own or others:
                roles.setdefault(xml_text(rid), []).append(Change(
                    sha, when, tuple(xml_text(line) for line in own + others),
                    tuple(xml_text(pid) for pid in pids)))
    for changes in roles.values():
        changes.reverse()
    return roles


def _file_changes(path: str, blob: str, blobs: dict[str, bytes], parsed: dict[str, Any],
                  state: _State, names: dict[str, str]
                  ) -> Iterator[tuple[str, list[str], str | None]]:
    """(role id, summary lines, procedure id or None) for one changed file of a commit."""
    folder, _, name = path.partition("/")
    if folder not in ("roles", "procedures") or "/" in name or not name.endswith(".yml"):
        return
    fid = name.removesuffix(".yml")
    new = None if blob == NULL_SHA else _version(blob, blobs, parsed)
    old = state.versions.get(path)
    if not isinstance(new, Unparsed):
        state.versions[path] = new
    if folder == "roles":
        yield fid, role_changes(path, old, new, names), None
        return
    title = _title(new) or _title(old) or fid
    owner = _owner(new) or _owner(old) or state.owners.get(fid)
    previous = state.owners.get(fid)
    if owner:
        state.owners[fid] = owner
    if previous and owner and previous != owner:
        yield previous, [f"procedure moved to another role: {title}"], fid
    if owner:
        yield owner, procedure_changes(path, title, old, new), fid


def _title(data: Any) -> str | None:
    value = data.get("title") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _owner(data: Any) -> str | None:
    value = data.get("role") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _version(blob: str, blobs: dict[str, bytes], parsed: dict[str, Any]) -> Any:
    """One version's public data, parsed once per distinct content."""
    if blob not in parsed:
        parsed[blob] = _parse(blobs.get(blob))
    return parsed[blob]


def _parse(raw: bytes | None) -> Any:
    if raw is None:
        return Unparsed(1)
    try:
        return public(parse(decode(raw)))
    except YamlProblem as exc:
        return Unparsed(exc.line)


def public(data: Any) -> Any:
    """The data without any `private:` key, at any depth (iteratively: data may nest deep)."""
    if not isinstance(data, dict | list):
        return data
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(data, root, 0)]
    while stack:
        value, parent, key = stack.pop()
        if isinstance(value, dict):
            copy: Any = {}
            for k, v in value.items():
                if k != "private":
                    stack.append((v, copy, k))
        elif isinstance(value, list):
            copy = [None] * len(value)
            stack.extend((v, copy, i) for i, v in enumerate(value))
        else:
            copy = value
        parent[key] = copy
    return root[0]
