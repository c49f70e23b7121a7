"""Drill-through: the facts behind an indicator's figure at a unit."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.indicators.engine import load_units, scoped_facts, units_table
from vetservice.indicators.model import Context, Indicator, Override
from vetservice.indicators.personal import mask_facts_row, personal_columns
from vetservice.indicators.results import Explanation
from vetservice.store import reading, unit_closure
from vetservice.store.history import dated_ledgers


def explain(
    engine: Engine,
    indicator: Indicator,
    *,
    unit: str,
    period: Period,
    overrides: Sequence[Override] = (),
    show_pii: bool = False,
) -> Explanation:
    """The facts behind an indicator's figure at a unit: one row per fact in the subtree.

    Without ``show_pii`` every column drawn from personal data is masked,
    found by lineage whatever the indicator declares (see
    :mod:`vetservice.indicators.personal`).
    """
    with reading(engine) as conn:
        load_units(conn, unit)
        ctx = Context(
            period,
            indicator.id,
            indicator.parameters,
            tuple(overrides),
            dated_ledgers(conn, period.end),
        )
        facts = scoped_facts(indicator, ctx)
        up = unit_closure.alias("up")
        query = (
            sa.select(facts, units_table.c.name.label("unit_name"))
            .join(up, up.c.descendant == facts.c.unit_code)
            .join(units_table, units_table.c.code == facts.c.unit_code)
            .where(up.c.ancestor == unit)
            .order_by(facts.c.unit_code)
        )
        result = conn.execute(query).mappings()
        columns = list(result.keys())
        personal = personal_columns(facts, indicator.pii)
        rows = [dict(r) if show_pii else mask_facts_row(r, personal) for r in result]
    return Explanation(indicator, unit, period, columns, rows)
