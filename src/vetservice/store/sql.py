"""Small portable SQL expressions (SQLite and PostgreSQL) the layers above share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class month_of(FunctionElement[str]):
    """The 'YYYY-MM' month of a date column."""

    type = sa.String()
    inherit_cache = True
    name = "month_of"


@compiles(month_of, "sqlite")
def _month_of_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(month_of, "postgresql")
def _month_of_pg(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class add_days(FunctionElement[Any]):
    """A date column plus a whole number of days (a column or a literal)."""

    type = sa.Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element: add_days, compiler: Any, **kw: Any) -> str:
    date, days = list(element.clauses)
    return (
        f"date({compiler.process(date, **kw)}, "
        f"printf('%+d days', {compiler.process(days, **kw)}))"
    )


@compiles(add_days, "postgresql")
def _add_days_pg(element: add_days, compiler: Any, **kw: Any) -> str:
    date, days = list(element.clauses)
    return f"({compiler.process(date, **kw)} + CAST({compiler.process(days, **kw)} AS INTEGER))"


class days_between(FunctionElement[int]):
    """Whole days from the first date to the second (negative if earlier)."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(second, **kw)}) - "
        f"julianday({compiler.process(first, **kw)}) AS INTEGER)"
    )


@compiles(days_between, "postgresql")
def _days_between_pg(element: days_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"({compiler.process(second, **kw)} - {compiler.process(first, **kw)})"


def key_condition(
    table: sa.Table, key: Sequence[str], batch: list[tuple[Any, ...]]
) -> sa.ColumnElement[bool]:
    """Rows of ``table`` whose ``key`` columns hold one of ``batch``."""
    if len(key) == 1:
        return table.c[key[0]].in_([k[0] for k in batch])
    return sa.tuple_(*(table.c[k] for k in key)).in_(batch)


def write_rows(
    conn: Connection,
    table: sa.Table,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
) -> None:
    """Insert ``inserts`` and update ``updates`` (each naming its row by
    ``_row_id``), one executemany each."""
    if inserts:
        conn.execute(table.insert(), inserts)
    if updates:
        conn.execute(
            table.update().where(table.c.id == sa.bindparam("_row_id")),
            [{k: v for k, v in u.items() if k != "id"} for u in updates],
        )
