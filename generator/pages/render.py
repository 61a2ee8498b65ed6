"""Render a checked playbook into pages for MkDocs: `render(...) -> {path: markdown}`.

One Jinja environment per output kind, created once: Markdown templates escape
every value for Markdown (see markup.py), HTML templates autoescape for HTML.
The org chart's tree is assembled here without recursion, because a role tree
can be hundreds of levels deep and Jinja's recursive loops use the Python stack.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property, partial
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote

import yaml
from jinja2 import (
    Environment,
    PackageLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..figures.analysis import STATUS_LABELS, Analysis, RoleFigures, overdue_reviews
from ..figures.history import History, fingerprint
from ..figures.schedule import local_times, when
from ..model import media
from ..model.playbook import Playbook, alias_path
from ..model.records import Role, Task, step_lines
from .brief import hiring_brief
from .calendars import calendar_paths, calendars, person_calendar, role_calendar
from .feeds import feed_files, role_history
from .hours import format_hours, format_minutes, weekly_hours
from .markup import (
    BLANK_LINES,
    Blocks,
    absolute,
    checkbox,
    finalize,
    flat,
    md_link,
    md_text,
    one_line,
)
from .page_links import MARKER
from .prose import link_target, markdown_target, to_html, to_markdown
from .redirects import redirects
from .views import Row, by_frequency, cadence_context, people_context, plan_context

STYLESHEET = "assets/playbook.css"
SCRIPT = "assets/playbook.js"
STATUS_ICONS = {"kept": "★", "outsourced": "✓", "to-outsource": "➜", "vacant": "○"}
OUTLINE_DEPTH = 8
"""Deeper levels of the outline and chart are flattened: lists nested further are
unreadable."""
COLLAPSE_AFTER = 60
"""Above this many roles the org chart's departments start collapsed."""
PEOPLE_COLOURS = 8



def _minutes(value: int | None) -> str:
    return "not timed yet" if value is None else format_minutes(value)


def _hours(value: float, untimed: int = 0, unit: str = "") -> str:
    """Hours (a week: `unit`), and where some work is not timed yet, that the figure is a
    floor; the unit goes before that note, so the phrase reads as a sentence."""
    if not untimed:
        return format_hours(value) + unit
    tasks = f"{untimed} task{'s' if untimed != 1 else ''} not timed"
    return (f"at least {format_hours(value)}{unit} ({tasks})" if value
            else f"not known yet ({tasks})")


def _resolver(context: Context) -> Callable[[str, str], str]:
    """Site links as the page being rendered sees them: relative, for MkDocs to check."""
    page, site = context["path"], context["site"]

    def resolve(target: str, anchor: str) -> str:
        if not target:
            return f"#{quote(unquote(anchor))}"
        # markdown-it percent-encodes a link in text, a task's link: is as typed: md_link
        # encodes both once.
        target, anchor = unquote(target), unquote(anchor)
        return md_link(page, site.moved.get(target, target), anchor)

    return resolve


@pass_context
def _inline(context: Context, value: object) -> Markup:
    """Text with the inline Markdown subset (pages/prose.py)."""
    return to_markdown(str(value), _resolver(context))


@pass_context
def _address(context: Context, value: str) -> Markup:
    """A task's `link:` as a Markdown link's target (percent-encoded: markdown_target)."""
    return Markup(markdown_target(value, _resolver(context)))


@pass_context
def _block(context: Context, value: object) -> Markup:
    """Text that may hold paragraphs (blank lines), each with the inline subset, each on
    one line: only the blank lines between them are ours to write (markup.finalize)."""
    paragraphs = [flat(_inline(context, part)) for part in BLANK_LINES.split(str(value).strip())]
    return Blocks("\n\n".join(p for p in paragraphs if p))


@pass_context
def _html_address(context: Context, value: str) -> str:
    """A task's `link:` as an href in HTML: text, so that autoescape escapes it at the
    attribute, whatever link_target made of it."""
    return str(link_target(value, _resolver(context)))


@pass_context
def _inline_html(context: Context, value: object) -> Markup:
    """The same text as finished HTML (role.md's raw HTML parts)."""
    return to_html(str(value), _resolver(context))


@pass_context
def _block_html(context: Context, value: object) -> Markup:
    """Paragraphs as HTML, as Python-Markdown writes them."""
    paragraphs = [_inline_html(context, part) for part in BLANK_LINES.split(str(value).strip())]
    return Markup("\n".join(f"<p>{p}</p>" for p in paragraphs if p))


@pass_context
def _bullets(context: Context, items: list[str]) -> Markup:
    """A bulleted list of texts as HTML, as Python-Markdown writes `- item` lines."""
    lines = "".join(f"<li>{_inline_html(context, item)}</li>\n" for item in items)
    return Markup(f"<ul>\n{lines}</ul>")


_LINE_BREAK = re.compile(r"\r\n?|\n")  # Python-Markdown reads a lone CR as a line break too


def _pre(text: str) -> Markup:
    """Preformatted text on one line of the page, its line breaks as character references:
    block syntax at the start of a line ('~~~', a fence to pymdownx.superfences) would be
    read even inside raw HTML."""
    return Markup(_LINE_BREAK.sub("&#10;", str(escape(str(text)))))


def _item_end(depth: int, following: int, tag: str = "ol") -> Markup:
    """What ends an item's line in a nested list (steps, the outline): a sub-list opens, or
    the item closes with as many lists as the next item climbs out of (no recursion: the
    lists nest deeper than the Python stack could)."""
    if following > depth:
        return Markup(f"<{tag}>")  # no space: search would index one before the sub-list
    return Markup("</li>" + f"\n</{tag}>\n</li>" * (depth - following))


@cache
def _loader() -> PackageLoader:
    return PackageLoader("generator", "templates")


# `{#id}` is Markdown's attribute syntax for heading anchors, so Jinja comments use `{## ##}`.
@cache
def _markdown_env() -> Environment:
    """The templates of pages written as Markdown: values are made Markdown-safe by
    `finalize`. Each environment is made whole by one function on first use, not by
    statements spread over this module's import, so no import order can see it half made."""
    env = _common(Environment(
        loader=_loader(), undefined=StrictUndefined, finalize=finalize, autoescape=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        comment_start_string="{##", comment_end_string="##}"))
    env.filters.update(inline=_inline, block=_block, address=_address,
                       sentence=lambda text: f"{text[:1].upper()}{text[1:]}.")
    return env


@cache
def _html_env() -> Environment:
    """The templates of pages written as HTML (the role page, the org chart): autoescaped,
    each value kept on one line (`one_line`)."""
    env = _common(Environment(
        loader=_loader(), undefined=StrictUndefined, autoescape=select_autoescape(default=True),
        finalize=one_line, trim_blocks=True, lstrip_blocks=True,
        comment_start_string="{##", comment_end_string="##}"))
    env.filters.update(inline=_inline_html, block=_block_html, bullets=_bullets,
                       address=_html_address, md=lambda value: Markup(md_text(value)), code=_pre)
    env.globals.update(checkbox=checkbox, item_end=_item_end)
    return env


def _common(env: Environment) -> Environment:
    """What both kinds of template use."""
    env.filters.update(minutes=_minutes, hours=_hours, initials=initials,
                       short_hours=partial(format_hours, short=True))
    # A no-break space: '108 USD' never wraps between the amount and its currency (an
    # entity, as text would fold to a plain space; the currency is three capitals).
    env.globals["money"] = lambda value, currency: (
        "not set" if value is None else Markup(f"{value:,.0f}&nbsp;{escape(currency)}"))
    env.globals.update(STATUS_LABELS=STATUS_LABELS, STATUS_ICONS=STATUS_ICONS,
                       OUTLINE_DEPTH=OUTLINE_DEPTH)
    return env


@dataclass(frozen=True)
class Site:
    """What a page template needs besides the page's own record."""

    playbook: Playbook
    analysis: Analysis
    audience: str
    directory_urls: bool
    overdue: dict[str, date]
    """Roles whose review is past due, with the date it was due."""
    pdf: bool = False
    """Whether outsourceable role pages get a PDF (printed by the plugin after the build)."""
    site_url: str | None = None
    """The site's published address (MkDocs' site_url): calendars can be subscribed to
    only at a full address."""
    history: History | None = None
    """The playbook's changes from git (history.py); None where it was not read."""

    def when(self, task: Task, rid: str) -> str:
        """The 'When' of a task: its days and time, the time also in the performer's zone
        where that differs from the business's; what sets off as-needed work."""
        if task.every.as_needed:
            return task.trigger or ""
        text = when(task)
        performer = self.playbook.roles[rid].performer
        home = self.playbook.business.timezone
        away = self.playbook.people[performer].timezone if performer else None
        if task.at is not None and home and away and away != home:
            text += f" ({local_times(task.at, home, away)})"
        return text

    def calendar(self, path: str, page: str) -> dict[str, Markup | None]:
        """A calendar's links: the file (relative to page), and where site_url is known its
        https:// and webcal:// addresses, which calendar programs can subscribe to."""
        full = absolute(self.site_url, path) if self.site_url else None
        webcal = "webcal://" + full.split("://", 1)[1] if full and "://" in full else None
        return {"file": md_link(page, path),  # raw HTML gets no Markdown escapes:
                "https": Markup(html.escape(full)) if full else None,
                "webcal": Markup(html.escape(webcal)) if webcal else None}

    def picture(self, path: str) -> media.Picture:
        """A step picture's size, for its <img>: the page keeps its layout while the lazy
        picture loads. The check decoded it; media.py keeps what it found."""
        return media.picture(self.playbook.root, path)

    @cached_property
    def departments(self) -> dict[str, list[str]]:
        """Department root -> the roles below it, in pre-order; grouped once, not per root."""
        grouped: dict[str, list[str]] = {}
        for rid, figures in self.analysis.roles.items():
            if rid != figures.department:
                grouped.setdefault(figures.department, []).append(rid)
        return grouped

    @cached_property
    def descendants(self) -> Counter[str]:
        """How many roles sit anywhere under each role, counted once for the whole tree."""
        return Counter(aid for figures in self.analysis.roles.values()
                       for aid in figures.ancestors)

    @cached_property
    def moved(self) -> dict[str, str]:
        """Old role pages ('roles/ppc.md', an alias) -> the page the role has now: a link
        written to the old address goes straight to the new one."""
        return {alias_path(alias) + ".md": f"roles/{rid}.md"
                for rid, role in self.playbook.roles.items() for alias in role.aliases}

    @cached_property
    def colours(self) -> dict[str, int]:
        return {pid: n % PEOPLE_COLOURS + 1 for n, pid in enumerate(self.playbook.people)}

    def person(self, pid: str | None) -> str:
        if pid is None:
            return "Vacant"
        return self.playbook.people[pid].name

    def title(self, rid: str) -> str:
        return self.playbook.roles[rid].title

    def below(self, rid: str) -> str:
        """The roles under one, named for what is counted: '2 direct sub-roles, 5 in all'."""
        direct = len(self.analysis.roles[rid].children)
        everyone = self.descendants[rid]
        if not direct:
            return "no sub-roles"
        if direct == everyone:
            return f"{direct} sub-role{'s' if direct != 1 else ''}"
        return f"{direct} direct sub-role{'s' if direct != 1 else ''}, {everyone} in all"

    def who(self, rid: str) -> str:
        """A role's status and performer as a phrase: 'outsourced to Joy Santos'."""
        status, performer = self.analysis.roles[rid].status, self.playbook.roles[rid].performer
        name = self.person(performer)
        return {"outsourced": f"outsourced to {name}",
                "kept": f"kept in-house, performed by {name}" if performer
                else "kept in-house, no one performs it yet",
                "to-outsource": f"to outsource, {name} performs it now",
                "vacant": "vacant, no one performs it yet"}[status]

    def outline(self, rid: str) -> str:
        """One role in the org chart's outline, as a sentence a screen reader reads well."""
        figures = self.analysis.roles[rid]
        text = f"{self.who(rid)}, {_hours(figures.hours_per_week, figures.untimed, ' a week')}"
        if figures.children:
            text += f"; {self.below(rid)}"
        return text + "."


INTERNAL_PAGES = {
    "plan.md": ("plan.md", "What to outsource next", plan_context),
    "people.md": ("people.md", "People and load", people_context),
    "cadence.md": ("cadence.md", "Cadence of the work", cadence_context),
}
"""Owner-only planning pages: (template, title, context builder) by path."""


Maker = Callable[[], str | bytes]


def render(playbook: Playbook, analysis: Analysis, *, audience: str = "public",
           directory_urls: bool = True, today: date | None = None,
           pdf: bool = False, site_url: str | None = None,
           history: History | None = None) -> dict[str, str | bytes]:
    """Every generated file, keyed by its path under docs/ (sorted for stable builds):
    Markdown pages, which MkDocs renders, and calendar files, which it copies.

    The public audience never reads a `private:` field or builds a planning page, so
    nothing private can reach a file of the public site.
    """
    return {path: make() for path, make in makers(
        playbook, analysis, audience=audience, directory_urls=directory_urls, today=today,
        pdf=pdf, site_url=site_url, history=history).items()}


def makers(playbook: Playbook, analysis: Analysis, *, audience: str = "public",
           directory_urls: bool = True, today: date | None = None,
           pdf: bool = False, site_url: str | None = None,
           history: History | None = None) -> dict[str, Maker]:
    """What `render` returns, each file still to be made: the plugin makes them as MkDocs
    reads them, or takes them from a child process that made them meanwhile."""
    today = today or date.today()
    site = Site(playbook, analysis, audience, directory_urls, overdue_reviews(playbook, today),
                pdf, site_url or None, history)
    made_calendars = cache(lambda: calendars(playbook, analysis, site_url=site.site_url,
                                             directory_urls=directory_urls))
    files: dict[str, Maker] = {path: partial(_calendar, made_calendars, path)
                               for path in calendar_paths(analysis)}
    files["index.md"] = partial(_page, "home.md", site, "index.md", playbook.business.name)
    files["org-chart.md"] = partial(_org_chart_page, site)
    for rid in playbook.roles:
        files[f"roles/{rid}.md"] = partial(_role_page, site, rid)
    if audience == "internal":
        for path, (template, title, context) in INTERNAL_PAGES.items():
            files[path] = partial(_planning_page, site, path, template, title, context)
    for path, text in redirects(playbook, directory_urls=directory_urls).items():
        files[path] = partial(str, text)
    # Only the pictures a step shows: other files in media/ may not be meant for the site.
    for path in media.used(playbook.procedures.values()):
        files[path] = partial((playbook.root / path).read_bytes)
    if history is not None:
        files.update(feed_files(history, {rid: r.title for rid, r in playbook.roles.items()},
                                playbook.business.name, directory_urls=directory_urls,
                                site_url=site.site_url))
    return dict(sorted(files.items()))


def _calendar(made: Callable[[], dict[str, bytes]], path: str) -> bytes:
    return made()[path]


def _org_chart_page(site: Site) -> str:
    depths = [min(len(figures.ancestors), OUTLINE_DEPTH)
              for figures in site.analysis.roles.values()]
    return _page("org-chart.md", site, "org-chart.md", "Org chart", env=_html_env(),
                 chart=org_chart(site), outline_depths=depths)


def _role_page(site: Site, rid: str) -> str:
    path = f"roles/{rid}.md"
    return _page("role.md", site, path, site.playbook.roles[rid].title, env=_html_env(),
                 **role_context(site, rid))


def _planning_page(site: Site, path: str, template: str, title: str,
                   context: Callable[[Playbook, Analysis], dict[str, Any]]) -> str:
    return _page(template, site, path, title, **context(site.playbook, site.analysis))


def assets() -> dict[str, str]:
    """The CSS and script the generated pages use; the plugin adds them as files."""
    templates = resources.files("generator").joinpath("templates")
    return {STYLESHEET: templates.joinpath("playbook.css").read_text("utf-8"),
            SCRIPT: templates.joinpath("playbook.js").read_text("utf-8")}


def _page(template: str, site: Site, path: str, title: str, env: Environment | None = None,
          **context: Any) -> str:
    env = env or _markdown_env()
    html_page = env is _html_env()

    def link(to: str, anchor: str = "") -> Markup:
        if html_page:  # an attribute's value: escaped there, though md_link encoded it
            return Markup(html.escape(str(md_link(path, to, anchor))))
        return md_link(path, to, anchor)

    return front_matter(title, source_links=html_page) + env.get_template(
        template).render(site=site, book=site.playbook, figures=site.analysis, path=path,
                         link=link, **context)


def front_matter(title: str, *, source_links: bool = False) -> str:
    """The page title, HTML-escaped: Material prints `page.meta.title` into <title> and the
    nav unescaped, while a title taken from the heading would be unescaped by `striptags`.
    PyYAML writes it, so that MkDocs' PyYAML reads every character back (JSON's escapes of
    emoji are surrogate pairs it refuses); white space folds as in the page's heading.
    A page whose HTML links to other files as Markdown would is marked for page_links.py."""
    meta: dict[str, Any] = {"title": html.escape(" ".join(title.split()))}
    if source_links:
        meta[MARKER] = True
    value = yaml.safe_dump(meta, width=2**31, sort_keys=False)
    return f"---\n{value}---\n\n"


def role_context(site: Site, rid: str) -> dict[str, Any]:
    role = site.playbook.roles[rid]
    figures = site.analysis.roles[rid]
    procedures = [site.playbook.procedures[pid] for pid in figures.procedures]
    handed_over = role.sourcing == "outsource" and not figures.heading
    brief = hiring_brief(site.playbook, site.analysis, rid) if handed_over else ""
    return {
        "role": role,
        "rf": figures,
        "brief": brief,
        "task_groups": _task_groups(site, role),
        "procedures": procedures,
        "steps": {p.id: step_lines(p) for p in procedures},
        "engagement": _engagement(site, role, figures),
        "calendar": site.calendar(role_calendar(rid), f"roles/{rid}.md"),
        "person_calendar": (site.calendar(person_calendar(role.performer), f"roles/{rid}.md")
                            if role.performer else None),
        "timed": any(task.at is not None for task in role.tasks),
        "scheduled": any(not task.every.as_needed for task in role.tasks),
        "fingerprints": {p.id: fingerprint(p) for p in procedures},
        **role_history(site.history, rid, partial(md_link, f"roles/{rid}.md")),
    }


def _engagement(site: Site, role: Role, figures: RoleFigures) -> str:
    if role.sourcing == "keep":
        return _in_house(site, role)
    hours = weekly_hours(figures.hours_per_week, figures.untimed, "hours not known yet")
    return f"{role.engagement_words.capitalize()}, {hours}"


def _in_house(site: Site, role: Role) -> str:
    """Who does the work in-house: named, because the owner and staff are not the same
    answer to 'who do I ask'."""
    if role.performer is None:
        return "In-house, no one yet"
    person = site.playbook.people[role.performer]
    kind = f"{role.engagement_words} " if role.engagement else ""
    return f"In-house: {person.name} ({kind}{person.kind})"


def _task_groups(site: Site, role: Role) -> list[tuple[str, list[Row]]]:
    """The role's tasks grouped as the cadence page groups the whole business's."""
    rows = [Row(role.id, task, site.analysis.task_hours(task)) for task in role.tasks]
    groups = by_frequency(rows, site.playbook.business.workweek_days)
    return [(every.capitalize(), tasks) for every, tasks in groups.items()]


def org_chart(site: Site) -> Markup:
    """The role tree as nested HTML lists of boxes, one collapsible block per department.

    Finished HTML, as the role pages are: each box links to its role's page as Markdown
    would ('roles/ppc.md'), which Zensical resolves and page_links.py resolves for
    MkDocs. Levels below OUTLINE_DEPTH are drawn at that depth: a chart indented hundreds
    of times is unreadable.
    """
    box = _html_env().get_template("org-box.html")
    roles = site.analysis.roles
    state = "" if len(roles) > COLLAPSE_AFTER else ' open="open"'  # Markdown's spelling
    parts: list[str] = []
    for root in site.analysis.roots:
        depth = 0
        parts.append(f'<details class="pb-dept"{state}>')
        # <summary> is itself a control, so it holds only a label; the box follows it.
        parts.append(f"<summary>{escape(one_line(site.title(root)))} <span class=\"pb-count\">"
                     f"({site.below(root)})</span></summary>")
        parts.append(f"<p>{_box(site, box, root)}</p>")  # a paragraph, as Markdown made it
        for rid in _descendants(site, root):
            level = min(len(roles[rid].ancestors), OUTLINE_DEPTH)
            if level > depth:
                parts.extend(['<ul class="pb-tree">', "<li>"] * (level - depth))
                parts.pop()  # the <li> of this box follows
            else:
                parts.append(_close_items(depth - level))
            parts.extend(("<li>", _box(site, box, rid)))
            depth = level
        if depth:
            parts.extend((_close_items(depth - 1), "</ul>"))
        parts.append("</details>")
    legend = _html_env().get_template("org-legend.html").render(
        site=site, people=_people_in_chart(site), colour=_colour)
    return Markup(f'<div class="pb-org">\n{legend}\n<div class="pb-depts">\n'
                  + "\n".join(parts) + "\n</div>\n</div>")


def _close_items(levels: int) -> str:
    """Close the open item, and `levels` lists with the item each one sits in."""
    return "</li>" + "\n</ul>\n</li>" * levels


def _descendants(site: Site, root: str) -> list[str]:
    """The roles under root, in pre-order (analysis.roles is already pre-ordered)."""
    return site.departments.get(root, [])


def _box(site: Site, template: Any, rid: str) -> str:
    role = site.playbook.roles[rid]
    return template.render(role=role, rf=site.analysis.roles[rid], site=site,
                           href=md_link("org-chart.md", f"roles/{rid}.md"),
                           colour=_colour(site, role.performer)).strip()


def _colour(site: Site, pid: str | None) -> int:
    """A stable colour per person (by their place in people.yml), so repeats stand out."""
    return 0 if pid is None else site.colours[pid]


def _people_in_chart(site: Site) -> list[dict[str, Any]]:
    return [{"person": site.playbook.people[pid], "load": load}
            for pid, load in site.analysis.people.items() if load.roles]


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()

