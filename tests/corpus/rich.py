"""Links, pictures and untimed work gone wrong: each an error or a warning at its line, and
the last good site untouched (the bad input list of the rich-steps issue)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from .cases import KEPT, OUTSOURCE, PROC, Case, E, I, W, bad, task

P = "procedures/p.yml"
R = "roles/x.yml"
REVIEW_PAYLOAD = '"https://a.example/\\n\\n[r]:https://x/autofocus/onfocus=alert(1)//\\n\\n[x][r]"'
"""The security review's stored script (issue 29), as YAML: it passed `playbook check --strict`
and `mkdocs build --strict`, and came out as a second <a> with an onfocus handler."""


def png(width: int = 8, height: int = 4) -> bytes:
    """A real, tiny PNG: what a browser shows and the check accepts."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width by height pixels in its header and holds one row: a few
    bytes that would decode to gigabytes (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1))) + chunk(b"IEND", b""))


def step(**keys: str) -> str:
    """PROC with one step: `do:` on line 4, then the keys (line 5...)."""
    return PROC + "steps:\n  - do: Export the report\n" + "".join(
        f"    {k}: {v}\n" for k, v in keys.items())


def _huge_picture(root: Path) -> None:
    with (root / "media" / "big.png").open("r+b") as stream:
        stream.truncate(40 * 1024 * 1024)  # a PNG header, then 40 MiB


RICH: list[Case] = [
    # --- links in text ----------------------------------------------------------------------
    bad("javascript link in a step", {P: PROC + "steps:\n  - Open [it](javascript:alert(1))\n"},
        E(P, 4, 5, "steps[0].do: link to 'javascript:alert(1)': 'javascript:' links are not "
          "allowed"),
        fix="Link only to `https:`, `mailto:` or `tel:` addresses, or to a page of the site "
            "by its address (`/roles/ppc/`)."),
    bad("data link in a role's purpose", {R: KEPT + "purpose: '[x](data:text/html,hi)'\n"},
        E(R, 4, 10, "purpose: link to 'data:text/html,hi': 'data:' links are not allowed")),
    bad("relative link to a file", {R: KEPT + "purpose: See [ppc](ppc.md)\n"},
        E(R, 4, 10, "starting with '/', such as '/roles/ppc/#weekly-bid-review'")),
    bad("link to a role that does not exist", {R: KEPT + "purpose: See [it](/roles/opertions/)\n"},
        E(R, 4, 10, "no role 'opertions' in roles/ (did you mean 'operations'?)")),
    bad("link to a procedure on another role's page",
        {R: KEPT + "purpose: See [it](/roles/marketing/#close-the-month)\n"},
        E(R, 4, 10, "the page of role 'marketing' has no '#close-the-month'")),
    bad("Markdown image in text", {R: KEPT + "purpose: See ![the button](media/b.png)\n"},
        E(R, 4, 10, "images are not shown inside text")),
    bad("task link that runs code", {R: KEPT + "tasks:\n  - task: a\n    every: weekly\n"
                                               "    time: 1h\n    link: javascript:alert(1)\n"},
        E(R, 8, 11, "tasks[0].link: link to 'javascript:alert(1)'")),
    # --- addresses: one token, and a page of the site or a full address (issue 29) ----------
    bad("task link that smuggles Markdown (the security review's payload)",
        {R: KEPT + "tasks:\n  - task: a\n    every: weekly\n    time: 1h\n"
                   f"    link: {REVIEW_PAYLOAD}\n"},
        E(R, 8, 11, "tasks[0].link: link to 'https://a.example/\\n\\n[r]:https://x/autofocus/"
          "onfocus=alert(1)…': the address holds a line break (U+000A) after "
          "'https://a.example/'; an address is one word")),
    bad("video that smuggles Markdown (the security review's payload)",
        {P: step(video=REVIEW_PAYLOAD)},
        E(P, 5, 12, "steps[0].video: link to 'https://a.example/\\n\\n[r]:")),
    *(bad(f"task link with {name} inside", {R: task(link=f'"https://a.example/x{escape}y"')},
          E(R, 8, 11, f"tasks[0].link: link to 'https://a.example/x{shown}y': the address holds "
            f"{what} (U+{code:04X}) after 'https://a.example/x'"))
      for name, escape, shown, what, code in [
          ("a carriage return", "\\r", "\\r", "a line break", 0x0D),
          ("a tab", "\\t", "\\t", "a tab", 0x09),
          ("a space", " ", " ", "a space", 0x20),
          ("a form feed", "\\f", "\\x0c", "a form feed", 0x0C),
          ("a line separator", "\\u2028", "\\u2028", "a line separator", 0x2028),
          ("a no-break space", "\\u00a0", "\\xa0", "a no-break space", 0xA0),
          ("a zero-width space", "\\u200b", "\\u200b",
           "an invisible character (ZERO WIDTH SPACE)", 0x200B),
          ("a next-line character", "\\x85", "\\x85", "a control character", 0x85)]),
    bad("protocol-relative link in a task's notes",
        {R: task(notes="See [it](//evil.example/x)")},
        E(R, 8, 12, "tasks[0].notes: link to '//evil.example/x': an address starting with '//' "
          "leads to another host without saying how; write it in full, such as "
          "'https://evil.example/x'")),
    bad("protocol-relative task link", {R: task(link="//evil.example/x")},
        E(R, 8, 11, "tasks[0].link: link to '//evil.example/x': an address starting with '//'")),
    bad("protocol-relative video", {P: step(video="//videos.example.org/x")},
        E(P, 5, 12, "steps[0].video: link to '//videos.example.org/x': an address starting")),
    bad("backslash that browsers read as '//'", {R: task(link="'/\\evil.example/x'")},
        E(R, 8, 11, "tasks[0].link: link to '/\\evil.example/x': a backslash is not part of an "
          "address")),
    bad("query on a page of the site in a step",
        {P: PROC + "steps:\n  - Open [it](/roles/operations/?tab=2)\n"},
        E(P, 4, 5, "steps[0].do: link to '/roles/operations/?tab=2': a page of this playbook "
          "takes no query ('?tab=2')")),
    bad("query alone as a task link", {R: task(link="'?q=1'")},
        E(R, 8, 11, "tasks[0].link: link to '?q=1': link to a page of this playbook by its "
          "address on the site, starting with '/'")),
    bad("anchor sign alone as a link", {R: KEPT + "purpose: See [the top](#)\n"},
        E(R, 4, 10, "purpose: link to '#': the anchor after '#' is missing")),
    bad("empty anchor on a role page", {R: task(link="/roles/operations/#")},
        E(R, 8, 11, "tasks[0].link: link to '/roles/operations/#': the anchor after '#' is "
          "missing")),
    bad("link that climbs out of the site", {R: KEPT + "purpose: See [it](/roles/../../etc/)\n"},
        E(R, 4, 10, "purpose: link to '/roles/../../etc/': '..' cannot be part of a page's "
          "address")),
    bad("web address without its host", {R: task(link="'https:evil.example'")},
        E(R, 8, 11, "tasks[0].link: link to 'https:evil.example': write a web address in full, "
          "with '//' and its host, such as 'https://evil.example'")),
    bad("web address with an empty host", {R: task(link="'https:///x'")},
        E(R, 8, 11, "tasks[0].link: link to 'https:///x': the host is missing")),
    bad("picture whose name has a space",
        {P: step(image="'media/export button.png'", alt="x"), "media/export button.png": png()},
        E(P, 5, 12, "steps[0].image: 'media/export button.png': a picture's name holds no spaces "
          "or line breaks (it has U+0020); rename the file, such as 'media/export-button.png'")),
    # --- pictures and videos -------------------------------------------------------------------
    bad("picture outside media/", {P: step(image="../../etc/passwd", alt="x")},
        E(P, 5, 12, "'../../etc/passwd' is not a file in the playbook's media/ folder")),
    bad("picture at an absolute path", {P: step(image="/etc/passwd", alt="x")},
        E(P, 5, 12, "'/etc/passwd' is not a file in the playbook's media/ folder")),
    bad("picture that is not there", {P: step(image="media/export.png", alt="The button")},
        E(P, 5, 12, "'media/export.png': no such file in the playbook folder")),
    bad("picture that is not a picture",
        {P: step(image="media/export.png", alt="The button"), "media/export.png": "not a png"},
        E(P, 5, 12, "'media/export.png' is not a PNG, JPEG, GIF or WebP picture")),
    bad("PNG signature followed by HTML",
        {P: step(image="media/export.png", alt="The button"),
         "media/export.png": b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"},
        E(P, 5, 12, "'media/export.png' is not a PNG, JPEG, GIF or WebP picture")),
    bad("picture cut short",
        {P: step(image="media/export.png", alt="The button"),
         "media/export.png": png(64, 64)[:-40]},
        E(P, 5, 12, "'media/export.png' is not a whole picture: it could not be decoded "
          "(image file is truncated)")),
    bad("picture of more pixels than the limit",
        {P: step(image="media/export.png", alt="The button"),
         "media/export.png": png_header(8000, 5001)},
        E(P, 5, 12, "'media/export.png' is 8,000 by 5,001 pixels, over the limit of "
          "40,000,000 pixels")),
    bad("decompression bomb",
        {P: step(image="media/export.png", alt="The button"),
         "media/export.png": png_header(10_000, 10_000)},
        E(P, 5, 12, "'media/export.png' claims too many pixels to decode")),
    bad("SVG picture",
        {P: step(image="media/export.svg", alt="The button"), "media/export.svg": "<svg/>"},
        E(P, 5, 12, "only PNG, JPEG, GIF and WebP pictures are shown (.svg is not one; SVG "
          "can run scripts)")),
    bad("picture of 40 MB", {P: step(image="media/big.png", alt="x"), "media/big.png": png()},
        E(P, 5, 12, "'media/big.png' is 40.0 MiB, over the 5 MiB limit"), setup=_huge_picture),
    bad("picture without alt text",
        {P: step(image="media/export.png"), "media/export.png": png()},
        E(P, 5, 5, "steps[0].image: add 'alt:' saying what the picture shows"),
        fix="Add `alt:` to the step: what the picture shows, for people who cannot see it."),
    bad("empty alt text",
        {P: step(image="media/export.png", alt="''"), "media/export.png": png()},
        E(P, 6, 10, "steps[0].alt: must not be empty")),
    bad("alt text without a picture", {P: step(alt="The button")},
        E(P, 5, 5, "steps[0].alt: there is no 'image:' to describe")),
    bad("video that is not a web address", {P: step(video="mailto:a@example.org")},
        E(P, 5, 12, "steps[0].video: expected a web address such as 'https://example.org/how-to'")),
    bad("picture nobody shows",
        {"media/old.png": png(), R: OUTSOURCE + "tasks:\n  - task: a\n    every: weekly\n"},
        I("media/old.png", 1, 1, "no step shows this picture; it is not copied into the site"),
        W(R, 8, 11, "tasks[0]: no 'time:', so the role's hours per week, the hiring brief and its "
          "cost leave this task out")),
    # --- untimed work ------------------------------------------------------------------------
    bad("untimed work of a kept role, then of a role to outsource",
        {"roles/k.yml": KEPT + "tasks:\n  - task: a\n    every: weekly\n",
         R: OUTSOURCE + "tasks:\n  - task: b\n    every: monthly\n    on: day 1\n"},
        I("roles/k.yml", 5, 11, "tasks[0]: no 'time:' yet; hours per week leave this task out"),
        W(R, 8, 11, "tasks[0]: no 'time:', so the role's hours per week")),
    # --- what must simply work -------------------------------------------------------------------
    Case("a step with a picture, a video and links",
         {P: step(image="media/export.png", alt="The Export button",
                  video="https://videos.example.org/export",
                  check="'The file is in [the folder](https://drive.example.org/f)'"),
          "media/export.png": png()},
         shows=("roles/operations/", "Operations")),
]
