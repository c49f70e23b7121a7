"""率先完成: the children ranked by the day a ratio reached 100 %.

The seed: "做到符合条件的一个不漏录入，率先完成任务的要进行表彰奖励". For
``si.entered`` a child has finished when every applicable fact is met at E
(all eligible veterans' social insurance entered); it finished on the last
day a fact became met (the latest 录入日期). Children still short are
"未完成", those with nothing applicable have no data. One statement, read
from the indicator's own facts (with the county overrides), so the ranking
cannot disagree with the figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.indicators import Context, Override
from vetservice.indicators.registry import Registry
from vetservice.indicators.validation import checked_facts
from vetservice.store import TABLES, reading, unit_closure
from vetservice.store.history import dated_ledgers

# The indicator ranked and the fact column holding the day a fact was met.
FIRST_DONE = ("si.entered", "entered_on")


@attrs.frozen
class FirstDone:
    """A child unit: how far it is, and when it finished (None: not yet).

    ``rank`` is 1, 2, 2, 4… among the children that finished, earliest
    first; None for the rest.
    """

    unit: str
    name: str
    met: int | None  # None when withheld as a small cell (reports.suppress)
    applicable: int | None
    done_on: dt.date | None
    rank: int | None

    @property
    def done(self) -> bool:
        return self.done_on is not None


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def first_done(
    engine: Engine,
    registry: Registry,
    *,
    unit: str,
    period: Period,
    overrides: Sequence[Override] = (),
    indicator_id: str = FIRST_DONE[0],
    met_on: str = FIRST_DONE[1],
) -> list[FirstDone]:
    """The children of ``unit`` by the day ``indicator_id`` reached 100 % at
    E: finished ones earliest first, then the others in code order. Empty
    when the indicator is not loaded."""
    if indicator_id not in registry:
        return []
    indicator = registry[indicator_id][1]
    with reading(engine) as conn:
        dated = dated_ledgers(conn, period.end)
        ctx = Context(
            period, indicator.id, indicator.parameters, tuple(overrides), dated
        )
        facts = checked_facts(indicator, ctx).subquery("ranked_facts")
        units = TABLES["units"]
        per_child = (
            sa.select(
                unit_closure.c.ancestor.label("unit"),
                sa.func.sum(facts.c.numerator).label("met"),
                sa.func.sum(facts.c.denominator).label("applicable"),
                sa.func.max(sa.case((facts.c.numerator > 0, facts.c[met_on]))).label(
                    "last_met_on"
                ),
            )
            .join(unit_closure, unit_closure.c.descendant == facts.c.unit_code)
            .group_by(unit_closure.c.ancestor)
            .subquery("per_child")
        )
        query = (
            sa.select(
                units.c.code,
                units.c.name,
                per_child.c.met,
                per_child.c.applicable,
                per_child.c.last_met_on,
            )
            .outerjoin(per_child, per_child.c.unit == units.c.code)
            .where(units.c.parent_code == unit)
            .order_by(units.c.code)
        )
        rows = conn.execute(query).all()
    found = []
    for code, name, met, applicable, last in rows:
        met, applicable = int(met or 0), int(applicable or 0)
        done = _date(last) if applicable and met >= applicable else None
        found.append(FirstDone(code, name, met, applicable, done, None))
    finished = sorted(
        (f for f in found if f.done_on), key=lambda f: (f.done_on, f.unit)
    )
    ranked, previous = [], None
    for place, item in enumerate(finished, 1):
        rank = previous.rank if previous and previous.done_on == item.done_on else place
        previous = attrs.evolve(item, rank=rank)
        ranked.append(previous)
    return ranked + [f for f in found if not f.done_on]
