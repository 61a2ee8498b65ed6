"""`playbook render`: the generated site as a standalone MkDocs project.

The export holds the same pages, nav, theme and extensions the plugin would
produce, with the plugin removed, so plain `mkdocs build` turns it into the same
site. Users get a copy they can keep or host anywhere; the benchmark gets its
floor (MkDocs building the same pages with none of our code running).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .analysis import Analysis
from .navigation import default_nav
from .render import SCRIPT, STYLESHEET, assets, render
from .scaffold import ScaffoldError, write_new
from .validate import Playbook

DEFAULT_CONFIG: dict[str, Any] = {
    "site_name": "Playbook",
    "theme": {"name": "material", "font": False},
    "plugins": ["search"],
    "markdown_extensions": [
        "admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}},
        "pymdownx.details", "pymdownx.superfences",
        {"pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}},
    ],
}


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml may use tags such as !ENV; keep their values as plain data."""


_ConfigLoader.add_multi_constructor(
    "", lambda loader, suffix, node: loader.construct_scalar(node)
    if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node))


def read_config(path: Path | None) -> dict[str, Any]:
    if path is None or not path.is_file():
        return dict(DEFAULT_CONFIG)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    return data if isinstance(data, dict) else dict(DEFAULT_CONFIG)


def export(playbook: Playbook, analysis: Analysis, out: Path, *, config_path: Path | None,
           audience: str = "public", today: date | None = None,
           force: bool = False) -> list[Path]:
    """Write out/mkdocs.yml and out/docs/ (generated files plus hand-written pages)."""
    config = read_config(config_path)
    base = config_path.parent if config_path else Path(".")
    hand_written = base / str(config.get("docs_dir", "docs"))
    if out.exists() and any(out.iterdir()) and not force:
        raise ScaffoldError(f"{out} is not empty; choose a new folder or use --force")
    directory_urls = bool(config.get("use_directory_urls", True))
    files = render(playbook, analysis, audience=audience, directory_urls=directory_urls,
                   today=today, site_url=config.get("site_url") or None)
    files.update(assets())
    docs = out / "docs"
    if hand_written.is_dir():
        shutil.copytree(hand_written, docs, dirs_exist_ok=True)
    written = []
    for path, content in files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        written.append(target)
    config = _standalone(config, playbook, analysis, hand_written, audience)
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    written.append(write_new(out, "mkdocs.yml", text, force=True))
    return written


def _standalone(config: dict[str, Any], playbook: Playbook, analysis: Analysis,
                hand_written: Path, audience: str) -> dict[str, Any]:
    """The config without our plugin, with the nav and assets it would have added."""
    config = dict(config)
    config["plugins"] = [p for p in config.get("plugins", ["search"]) if _name(p) != "playbook"]
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config.pop("watch", None)
    if not config.get("nav"):
        config["nav"] = default_nav(playbook, analysis, hand_written,
                                    internal=audience == "internal")
    config["extra_css"] = [*config.get("extra_css", []), STYLESHEET]
    config["extra_javascript"] = [*config.get("extra_javascript", []), SCRIPT]
    return config


def _name(plugin: Any) -> str:
    return next(iter(plugin)) if isinstance(plugin, dict) else str(plugin)
