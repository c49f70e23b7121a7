"""What the built-in indicators share beyond the public facts helpers: stations,
levels and the wording of what is missing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.i18n import N_, Bilingual, Message
from vetservice.indicators.model import Context
from vetservice.store import TABLES

T = TABLES
units = T["units"]
stations = T["stations"]

COUNTY, TOWNSHIP, VILLAGE = "county", "township", "village"
STREET, TOWNS = "street", ("town", "township")
COMMUNITY, VILLAGE_KIND = "community", "village"


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
