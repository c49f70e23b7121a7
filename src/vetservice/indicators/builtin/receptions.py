"""信访 — leaders' receptions (接访、约访、下访、督访) and 一人一事 case plans
(seed §5); registered with the petitions indicators.

Receptions are counted where they were held (the unit of the row); plans at
their petition's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from vetservice.calendar import SensitivePeriod, default_sensitive_periods
from vetservice.calendar import periods_between as occurrences_between
from vetservice.domain.enums import Handling
from vetservice.indicators.builtin.common import T
from vetservice.indicators.facts import facts, in_period, is_true
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    NONE_AT_ALL,
    Area,
    Context,
    Facts,
    Indicator,
    Kind,
    indicator,
)
from vetservice.indicators.petition_rules import p
from vetservice.store import unit_closure

receptions = T["receptions"]
plans = T["case_plans"]

RECEPTIONS_SOURCE = "扎实做好接访、约访、下访、督访工作"
ONE_BY_ONE = "针对问题及时做好一人一事的工作"
# The four checks of a re-screen (pet.rescreen_flags).
CHECKS = ("answered_per_policy", "policy_implemented", "solved", "stable")

DETAILS = (
    receptions.c.held_on,
    receptions.c.kind,
    receptions.c.leader,
    receptions.c.post,
    receptions.c.people,
    receptions.c.case_nos,
)


def _kind_count(kind: str) -> Facts:
    def held(ctx: Context) -> sa.Select[Any]:
        return facts(receptions.c.unit_code, *DETAILS, count=True).where(
            receptions.c.kind == kind, in_period(receptions.c.held_on, ctx)
        )

    return held


def _by_kind() -> list[Indicator]:
    """pet.receptions.KIND: receptions of each of the four kinds held in P."""
    return [
        indicator(
            f"pet.receptions.{kind.value}",
            area=Area.PETITIONS,
            kind=Kind.COUNT,
            name=(f"领导{kind.label}次数", f"leaders' {kind.display('en')} sessions"),
            rule=(
                f"报告期内领导{kind.label}的次数",
                f"{kind.display('en')} sessions leaders held in the period",
            ),
            pii=("leader",),
            source=RECEPTIONS_SOURCE,
        )(_kind_count(kind.value))
        for kind in Handling
    ]


BY_KIND: tuple[Indicator, ...] = tuple(_by_kind())


def sensitive_ranges(
    periods: Iterable[SensitivePeriod], start: dt.date, end: dt.date
) -> sa.Subquery:
    """The occurrences of ``periods`` overlapping start … end as a table:
    ``first_day``, ``last_day`` and ``scope`` (a unit code whose subtree the
    period concerns; '' for everywhere), one row per scope unit."""
    rows: list[tuple[dt.date, dt.date, str]] = []
    for occurrence in occurrences_between(periods, start, end):
        for scope in occurrence.period.scope or ("",):
            rows.append((occurrence.start, occurrence.end, scope))
    # A placeholder row that matches nothing when no period falls in P
    # (a literal table: VALUES lists do not compile on SQLite).
    if not rows:
        rows = [(end, start - dt.timedelta(days=1), "")]
    table = sa.union_all(
        *(
            sa.select(
                sa.literal(first, sa.Date).label("first_day"),
                sa.literal(last, sa.Date).label("last_day"),
                sa.literal(scope, sa.String).label("scope"),
            )
            for first, last, scope in rows
        )
    ).subquery("sensitive_ranges")
    return table


def held_in_sensitive(
    ctx: Context, periods: Iterable[SensitivePeriod]
) -> sa.Select[Any]:
    """Receptions held in P inside an occurrence of ``periods`` that concerns
    their unit (a period with a scope concerns the units under it)."""
    ranges = sensitive_ranges(periods, ctx.start, ctx.end)
    concerned = sa.or_(
        ranges.c.scope == "",
        # Two levels down: correlate the reception explicitly.
        sa.exists()
        .where(
            unit_closure.c.ancestor == ranges.c.scope,
            unit_closure.c.descendant == receptions.c.unit_code,
        )
        .correlate_except(unit_closure),
    )
    inside = (
        sa.exists()
        .where(receptions.c.held_on.between(ranges.c.first_day, ranges.c.last_day))
        .where(concerned)
    )
    return facts(receptions.c.unit_code, *DETAILS, count=True).where(
        in_period(receptions.c.held_on, ctx), inside
    )


@indicator(
    "pet.receptions_sensitive",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("敏感时期领导接访下访次数", "receptions in sensitive periods"),
    rule=(
        "报告期内落在本单位适用的敏感时期（元旦、春节、全国两会、八一、国庆）里的领导接访、约访、下访、督访次数",
        "receptions, appointments, outreach and supervision visits held in the period inside a"
        " sensitive period that concerns the unit (New Year, Spring Festival, the national"
        " sessions, 1 August, National Day)",
    ),
    pii=("leader",),
    source="还要看到临近省市“两会”和元旦春节等特殊敏感时段",
)
def receptions_sensitive(ctx: Context) -> sa.Select[Any]:
    # The default periods: an indicator is given the period and its
    # parameters, not the configured calendar (docs/decisions.md).
    return held_in_sensitive(ctx, default_sensitive_periods())


@indicator(
    "pet.flags_planned",
    area=Area.PETITIONS,
    kind=Kind.RATIO,
    name=("再排查问题一人一事方案制定率", "findings with a case plan"),
    rule=(
        "报告期内再排查、四项检查有一项不是“是”的信访中，在再排查当日或以后、E 之前制定了一人一事工作方案的比例",
        "petitions re-screened in the period with any of the four checks not true that have a"
        " case plan drafted on or after the re-screen and on or before E",
    ),
    target=AT_LEAST_ALL,
    source=ONE_BY_ONE,
)
def flags_planned(ctx: Context) -> sa.Select[Any]:
    flagged = sa.or_(*(sa.not_(is_true(p.c[c])) for c in CHECKS))
    planned = sa.exists().where(
        plans.c.case_no == p.c.case_no,
        plans.c.drafted_on >= p.c.rescreened_on,
        plans.c.drafted_on <= ctx.end,
    )
    return facts(
        p.c.unit_code,
        p.c.case_no,
        p.c.received_on,
        p.c.rescreened_on,
        met=planned,
    ).where(in_period(p.c.rescreened_on, ctx), flagged)


@indicator(
    "pet.plans_overdue",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("一人一事方案逾期未办结数", "case plans past their due date"),
    rule=(
        "办结时限在 E 之前、未在时限内办结的一人一事工作方案",
        "case plans due before E that were not closed by their due date",
    ),
    target=NONE_AT_ALL,
    pii=("leader",),
    source=ONE_BY_ONE,
)
def plans_overdue(ctx: Context) -> sa.Select[Any]:
    return (
        facts(
            p.c.unit_code,
            plans.c.case_no,
            plans.c.drafted_on,
            plans.c.leader,
            plans.c.due_on,
            plans.c.closed_on,
            count=True,
        )
        .select_from(plans.join(p, p.c.case_no == plans.c.case_no))
        .where(
            plans.c.due_on < ctx.end,
            sa.or_(plans.c.closed_on.is_(None), plans.c.closed_on > plans.c.due_on),
        )
    )


# The plans' pair goes beside pet.rescreen_flags; the receptions at the end.
CASE_PLANS: tuple[Indicator, ...] = (flags_planned, plans_overdue)
RECEPTIONS: tuple[Indicator, ...] = (*BY_KIND, receptions_sensitive)
