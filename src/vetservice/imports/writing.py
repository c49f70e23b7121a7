"""Writing a file's good rows: insert new keys, update changed rows, count the rest.

Existing rows are fetched by natural key in batches and compared column by
column, so importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.domain import RecordKind
from vetservice.imports.results import FileReport, Parsed
from vetservice.store import TABLES
from vetservice.store.hierarchy import chunks
from vetservice.store.schema import record_to_row


def key_condition(
    table: sa.Table, key: Sequence[str], batch: list[tuple[Any, ...]]
) -> sa.ColumnElement[bool]:
    """Rows of ``table`` whose ``key`` columns hold one of ``batch``."""
    if len(key) == 1:
        return table.c[key[0]].in_([k[0] for k in batch])
    return sa.tuple_(*(table.c[k] for k in key)).in_(batch)


def upsert(
    conn: Connection,
    kind: RecordKind,
    parsed: list[Parsed],
    report: FileReport,
    previous: dict[tuple[Any, ...], Any] | None = None,
) -> list[Parsed]:
    """Insert new keys, update changed rows; return the rows that changed.

    ``previous``, when given, receives each changed key's row as it was
    before (``None`` for an inserted one), so that a change can be undone.
    """
    table = TABLES[kind.name]
    incoming = {}
    for item in parsed:
        row = record_to_row(kind, item.record)
        incoming[tuple(row[k] for k in kind.key)] = (item, row)
    existing: dict[tuple[Any, ...], Any] = {}
    for batch in chunks(incoming):
        for found in conn.execute(
            sa.select(table).where(key_condition(table, kind.key, batch))
        ).mappings():
            existing[tuple(found[k] for k in kind.key)] = found
    inserts, updates, changed = [], [], []
    for key, (item, row) in incoming.items():
        old = existing.get(key)
        if old is None:
            inserts.append(row)
            changed.append(item)
        elif any(old[name] != value for name, value in row.items()):
            updates.append({**row, "_row_id": old["id"]})
            changed.append(item)
        else:
            report.unchanged += 1
            continue
        if previous is not None:
            previous[key] = old
    if inserts:
        conn.execute(table.insert(), inserts)
    if updates:
        conn.execute(
            table.update().where(table.c.id == sa.bindparam("_row_id")), updates
        )
    report.added += len(inserts)
    report.updated += len(updates)
    return changed
