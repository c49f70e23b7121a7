"""上报 — whether the units sent their ledgers for the period, and in time.

What DHIS2 calls reporting completeness and timeliness. The schedule
(``report_schedule``: which kinds each level sends, monthly or quarterly, and
the deadline day in the month after) says what is expected; a submission
(``submissions``) by a unit counts for it and every unit below it, so a
county that sends its townships' visits ledger covers them. One fact per
unit, kind and due period; both are ratios (a unit owes several ledgers), and
the ledgers not sent, the 催报 list, are listed by ``vetservice submissions``
and the dashboard's 上报情况 page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from vetservice.calendar.schedule import due_in
from vetservice.indicators.builtin.common import T
from vetservice.indicators.facts import add_days, facts
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)
from vetservice.markers import hookimpl
from vetservice.store.schema import report_schedule, submissions, unit_closure

units = T["units"]

SOURCE = "工作职责清、台账底数清、政策法规清"


def expected(ctx: Context) -> sa.Subquery:
    """Per unit at a scheduled level, kind and due period of ``ctx.period``:
    the deadline and the first day a submission covering the unit came in."""
    rows = [
        (frequency, due.period, due.deadline)
        for frequency in ("month", "quarter")
        for due in due_in(ctx.period, frequency, 1)  # day 1: the month after
    ]
    if rows:
        dues = sa.union_all(
            *(
                sa.select(
                    sa.literal(f, sa.String).label("frequency"),
                    sa.literal(p, sa.String).label("period"),
                    sa.literal(d, sa.Date).label("month_after"),
                )
                for f, p, d in rows
            )
        ).subquery("dues")
    else:  # a monthly report asks nothing of a quarterly ledger
        dues = sa.select(
            sa.literal("none", sa.String).label("frequency"),
            sa.literal("", sa.String).label("period"),
            sa.literal(None, sa.Date).label("month_after"),
        ).subquery("dues")
    first = (
        sa.select(sa.func.min(submissions.c.submitted_on))
        .join(unit_closure, unit_closure.c.ancestor == submissions.c.unit_code)
        .where(
            unit_closure.c.descendant == units.c.code,
            submissions.c.kind == report_schedule.c.kind,
            submissions.c.period == dues.c.period,
        )
        .scalar_subquery()
    )
    return (
        sa.select(
            units.c.code.label("unit_code"),
            report_schedule.c.kind,
            dues.c.period,
            add_days(dues.c.month_after, report_schedule.c.deadline_day - 1).label(
                "deadline"
            ),
            first.label("submitted_on"),
        )
        .join(report_schedule, report_schedule.c.level == units.c.level)
        .join(dues, dues.c.frequency == report_schedule.c.frequency)
        .subquery("expected")
    )


@indicator(
    "report.completeness",
    area=Area.STAFFING,
    kind=Kind.RATIO,
    name=("台账上报率", "reporting completeness"),
    rule=(
        "按上报计划本期应报的台账中已上报的比例（县区上报的台账也算它下面各单位已报）",
        "ledgers the schedule expects for the period that were sent in",
    ),
    target=AT_LEAST_ALL,
    source=SOURCE,
)
def completeness(ctx: Context) -> sa.Select[Any]:
    e = expected(ctx)
    return facts(
        e.c.unit_code,
        e.c.kind,
        e.c.period,
        e.c.deadline,
        e.c.submitted_on,
        met=e.c.submitted_on.is_not(None),
    )


@indicator(
    "report.timeliness",
    area=Area.STAFFING,
    kind=Kind.RATIO,
    name=("台账及时率", "reporting timeliness"),
    rule=(
        "按上报计划本期应报的台账中在截止日（含）前上报的比例",
        "ledgers the schedule expects that were sent in by the deadline day",
    ),
    target=AT_LEAST_ALL,
    source=SOURCE,
)
def timeliness(ctx: Context) -> sa.Select[Any]:
    e = expected(ctx)
    return facts(
        e.c.unit_code,
        e.c.kind,
        e.c.period,
        e.c.deadline,
        e.c.submitted_on,
        met=sa.and_(e.c.submitted_on.is_not(None), e.c.submitted_on <= e.c.deadline),
    )


INDICATORS: tuple[Indicator, ...] = (completeness, timeliness)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
