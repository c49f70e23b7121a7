"""Looking after the database: backup."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.engine import make_url

from vetservice.i18n import N_, gettext
from vetservice.store import database_url
from vetservice_cli.main import Context, _h, cli, fail, handle_errors, pass_context


@cli.command(
    help=_h(
        N_(
            "Write a consistent copy of the SQLite database to FILE while it is in use "
            "(PostgreSQL: use pg_dump)."
        )
    )
)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help=_h(N_("Replace FILE if it exists.")))
@pass_context
@handle_errors
def backup(obj: Context, file: str, force: bool) -> None:
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
