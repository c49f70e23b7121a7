"""The input digest: a SHA-256 over every record table, the same on SQLite and PostgreSQL.

Each table is read in the order of its natural key. The database turns each
row into one line of text (fields separated by U+001F, NULL as ``\\N``, dates
``YYYY-MM-DD``, booleans ``1``/``0``) and the rows are streamed to the hash a
few thousand at a time, so a province is never held in memory. The text and
the order (byte order of the key, ``COLLATE "C"`` on PostgreSQL) are the same
on SQLite and PostgreSQL, so the same records give the same digest on both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement

from vetservice.domain import KINDS
from vetservice.store import TABLES, reading
from vetservice.store.schema import HISTORY

SEPARATOR = "\x1f"
NULL = "\\N"
CHUNK_ROWS = 5000


class _date_text(FunctionElement[str]):
    """A date column as 'YYYY-MM-DD' text."""

    type = sa.Text()
    inherit_cache = True
    name = "date_text"


@compiles(_date_text, "sqlite")
def _date_text_sqlite(element: _date_text, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)  # stored as ISO text already


@compiles(_date_text, "postgresql")
def _date_text_pg(element: _date_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


def _as_text(column: sa.ColumnElement[Any], type_name: str) -> sa.ColumnElement[Any]:
    if type_name == "bool":
        text: sa.ColumnElement[Any] = sa.case((column, "1"), (sa.not_(column), "0"))
    elif type_name == "date":
        text = _date_text(column)
    elif type_name in ("int", "money"):
        text = sa.cast(column, sa.Text)
    else:
        text = column
    return sa.func.coalesce(text, NULL)


@attrs.frozen
class TableDigest:
    rows: int
    sha256: str


@attrs.frozen
class InputDigest:
    """SHA-256 of every record table, and of them all together."""

    sha256: str
    tables: Mapping[str, TableDigest] = attrs.field(repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "tables": {k: [t.rows, t.sha256] for k, t in self.tables.items()},
        }


def _row_lines(
    conn: Connection, kind_name: str, table: sa.Table | None = None
) -> sa.Select[Any]:
    """One text line per row of the kind's table (or of ``table``, its
    earlier versions, each line ending with the last day it was in force)."""
    kind = KINDS[kind_name]
    table = TABLES[kind_name] if table is None else table
    texts = [_as_text(table.c[f.name], f.type.name) for f in kind.fields]
    order: list[sa.ColumnElement[Any]] = []
    if "valid_to" in table.c:
        texts.append(_as_text(table.c.valid_to, "date"))
    line = texts[0]
    for text in texts[1:]:
        line = line + sa.literal(SEPARATOR, sa.Text) + text
    for key in kind.key:
        column = table.c[key]
        if conn.dialect.name == "postgresql" and isinstance(column.type, sa.String):
            order.append(column.collate("C"))  # byte order, as on SQLite
        else:
            order.append(column)
    if "valid_to" in table.c:
        order.append(table.c.valid_to)
    return sa.select(line).order_by(*order)


def input_digest(engine: Engine) -> InputDigest:
    """The digest of every record table, streamed (one consistent read)."""
    total = hashlib.sha256()
    tables: dict[str, TableDigest] = {}
    with reading(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Every table from the same snapshot of the database.
            conn.execution_options(isolation_level="REPEATABLE READ")
        for name in KINDS:
            digest = hashlib.sha256()
            rows = 0
            result = conn.execution_options(
                stream_results=True, yield_per=CHUNK_ROWS
            ).execute(_row_lines(conn, name))
            for chunk in result.scalars().partitions():
                digest.update(("\n".join(chunk) + "\n").encode("utf-8"))
                rows += len(chunk)
            if name in HISTORY:  # a past report reads the earlier versions too
                earlier = conn.execution_options(
                    stream_results=True, yield_per=CHUNK_ROWS
                ).execute(_row_lines(conn, name, HISTORY[name]))
                for chunk in earlier.scalars().partitions():
                    digest.update(("\n".join(chunk) + "\n").encode("utf-8"))
            tables[name] = TableDigest(rows, digest.hexdigest())
            total.update(f"{name}\t{rows}\t{tables[name].sha256}\n".encode())
    return InputDigest(total.hexdigest(), tables)
