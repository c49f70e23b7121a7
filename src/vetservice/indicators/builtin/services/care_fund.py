"""服务保障 — the counties' care funds (关爱基金): established, balance,
donations, grants, and whom the grants reach.

Entries sit in the fund's county; money numerators are integer fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.i18n import N_, Message
from vetservice.indicators.builtin.common import COUNTY, T, units
from vetservice.indicators.builtin.services.rows import ID_PII, veterans
from vetservice.indicators.facts import (
    active_at,
    facts,
    in_period,
    per_unit,
    per_veteran,
)
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)

care_funds = T["care_funds"]
entries = T["care_fund_entries"]
hardship = T["hardship"]
recommendations = T["fund_recommendations"]

SEED_FUND_RAISING = "积极主动向企业和社会各界爱心人士，汇报上级的有关要求、困难退役军人的现状，争取各方的支持"
SEED_FUND_HELP = "让最困难的退役军人优先得到省市关爱基金的帮扶救助"
# A grant's counterparty is a veteran's id number.
RECIPIENT_PII = ("recipient_id",)


def _fund_not_established(row: Mapping[str, Any]) -> Message:
    if row["established_on"] is None:
        return Message(
            N_("no care fund established; it is due by {deadline}"),
            {"deadline": str(row["deadline"])},
        )
    return Message(
        N_("care fund established only on {date}"),
        {"date": str(row["established_on"])},
    )


@indicator(
    "fund.established",
    area=Area.SERVICES,
    kind=Kind.COMPLIANCE,
    name=("县区关爱基金成立率", "care funds established"),
    rule=(
        "每个县区年底前成立关爱基金",
        "every county has set up its care fund by the end of the year",
    ),
    target=AT_LEAST_ALL,
    reason=_fund_not_established,
    source="省上明确要求县区关爱基金年底前必须成立",
)
def fund_established(ctx: Context) -> sa.Select[Any]:
    year_end = dt.date(ctx.end.year, 12, 31)
    cutoff = min(ctx.end, year_end)  # as written in indicators.md; always E
    return per_unit(
        care_funds.c.established_on,
        sa.literal(year_end, sa.Date).label("deadline"),
        met=care_funds.c.established_on <= cutoff,
        levels=[COUNTY],
    ).outerjoin(care_funds, care_funds.c.unit_code == units.c.code)


def _entry_columns() -> list[sa.ColumnElement[Any]]:
    """Describe an entry; a grant's counterparty is a veteran's id number (PII)."""
    grant = entries.c.kind == "grant"
    return [
        entries.c.entry_no,
        entries.c.date,
        entries.c.kind,
        sa.case((grant, entries.c.counterparty)).label("recipient_id"),
        sa.case((sa.not_(grant), entries.c.counterparty)).label("donor"),
    ]


@indicator(
    "fund.balance",
    area=Area.SERVICES,
    kind=Kind.MONEY,
    name=("关爱基金余额", "care fund balance"),
    rule=("截至期末的捐赠收入合计减去帮扶支出合计", "donations to date minus grants to date"),
    source=SEED_FUND_RAISING,
    pii=RECIPIENT_PII,
)
def balance(ctx: Context) -> sa.Select[Any]:
    signed = sa.case(
        (entries.c.kind == "donation", entries.c.amount), else_=-entries.c.amount
    )
    return facts(entries.c.unit_code, *_entry_columns(), count=signed).where(
        entries.c.date <= ctx.end
    )


def _entries_in_period(ctx: Context, kind: str) -> sa.Select[Any]:
    return facts(
        entries.c.unit_code, *_entry_columns(), count=entries.c.amount
    ).where(entries.c.kind == kind, in_period(entries.c.date, ctx))


@indicator(
    "fund.raised",
    area=Area.SERVICES,
    kind=Kind.MONEY,
    name=("关爱基金募集额", "care fund donations"),
    rule=("本期收到的捐赠", "donations received in the period"),
    source=SEED_FUND_RAISING,
    pii=RECIPIENT_PII,
)
def raised(ctx: Context) -> sa.Select[Any]:
    return _entries_in_period(ctx, "donation")


@indicator(
    "fund.granted",
    area=Area.SERVICES,
    kind=Kind.MONEY,
    name=("关爱基金帮扶支出", "care fund grants"),
    rule=("本期发放的帮扶救助", "grants paid in the period"),
    source=SEED_FUND_HELP,
    pii=RECIPIENT_PII,
)
def granted(ctx: Context) -> sa.Select[Any]:
    return _entries_in_period(ctx, "grant")


@indicator(
    "fund.publicized",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("关爱基金帮扶公示率", "grants publicized"),
    rule=("本期每一笔帮扶支出都已公示", "every grant of the period has been made public"),
    target=AT_LEAST_ALL,
    source="同时，要公开公正推荐",
    pii=RECIPIENT_PII,
)
def publicized(ctx: Context) -> sa.Select[Any]:
    return facts(
        entries.c.unit_code,
        *_entry_columns(),
        entries.c.publicized_on,
        met=entries.c.publicized_on <= ctx.end,
    ).where(entries.c.kind == "grant", in_period(entries.c.date, ctx))


@indicator(
    "fund.grants_to_hardship",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("帮扶资金投向困难家庭比例", "grants to hardship cases"),
    rule=(
        "本期帮扶支出中，受助人发放时已在困难家庭台账在册的笔数占比",
        "share of the period's grants whose recipient was an open hardship case on the grant's date",
    ),
    source=SEED_FUND_HELP,
    pii=RECIPIENT_PII,
)
def grants_to_hardship(ctx: Context) -> sa.Select[Any]:
    # "not closed on or before it": a hardship row closed on the grant's own
    # date no longer counts (indicators.md words this one strictly).
    h = hardship
    in_hardship = sa.exists().where(
        h.c.id_number == entries.c.counterparty,
        h.c.registered_on <= entries.c.date,
        sa.or_(h.c.closed_on.is_(None), h.c.closed_on > entries.c.date),
    )
    # The fact sits in the recipient's unit, not the fund's county.
    return (
        facts(
            veterans.c.unit_code,
            entries.c.unit_code.label("fund_unit"),
            *_entry_columns(),
            veterans.c.name,
            met=in_hardship,
        )
        .select_from(
            entries.join(veterans, veterans.c.id_number == entries.c.counterparty)
        )
        .where(entries.c.kind == "grant", in_period(entries.c.date, ctx))
    )


@indicator(
    "fund.recommended",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("特别困难退役军人推荐省市关爱基金率", "hardest cases recommended to the funds"),
    rule=(
        "截至 E 困难家庭台账在册、困难程度为“特别困难”的退役军人中，E 所在年度内已推荐省市关爱基金的比例",
        "veterans with a hardship case marked special open at E who were recommended to"
        " the province's or city's care fund in E's year",
    ),
    target=AT_LEAST_ALL,
    source=SEED_FUND_HELP,
    pii=ID_PII,
)
def recommended(ctx: Context) -> sa.Select[Any]:
    h, r = hardship, recommendations
    special = sa.exists().where(
        h.c.id_number == veterans.c.id_number,
        h.c.severity == "special",
        active_at(h, "registered_on", "closed_on", ctx.end),
    )
    this_year = (
        sa.select(r.c.id_number, sa.func.max(r.c.recommended_on).label("recommended_on"))
        .where(r.c.recommended_on.between(ctx.year_start, ctx.end))
        .group_by(r.c.id_number)
        .subquery("recommended_this_year")
    )
    return (
        per_veteran(
            veterans.c.id_number,
            veterans.c.name,
            this_year.c.recommended_on,
            met=this_year.c.id_number.is_not(None),
        )
        .outerjoin(this_year, this_year.c.id_number == veterans.c.id_number)
        .where(special)
    )


@indicator(
    "fund.recommendations_publicized",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("省市关爱基金推荐公示率", "recommendations publicized"),
    rule=(
        "报告期内推荐省市关爱基金的人选中已公示的比例（公示日期不晚于 E），记在推荐单位",
        "recommendations to the care funds made in the period that were publicized"
        " on or before E, counted at the recommending unit",
    ),
    target=AT_LEAST_ALL,
    source="同时，要公开公正推荐",
    pii=ID_PII,
)
def recommendations_publicized(ctx: Context) -> sa.Select[Any]:
    r = recommendations
    return facts(
        r.c.unit_code,
        r.c.id_number,
        r.c.recommended_on,
        r.c.fund_level,
        r.c.outcome,
        r.c.publicized_on,
        met=r.c.publicized_on <= ctx.end,
    ).where(in_period(r.c.recommended_on, ctx))


INDICATORS: tuple[Indicator, ...] = (
    fund_established,
    balance,
    raised,
    granted,
    publicized,
    grants_to_hardship,
    recommended,
    recommendations_publicized,
)
