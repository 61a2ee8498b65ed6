"""Every use of MkDocs' private API, in one module that names the versions it was written for.

The plugin and the preview server reach past MkDocs' public API in a few places, each for a
reason given where it is done: a generated file made only when MkDocs reads it, the steps
of a build's page rendering that the preview server runs one page at a time, a page's
title from its first heading, and the search index's entries. None of these is promised
by MkDocs, so importing this module checks the running engine's version first: MkDocs, or
ProperDocs (the continuation of MkDocs 1.x, which serves `mkdocs.*` imports from its own
package), within the range in SUPPORTED, and fails with a message naming that range.
Everything else in generator/ uses MkDocs' public API only (tests/test_mkdocs_internals.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import mkdocs
from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from ..errors import UnsupportedEngine

SUPPORTED = {"mkdocs": ">=1.6.1,<1.7", "properdocs": ">=1.6.5,<1.7"}
"""The versions of each engine this module was written against, by the engine's package."""


class EngineVersionError(ValidationError, UnsupportedEngine):
    """The engine's version is outside SUPPORTED. A ValidationError, so that MkDocs, which
    loads the plugin while it validates mkdocs.yml, reports it as a configuration error in
    one line; an UnsupportedEngine, which the `playbook` command reports in one line."""


def check_version(engine: str, version: str) -> None:
    """Fail unless `version` of `engine` is within the range this module was written for."""
    wanted = SUPPORTED.get(engine)
    if wanted is not None and Version(version) in SpecifierSet(wanted):
        return
    ranges = " or ".join(f"{name} {spec}" for name, spec in sorted(SUPPORTED.items()))
    fix = (f"install a version within it: pip install '{engine}{wanted}'" if wanted
           else "run it with one of these")
    raise EngineVersionError(f"the playbook plugin was written for {ranges}, but {engine} "
                             f"{version} is installed; {fix}")


check_version(mkdocs.__name__, mkdocs.__version__)


class DeferredFile(File):
    """A generated file made when MkDocs first reads it, not before: a child process
    renders the pages meanwhile (see parallel.py), and the pages it has not delivered
    yet are made here on demand. MkDocs 1.6 reads a file's content only through the
    private `File._content`, so that is the one attribute to defer."""

    maker: Callable[[], str | bytes]

    @classmethod
    def make(cls, config: MkDocsConfig, path: str, maker: Callable[[], str | bytes]
             ) -> DeferredFile:
        file = cls.generated(config, path, content="")
        assert isinstance(file, DeferredFile)
        file.__dict__["_made"] = None
        file.maker = maker
        return file

    @property  # type: ignore[override]
    def _content(self) -> str | bytes:
        made = self.__dict__.get("_made")
        if made is None:
            try:
                made = self.__dict__["_made"] = self.maker()
            except Exception as exc:  # a bug of ours: name the page, print no traceback
                raise PluginError(f"could not render {self.src_uri}: "
                                  f"{type(exc).__name__}: {exc}") from exc
        return made

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self.__dict__["_made"] = value


def read_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """The first steps of mkdocs.commands.build._populate_page (private): the page's
    pre-page event, its source and front matter, and its Markdown event. The preview server
    runs them for one page at a time instead of for the whole site."""
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    assert page.markdown is not None
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config,
                                                    files=files)


def rendered_title(page: Page) -> str | None:
    """The title `Page.render` found in the page's first heading, kept in the private
    `_title_from_render`, which `Page.title` falls back on: the preview server caches it
    with the page's conversion."""
    return page._title_from_render


def set_rendered_title(page: Page, title: str | None) -> None:
    """Put back a cached conversion's title (see rendered_title)."""
    page._title_from_render = title


def nav_gave_title(page: Page) -> bool:
    """Whether the page's title is already known, from the nav: `Page.title` is a
    `weak_property` that stores a given title in the instance's own attributes."""
    return "title" in vars(page)


def build_page(page: Page, config: MkDocsConfig, nav: Navigation,
               files: Files | Sequence[File], env: Environment) -> str:
    """The HTML of a populated page: the template steps of mkdocs.commands.build._build_page
    (private), which writes it to the site instead. The page is left as it was found
    (inactive, its content as converted), so that it can be rendered again."""
    content = page.content
    page.active = True
    try:
        context = get_context(nav, files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        return config.plugins.on_post_page(output, page=page, config=config)
    finally:
        page.active = False
        page.content = content


def build_template(name: str, config: MkDocsConfig, nav: Navigation, files: Files,
                   env: Environment, base_url: str) -> str:
    """A theme template that is no page (the 404 page): the steps of
    mkdocs.commands.build._build_template (private), without writing the file."""
    template = config.plugins.on_pre_template(env.get_template(name), template_name=name,
                                              config=config)
    context = get_context(nav, files, config, base_url=base_url)
    context = config.plugins.on_template_context(context, template_name=name, config=config)
    return config.plugins.on_post_template(template.render(context), template_name=name,
                                           config=config)


def search_entries(index: Any) -> list[Any]:
    """The entries of a search index: public `entries` in Material's, private `_entries`
    in MkDocs' own search plugin."""
    return list(index.entries if hasattr(index, "entries") else index._entries)


def set_search_entries(index: Any, entries: list[Any]) -> None:
    """Replace a search index's entries (see search_entries)."""
    setattr(index, "entries" if hasattr(index, "entries") else "_entries", entries)
