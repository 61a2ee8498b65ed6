"""`playbook render --watch`: notice edits by polling, with no thread of its own.

Reading the sizes and modification times of the watched files ten times a second
costs a few milliseconds at 1,000 roles, and keeps this process single-threaded, so
the render it starts can still fork a helper onto the second core (parallel.py); a
watcher library would run its threads beside it, and forking beside threads is unsafe.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.05
"""An editor's save can be several writes (a temporary file, a rename): wait until the
files hold still this long before rendering."""

NICENESS = 10
Snapshot = dict[Path, tuple[int, int]]


def snapshot(roots: Iterable[Path], ignore: Path | None = None) -> Snapshot:
    """(modification time, size) of every file under each root, or of the root itself
    when it is a file; nothing under `ignore` (the export, should it sit inside)."""
    found: Snapshot = {}
    skip = ignore.resolve() if ignore is not None else None
    for root in roots:
        if root.is_file():
            _stat(root, found)
            continue
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            if skip is not None:
                dirs[:] = [d for d in dirs if (here / d).resolve() != skip]
            for name in files:
                _stat(here / name, found)
    return found


def _stat(path: Path, found: Snapshot) -> None:
    try:
        info = path.stat()
    except OSError:  # removed while we looked
        return
    found[path] = (info.st_mtime_ns, info.st_size)


def changes(before: Snapshot, after: Snapshot) -> set[Path]:
    """The files added, removed or changed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def watch(roots: list[Path], on_change: Callable[[set[Path]], object], *,
          ignore: Path | None = None, poll: float = POLL_SECONDS) -> None:
    """Call on_change with the changed files after each burst of edits; runs until
    interrupted (KeyboardInterrupt, which the caller turns into a clean exit).

    It runs at a lower CPU priority: the files an edit was made for are written first,
    and the preview server's rebuild of them should not wait for the rest of the render.
    """
    with contextlib.suppress(OSError, AttributeError):  # no nice() on Windows
        os.nice(NICENESS)
    before = snapshot(roots, ignore)
    while True:
        time.sleep(poll)
        after = snapshot(roots, ignore)
        changed = changes(before, after)
        if not changed:
            continue
        while True:
            time.sleep(SETTLE_SECONDS)
            settled = snapshot(roots, ignore)
            if settled == after:
                break
            changed |= changes(after, settled)
            after = settled
        before = after
        on_change(changed)
