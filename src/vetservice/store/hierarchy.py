"""The unit hierarchy: the ancestor (closure) table kept right after every change."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.store.schema import TABLES, unit_closure

units = TABLES["units"]

# Past this many changed units a full rebuild is cheaper than a targeted one.
_FULL_REBUILD_AT = 2_000
CHUNK = 500

T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _closure_select(
    anchor: sa.ColumnElement[bool] | None,
) -> sa.Select[tuple[str, str, int]]:
    """Every (ancestor, descendant, depth) for the anchored descendants."""
    base = sa.select(
        units.c.code.label("ancestor"),
        units.c.code.label("descendant"),
        sa.literal(0).label("depth"),
    )
    if anchor is not None:
        base = base.where(anchor)
    walk = base.cte("walk", recursive=True)
    parent = units.alias("parent_unit")
    walk = walk.union_all(
        sa.select(parent.c.parent_code, walk.c.descendant, walk.c.depth + 1)
        .join(parent, parent.c.code == walk.c.ancestor)
        .where(parent.c.parent_code.is_not(None))
    )
    return sa.select(walk.c.ancestor, walk.c.descendant, walk.c.depth)


def refresh_closure(conn: Connection, changed: Collection[str] | None = None) -> None:
    """Bring ``unit_closure`` up to date after units were added, moved or removed.

    ``changed`` names the units whose row changed; their descendants are
    refreshed with them. ``None`` rebuilds the whole table.
    """
    if changed is not None and len(changed) <= _FULL_REBUILD_AT:
        affected = set(changed)
        for batch in chunks(changed):
            affected.update(
                conn.scalars(
                    sa.select(unit_closure.c.descendant).where(
                        unit_closure.c.ancestor.in_(batch)
                    )
                )
            )
        if len(affected) <= _FULL_REBUILD_AT:
            for batch in chunks(affected):
                conn.execute(
                    unit_closure.delete().where(unit_closure.c.descendant.in_(batch))
                )
                conn.execute(
                    unit_closure.insert().from_select(
                        ["ancestor", "descendant", "depth"],
                        _closure_select(units.c.code.in_(batch)),
                    )
                )
            return
    conn.execute(unit_closure.delete())
    conn.execute(
        unit_closure.insert().from_select(
            ["ancestor", "descendant", "depth"], _closure_select(None)
        )
    )
