"""Which gaps of a past period have been fixed since (已整改 at the as-of
date), and what the others still miss at that date.

The gap list of a period names the units short of each compliance indicator at
E. When the period is over (E before the as-of date), a leader reading it
today needs to know which of those units meet the indicator now (issue 20): a
unit is fixed when its own facts evaluated at the as-of date meet the
indicator (numerator equal to the denominator, and something to count). One
statement per compliance indicator with gaps (the units short at E, joined to
the sums at the as-of date), whatever the number of units.

The date a fix is known by is the as-of date: the records do not say the day
each element was added, only that it is there now. A gap still open is read
again at the as-of date (one more statement per such indicator): its reason
then says what is missing now, which may differ from what was missing at E.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.i18n import Message
from vetservice.indicators import Context, Evaluation, Kind, Override
from vetservice.indicators.engine import (
    scoped_facts,
    shortfalls_under,
    summed_per_unit,
    within,
)
from vetservice.reports.watch import today_period
from vetservice.store import reading, unit_closure
from vetservice.store.history import dated_ledgers

Resolved = Mapping[str, Mapping[str, dt.date]]  # indicator id → unit → day known met
StillMissing = Mapping[str, Mapping[str, Message]]  # indicator id → unit → reason now


@attrs.frozen
class GapsNow:
    """The period's gaps at the as-of date: those fixed by then, and what the
    others still miss then."""

    fixed: dict[str, dict[str, dt.date]] = attrs.field(factory=dict)
    missing: dict[str, dict[str, Message]] = attrs.field(factory=dict)


def gaps_now(
    engine: Engine,
    evaluation: Evaluation,
    *,
    period: Period,
    overrides: Sequence[Override] = (),
    list_depth: int | None = None,
) -> GapsNow:
    """Each gap of ``evaluation`` read again at ``period``'s as-of date (two
    statements per compliance indicator with gaps); nothing while the period
    is not over. ``list_depth``: the depth the evaluation's lists were cut at
    (the units further down are not read again either).

    An indicator whose facts fail at the as-of date marks nothing (its gaps
    stay as they were at E; the period's evaluation names any failure).
    """
    found = GapsNow()
    if period.end >= period.as_of:
        return found
    now = today_period(period)
    with reading(engine) as conn:
        dated_now = dated_ledgers(conn, now.end)
        for result in evaluation:
            indicator = result.indicator
            if indicator.kind is not Kind.COMPLIANCE or not result.shortfalls:
                continue
            params = (indicator.id, indicator.parameters, tuple(overrides))
            try:
                with conn.begin_nested():
                    today = scoped_facts(indicator, Context(now, *params, dated_now))
                    sums = summed_per_unit(today)
                    down = unit_closure.alias("down")
                    # Short at E (the evaluation's list, not computed again) …
                    short_then = {s.unit for s in result.shortfalls}
                    # … and meeting the indicator at the as-of date …
                    met = conn.execute(
                        sa.select(sums.c.unit_code)
                        .join(down, down.c.descendant == sums.c.unit_code)
                        .where(
                            down.c.ancestor == evaluation.unit.code,
                            sums.c.denominator > 0,
                            sums.c.numerator >= sums.c.denominator,
                            *within(down, list_depth),
                        )
                    ).scalars()
                    fixed = {code: period.as_of for code in met if code in short_then}
                    # … or still short then, with what it misses then.
                    missing = {
                        s.unit: s.reason
                        for s in shortfalls_under(
                            conn, indicator, today, evaluation.unit.code, list_depth
                        )
                        if s.unit in short_then
                    }
            except Exception:  # a plugin's query failing now: nothing is marked
                continue
            if fixed:
                found.fixed[indicator.id] = fixed
            if missing:
                found.missing[indicator.id] = missing
    return found
