"""Step pictures are decoded (generator/model/media.py): what is not a whole picture is refused
(the corpus: tests/corpus/rich.py), and what is one is shown at its size, so that the page
does not shift when the lazy picture loads."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MKDOCS_YML, run_build
from corpus.rich import png
from PIL import Image
from playbook_fixtures import make_playbook
from test_cli import COMMAND

from generator.checking.pipeline import check
from generator.model import media
from generator.pages.render import render


def jpeg(width: int, height: int) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(stream, "JPEG")
    return stream.getvalue()


PICTURES = {"media/wide.png": (png(40, 30), (40, 30)),
            "media/sub/photo.jpg": (jpeg(17, 9), (17, 9))}


def _playbook(folder: Path) -> Path:
    """The minimal playbook with one procedure showing each picture, the PNG twice."""
    steps = "".join(f"  - do: Step {n}\n    image: {path}\n    alt: Picture {n}\n"
                    for n, path in enumerate([*PICTURES, "media/wide.png"]))
    return make_playbook(folder, {
        **{path: content for path, (content, _) in PICTURES.items()},
        "procedures/close-the-month.yml": f"title: Close the month\nrole: bookkeeping\n"
                                          f"steps:\n{steps}"})


def _sizes(html: str) -> list[tuple[str, str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [(img["src"].rsplit("/", 1)[-1], img["width"], img["height"])
            for img in soup.select("img.pb-shot")]


EXPECTED = [("wide.png", "40", "30"), ("photo.jpg", "17", "9"), ("wide.png", "40", "30")]


def test_the_built_page_gives_each_picture_its_width_and_height(tmp_path: Path) -> None:
    _playbook(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    build = run_build(tmp_path)
    assert build.returncode == 0, build.output
    page = (tmp_path / "site/roles/bookkeeping/index.html").read_text(encoding="utf-8")
    assert _sizes(page) == EXPECTED


def test_the_export_gives_each_picture_its_width_and_height(tmp_path: Path) -> None:
    _playbook(tmp_path)
    done = subprocess.run([*COMMAND, "render", "playbook", "--out", "export"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env={**os.environ})
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "export/docs/roles/bookkeeping.md").read_text(encoding="utf-8")
    assert _sizes(page) == EXPECTED


def test_a_picture_is_decoded_once_for_the_check_and_every_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _playbook(tmp_path)
    decoded: list[str] = []
    decode = media._decode

    def counted(path: str) -> media.Picture:
        decoded.append(Path(path).name)
        return decode(path)

    monkeypatch.setattr(media, "_decode", counted)
    media._decoded.cache_clear()
    result = check(root)
    assert result.playbook is not None and not result.errors, result.problems
    assert result.analysis is not None
    render(result.playbook, result.analysis, audience="internal")
    assert sorted(decoded) == ["photo.jpg", "wide.png"]


def test_a_picture_saved_again_is_decoded_again(tmp_path: Path) -> None:
    """`mkdocs serve` keeps the process: a new version of the file is a new picture."""
    root = _playbook(tmp_path)
    assert media.picture(root, "media/wide.png") == media.Picture(40, 30)
    picture = root / "media/wide.png"
    picture.write_bytes(png(12, 34))
    assert media.picture(root, "media/wide.png") == media.Picture(12, 34)
    picture.write_bytes(png(12, 34)[:-30])
    with pytest.raises(media.PictureError, match="is not a whole picture"):
        media.picture(root, "media/wide.png")
