"""SQL pieces the built-in indicators share: stations, levels, veterans' units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.i18n import N_, Bilingual, Message
from vetservice.indicators.facts import active_at, flag, in_period
from vetservice.indicators.facts import is_true as true
from vetservice.indicators.model import Context
from vetservice.store import TABLES

# Re-exported while the built-in areas move to vetservice.indicators.facts.
__all__ = ["active_at", "flag", "in_period", "true"]

T = TABLES
units = T["units"]
stations = T["stations"]

COUNTY, TOWNSHIP, VILLAGE = "county", "township", "village"
STREET, TOWNS = "street", ("town", "township")
COMMUNITY, VILLAGE_KIND = "community", "village"


def zero() -> sa.ColumnElement[int]:
    return sa.literal(0)


def established(ctx: Context) -> sa.ColumnElement[bool]:
    return sa.and_(
        stations.c.established_on.is_not(None), stations.c.established_on <= ctx.end
    )


def station_units(ctx: Context, levels: Iterable[str] | None = None) -> sa.Select[Any]:
    """Units that have a station established on or before E ("stations"),
    with the unit's level and kind and every column of its station row."""
    station_columns = [c for c in stations.c if c.name not in ("id", "unit_code")]
    query = (
        sa.select(units.c.code, units.c.level, units.c.kind, *station_columns)
        .join(stations, stations.c.unit_code == units.c.code)
        .where(established(ctx))
    )
    if levels is not None:
        query = query.where(units.c.level.in_(list(levels)))
    return query


def months_table(ctx: Context) -> Any:
    """The months of P as a one-column table ``month`` ('YYYY-MM')."""
    # A literal table (VALUES lists do not compile on SQLite); a period not
    # yet begun has no months, hence the filter.
    rows = [
        sa.select(sa.literal(m, sa.String).label("month")) for m in ctx.months or [""]
    ]
    months = sa.union_all(*rows).subquery("month_values")
    return sa.select(months.c.month).where(months.c.month != "").cte("period_months")


def columns_except(table: Any, *names: str) -> list[Any]:
    return [c for c in table.c if c.name not in names]


def missing_message(items: list[Bilingual]) -> Message:
    return Message(
        N_("missing: {items}"),
        {
            "items": Bilingual(
                "、".join(i.zh for i in items), ", ".join(i.en for i in items)
            )
        },
    )


def missing_flags(
    row: Mapping[str, Any], names: Mapping[str, Bilingual]
) -> list[Bilingual]:
    return [label for column, label in names.items() if not row.get(column)]


def month_ranges(ctx: Context) -> Any:
    """The months of P as a table ``month`` ('YYYY-MM'), ``first_day`` and
    ``last_day`` (the month's last day, or E if earlier), so that a month's
    events are found by a date range an index on the date can serve."""
    rows = [
        sa.select(
            sa.literal(m, sa.String).label("month"),
            sa.literal(first, sa.Date).label("first_day"),
            sa.literal(last, sa.Date).label("last_day"),
        )
        for m, first, last in _month_bounds(ctx)
    ] or [
        sa.select(
            sa.literal("", sa.String).label("month"),
            sa.literal(ctx.start, sa.Date).label("first_day"),
            sa.literal(ctx.start, sa.Date).label("last_day"),
        )
    ]
    months = sa.union_all(*rows).subquery("month_range_values")
    return sa.select(months).where(months.c.month != "").cte("period_month_ranges")


def _month_bounds(ctx: Context) -> list[tuple[str, dt.date, dt.date]]:
    bounds = []
    for month in ctx.months:
        year, number = int(month[:4]), int(month[5:7])
        first = dt.date(year, number, 1)
        following = dt.date(year + number // 12, number % 12 + 1, 1)
        bounds.append((month, first, min(following - dt.timedelta(days=1), ctx.end)))
    return bounds
