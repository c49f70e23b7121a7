"""The petitions watch list: open cases whose next legal deadline needs watching.

indicators.md: an open petition goes on the list when its next deadline (the
decision before acceptance, the handling deadline after it) falls within 30
days after E, or inside a sensitive period that concerns its unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period, SensitivePeriod, sensitive_on
from vetservice.i18n import Bilingual
from vetservice.indicators import Context, Override
from vetservice.indicators.petition_rules import LIMITS, open_deadlines
from vetservice.store import TABLES, reading, unit_closure

WINDOW_DAYS = 30
units = TABLES["units"]


@attrs.frozen
class WatchItem:
    """An open petition whose next legal deadline needs watching.

    ``stage`` is ``decision`` (受理告知, received + 15 days) or ``handling``
    (办理, accepted + 60 days, + 30 when extended); ``sensitive`` names the
    sensitive periods the deadline falls in.
    """

    case_no: str
    unit: str
    unit_name: str
    received_on: dt.date
    stage: str
    deadline: dt.date
    days_left: int
    sensitive: tuple[Bilingual, ...] = ()


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def watch_list(
    engine: Engine,
    *,
    unit: str,
    period: Period,
    sensitive: Sequence[SensitivePeriod] = (),
    overrides: Sequence[Override] = (),
) -> list[WatchItem]:
    """Open petitions in ``unit``'s subtree to watch at E, nearest deadline first."""
    # The deadlines as pet.overdue counts them, with its county overrides.
    ctx = Context(period, "pet.overdue", LIMITS, tuple(overrides))
    cases = open_deadlines(ctx).subquery("cases")
    down = unit_closure.alias("down")
    chain = unit_closure.alias("chain")
    end = period.end
    with reading(engine) as conn:
        rows = conn.execute(
            sa.select(cases, units.c.name)
            .join(down, down.c.descendant == cases.c.unit_code)
            .join(units, units.c.code == cases.c.unit_code)
            .where(down.c.ancestor == unit)
            .order_by(cases.c.deadline, cases.c.case_no)
        ).all()
        ancestors: dict[str, list[str]] = {}
        for descendant, ancestor in conn.execute(
            sa.select(chain.c.descendant, chain.c.ancestor).where(
                chain.c.descendant.in_({r.unit_code for r in rows})
            )
        ):
            ancestors.setdefault(descendant, []).append(ancestor)
    items = []
    for row in rows:
        deadline = _date(row.deadline)
        if deadline < end:
            continue  # already overdue: pet.overdue counts it
        periods = tuple(
            o.period.name
            for o in sensitive_on(sensitive, deadline)
            if o.period.applies_to(ancestors.get(row.unit_code, [row.unit_code]))
        )
        days_left = (deadline - end).days
        if days_left <= WINDOW_DAYS or periods:
            items.append(
                WatchItem(
                    row.case_no,
                    row.unit_code,
                    row.name,
                    _date(row.received_on),
                    row.stage,
                    deadline,
                    days_left,
                    periods,
                )
            )
    return items
