"""Schema migrations: which revision a database is at, and bringing it to the newest.

The only module of the store that imports Alembic, so that reading a
database (and starting the command line) does not load it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from vetservice.errors import SchemaOutdatedError
from vetservice.i18n import N_
from vetservice.store.backup import copy_sqlite
from vetservice.store.database import reading, transaction

SCRIPT_LOCATION = "vetservice.store:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """The package's migrations, run on ``connection`` when one is given."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    # A read: opening a database never waits for another process's import.
    with reading(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Create the schema or bring it to the newest revision."""
    # One write transaction: a second process opening the same new file waits
    # here, then finds the schema made and has nothing to do.
    with transaction(engine) as conn:
        command.upgrade(alembic_config(conn), "head")


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade on open, the way ``architecture.md`` asks.

    A new database is created. An older SQLite file is upgraded after a copy
    is kept beside it. An older PostgreSQL schema is left alone: a shared
    server is upgraded on purpose with ``vetservice init``.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None and not _has_record_tables(engine):
        upgrade(engine)
        return
    if engine.dialect.name != "sqlite":
        raise SchemaOutdatedError(
            N_(
                "the database schema is at revision {current}, this vetservice needs "
                "{head}; run 'vetservice init' to upgrade it"
            ),
            current=current or "?",
            head=head,
        )
    path = engine.url.database
    if path and path != ":memory:" and Path(path).exists():
        # The online backup, not a file copy: rows another process committed
        # to the WAL but not yet to the main file are in the copy too.
        copy_sqlite(engine, f"{path}.{current or 'unversioned'}.bak")
    upgrade(engine)


def _has_record_tables(engine: Engine) -> bool:
    with reading(engine) as conn:
        return "units" in sa.inspect(conn).get_table_names()


def migrations_path() -> Path:
    return Path(str(resources.files("vetservice.store") / "migrations"))
