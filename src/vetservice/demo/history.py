"""Two years of changes in the demo's state ledgers (台账的历史).

Some stations gained their missing 五有 elements and some party members were
enrolled in a branch during 2025 and 2026: each such record's earlier version
is kept in the history until the day before its change, so that 上期 and
去年同期 of the state indicators differ from 本期 as they would in a real
city. Drawn last, from the second random source, so the rest of the demo is
what it always was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from vetservice.demo.generator import Generator
from vetservice.store import TABLES
from vetservice.store.schema import HISTORY

FIVE_HAVES = ("has_organization", "has_posts", "has_staff", "has_funding", "has_support")
# Changes fall between these days: both comparison periods of 2026Q3 see some.
FIRST_CHANGE, LAST_CHANGE = dt.date(2025, 2, 1), dt.date(2026, 9, 30)


def _change_day(g: Generator) -> dt.date:
    span = (LAST_CHANGE - FIRST_CHANGE).days
    return FIRST_CHANGE + dt.timedelta(days=g.side.randint(0, span))


def _versions(
    g: Generator, kind: str, rows: list[Any], earlier: Any, share: float
) -> None:
    """For ``share`` of ``rows``: the values ``earlier(row)`` until a change
    day, the current ones from then on."""
    table, history = TABLES[kind], HISTORY[kind]
    kept, begun = [], []
    for row in rows:
        if g.side.random() >= share:
            continue
        day = _change_day(g)
        old = {k: v for k, v in row.items() if k != "id"}
        kept.append({**old, **earlier(row), "valid_to": day - dt.timedelta(days=1)})
        begun.append({"_row_id": row["id"], "valid_from": day})
    if kept:
        g.conn.execute(history.insert(), kept)
        g.conn.execute(
            table.update().where(table.c.id == sa.bindparam("_row_id")), begun
        )


def add_history(g: Generator) -> None:
    stations = TABLES["stations"]
    complete = g.conn.execute(
        sa.select(stations)
        .where(*(stations.c[name].is_(True) for name in FIVE_HAVES))
        .order_by(stations.c.id)
    ).mappings()

    def lacking(row: Any) -> dict[str, Any]:
        missing = g.side.sample(FIVE_HAVES, g.side.randint(1, 2))
        return {name: False for name in missing}

    _versions(g, "stations", list(complete), lacking, 0.25)

    veterans = TABLES["veterans"]
    enrolled = g.conn.execute(
        sa.select(veterans)
        .where(veterans.c.party_member.is_(True), veterans.c.branch_enrolled.is_(True))
        .order_by(veterans.c.id)
    ).mappings()
    _versions(g, "veterans", list(enrolled), lambda _row: {"branch_enrolled": False}, 0.2)
