"""`playbook render`: the generated site as a standalone project for any MkDocs-compatible
engine (MkDocs 1.6, ProperDocs, Zensical).

The export holds the same pages, nav, theme and extensions the plugin would
produce, with the plugin removed, so plain `mkdocs build` turns it into the same
site. Users get a copy they can keep or host anywhere, or build with an engine that
does not run MkDocs plugins; the benchmark gets its floor (MkDocs building the same
pages with none of our code running).

A render writes only the files whose content changed and removes the files the last
render wrote that are no longer generated, so a live preview (`zensical serve`,
`mkdocs serve`) on the export rebuilds only what an edit changed. What the last render
wrote is listed in the folder's MANIFEST; a file it does not list is never removed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ExportError, display_path
from ..figures.analysis import Analysis
from ..model.playbook import Playbook
from ..pages.navigation import default_nav
from ..pages.render import SCRIPT, STYLESHEET, assets, makers
from ..pages.site_config import CDN_THEMES, is_placeholder, missing_extensions
from ..runtime.atomic_files import write_all
from ..runtime.parallel import Prerender

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
HOOK = "playbook_links.py"
"""page_links.py, copied beside the export's mkdocs.yml, which names it as a MkDocs hook."""
MANIFEST = ".playbook-render"
"""The list of files the last render wrote, one path a line, in the export folder."""
CONFIG_HEADER = """\
# Written by `playbook render`; the next render overwrites it, so edit {source} instead.
# Any MkDocs-compatible engine builds this folder as it is, none of them running the
# playbook plugin (which runs under MkDocs 1.6 and ProperDocs only):
#   mkdocs build -f {config}
#   properdocs build -f {config}
#   zensical build -f {config}
"""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml may use tags such as !ENV; keep their values as plain data."""


_ConfigLoader.add_multi_constructor(
    "", lambda loader, suffix, node: loader.construct_scalar(node)
    if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node))


def read_config(path: Path | None) -> dict[str, Any]:
    """The project's mkdocs.yml; a file YAML cannot read is an error at its line, which
    `--watch` reports and outlives (the file is saved half-edited now and then)."""
    if path is None or not path.is_file():
        return dict(DEFAULT_CONFIG)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise ExportError(f"{display_path(path)}{where}: not valid YAML "
                            f"({getattr(exc, 'problem', None) or 'unreadable'})") from None
    if data is not None and not isinstance(data, dict):
        raise ExportError(f"{display_path(path)}:1:1: expected the settings of a MkDocs "
                            "site (site_name:, theme:, ...)")
    if not isinstance((data or {}).get("docs_dir", "docs"), str):
        raise ExportError(f"{display_path(path)}: docs_dir must be a folder name")
    return data or dict(DEFAULT_CONFIG)


@dataclass
class Exported:
    """What a render did to the export folder, by path relative to it."""

    files: list[str] = field(default_factory=list)
    """Every file of the export."""
    written: list[str] = field(default_factory=list)
    """The files whose content changed (or that are new)."""
    removed: list[str] = field(default_factory=list)
    """Files the last render wrote that are no longer generated."""


def export(playbook: Playbook, analysis: Analysis, out: Path, *, config_path: Path | None,
           audience: str = "public", today: date | None = None, force: bool = False,
           changed: Collection[Path] = ()) -> Exported:
    """Bring out/mkdocs.yml and out/docs/ (generated files plus hand-written pages) up to
    date, touching only what changed. The files made from the `changed` source files (a
    role's page from its file or a procedure's) are written before the others, so that
    a live preview shows the page an edit was made for without waiting for the rest
    (`playbook render --watch`)."""
    config = read_config(config_path)
    docs = docs_dir(config_path, config)
    _refuse_sources(out, playbook.root, docs, config_path)
    makers = export_makers(playbook, analysis, config, config_path=config_path,
                           audience=audience, today=today, out=out)
    previous = _manifest(out)
    if previous is None and out.exists() and any(out.iterdir()) and not force:
        raise ExportError(f"{display_path(out)} is not empty and no render wrote it; "
                            "choose a new folder or use --force")
    # The manifest lists the old and new files while they are written: an interrupted
    # render leaves nothing that the next one would take for a file of the user's.
    _write_manifest(out, (previous or set()) | makers.keys())
    done = Exported(files=list(makers))
    first = _made_from(changed, playbook, docs)
    ahead = [path for path in makers if path in first]
    rest = [path for path in makers if path not in first]
    # A second process makes the files from the front while this one makes them from
    # the back (parallel.py); both start after the pages an edit was made for.
    prerender = Prerender(makers, order=rest)
    try:
        for path in [*ahead, *reversed(rest)]:
            data = makers[path]() if path in first else prerender.get(path)
            if not _holds(out / path, data):
                write_all(out, {path: data}, force=True)
                done.written.append(path)
    finally:
        prerender.close()
    for path in sorted((previous or set()) - makers.keys()):
        if _remove(out, path):
            done.removed.append(path)
    _write_manifest(out, makers.keys())
    return done


def _refuse_sources(out: Path, playbook: Path, docs: Path, config_path: Path | None) -> None:
    """The export never goes where it would write over its own sources: the project (its
    mkdocs.yml and home page), the hand-written pages (it would copy itself into itself
    on every render) or the playbook; --force does not change that."""
    project = config_path.parent.resolve() if config_path else None
    target = out.resolve()
    for source in (playbook.resolve(), docs.resolve(), project):
        if source is None:
            continue
        inside = source in target.parents and source != project  # export/ in the project
        if target == source or inside or target in source.parents:
            raise ExportError(f"{display_path(out)} holds or is inside "
                                f"{display_path(source)}, a source of the export; "
                                "render into a folder of its own, such as export/")


def export_makers(playbook: Playbook, analysis: Analysis, config: dict[str, Any], *,
                  config_path: Path | None, audience: str, today: date | None,
                  out: Path) -> dict[str, Callable[[], bytes]]:
    """{path under the export folder: its maker} for every file of the export; config is
    the project's mkdocs.yml as read_config read it."""
    hand_written = docs_dir(config_path, config)
    generated: dict[str, Callable[[], str | bytes]] = dict(makers(
        playbook, analysis, audience=audience,
        directory_urls=bool(config.get("use_directory_urls", True)),
        today=today, site_url=config.get("site_url") or None))
    generated.update({path: partial(str, text) for path, text in assets().items()})
    files: dict[str, Callable[[], bytes]] = {
        f"docs/{path}": partial(bytes, data) for path, data in _hand_written(hand_written,
                                                                            generated)}
    for path, make in generated.items():
        files[f"docs/{path}"] = partial(_encoded, make)
    files[HOOK] = partial(_hook_source)
    text = yaml.safe_dump(_standalone(config, playbook, analysis, hand_written, audience),
                          sort_keys=False, allow_unicode=True)
    source = display_path(config_path) if config_path else "the playbook"
    header = CONFIG_HEADER.format(source=source, config=display_path(out / "mkdocs.yml"))
    files["mkdocs.yml"] = partial(str.encode, header + text)
    return dict(sorted(files.items()))


def _hook_source() -> bytes:
    """page_links.py, which resolves the links in the pages' HTML for MkDocs and ProperDocs
    (Zensical ignores hooks and resolves them itself)."""
    return resources.files("generator.pages").joinpath("page_links.py").read_bytes()


def docs_dir(config_path: Path | None, config: dict[str, Any]) -> Path:
    """The folder of hand-written pages."""
    base = config_path.parent if config_path else Path(".")
    return base / str(config.get("docs_dir", "docs"))


def _made_from(changed: Collection[Path], playbook: Playbook, docs: Path) -> set[str]:
    """The export's files made from these source files alone: a role's page from the role's
    file or one of its procedures', a picture or hand-written page from itself. (Every
    file may change with any edit: the others are made after these.)"""
    made = set()
    for path in changed:
        for root, prefix in ((playbook.root, ""), (docs, "docs/")):
            try:
                relative = path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
            kind, _, name = relative.partition("/")
            stem = name.removesuffix(".yml")
            if prefix:
                made.add(prefix + relative)
            elif kind == "roles" and stem in playbook.roles:
                made.add(f"docs/roles/{stem}.md")
            elif kind == "procedures" and stem in playbook.procedures:
                made.add(f"docs/roles/{playbook.procedures[stem].role}.md")
            elif kind == "media":
                made.add(f"docs/{relative}")
    return made


def _encoded(make: Callable[[], str | bytes]) -> bytes:
    content = make()
    return content if isinstance(content, bytes) else content.encode()


def _hand_written(folder: Path, generated: dict[str, Any]) -> list[tuple[str, bytes]]:
    """The pages and files of docs/, by path; a placeholder home page (site_config) gives way
    to the generated one, and any other file at a generated path is an error, as in the
    plugin's builds."""
    if not folder.is_dir():
        return []
    found = []
    for file in sorted(folder.rglob("*")):
        if not file.is_file():
            continue
        path, data = file.relative_to(folder).as_posix(), file.read_bytes()
        if path in generated:
            if is_placeholder(data):
                continue
            raise ExportError(f"{display_path(file)} is hand-written, but the playbook "
                                f"generates the same page; rename or remove it")
        found.append((path, data))
    return found


def _standalone(config: dict[str, Any], playbook: Playbook, analysis: Analysis,
                hand_written: Path, audience: str) -> dict[str, Any]:
    """The config without our plugin, with what the plugin would have added: the nav,
    assets, Markdown extensions, and a Material theme that loads no fonts from Google and
    that Zensical draws as Material does (`variant: classic`)."""
    config = dict(config)
    config["plugins"] = [p for p in config.get("plugins", ["search"]) if _name(p) != "playbook"]
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config.pop("watch", None)
    config["hooks"] = [*config.get("hooks", []), HOOK]
    if not config.get("nav"):
        config["nav"] = default_nav(playbook, analysis, hand_written,
                                    internal=audience == "internal")
    config["extra_css"] = [*config.get("extra_css", []), STYLESHEET]
    config["extra_javascript"] = [*config.get("extra_javascript", []), SCRIPT]
    extensions = list(config.get("markdown_extensions") or [])
    names = [_name(extension) for extension in extensions]
    settings = {_name(e): e[_name(e)] for e in extensions if isinstance(e, dict)}
    for name, values in missing_extensions(names, settings).items():
        if name in names:
            extensions[names.index(name)] = {name: values}
        else:
            extensions.append({name: values} if values else name)
    config["markdown_extensions"] = extensions
    theme = config.get("theme", "mkdocs")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme}
    if theme.get("name") == "material":
        theme = {**theme, "font": False, "variant": theme.get("variant", "classic")}
    if theme.get("name") in CDN_THEMES:
        theme = {**theme, "highlightjs": False}
    config["theme"] = theme
    return config


def _name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def _holds(target: Path, data: bytes) -> bool:
    try:
        return target.is_file() and not target.is_symlink() and target.read_bytes() == data
    except OSError:
        return False


def _manifest(out: Path) -> set[str] | None:
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def _write_manifest(out: Path, paths: Any) -> None:
    text = ("# The files `playbook render` wrote here; the next render removes those it no "
            "longer writes.\n" + "".join(f"{path}\n" for path in sorted(paths)))
    write_all(out, {MANIFEST: text}, force=True)


def _remove(out: Path, path: str) -> bool:
    """Remove out/path, and the folders it leaves empty up to out; only inside out."""
    target = out / path
    root = out.resolve()
    if not target.resolve().is_relative_to(root) or not target.is_file():
        return False
    target.unlink()
    for folder in target.parents:
        if folder.resolve() == root:
            break
        with contextlib.suppress(OSError):  # not empty: a file of the user's is in it
            folder.rmdir()
    return True
