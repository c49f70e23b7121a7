"""Building blocks for an indicator's facts, for built-ins and county plugins alike.

An indicator's facts are one SELECT with a row per fact and the columns
``unit_code``, ``numerator`` and ``denominator`` (see
:mod:`vetservice.indicators.model`). The usual shapes need no hand labelling::

    per_unit(met=stations.c.dedicated_space.is_(True), levels=["village"])
    per_veteran(veterans.c.id_number, met=veterans.c.plaque_hung_on <= ctx.end)
    facts(activities.c.unit_code, activities.c.held_on, count=True)

- ``met=condition``: the fact counts 1 of 1 when the condition holds, else 0 of 1
  (compliance, and ratios of things);
- ``count=True`` or ``count=amount``: the fact adds 1 (or the amount) to a count
  or a sum of money (denominator 0);
- ``numerator=…, denominator=…``: anything else.

Extra positional columns describe the fact (a name, a date, what is missing)
in shortfall lists and drill-through. The date and age helpers below compile
to the same results on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from vetservice.calendar.periods import Month
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_
from vetservice.indicators.model import Context
from vetservice.store import TABLES
from vetservice.store.sql import add_days, days_between, month_of

__all__ = [
    "Month",
    "active_at",
    "add_days",
    "age_at",
    "age_between",
    "birth_number",
    "date_number",
    "days_between",
    "facts",
    "flag",
    "in_period",
    "is_true",
    "month_of",
    "months",
    "per_unit",
    "per_veteran",
]

Column = sa.ColumnElement[Any]


def facts(
    unit: Column,
    *details: Column,
    met: sa.ColumnElement[bool] | None = None,
    count: bool | Column | None = None,
    numerator: Column | int | None = None,
    denominator: Column | int | None = None,
) -> sa.Select[Any]:
    """One row per fact: ``unit_code``, ``numerator``, ``denominator``, then the details.

    Give exactly one of ``met``, ``count`` or ``numerator`` (with ``denominator``,
    1 if left out). Chain ``.select_from()``, ``.join()`` and ``.where()`` on the
    result as on any SELECT.
    """
    given = [v for v in (met, count, numerator) if v is not None]
    if len(given) != 1:
        raise ConfigurationError(N_("facts need exactly one of met, count or numerator"))
    if met is not None:
        top, bottom = flag(met), _value(1)
    elif count is not None:
        top = _value(1) if count is True else _value(count)
        bottom = _value(0)
    else:
        top = _value(numerator)
        bottom = _value(1 if denominator is None else denominator)
    unit_code = unit if unit.key == "unit_code" else unit.label("unit_code")
    columns = [unit_code, top.label("numerator"), bottom.label("denominator"), *details]
    return sa.select(*columns)


def per_unit(
    *details: Column,
    levels: Iterable[str] | None = None,
    met: sa.ColumnElement[bool] | None = None,
    count: bool | Column | None = None,
    numerator: Column | int | None = None,
    denominator: Column | int | None = None,
) -> sa.Select[Any]:
    """One fact per unit (of the given levels), read from the units table;
    join the unit's records onto it (``units.c.code``)."""
    units = TABLES["units"]
    query = facts(
        units.c.code, *details, met=met, count=count,
        numerator=numerator, denominator=denominator,
    ).select_from(units)
    if levels is not None:
        query = query.where(units.c.level.in_(list(levels)))
    return query


def per_veteran(
    *details: Column,
    met: sa.ColumnElement[bool] | None = None,
    count: bool | Column | None = None,
    numerator: Column | int | None = None,
    denominator: Column | int | None = None,
) -> sa.Select[Any]:
    """One fact per veteran, in the veteran's unit, read from the veterans
    table; join the veteran's records onto it (``veterans.c.id_number``)."""
    veterans = TABLES["veterans"]
    return facts(
        veterans.c.unit_code, *details, met=met, count=count,
        numerator=numerator, denominator=denominator,
    ).select_from(veterans)


def flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """1 where the condition holds, else 0."""
    return sa.case((condition, 1), else_=0)


def is_true(column: Column) -> sa.ColumnElement[bool]:
    """A yes/no column that is yes; an empty cell counts as no (indicators.md)."""
    return sa.func.coalesce(column, False).is_(True)


def in_period(column: Column, ctx: Context) -> sa.ColumnElement[bool]:
    """A date from S to E, both included."""
    return column.between(ctx.start, ctx.end)


def active_at(table: sa.Table, start: str, end: str, when: Any) -> sa.ColumnElement[bool]:
    """A row whose start is empty or on/before ``when`` and whose end is empty or on/after."""
    return sa.and_(
        sa.or_(table.c[start].is_(None), table.c[start] <= when),
        sa.or_(table.c[end].is_(None), table.c[end] >= when),
    )


def months(ctx: Context, *, ended: bool = False) -> sa.CTE:
    """The months of P as a table: ``month`` ('YYYY-MM'), ``first_day`` and
    ``last_day`` (the month's last day, or E if earlier), so that a fact per
    (unit, month) is a join, and a month's events are found by a date range
    an index can serve. ``ended=True`` keeps only months over by E."""
    chosen = [m for m in ctx.period.each_month if not ended or m.last_day <= ctx.end]
    rows = [
        (m.key, m.first_day, min(m.last_day, ctx.end)) for m in chosen
    ] or [("", ctx.start, ctx.start)]  # a placeholder row, filtered out
    # A literal table: VALUES lists do not compile on SQLite.
    table = sa.union_all(
        *(
            sa.select(
                sa.literal(key, sa.String).label("month"),
                sa.literal(first, sa.Date).label("first_day"),
                sa.literal(last, sa.Date).label("last_day"),
            )
            for key, first, last in rows
        )
    ).subquery("month_values")
    name = "period_months_ended" if ended else "period_months"
    return sa.select(table).where(table.c.month != "").cte(name)


def date_number(day: dt.date) -> sa.ColumnElement[int]:
    """A date as the number YYYYMMDD (built in Python, a literal in SQL)."""
    return sa.literal(day.year * 10000 + day.month * 100 + day.day, sa.Integer)


def birth_number(id_number: Column) -> sa.ColumnElement[int]:
    """The birth date in an 18-character id number (characters 7–14) as YYYYMMDD."""
    return sa.cast(sa.func.substr(id_number, 7, 8), sa.Integer)


def age_at(id_number: Column, day: dt.date) -> sa.ColumnElement[int]:
    """Completed years of age on ``day``, from the birth date in the id number.

    With dates as numbers YYYYMMDD someone has completed N years on ``day``
    when ``birth ≤ day − N·10000`` (born on 29 February: a year completes on
    1 March in common years); the same integer arithmetic on both databases.
    """
    return (date_number(day) - birth_number(id_number)) // 10000


def age_between(
    id_number: Column, day: dt.date, youngest: Any, oldest: Any
) -> sa.ColumnElement[bool]:
    """``youngest ≤ age on day ≤ oldest``; the bounds may be SQL (``ctx.param``)."""
    youngest = sa.cast(youngest, sa.Integer) if isinstance(youngest, sa.ColumnElement) else youngest
    oldest = sa.cast(oldest, sa.Integer) if isinstance(oldest, sa.ColumnElement) else oldest
    born = birth_number(id_number)
    return sa.and_(
        born <= date_number(day) - youngest * 10000,  # born on or before
        born > date_number(day) - (oldest + 1) * 10000,  # not born too early
    )


def _value(value: Any) -> Column:
    return value if isinstance(value, sa.ColumnElement) else sa.literal(value)
