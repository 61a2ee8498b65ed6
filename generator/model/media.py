"""Screenshots in steps: files under `playbook/media/`, checked, then copied into the site.

A step that says "click Export" is followed faster with a picture of the button; every
SOP tool has them. The pictures stay in the playbook's folder, so the site stays
self-contained and makes no request to another host. Only the raster formats every
browser, PDF printer and e-mail client shows are accepted: SVG can carry scripts.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from ..errors import Problem, Severity, display_path
from ..files.loader import MEDIA
from .records import Procedure, Step

FOLDER = MEDIA
MAX_BYTES = 5 * 1024 * 1024
"""A screenshot is a few hundred KiB; 5 MiB is a photo straight off a phone. Pages that
embed such files load slowly on the phones contractors read them on."""
MAX_PIXELS = 40_000_000
"""Pixels decoded from one picture, all its frames together. A 4K screenshot is 8.3
million, a full-page one (1,920 by 15,000) 29 million, a short screen recording as a GIF
(800 by 600, 80 frames) 38 million. A few KiB can claim billions (a decompression bomb):
the size is read from the header and refused before anything is decoded."""
EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp"}
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
"""The decoders Pillow may use: the formats every browser, PDF printer and e-mail client
shows. A file any other decoder would read is not a picture here."""


@dataclass(frozen=True)
class Picture:
    """A picture a step shows, decoded: its size in pixels, for the <img> that shows it."""

    width: int
    height: int


class PictureError(Exception):
    """Why a step's `image:` is not a picture the site shows."""


def problem(root: Path, written: str) -> str | None:
    """Why `image: written` cannot be shown, or None."""
    try:
        picture(root, written)
    except PictureError as exc:
        return str(exc)
    return None


def picture(root: Path, written: str) -> Picture:
    """The picture at `image: written`, decoded once per version of the file."""
    posix = PurePosixPath(written)
    if written.startswith(("/", "\\")) or ".." in posix.parts or "\\" in written or (
            len(posix.parts) < 2 or posix.parts[0] != FOLDER):
        raise PictureError(f"'{written}' is not a file in the playbook's {FOLDER}/ folder; put the "
                           f"picture there and write its path as '{FOLDER}/<name>.png'")
    extension = EXTENSIONS.get(posix.suffix.lower())
    if extension is None:
        raise PictureError(f"'{written}': only PNG, JPEG, GIF and WebP pictures are shown "
                           f"({posix.suffix or 'no extension'} is not one; SVG can run scripts)")
    path = root / Path(*posix.parts)
    if not path.is_file():
        raise PictureError(f"'{written}': no such file in the playbook folder")
    if not path.resolve().is_relative_to((root / FOLDER).resolve()):
        raise PictureError(f"'{written}' links to a file outside the playbook's {FOLDER}/ folder")
    stat = path.stat()
    if stat.st_size > MAX_BYTES:
        raise PictureError(f"'{written}' is {stat.st_size / 1024 / 1024:.1f} MiB, over the "
                           f"{MAX_BYTES // 1024 // 1024} MiB limit; save a smaller screenshot")
    # Keyed by the file's version: many steps may show one picture, and `mkdocs serve`
    # must see a picture saved again.
    found = _decoded(str(path.resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if isinstance(found, str):
        raise PictureError(f"'{written}' {found}")
    return found


@lru_cache(maxsize=1024)
def _decoded(path: str, mtime_ns: int, size: int, inode: int) -> Picture | str:
    """The picture's size, or what is wrong with it (after the file's name)."""
    try:
        return _decode(path)
    except PictureError as exc:
        return str(exc)
    except Exception as exc:  # whatever a decoder raises on untrusted bytes: not a picture
        reason = str(exc) or type(exc).__name__
        return (f"is not a whole picture: it could not be decoded ({reason}); save it again "
                "as PNG, JPEG, GIF or WebP")


def _decode(path: str) -> Picture:
    """Decode every frame: a header, or a picture cut short, is not a picture. Pillow's
    own decompression-bomb warning is an error here too (its limit is far above ours)."""
    from PIL import Image, ImageSequence  # here: most playbooks have no pictures to pay for

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path, formats=FORMATS)
        except Image.UnidentifiedImageError:
            raise PictureError("is not a PNG, JPEG, GIF or WebP picture (its content is not)"
                               ) from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise PictureError(f"claims too many pixels to decode ({exc}); the limit is "
                               f"{MAX_PIXELS:,} pixels, save a smaller screenshot") from None
        with image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > MAX_PIXELS:
                raise PictureError(f"is {width:,} by {height:,} pixels"
                                   f"{f' in {frames:,} frames' if frames > 1 else ''}, over the "
                                   f"limit of {MAX_PIXELS:,} pixels; save a smaller screenshot")
            for frame in ImageSequence.Iterator(image):
                frame.load()
    return Picture(width, height)


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
