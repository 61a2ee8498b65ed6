"""Builds that never take the site down: build beside `site/`, then swap it in.

MkDocs empties `site/` and writes it page by page, so anyone serving the folder
(a web server whose root it is, `python -m http.server`, a file share) serves
404s during every build, and an interrupted build leaves half a site. Instead the
build goes to a staging folder next to `site/` (same file system, so no copying)
that replaces `site/` only once the build succeeded. On Linux the two folders
are exchanged in one atomic step (`renameat2` with `RENAME_EXCHANGE`); elsewhere
two renames leave `site/` missing for the microseconds between them.
"""

from __future__ import annotations

import atexit
import ctypes
import errno
import os
import shutil
from pathlib import Path

STAGING_MARK = ".partial-"
"""Staging folders are `.<site>.partial-<pid>`: hidden, and named for the process that
owns them, so that a later build can tell a dead build's leftovers from a live one."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Staging:
    """The folder one build writes into, and what to do with it afterwards."""

    def __init__(self, site: Path, *, keep_old: bool = False) -> None:
        self.site = site
        self.pid = os.getpid()
        self.folder = site.parent / f".{site.name}{STAGING_MARK}{self.pid}"
        remove_stale(site)
        if self.folder.exists():  # our own leftover: a failed build earlier in this process
            shutil.rmtree(self.folder)
        if keep_old and site.is_dir():  # --dirty: MkDocs rebuilds only what changed
            shutil.copytree(site, self.folder, symlinks=True)
        else:
            self.folder.mkdir(parents=True)
        atexit.register(self.discard)  # Ctrl-C ends the build without MkDocs' error event

    def publish(self) -> None:
        """Put the finished build in place of the site, then delete the old site."""
        atexit.unregister(self.discard)
        if not self.site.exists():
            self.folder.rename(self.site)
            return
        if not _exchange(self.folder, self.site):
            old = self.folder.with_name(self.folder.name + ".old")
            self.site.rename(old)
            self.folder.rename(self.site)
            self.folder = old
        shutil.rmtree(self.folder)

    def discard(self) -> None:
        """Delete the staging folder; the last good site stays as it was."""
        atexit.unregister(self.discard)
        if os.getpid() != self.pid:  # a forked helper ending: the build is not over
            return
        shutil.rmtree(self.folder, ignore_errors=True)


def usable(site: Path) -> bool:
    """False where the site folder cannot be swapped: a link (the owner points it
    somewhere on purpose) or a mount point (a rename cannot cross devices)."""
    return not site.is_symlink() and not (site.exists() and os.path.ismount(site))


def remove_stale(site: Path) -> None:
    """Delete the staging folders of builds that were killed (their process is gone)."""
    if not site.parent.is_dir():
        return
    prefix = f".{site.name}{STAGING_MARK}"
    for folder in site.parent.iterdir():
        owner = folder.name.removeprefix(prefix).removesuffix(".old")
        if folder.name.startswith(prefix) and owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system cannot (then the caller
    renames twice)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc 2.28+ (macOS, Windows, old musl)
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))
