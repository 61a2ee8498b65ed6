"""Screenshots in steps: files under `playbook/media/`, checked, then copied into the site.

A step that says "click Export" is followed faster with a picture of the button; every
SOP tool has them. The pictures stay in the playbook's folder, so the site stays
self-contained and makes no request to another host. Only the raster formats every
browser, PDF printer and e-mail client shows are accepted: SVG can carry scripts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from .errors import Problem, Severity, display_path
from .model import Procedure, Step

FOLDER = "media"
MAX_BYTES = 5 * 1024 * 1024
"""A screenshot is a few hundred KiB; 5 MiB is a photo straight off a phone. Pages that
embed such files load slowly on the phones contractors read them on."""
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}
EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp"}


def kind_of(head: bytes) -> str | None:
    """The image format from a file's first bytes (what a browser goes by), or None."""
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def problem(root: Path, written: str) -> str | None:
    """Why `image: written` cannot be shown, or None."""
    posix = PurePosixPath(written)
    if written.startswith(("/", "\\")) or ".." in posix.parts or "\\" in written or (
            len(posix.parts) < 2 or posix.parts[0] != FOLDER):
        return (f"'{written}' is not a file in the playbook's {FOLDER}/ folder; put the picture "
                f"there and write its path as '{FOLDER}/<name>.png'")
    extension = EXTENSIONS.get(posix.suffix.lower())
    if extension is None:
        return (f"'{written}': only PNG, JPEG, GIF and WebP pictures are shown "
                f"({posix.suffix or 'no extension'} is not one; SVG can run scripts)")
    path = root / Path(*posix.parts)
    if not path.is_file():
        return f"'{written}': no such file in the playbook folder"
    if not path.resolve().is_relative_to((root / FOLDER).resolve()):
        return f"'{written}' links to a file outside the playbook's {FOLDER}/ folder"
    size = path.stat().st_size
    if size > MAX_BYTES:
        return (f"'{written}' is {size / 1024 / 1024:.1f} MiB, over the "
                f"{MAX_BYTES // 1024 // 1024} MiB limit; save a smaller screenshot")
    with path.open("rb") as stream:
        found = kind_of(stream.read(16))
    if found is None:
        return f"'{written}' is not a PNG, JPEG, GIF or WebP picture (its content is not)"
    return None


def used(procedures: Iterable[Procedure]) -> list[str]:
    """The pictures the steps show, as paths in the site ('media/export.png')."""
    return sorted({step.image for procedure in procedures for step in steps(procedure)
                   if step.image})


def steps(procedure: Procedure) -> Iterator[Step]:
    """Every step at any depth, without recursion; cheaper than model.step_lines, which
    also numbers them."""
    stack = list(reversed(procedure.steps))
    while stack:
        step = stack.pop()
        yield step
        stack.extend(reversed(step.steps))


def unused(root: Path, procedures: Iterable[Procedure]) -> list[Problem]:
    """Files in media/ that no step shows: information, since a file left over after an
    edit is harmless (it is not copied into the site)."""
    present = files(root)
    if not present:  # most playbooks have no media/: no need to walk every step
        return []
    shown = set(used(procedures))
    return [Problem(f"{display_path(root)}/{path}", 1, 1, Severity.INFO,
                    "no step shows this picture; it is not copied into the site")
            for path in present if path not in shown]


def files(root: Path) -> list[str]:
    """Every file under media/, as 'media/<path>' (posix), sorted."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    return sorted(path.relative_to(root).as_posix() for path in folder.rglob("*")
                  if path.is_file() and not path.name.startswith("."))
