"""The gaps further down than a report lists, read as a stream.

A report lists its gaps down to a depth (its unit's children and
grandchildren by default) and counts the rest
(:attr:`~vetservice.indicators.IndicatorResult.unlisted`), so that a
province's or the country's report does not hold every village's gaps. The
XLSX 差距清单 still names every level: it reads the rest here, one
statement per compliance indicator with unlisted gaps, a batch of rows at a
time, while it writes them.

A period that is over marks each of these gaps by how its unit stands at the
as-of date (its sums then, joined in the same statement): met (已整改), still
short, or neither. What a still-short unit misses then is read only for the
gaps the report lists (:mod:`vetservice.reports.resolved`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.indicators import Context, Evaluation, IndicatorResult, Override
from vetservice.indicators.engine import (
    scoped_facts,
    shortfalls_from,
    shortfalls_query,
    summed_per_unit,
)
from vetservice.indicators.results import Shortfall
from vetservice.plugins import error_text
from vetservice.store import reading
from vetservice.store.history import dated_ledgers

log = logging.getLogger(__name__)

MET, SHORT = "met", "short"  # how a unit stands at the as-of date


@attrs.frozen
class DeeperGap:
    result: IndicatorResult
    shortfall: Shortfall
    # At the as-of date of a period that is over: MET, SHORT or None
    # (nothing to count there then, or the period is not over).
    now: str | None


def deeper_gaps(
    engine: Engine,
    evaluation: Evaluation,
    *,
    period: Period,
    depth: int,
    overrides: Sequence[Override] = (),
) -> Iterator[DeeperGap]:
    """The gaps of ``evaluation`` more than ``depth`` levels below its unit,
    indicator by indicator in the evaluation's order, each indicator's by
    unit code. An indicator whose facts fail yields nothing (the evaluation
    names the failure)."""
    code = evaluation.unit.code
    over = period.end < period.as_of
    now = period.as_of_year()
    with reading(engine) as conn:
        dated = dated_ledgers(conn, period.end)
        dated_now = dated_ledgers(conn, now.end) if over else dated
        for result in evaluation:
            if not result.unlisted.get(code):
                continue
            indicator = result.indicator
            params = (indicator.id, indicator.parameters, tuple(overrides))
            try:
                with conn.begin_nested():
                    facts = scoped_facts(indicator, Context(period, *params, dated))
                    query = shortfalls_query(facts, code, beyond=depth)
                    if over:
                        then = Context(now, *params, dated_now)
                        sums = summed_per_unit(scoped_facts(indicator, then))
                        standing = sa.case(
                            (
                                sa.and_(
                                    sums.c.denominator > 0,
                                    sums.c.numerator >= sums.c.denominator,
                                ),
                                MET,
                            ),
                            (sums.c.numerator < sums.c.denominator, SHORT),
                        )
                        query = query.add_columns(
                            standing.label("standing_now")
                        ).outerjoin(sums, sums.c.unit_code == facts.c.unit_code)
                    for shortfall in shortfalls_from(conn, indicator, facts, query):
                        yield DeeperGap(
                            result, shortfall, shortfall.facts.get("standing_now")
                        )
            except Exception as e:  # a plugin's query or reason failing
                # Its listed gaps stand; the log says why no more follow.
                log.warning(
                    "deeper gaps of %s (%s) not listed: %s",
                    indicator.id,
                    result.plugin,
                    error_text(e),
                )
