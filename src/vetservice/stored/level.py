"""The sums of every unit of one level, read from a stored set a unit at a
time (for ranking a scoring sheet's units).

:func:`vetservice.indicators.evaluate_level` holds every unit's figures at
once: the country's 620,573 villages on a sheet's 18 indicators are 11
million figures. Here one statement turns the stored sums into one row per
unit (each indicator's numerator and denominator side by side), ordered by
unit code, and each unit's sums are handed on as its row arrives.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.domain import KINDS, Level
from vetservice.domain.records import Unit
from vetservice.indicators.engine import (
    ancestors,
    figure_of,
    local_targets,
    target_for,
    units_at_level,
)
from vetservice.indicators.model import Indicator, Override, Status, Target
from vetservice.indicators.results import Figure
from vetservice.store import TABLES
from vetservice.store.schema import figures, row_to_record
from vetservice.stored.sets import FigureSet

units = TABLES["units"]


# A unit's stored sums of each indicator, in the order asked, with the target
# it is held to there: (numerator, denominator, target). Units with equal
# sums have equal figures, so a caller may work out one and share it.
UnitSums = tuple[tuple[int, int, Target | None], ...]


def level_sums(
    conn: Connection,
    stored: FigureSet,
    indicators: Mapping[str, tuple[str, Indicator]],
    *,
    unit: str,
    level: Level,
    overrides: Sequence[Override] = (),
) -> Iterator[tuple[Unit, UnitSums]]:
    """Each unit of ``level`` under ``unit``, by code, with its sums of
    ``indicators`` (see :func:`unit_figures`); one statement, two when an
    override sets a target."""
    assert stored.id is not None  # a set kept in memory goes through evaluate_level
    wanted = units_at_level(unit, level).cte("wanted")
    sides = [
        sa.func.max(sa.case((figures.c.indicator == i, column)))
        for i in indicators
        for column in (figures.c.numerator, figures.c.denominator)
    ]
    # Grouped by the unit's code, its primary key: its other columns follow.
    query = (
        sa.select(units, *sides)
        .join(wanted, wanted.c.code == units.c.code)
        .outerjoin(
            figures,
            sa.and_(
                figures.c.set_id == stored.id,
                figures.c.unit_code == units.c.code,
                figures.c.indicator.in_(list(indicators)),
            ),
        )
        .group_by(*units.c)
        .order_by(units.c.code)
    )
    # Ancestors matter only to find a target an override set above a unit.
    chains = (
        ancestors(conn, sa.select(wanted.c.code))
        if any(o.target for o in overrides)
        else {}
    )
    held = [(i, indicator) for i, (_, indicator) in indicators.items()]
    local = [local_targets(indicator, overrides) for _, indicator in held]
    width = len(units.c)
    for row in conn.execute(query, execution_options={"yield_per": 5000}):
        found = row_to_record(KINDS["units"], row)
        chain = chains.get(found.code, [found.code])
        values = row[width:]
        yield (
            found,
            tuple(
                (
                    int(values[2 * n] or 0),
                    int(values[2 * n + 1] or 0),
                    target_for(indicator, chain, overrides, local[n]),
                )
                for n, (_, indicator) in enumerate(held)
            ),
        )


def unit_figures(
    stored: FigureSet,
    indicators: Mapping[str, tuple[str, Indicator]],
    code: str,
    sums: UnitSums,
) -> dict[str, Figure]:
    """indicator id → the figure of unit ``code`` from its :data:`UnitSums`
    (status FAILED where the indicator failed in the set)."""
    shown: dict[str, Figure] = {}
    for (i, (_, indicator)), (num, den, target) in zip(
        indicators.items(), sums, strict=True
    ):
        if i in stored.failures:
            shown[i] = Figure(code, 0, None, None, Status.FAILED, indicator.target)
        else:
            shown[i] = figure_of(indicator, code, (num, den), target)
    return shown
