"""The breakdown by station kind, read from a stored set: one statement for all
indicators, summing the own facts of every unit under the report's unit by
the unit's level and kind (what :func:`vetservice.indicators.breakdown` does
from the facts)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.indicators.breakdown import STATION_GROUPS
from vetservice.indicators.results import GroupFigure
from vetservice.store import TABLES, reading, unit_closure
from vetservice.store.schema import figures
from vetservice.stored.sets import FigureSet

units = TABLES["units"]


def _group(level: str, kind: str | None) -> str | None:
    """The breakdown's group of a unit: the first of ``STATION_GROUPS`` it fits."""
    for label, group_level, kinds in STATION_GROUPS:
        if level == group_level and (not kinds or kind in kinds):
            return label
    return None


def stored_breakdown(
    engine: Engine, stored: FigureSet, indicators: Iterable[str], *, unit: str
) -> dict[str, list[GroupFigure]]:
    """indicator id → its sums by station kind within ``unit`` (failed ones left out)."""
    assert stored.id is not None  # a set kept in memory is broken down from the facts
    wanted = [i for i in indicators if i not in stored.failures]
    down = unit_closure.alias("down")
    query = (
        sa.select(
            figures.c.indicator,
            units.c.level,
            units.c.kind,
            sa.func.sum(figures.c.own_numerator),
            sa.func.sum(figures.c.own_denominator),
        )
        .join(down, down.c.descendant == figures.c.unit_code)
        .join(units, units.c.code == figures.c.unit_code)
        .where(
            figures.c.set_id == stored.id,
            down.c.ancestor == unit,
            figures.c.own_numerator.is_not(None),
        )
        .group_by(figures.c.indicator, units.c.level, units.c.kind)
    )
    sums: dict[str, dict[str, list[int]]] = {i: {} for i in wanted}
    with reading(engine) as conn:
        for indicator_id, level, kind, num, den in conn.execute(query):
            group = _group(level, kind)
            if indicator_id in sums and group is not None:
                total = sums[indicator_id].setdefault(group, [0, 0])
                total[0] += int(num or 0)
                total[1] += int(den or 0)
    result: dict[str, list[GroupFigure]] = {}
    for indicator_id in wanted:
        found = []
        for label, _level, _kinds in STATION_GROUPS:
            if label in sums[indicator_id]:
                num, den = sums[indicator_id][label]
                found.append(GroupFigure(label, num, den, num / den if den else None))
        result[indicator_id] = found
    return result
