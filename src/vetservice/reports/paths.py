"""Every unit below a report's unit with the names of the units above it.

A leader reads "宝塔区 李渠镇 裴庄村委会", never a village name alone: 148
village names of the demo city are shared by two to four villages. One
statement reads the whole subtree's ancestor names, however many units.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.store import TABLES, reading, unit_closure

Paths = Mapping[
    str, tuple[str, ...]
]  # unit code → names from below the report's unit down to it


def unit_paths(engine: Engine, unit: str) -> dict[str, tuple[str, ...]]:
    """Each descendant of ``unit`` → the names of its chain, the top (the
    report unit's child) first and the unit itself last."""
    units = TABLES["units"]
    below = unit_closure.alias("below")  # the descendants of the report's unit
    up = unit_closure.alias("up")  # each descendant's ancestors
    top = unit_closure.alias("top")  # … that are themselves below the unit
    query = (
        sa.select(up.c.descendant, units.c.name)
        .join(below, sa.and_(below.c.descendant == up.c.descendant))
        .join(top, top.c.descendant == up.c.ancestor)
        .join(units, units.c.code == up.c.ancestor)
        .where(below.c.ancestor == unit, below.c.depth > 0)
        .where(top.c.ancestor == unit, top.c.depth > 0)
        .order_by(up.c.descendant, up.c.depth.desc())
    )
    # A country has 665,000 units: each chain is built as its rows arrive,
    # and a name shared by many chains (a county's) is kept once.
    names: dict[str, str] = {}
    paths = {}
    with reading(engine) as conn:
        rows = conn.execute(query, execution_options={"yield_per": 10_000})
        for code, chain in groupby(rows, key=itemgetter(0)):
            paths[code] = tuple(names.setdefault(name, name) for _code, name in chain)
    return paths
