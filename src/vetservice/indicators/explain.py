"""Drill-through: the facts behind an indicator's figure at a unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.domain.identity import mask_id_number, mask_phone
from vetservice.indicators.engine import load_units, scoped_facts, units_table
from vetservice.indicators.model import Context, Indicator, Override
from vetservice.indicators.results import Explanation
from vetservice.store import reading, unit_closure

# ---------------------------------------------------------------------------
# Drill-through.


def mask_row(row: Mapping[Any, Any], pii: Iterable[str]) -> dict[str, Any]:
    """The row with its personal-data columns masked (id numbers, phones)."""
    masked = dict(row)
    for column in pii:
        value = masked.get(column)
        if isinstance(value, str) and value:
            masked[column] = (
                mask_phone(value) if column.endswith("phone") else mask_id_number(value)
            )
    return masked


def explain(
    engine: Engine,
    indicator: Indicator,
    *,
    unit: str,
    period: Period,
    overrides: Sequence[Override] = (),
    show_pii: bool = False,
) -> Explanation:
    """The facts behind an indicator's figure at a unit: one row per fact in the subtree."""
    ctx = Context(period, indicator.id, indicator.parameters, tuple(overrides))
    facts = scoped_facts(indicator, ctx)
    up = unit_closure.alias("up")
    query = (
        sa.select(facts, units_table.c.name.label("unit_name"))
        .join(up, up.c.descendant == facts.c.unit_code)
        .join(units_table, units_table.c.code == facts.c.unit_code)
        .where(up.c.ancestor == unit)
        .order_by(facts.c.unit_code)
    )
    with reading(engine) as conn:
        load_units(conn, unit)
        result = conn.execute(query).mappings()
        columns = list(result.keys())
        rows = [dict(r) if show_pii else mask_row(r, indicator.pii) for r in result]
    return Explanation(indicator, unit, period, columns, rows)
