"""The figures of every unit of one level, read from a stored set a unit at a
time (for ranking a scoring sheet's units).

:func:`vetservice.indicators.evaluate_level` holds every unit's figures at
once: the country's 620,573 villages on a sheet's 18 indicators are 11
million figures. Here one statement turns the stored sums into one row per
unit (each indicator's numerator and denominator side by side), ordered by
unit code, and each unit's figures are made as its row arrives.
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
from vetservice.indicators.model import Indicator, Override, Status
from vetservice.indicators.results import Figure
from vetservice.store import TABLES
from vetservice.store.schema import figures, row_to_record
from vetservice.stored.sets import FigureSet

units = TABLES["units"]


def level_figures(
    conn: Connection,
    stored: FigureSet,
    indicators: Mapping[str, tuple[str, Indicator]],
    *,
    unit: str,
    level: Level,
    overrides: Sequence[Override] = (),
) -> Iterator[tuple[Unit, dict[str, Figure]]]:
    """Each unit of ``level`` under ``unit``, by code, with its figure of each
    of ``indicators`` (failed in the set: status FAILED); one statement, two
    when an override sets a target."""
    assert stored.id is not None  # a set kept in memory goes through evaluate_level
    wanted = units_at_level(unit, level).cte("wanted")
    sides = [
        sa.func.max(sa.case((figures.c.indicator == i, column)))
        for i in indicators
        for column in (figures.c.numerator, figures.c.denominator)
    ]
    sums = (
        sa.select(figures.c.unit_code, *sides)
        .join(wanted, wanted.c.code == figures.c.unit_code)
        .where(figures.c.set_id == stored.id, figures.c.indicator.in_(list(indicators)))
        .group_by(figures.c.unit_code)
        .subquery("sums")
    )
    query = (
        sa.select(units, *list(sums.c)[1:])
        .join(wanted, wanted.c.code == units.c.code)
        .outerjoin(sums, sums.c.unit_code == units.c.code)
        .order_by(units.c.code)
    )
    # Ancestors matter only to find a target an override set above a unit.
    chains = (
        ancestors(conn, sa.select(wanted.c.code))
        if any(o.target for o in overrides)
        else {}
    )
    local = {
        i: local_targets(indicator, overrides)
        for i, (_, indicator) in indicators.items()
    }
    width = len(units.c)
    rows = conn.execute(query, execution_options={"yield_per": 5000})
    for row in rows:
        found = row_to_record(KINDS["units"], row)
        chain = chains.get(found.code, [found.code])
        sums_of = row[width:]
        shown: dict[str, Figure] = {}
        for n, (i, (_, indicator)) in enumerate(indicators.items()):
            if i in stored.failures:
                failed = Figure(
                    found.code, 0, None, None, Status.FAILED, indicator.target
                )
                shown[i] = failed
                continue
            num, den = sums_of[2 * n], sums_of[2 * n + 1]
            target = target_for(indicator, chain, overrides, local[i])
            shown[i] = figure_of(
                indicator, found.code, (int(num or 0), int(den or 0)), target
            )
        yield found, shown
