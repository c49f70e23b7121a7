"""服务保障 — social insurance continuation (社保接续) and the ledger of
veterans' families in hardship (困难退役军人家庭台账)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from vetservice.indicators.builtin.common import T, columns_except
from vetservice.indicators.builtin.services.rows import ID_PII, veterans, with_veteran
from vetservice.indicators.facts import active_at, facts, is_true
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    NONE_AT_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)

social_insurance = T["social_insurance"]
hardship = T["hardship"]


@indicator(
    "si.entered",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("社保接续录入率", "social insurance entered"),
    rule=(
        "符合条件的退役军人社保接续全部录入，一个不漏",
        "every eligible veteran's social insurance continuation is entered",
    ),
    target=AT_LEAST_ALL,
    source="做到符合条件的一个不漏录入",
    pii=ID_PII,
)
def entered(ctx: Context) -> sa.Select[Any]:
    si = social_insurance
    return (
        facts(
            veterans.c.unit_code,
            si.c.id_number,
            veterans.c.name,
            si.c.status,
            si.c.entered_on,
            si.c.funding,
            met=sa.and_(si.c.status == "entered", si.c.entered_on <= ctx.end),
        )
        .select_from(with_veteran(si))
        .where(is_true(si.c.eligible))
    )


@indicator(
    "si.rejected_explained",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("审核未通过政策解释率", "rejections explained"),
    rule=(
        "社保接续审核未通过的，都做了政策解释",
        "every rejected social insurance case has had the policy explained",
    ),
    target=AT_LEAST_ALL,
    source="对审核未通过的要做好政策解释",
    pii=ID_PII,
)
def rejected_explained(ctx: Context) -> sa.Select[Any]:
    si = social_insurance
    return (
        facts(
            veterans.c.unit_code,
            si.c.id_number,
            veterans.c.name,
            si.c.eligible,
            si.c.explained,
            met=is_true(si.c.explained),
        )
        .select_from(with_veteran(si))
        .where(si.c.status == "rejected")
    )


def _open_hardship(ctx: Context) -> sa.Select[Any]:
    """Hardship rows registered on or before E and not closed at E (a row
    closed on E is still in force that day), with the veteran's unit."""
    h = hardship
    return (
        sa.select(
            veterans.c.unit_code,
            h.c.id_number,
            veterans.c.name,
            h.c.registered_on,
            h.c.difficulty,
            h.c.measures,
            h.c.dibao_eligible,
            h.c.dibao,
            h.c.closed_on,
        )
        .select_from(with_veteran(h))
        .where(active_at(h, "registered_on", "closed_on", ctx.end))
    )


@indicator(
    "hardship.measures",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("困难家庭帮扶措施制定率", "hardship cases with measures"),
    rule=(
        "台账在册（未销号）的困难退役军人家庭都制定了帮扶措施",
        "every open hardship case has assistance measures",
    ),
    target=AT_LEAST_ALL,
    source="对特别困难的退役军人家庭，要认真研究制定帮扶措施",
    pii=ID_PII,
)
def hardship_measures(ctx: Context) -> sa.Select[Any]:
    rows = _open_hardship(ctx).subquery()
    return facts(
        rows.c.unit_code,
        *columns_except(rows, "unit_code"),
        met=sa.func.coalesce(sa.func.trim(rows.c.measures), "") != "",
    )


@indicator(
    "hardship.dibao_gap",
    area=Area.SERVICES,
    kind=Kind.COUNT,
    name=("符合低保条件未享受低保户数", "eligible for dibao but not receiving it"),
    rule=(
        "在册困难家庭中符合低保条件却未享受低保的户数，应为 0",
        "open hardship cases eligible for dibao that do not receive it; should be 0",
    ),
    target=NONE_AT_ALL,
    source="符合扶贫、低保等惠民政策的要优先考虑",
    pii=ID_PII,
)
def dibao_gap(ctx: Context) -> sa.Select[Any]:
    # A count: only the open rows it counts are facts (drill-through lists
    # them), so the veterans' units are looked up for those alone.
    rows = (
        _open_hardship(ctx)
        .where(is_true(hardship.c.dibao_eligible), sa.not_(is_true(hardship.c.dibao)))
        .subquery()
    )
    return facts(rows.c.unit_code, *columns_except(rows, "unit_code"), count=True)


INDICATORS: tuple[Indicator, ...] = (
    entered,
    rejected_explained,
    hardship_measures,
    dibao_gap,
)
