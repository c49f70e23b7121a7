"""台账的历史: the version of each state record that was in force on a day.

The state ledgers (a station's 五有, a veteran's 党员, a worker's 专职…)
keep their current version in the kind's table, as every other kind does,
so whatever reads today's state is unchanged. The versions a record had
before are in ``<kind>_history`` with the last day each was in force
(``valid_to``); ``valid_from`` empty means "always so".

A query of the ledgers is read "as of E" by :func:`as_of`: each reference to
a ledger's table becomes the set of its rows in force on E, so that an
indicator (a county's as much as a built-in) needs no change to read the
past. :func:`dated_ledgers` says, in one statement, which ledgers have any
row whose state on E differs from today's; for the others (and in a
database without history) the query runs untouched, as fast as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnClause

from vetservice.store.schema import HISTORY, TABLES


def _started(table: sa.Table, day: dt.date) -> sa.ColumnElement[bool]:
    return sa.or_(table.c.valid_from.is_(None), table.c.valid_from <= day)


def in_force(name: str, day: dt.date, alias: str | None = None) -> sa.Subquery:
    """The rows of the state ledger ``name`` in force on ``day``, with the
    columns of its table: current versions begun by then, and earlier
    versions begun by then and not yet replaced."""
    table, history = TABLES[name], HISTORY[name]
    current = sa.select(table).where(_started(table, day))
    # Negative ids: a query telling rows apart by id never mistakes an
    # earlier version for another record's current one.
    earlier = sa.select(
        (-history.c.id).label("id"),
        *(history.c[c.name] for c in table.columns if c.name != "id"),
    ).where(_started(history, day), history.c.valid_to >= day)
    return sa.union_all(current, earlier).subquery(alias or name)


def dated_ledgers(conn: Connection, day: dt.date) -> frozenset[str]:
    """The state ledgers whose rows in force on ``day`` may differ from the
    current ones: a version begun after ``day``, or an earlier version still
    in force on it. One statement, reading the last entry of two indexes per
    ledger."""
    columns = []
    for name, history in HISTORY.items():
        table = TABLES[name]
        columns += [
            sa.select(sa.func.max(table.c.valid_from)).scalar_subquery().label(name),
            sa.select(sa.func.max(history.c.valid_to))
            .scalar_subquery()
            .label(f"{name}_to"),
        ]
    row = conn.execute(sa.select(*columns)).one()._mapping
    dated = []
    for name in HISTORY:
        begun, ended = _date(row[name]), _date(row[f"{name}_to"])
        if (begun is not None and begun > day) or (ended is not None and ended >= day):
            dated.append(name)
    return frozenset(dated)


def as_of(
    query: sa.Select[Any], day: dt.date, names: Collection[str]
) -> sa.Select[Any]:
    """``query`` reading each ledger in ``names`` as it stood on ``day``:
    every reference to its table, or to an alias of it, is replaced by the
    rows in force then (:func:`in_force`), under the same name."""
    if not names:
        return query
    ledgers = {TABLES[name]: name for name in names}
    replaced: dict[Any, sa.Subquery] = {}

    def substitute(source: Any) -> sa.Subquery | None:
        if source in replaced:
            return replaced[source]
        if isinstance(source, sa.Table) and source in ledgers:
            replaced[source] = in_force(ledgers[source], day)
        elif isinstance(source, sa.Alias) and source.element in ledgers:
            replaced[source] = in_force(ledgers[source.element], day, source.name)
        else:
            return None
        return replaced[source]

    def replace(element: Any, **_kw: Any) -> Any:
        if isinstance(element, ColumnClause):
            source = getattr(element, "table", None)
            rows = substitute(source) if source is not None else None
            return rows.c[element.name] if rows is not None else None
        if isinstance(element, sa.Table | sa.Alias):
            return substitute(element)
        return None

    return cast(sa.Select[Any], visitors.replacement_traverse(query, {}, replace))


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite's max() of dates is text
