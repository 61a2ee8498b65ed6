"""Files written whole or not at all, never outside their folder, never over a file unless
asked: the writer of the scaffold commands (scaffold.py) and of `playbook render`
(export.py).

`write_all` checks every file before writing the first, so a refused write writes
nothing, and each file is replaced atomically: written beside its target, then renamed
over it, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import WriteRefused, display_path


def write_new(folder: Path, relative: str, text: str, *, force: bool = False) -> Path:
    """Write text to folder/relative atomically; never outside folder, never over a file."""
    return write_all(folder, {relative: text}, force=force)[0]


def write_all(folder: Path, files: Mapping[str, str | bytes], *, force: bool = False
              ) -> list[Path]:
    """Write each {relative path: text or bytes} under folder, or none of them when one is
    refused."""
    planned = [_plan(folder, relative, text, force) for relative, text in files.items()]
    for target, data in planned:
        if data is not None:
            _replace(target, data)
    return [target.resolve() for target, _ in planned]


def _plan(folder: Path, relative: str, text: str | bytes, force: bool
          ) -> tuple[Path, bytes | None]:
    """Where relative goes and its bytes (None when it already holds them), or WriteRefused."""
    target = folder / relative
    try:
        root = folder.resolve()
        inside = (target.resolve().is_relative_to(root)
                  and target.parent.resolve().is_relative_to(root))
    except (RuntimeError, OSError):  # a symbolic link loop
        raise WriteRefused(f"{display_path(target)}: a symbolic link loop; remove it") from None
    if not inside:
        raise WriteRefused(f"{relative}: refusing to write outside {display_path(folder)}")
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
    except UnicodeEncodeError:
        raise WriteRefused(f"{display_path(target)}: the text is not valid UTF-8 (check the "
                            "command line's encoding)") from None
    if target.is_dir() and not target.is_symlink():
        raise WriteRefused(f"{display_path(target)} is a folder; remove or rename it")
    if target.exists() or target.is_symlink():
        if target.is_file() and target.read_bytes() == data:
            return target, None
        if not force:
            raise WriteRefused(f"{display_path(folder / relative)} already exists; "
                                "use --force to overwrite it")
    return target, data


def _replace(target: Path, data: bytes) -> None:
    """Write a temporary file beside target, then rename it over target (a link is replaced
    by the file, never written through)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode(target: Path) -> int:
    """The replaced file's permissions, or those open() would give a new file (mkstemp's
    are 0600, which would hide the playbook and its schemas from the web server and team)."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
