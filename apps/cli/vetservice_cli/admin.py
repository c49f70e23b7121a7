"""Looking after the database and the installation: init, backup, export,
pg-scope, plugins."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from vetservice.i18n import N_, gettext
from vetservice_cli.common import (
    Context,
    announce_new_database,
    exit_on_failures,
    fail,
    h,
    handle_errors,
    pass_context,
)


@click.command(help=h(N_("Create the database or upgrade it to the newest schema.")))
@pass_context
@handle_errors
def init(obj: Context) -> None:
    import vetservice as vs
    from vetservice.store.database import sqlite_file

    path = sqlite_file(obj.db_url)
    new = path is not None and not path.exists()
    db = vs.init(obj.db_url)
    if new:
        announce_new_database(str(path))
    click.echo(gettext(N_("database ready: {url}")).format(url=db.url))


@click.command(
    help=h(
        N_(
            "Write a consistent copy of the SQLite database to FILE while it is in use "
            "(PostgreSQL: use pg_dump)."
        )
    )
)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help=h(N_("Replace FILE if it exists.")))
@pass_context
@handle_errors
def backup(obj: Context, file: str, force: bool) -> None:
    from sqlalchemy.engine import make_url

    from vetservice.store import database_url

    url = make_url(database_url(obj.db_url))
    database = url.database
    # Opening a missing file would create an empty database, and its copy
    # would look like a backup.
    if (
        url.get_backend_name() == "sqlite"
        and database not in (None, "", ":memory:")
        and not Path(database).is_file()
    ):
        fail(
            gettext(N_("error: {message}")).format(
                message=gettext(N_("no database at {path}")).format(path=database)
            )
        )
    done = obj.open().backup(file, force=force)
    click.echo(
        gettext(N_("backup written: {path} ({size} bytes, SHA-256 {sha256})")).format(
            path=done.path, size=f"{done.size:,}", sha256=done.sha256
        )
    )


@click.command(
    "export",
    help=h(N_("Write a new SQLite database holding only one unit's subtree.")),
)
@click.option(
    "--scope",
    "unit",
    metavar="UNIT_CODE",
    help=h(N_("The unit whose subtree is exported (default: the global --scope).")),
)
@click.argument("file", type=click.Path(dir_okay=False))
@pass_context
@handle_errors
def export(obj: Context, unit: str | None, file: str) -> None:
    import vetservice as vs

    counts = obj.open().export(file, unit)
    for kind, count in counts.items():
        click.echo(f"{vs.KINDS[kind].label}\t{count}")
    click.echo(gettext(N_("exported to {file}")).format(file=file))


@click.command(
    "pg-scope",
    help=h(
        N_(
            "PostgreSQL: hold a database role to one unit's subtree "
            "by row-level security (creates the role if needed)."
        )
    ),
)
@click.argument("role")
@click.option("--scope", "unit", required=True, metavar="UNIT_CODE")
@pass_context
@handle_errors
def pg_scope(obj: Context, role: str, unit: str) -> None:
    obj.open().grant_postgres_scope(role, unit)
    click.echo(
        gettext(N_("role {role} now reads only the subtree of {unit}")).format(
            role=role, unit=unit
        )
    )


@click.command(
    help=h(
        N_(
            "List the loaded plugins, their hooks and where they come from; "
            "with --check, dry-run a plugin (or all) and say what would fail."
        )
    )
)
@click.argument("plugin", required=False)
@click.option(
    "--check",
    is_flag=True,
    help=h(
        N_(
            "Load, validate and dry-run each indicator, override and sheet on an "
            "empty database and on the demo; print what would fail, with the fix."
        )
    ),
)
@pass_context
@handle_errors
def plugins(obj: Context, plugin: str | None, check: bool) -> None:
    if check:
        _check(obj, plugin)
        return
    # Plugins need no database: listing them neither opens nor creates one.
    manager = obj.plugin_manager()
    for info in manager.describe():
        click.echo(f"{info.name}\t{','.join(info.hooks)}\t{info.source}")
    exit_on_failures(manager.failures)


def _check(obj: Context, plugin: str | None) -> None:
    from vetservice.api.checking import check_plugins

    found = check_plugins(obj.plugins, plugin)
    for f in found.findings:
        where = f"（{f.database}）" if f.database else ""
        click.echo(f"✗ {f.plugin}｜{f.item}{where}：{f.problem}")
    click.echo(
        gettext(
            N_(
                "checked {plugins}: {indicators} indicators, {overrides} local "
                "standards, {sheets} scoring sheets; {problems} problems"
            )
        ).format(
            plugins="、".join(found.plugins) or "-",
            indicators=found.indicators,
            overrides=found.overrides,
            sheets=found.sheets,
            problems=len(found.findings),
        )
    )
    if found.findings:
        sys.exit(2 if obj.strict_plugins else 1)
