"""Storage: the schema, engines, transactions, migrations and the unit hierarchy."""

from vetservice.store.database import (
    create_engine,
    database_url,
    ensure_schema,
    reading,
    refresh_statistics,
    transaction,
    upgrade,
)
from vetservice.store.schema import TABLES, audit_log, metadata, unit_closure

__all__ = [
    "TABLES",
    "audit_log",
    "create_engine",
    "database_url",
    "ensure_schema",
    "metadata",
    "reading",
    "refresh_statistics",
    "transaction",
    "unit_closure",
    "upgrade",
]
