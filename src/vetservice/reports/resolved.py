"""Which gaps of a past period have been fixed since (已整改 at the as-of
date), and what the others still miss at that date.

The gap list of a period names the units short of each compliance indicator at
E. When the period is over (E before the as-of date), a leader reading it
today needs to know which of those units meet the indicator now (issue 20): a
unit is fixed when its own facts evaluated at the as-of date meet the
indicator (numerator equal to the denominator, and something to count).

The date a fix is known by is the as-of date: the records do not say the day
each element was added, only that it is there now. A gap still open is read
again at the as-of date: its reason then says what is missing now, which may
differ from what was missing at E.

:func:`standing_now` reads every compliance indicator at the as-of date (two
statements each, whatever the number of units) without waiting for the
period's evaluation, so a report reads both side by side;
:func:`gaps_now` then marks the evaluation's gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.i18n import Message
from vetservice.indicators import Context, Evaluation, Indicator, Kind, Override
from vetservice.indicators.engine import (
    reasoned,
    scoped_facts,
    shortfalls_under,
    summed_per_unit,
    within,
)
from vetservice.store import reading, unit_closure
from vetservice.store.history import dated_ledgers
from vetservice.stored import FigureSet
from vetservice.stored.gaps import met_units

Resolved = Mapping[str, Mapping[str, dt.date]]  # indicator id → unit → day known met
StillMissing = Mapping[str, Mapping[str, Message]]  # indicator id → unit → reason now


@attrs.frozen
class GapsNow:
    """The period's gaps at the as-of date: those fixed by then, and what the
    others still miss then."""

    fixed: dict[str, dict[str, dt.date]] = attrs.field(factory=dict)
    missing: dict[str, dict[str, Message]] = attrs.field(factory=dict)


@attrs.frozen
class StandingNow:
    """How the units of a subtree stand at the as-of date, per compliance
    indicator: those meeting it, and those short with what they miss."""

    met: dict[str, set[str]] = attrs.field(factory=dict)
    short: dict[str, dict[str, Message]] = attrs.field(factory=dict)


def standing_now(
    engine: Engine,
    indicators: Mapping[str, tuple[str, Indicator]],
    *,
    unit: str,
    period: Period,
    overrides: Sequence[Override] = (),
    list_depth: int | None = None,
    stored: FigureSet | None = None,
) -> StandingNow:
    """Every compliance indicator at the as-of date in ``unit``'s subtree
    (down to ``list_depth`` levels): two statements each, or two in all
    from ``stored``, the stored set of :meth:`Period.as_of_year`; nothing
    while the period is not over. It does not need the period's evaluation,
    so a report reads it beside the evaluation (:func:`gaps_now` puts the
    two together).

    An indicator whose facts fail at the as-of date is left out (its gaps
    stay as they were at E; the period's evaluation names any failure).
    """
    found = StandingNow()
    if period.end >= period.as_of:
        return found
    if stored is not None and stored.id is not None:
        return _stored_standing(engine, indicators, stored, unit, list_depth)
    now = period.as_of_year()
    with reading(engine) as conn:
        dated_now = dated_ledgers(conn, now.end)
        for indicator_id, (_plugin, indicator) in indicators.items():
            if indicator.kind is not Kind.COMPLIANCE or indicator.reason is None:
                continue
            params = (indicator.id, indicator.parameters, tuple(overrides))
            try:
                with conn.begin_nested():
                    today = scoped_facts(indicator, Context(now, *params, dated_now))
                    sums = summed_per_unit(today)
                    down = unit_closure.alias("down")
                    met = conn.execute(
                        sa.select(sums.c.unit_code)
                        .join(down, down.c.descendant == sums.c.unit_code)
                        .where(
                            down.c.ancestor == unit,
                            sums.c.denominator > 0,
                            sums.c.numerator >= sums.c.denominator,
                            *within(down, list_depth),
                        )
                    ).scalars()
                    found.met[indicator_id] = set(met)
                    found.short[indicator_id] = {
                        s.unit: s.reason
                        for s in shortfalls_under(
                            conn, indicator, today, unit, list_depth
                        )
                    }
            except Exception:  # a plugin's query failing now: nothing is marked
                found.met.pop(indicator_id, None)
                continue
    return found


def _stored_standing(
    engine: Engine,
    indicators: Mapping[str, tuple[str, Indicator]],
    stored: FigureSet,
    unit: str,
    list_depth: int | None,
) -> StandingNow:
    """:func:`standing_now` from the stored set of the as-of date."""
    assert stored.id is not None
    found = StandingNow()
    listed = [
        i
        for i, (_, indicator) in indicators.items()
        if indicator.kind is Kind.COMPLIANCE
        and indicator.reason is not None
        and i not in stored.failures
    ]
    with reading(engine) as conn:
        met = met_units(conn, stored.id, listed, unit, list_depth)
        gaps = stored.gaps(conn, listed, unit, list_depth) or {}
    for indicator_id in listed:
        _plugin, indicator = indicators[indicator_id]
        try:
            short = reasoned(indicator, gaps.get(indicator_id, ()))
        except Exception:  # a plugin's reason failing now: nothing is marked
            continue
        found.met[indicator_id] = met[indicator_id]
        found.short[indicator_id] = {s.unit: s.reason for s in short}
    return found


def gaps_now(evaluation: Evaluation, standing: StandingNow, as_of: dt.date) -> GapsNow:
    """Each gap of ``evaluation`` as it stands at ``as_of``: fixed (the unit
    meets the indicator then) or still missing what it misses then."""
    found = GapsNow()
    for result in evaluation:
        indicator_id = result.indicator.id
        short_then = {s.unit for s in result.shortfalls}
        met = standing.met.get(indicator_id, set()) & short_then
        if met:
            found.fixed[indicator_id] = {code: as_of for code in sorted(met)}
        short = standing.short.get(indicator_id, {})
        missing = {s.unit: short[s.unit] for s in result.shortfalls if s.unit in short}
        if missing:
            found.missing[indicator_id] = missing
    return found
