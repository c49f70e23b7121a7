"""The gaps of a set of stored figures: each compliance indicator's facts
that fall short, kept beside the sums so that a report lists them with one
statement for all indicators instead of running every indicator's facts.

A fact row is kept as JSON with its personal values already masked (what a
shortfall list shows, :func:`~vetservice.indicators.engine.shortfalls_from`),
so the store holds no more personal data than a report. Dates, times and
Decimals are tagged so that a row reads back with the types its reason
function saw when the facts were run (``{"$date": "2026-09-30"}``); the
reason itself is worked out again at read time, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.indicators.engine import failing_facts, within
from vetservice.indicators.model import Indicator
from vetservice.indicators.personal import mask_facts_row, personal_columns
from vetservice.store import TABLES, unit_closure
from vetservice.store.schema import figure_gaps, figures

units_table = TABLES["units"]

# (unit code, the fact row as JSON), in the order a list shows them.
Gap = tuple[str, str]
# A gap read back: unit code, unit name, the fact row.
ReadGap = tuple[str, str, dict[str, Any]]


def _tagged(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"{type(value).__name__} is not kept in a stored gap")


_UNTAG: dict[str, Callable[[str], Any]] = {
    "$datetime": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat,
    "$decimal": Decimal,
}


def _untagged(found: dict[str, Any]) -> Any:
    if len(found) == 1:
        ((tag, text),) = found.items()
        if tag in _UNTAG:
            return _UNTAG[tag](text)
    return found


def encode(row: Mapping[str, Any]) -> str:
    return json.dumps(row, default=_tagged, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(text, object_hook=_untagged)
    return found


def gap_rows(
    conn: Connection, indicator: Indicator, facts: sa.Subquery
) -> Iterator[Gap]:
    """Every fact of ``facts`` falling short, masked and encoded, a batch at a time."""
    rows = conn.execute(failing_facts(facts), execution_options={"yield_per": 2000})
    columns = list(rows.keys())
    personal = personal_columns(facts, indicator.pii)
    for values in rows:
        row = mask_facts_row(dict(zip(columns, values, strict=True)), personal)
        yield row["unit_code"], encode(row)


def gap_values(
    set_id: int, indicator_id: str, gaps: Iterable[Gap]
) -> Iterator[dict[str, Any]]:
    """Rows of ``figure_gaps`` for an indicator's gaps, numbered in order."""
    for seq, (code, text) in enumerate(gaps):
        yield {
            "set_id": set_id,
            "indicator": indicator_id,
            "seq": seq,
            "unit_code": code,
            "facts": text,
        }


def read_gaps(
    conn: Connection,
    set_id: int,
    indicators: Sequence[str],
    unit: str,
    depth: int | None,
) -> dict[str, list[ReadGap]]:
    """indicator id → its gaps in ``unit``'s subtree down to ``depth`` levels
    (None: all), each with its unit's name; one statement for all indicators."""
    found: dict[str, list[ReadGap]] = {i: [] for i in indicators}
    if not indicators:
        return found
    down = unit_closure.alias("down")
    rows = conn.execute(
        sa.select(
            figure_gaps.c.indicator,
            figure_gaps.c.unit_code,
            units_table.c.name,
            figure_gaps.c.facts,
        )
        .join(down, down.c.descendant == figure_gaps.c.unit_code)
        .join(units_table, units_table.c.code == figure_gaps.c.unit_code)
        .where(
            figure_gaps.c.set_id == set_id,
            figure_gaps.c.indicator.in_(list(indicators)),
            down.c.ancestor == unit,
            *within(down, depth),
        )
        .order_by(figure_gaps.c.indicator, figure_gaps.c.seq),
        execution_options={"yield_per": 2000},
    )
    for indicator_id, code, name, text in rows:
        found[indicator_id].append((code, name, decode(text)))
    return found


def met_units(
    conn: Connection,
    set_id: int,
    indicators: Sequence[str],
    unit: str,
    depth: int | None,
) -> dict[str, set[str]]:
    """indicator id → the units in ``unit``'s subtree (down to ``depth``)
    whose own facts meet it: something to count, and all of it met; one
    statement for all indicators, from the stored sums of each unit's own facts."""
    found: dict[str, set[str]] = {i: set() for i in indicators}
    if not indicators:
        return found
    down = unit_closure.alias("down")
    rows = conn.execute(
        sa.select(figures.c.indicator, figures.c.unit_code)
        .join(down, down.c.descendant == figures.c.unit_code)
        .where(
            figures.c.set_id == set_id,
            figures.c.indicator.in_(list(indicators)),
            down.c.ancestor == unit,
            *within(down, depth),
            figures.c.own_denominator > 0,
            figures.c.own_numerator >= figures.c.own_denominator,
        )
    )
    for indicator_id, code in rows:
        found[indicator_id].add(code)
    return found


def count_beyond(
    conn: Connection,
    set_id: int,
    indicators: Sequence[str],
    codes: Sequence[str],
    depth: int,
) -> dict[str, dict[str, int]]:
    """indicator id → how many gaps lie more than ``depth`` levels below
    ``codes[0]`` (the report's unit), in each of ``codes``' subtrees; one
    statement for all indicators (what a list cut at ``depth`` leaves out)."""
    found: dict[str, dict[str, int]] = {}
    if not indicators:
        return found
    up, into = unit_closure.alias("up"), unit_closure.alias("into")
    rows = conn.execute(
        sa.select(figure_gaps.c.indicator, into.c.ancestor, sa.func.count())
        .join(up, up.c.descendant == figure_gaps.c.unit_code)
        .join(into, into.c.descendant == figure_gaps.c.unit_code)
        .where(
            figure_gaps.c.set_id == set_id,
            figure_gaps.c.indicator.in_(list(indicators)),
            up.c.ancestor == codes[0],
            up.c.depth > depth,
            into.c.ancestor.in_(list(codes)),
        )
        .group_by(figure_gaps.c.indicator, into.c.ancestor)
    )
    for indicator_id, code, count in rows:
        found.setdefault(indicator_id, {})[code] = int(count)
    return found
