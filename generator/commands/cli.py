"""The `playbook` command: a thin shell over the core.

Exit codes follow linters: 0 valid, 1 problems found (warnings too with
--strict), 2 usage errors (click's own). No command prints a traceback: the
core reports problems as values, and anything unexpected is one line on stderr.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import CommandError, UnsupportedEngine, did_you_mean, display_path

if TYPE_CHECKING:
    from ..checking.pipeline import Checked

# The core is imported inside each command, not here: `playbook --version` and `--help`
# load only click, and `playbook check` does not load the renderer, calendars or export.

DEFAULT_PLAYBOOK = Path("playbook")
CACHE = Path(".playbook_cache")
"""`playbook check`'s cache of parsed files (parse_cache.py), in the current folder."""


def _no_traceback(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected failures into one line and exit 1; never show a Python traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (CommandError, UnsupportedEngine, OSError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except RecursionError:
            click.echo("error: the playbook is nested too deeply to process", err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="outsourcing-playbook")
def main() -> None:
    """Turn a playbook of roles and procedures (YAML) into an outsourcing playbook site."""


@main.command("check")
@click.argument("folder", type=click.Path(path_type=Path), default=DEFAULT_PLAYBOOK)
@click.option("--strict", is_flag=True, help="Fail on warnings too, like mkdocs build --strict.")
@click.option("--today", callback=lambda c, p, v: _date(v), envvar="PLAYBOOK_TODAY",
              help="The date reviews are due against (ISO; default: today, or PLAYBOOK_TODAY).")
@click.option("--no-cache", is_flag=True,
              help="Parse every file, neither reading nor writing .playbook_cache/.")
@_no_traceback
def check_command(folder: Path, strict: bool, today: date, no_cache: bool) -> None:
    """Check the playbook in FOLDER (default: playbook/) and print every problem.

    Besides errors and readiness warnings, it warns about SOPs past their review date.
    What each unchanged file parsed to is kept in .playbook_cache/ in the current folder,
    so that a check on every save parses only the files that changed.
    """
    from ..checking.pipeline import check
    from ..runtime.memory import hold

    with hold():  # the process ends after it: the playbook stays frozen
        result = check(folder, today=today, cache=None if no_cache else CACHE)
    for problem in result.problems:
        click.echo(str(problem))
    click.echo(summary(folder, result))
    _exit_now(1 if result.failed(strict=strict) else 0)


def _exit_now(code: int) -> None:
    """Exit without tearing the process down, as mypy does after a run: the checked
    playbook is hundreds of thousands of objects, and freeing them one by one on the way
    out is work nobody sees, and at 1,000 roles it is most of the time after the last
    line. Nothing is left to run: the cache is written and the helper process
    reaped inside `check`; only the output must be flushed first."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def summary(folder: Path, result: Checked) -> str:
    """One line: what the playbook holds, then the problem count."""
    counts = f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
    if result.playbook is None or result.analysis is None:
        return f"{display_path(folder)}: {counts}"
    book, figures = result.playbook, result.analysis
    hours = f"{figures.total_hours:.1f} h/week of recurring work"
    if figures.untimed:
        hours = f"at least {hours} ({figures.untimed} task(s) not timed)"
    return (f"{display_path(folder)}: {len(book.roles)} roles, {len(book.procedures)} procedures, "
            f"{len(book.people)} people, {hours}; {counts}")


@main.command("render")
@click.argument("folder", type=click.Path(path_type=Path), default=DEFAULT_PLAYBOOK)
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the standalone project (any MkDocs-compatible engine builds it).")
@click.option("--audience", type=click.Choice(["public", "internal"]), default="public",
              show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              default=Path("mkdocs.yml"), show_default=True,
              help="The mkdocs.yml whose theme, extensions and docs/ to carry over.")
@click.option("--today", callback=lambda c, p, v: _date(v), envvar="PLAYBOOK_TODAY",
              help="The date reviews are due against (ISO; default: today).")
@click.option("--force", is_flag=True,
              help="Write into a non-empty folder that no render wrote (its other files stay).")
@click.option("--watch", is_flag=True,
              help="Render again on every change to the playbook, mkdocs.yml or docs/; "
                   "Ctrl-C stops.")
@_no_traceback
def render_command(folder: Path, out: Path, audience: str, config_path: Path, today: date,
                   force: bool, watch: bool) -> None:
    """Write the site's pages and a mkdocs.yml to OUT: `mkdocs build`, `properdocs build` or
    `zensical build` builds it without the plugin.

    Only files whose content changed are written, and files an earlier render wrote that
    are no longer generated are removed, so a live preview of OUT (`zensical serve`)
    rebuilds only what changed. A playbook with errors leaves OUT as it was.
    """
    from ..engines.export import docs_dir, read_config
    from ..runtime.watch import watch as watch_files

    config = config_path if config_path.is_file() else None
    render = functools.partial(_render, folder, out, audience=audience, config=config,
                               today=today, force=force)
    try:
        rendered = render()
        if not watch:
            sys.exit(0 if rendered else 1)
        roots = [folder, *([config] if config else []), docs_dir(config, read_config(config))]
        click.echo(f"watching {', '.join(display_path(r) for r in roots)} (Ctrl-C stops)",
                   err=True)
        watch_files(roots, lambda changed: render(changed=changed), ignore=out)
    except KeyboardInterrupt:
        click.echo("stopped watching" if watch else "stopped", err=True)
        sys.exit(0 if watch else 130)


def _render(folder: Path, out: Path, *, audience: str, config: Path | None, today: date,
            force: bool, changed: set[Path] | None = None) -> bool:
    """One render of FOLDER into OUT; False, with the problems printed and OUT untouched,
    when the playbook has errors. Under --watch (`changed` given) a failure is reported and
    the watching goes on."""
    from ..checking.pipeline import check
    from ..engines.export import export
    from ..runtime.memory import hold, release

    started = time.perf_counter()
    with hold():
        result = check(folder)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if result.playbook is None or result.analysis is None or result.errors:
        release()
        click.echo(summary(folder, result) + f"; {display_path(out)} was left as it was",
                   err=True)
        return False
    try:
        done = export(result.playbook, result.analysis, out, audience=audience, today=today,
                      config_path=config, force=force, changed=changed or ())
    except (CommandError, OSError) as exc:
        if changed is None:
            raise
        click.echo(f"error: {exc}", err=True)
        return False
    finally:
        release()  # hold() froze the playbook; let this render's objects go
    counts = (f"{len(done.written)} written, {len(done.removed)} removed, "
              f"{len(done.files) - len(done.written)} unchanged")
    if changed is not None:
        click.echo(f"rendered in {time.perf_counter() - started:.1f} s: {counts}", err=True)
    else:
        click.echo(f"{display_path(out)}: {len(done.files)} files ({counts}); build it with: "
                   f"mkdocs build -f {display_path(out / 'mkdocs.yml')} (or properdocs build, "
                   "zensical build)")
    return True


@main.command("serve")
@click.option("-a", "--dev-addr", metavar="<IP:PORT>",
              help="Address to serve at (default: dev_addr in mkdocs.yml, 127.0.0.1:8000).")
@click.option("-f", "--config-file", type=click.Path(path_type=Path),
              help="The MkDocs configuration (default: mkdocs.yml in this folder).")
@click.option("-v", "--verbose", is_flag=True, help="Also say how long each page took.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name or address (repeatable); by "
              "default only localhost, 127.0.0.1, [::1], the address served and, on 0.0.0.0 "
              "or ::, this machine's own names.")
@click.option("--expose-internal", is_flag=True,
              help="Serve the internal audience (private notes, rates, planning pages) on an "
              "address other machines reach; refused without it.")
@_no_traceback
def serve_command(dev_addr: str | None, config_file: Path | None, verbose: bool,
                  allow_hosts: tuple[str, ...], expose_internal: bool) -> None:
    """A live preview of the site that shows an edit in about a second at 1,000 roles.

    Unlike `mkdocs serve`, which builds the whole site again on every change, it renders
    each page when the browser asks for it, from the newest state of the playbook, docs/
    and mkdocs.yml, converting only the pages whose source changed; open pages reload by
    themselves. A bad edit is printed as file:line:col and the last good state stays
    served. The audience is the plugin's (PLAYBOOK_AUDIENCE overrides it). Ctrl-C stops.

    The preview is for this machine: it answers only requests addressed to it by one of
    its names (which --allow-host adds to), so that no web page can read it through a
    name of its own pointed at this machine; and it serves the internal audience on an
    address other machines reach only with --expose-internal.
    """
    import logging

    from ..engines.serve import ServeError, serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    if verbose:
        logging.getLogger("mkdocs.playbook.serve").setLevel(logging.DEBUG)
    try:
        serve(str(config_file) if config_file else None, dev_addr, allow_hosts=allow_hosts,
              expose_internal=expose_internal)
    except ServeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("stopped serving", err=True)
        sys.exit(0)


@main.command("schema")
@click.option("--out", type=click.Path(path_type=Path), default=Path("schema"), show_default=True,
              help="Folder to write the JSON Schema files into.")
@click.option("--force", is_flag=True, help="Overwrite schema files that differ.")
@_no_traceback
def schema_command(out: Path, force: bool) -> None:
    """Write the JSON Schema of each playbook file, for editor autocompletion."""
    from . import scaffold

    for path in scaffold.write_schemas(out, force=force):
        click.echo(f"wrote {display_path(path)}")


@main.command("init")
@click.argument("folder", type=click.Path(path_type=Path), default=Path("."))
@click.option("--business", default="My Business", show_default=True, help="Business name.")
@click.option("--owner-id", default="owner", show_default=True, callback=lambda c, p, v: _slug(v))
@click.option("--owner-name", default="The Owner", show_default=True)
@click.option("--example", is_flag=True,
              help="Start from the example business instead of a blank playbook.")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@_no_traceback
def init_command(folder: Path, business: str, owner_id: str, owner_name: str, example: bool,
                 force: bool) -> None:
    """Start a playbook project in FOLDER (default: here): the playbook, mkdocs.yml, a page of
    your own, .gitignore, a workflow that publishes the site, and a README."""
    from . import scaffold

    written, kept = scaffold.init(folder, business=business, owner_id=owner_id,
                                  owner_name=owner_name, example=example, force=force)
    for path in written:
        if scaffold.SCHEMA_DIR not in path.parts:
            click.echo(f"wrote {display_path(path)}")
    for name in kept:
        click.echo(f"kept your {name}; " + (
            "add /site/ and /site-internal/ to it (the built sites)" if name == ".gitignore"
            else "see the playbook's README in the generator's documentation"))
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {display_path(folder)}; "
    click.echo(f"next: {where}playbook check, then mkdocs serve")


@main.group("new")
def new_group() -> None:
    """Add a role or a procedure from a template."""


@new_group.command("role")
@click.argument("role_id", callback=lambda c, p, v: _slug(v))
@click.option("--playbook", "folder", type=click.Path(path_type=Path), default=DEFAULT_PLAYBOOK,
              show_default=True)
@click.option("--title", help="Role title (default: from the id).")
@click.option("--parent", help="Id of the role it sits under.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@_no_traceback
def new_role(role_id: str, folder: Path, title: str | None, parent: str | None,
             force: bool) -> None:
    """Add roles/ROLE_ID.yml, performed by the owner until it is outsourced."""
    from . import scaffold

    result = _existing(folder)
    book = result.playbook
    if book is not None and parent is not None and parent not in book.roles:
        raise click.BadParameter(f"no role '{parent}'{did_you_mean(parent, book.roles)}",
                                 param_hint="--parent")
    owner = book.business.owner if book is not None else None
    path = scaffold.new_role(folder, role_id, title=title or _title(role_id), parent=parent,
                             performer=owner, force=force)
    click.echo(f"wrote {display_path(path)}")


@new_group.command("procedure")
@click.argument("procedure_id", callback=lambda c, p, v: _slug(v))
@click.option("--role", required=True, help="Id of the role that performs it.")
@click.option("--playbook", "folder", type=click.Path(path_type=Path), default=DEFAULT_PLAYBOOK,
              show_default=True)
@click.option("--title", help="Procedure title (default: from the id).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@_no_traceback
def new_procedure(procedure_id: str, role: str, folder: Path, title: str | None,
                  force: bool) -> None:
    """Add procedures/PROCEDURE_ID.yml for ROLE."""
    from . import scaffold

    book = _existing(folder).playbook
    if book is not None and role not in book.roles:
        raise click.BadParameter(f"no role '{role}'{did_you_mean(role, book.roles)}",
                                 param_hint="--role")
    path = scaffold.new_procedure(folder, procedure_id, title=title or _title(procedure_id),
                                  role=role, force=force)
    click.echo(f"wrote {display_path(path)}")


def _existing(folder: Path) -> Checked:
    """The playbook a new file goes into; it must exist (bad files only warn here)."""
    if not (folder / "business.yml").is_file():
        raise click.BadParameter(f"{display_path(folder)} is not a playbook (no business.yml); "
                                 "run 'playbook init' first", param_hint="--playbook")
    from ..checking.pipeline import check

    return check(folder)


def _date(value: str | None) -> date:
    if not value:
        return date.today()
    from ..model.timing import TimingError, parse_date

    try:
        return parse_date(value)
    except TimingError as exc:
        raise click.BadParameter(str(exc)) from None


def _slug(value: str) -> str:
    from ..model.records import check_slug
    from ..model.timing import TimingError

    try:
        return check_slug(value)
    except TimingError as exc:
        raise click.BadParameter(str(exc)) from None


def _title(identifier: str) -> str:
    return identifier.replace("-", " ").capitalize()


if __name__ == "__main__":  # pragma: no cover
    main()
