"""Storage: the schema, engines, transactions, migrations and the unit hierarchy."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.store.database import (
    create_engine,
    database_url,
    insert_batches,
    reading,
    refresh_statistics,
    storage_error,
    transaction,
)
from vetservice.store.schema import (
    HEAD_REVISION,
    TABLES,
    audit_log,
    metadata,
    unit_closure,
)


# Alembic is loaded by these two only (see ``store/migrate.py``): a read, and
# the command line's start, never pay for it.
def ensure_schema(engine: Engine) -> None:
    """Create or upgrade on open (:func:`vetservice.store.migrate.ensure_schema`);
    a database already at the newest revision is only read."""
    if _revision(engine) == HEAD_REVISION:
        return
    from vetservice.store import migrate

    migrate.ensure_schema(engine)


def _revision(engine: Engine) -> str | None:
    with reading(engine) as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        found = conn.execute(sa.text("SELECT version_num FROM alembic_version"))
        versions = list(found.scalars())
    return versions[0] if len(versions) == 1 else None


def upgrade(engine: Engine) -> None:
    """Create the schema or bring it to the newest revision."""
    from vetservice.store import migrate

    migrate.upgrade(engine)


__all__ = [
    "TABLES",
    "audit_log",
    "create_engine",
    "database_url",
    "ensure_schema",
    "insert_batches",
    "metadata",
    "reading",
    "refresh_statistics",
    "storage_error",
    "transaction",
    "unit_closure",
    "upgrade",
]
