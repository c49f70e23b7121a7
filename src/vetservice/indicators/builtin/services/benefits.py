"""服务保障 — benefits (优抚): paid on time and in full, paid as the
standard, recipients verified.

A recipient's facts sit in the unit of the recipient's row (a recipient
need not be a veteran).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from vetservice.indicators.builtin.common import T
from vetservice.indicators.builtin.services.rows import ID_PII
from vetservice.indicators.facts import active_at, facts, flag, month_of, months
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    NONE_AT_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)

recipients = T["benefit_recipients"]
payments = T["benefit_payments"]

SEED_BENEFITS = "要认真核对优抚对象、优抚标准、优抚资金，及时发放优抚金"


@indicator(
    "benefit.on_time",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("优抚金按时足额发放率", "benefits paid on time and in full"),
    rule=(
        "每位优抚对象每个已结束的月份都按标准足额、当月发放",
        "each recipient is paid the full standard within each month that has ended",
    ),
    target=AT_LEAST_ALL,
    source=SEED_BENEFITS,
    pii=ID_PII,
    headline=True,
)
def on_time(ctx: Context) -> sa.Select[Any]:
    r, p = recipients, payments
    ended = months(ctx, ended=True)
    paid_in_full_on_time = sa.and_(
        p.c.amount == r.c.monthly_standard, p.c.paid_on <= ended.c.last_day
    )
    return facts(
        r.c.unit_code,
        r.c.id_number,
        r.c.name,
        r.c.category,
        ended.c.month,
        r.c.monthly_standard,
        p.c.amount,
        p.c.paid_on,
        met=paid_in_full_on_time,
    ).select_from(
        ended.join(
            r,
            sa.and_(
                r.c.started_on <= ended.c.last_day,
                sa.or_(r.c.ended_on.is_(None), r.c.ended_on >= ended.c.first_day),
            ),
        ).outerjoin(
            p,
            sa.and_(
                p.c.id_number == r.c.id_number,
                p.c.category == r.c.category,
                p.c.month == ended.c.month,
            ),
        )
    )


def _month_days(
    ctx: Context, month: sa.ColumnElement[str]
) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """A month of P ('YYYY-MM') as its first day and the next month's first
    day: a CASE over P's months, built in Python, so that a row's dates are
    compared as dates (no date formatting per row)."""
    each = ctx.period.each_month
    if not each:
        return sa.cast(sa.null(), sa.Date), sa.cast(sa.null(), sa.Date)
    firsts = {m.key: sa.literal(m.first_day, sa.Date) for m in each}
    nexts = {m.key: sa.literal(m.next_first, sa.Date) for m in each}
    return sa.case(firsts, value=month), sa.case(nexts, value=month)


def _covers_all(ctx: Context, r: Any) -> sa.ColumnElement[bool]:
    """Recipient row ``r`` is active in every month of P: no payment of P
    can be uncovered on it (tested once per row, before its payments)."""
    each = ctx.period.each_month
    if not each:
        return sa.true()
    return sa.and_(
        r.c.started_on < each[0].next_first,
        sa.or_(r.c.ended_on.is_(None), r.c.ended_on >= each[-1].first_day),
    )


def _payment_facts(
    r: Any, p: Any, covered: sa.ColumnElement[bool], standard: Any
) -> sa.Select[Any]:
    """A payment's fact against its recipient row ``r``: counts 1 unless
    paid as the standard."""
    as_standard = sa.and_(covered, p.c.amount == r.c.monthly_standard)
    return facts(
        r.c.unit_code,
        p.c.id_number,
        r.c.name,
        p.c.category,
        p.c.month,
        p.c.amount,
        sa.cast(standard, sa.BigInteger).label("monthly_standard"),
        p.c.paid_on,
        count=flag(sa.not_(as_standard)),
    )


@indicator(
    "benefit.mismatch",
    area=Area.SERVICES,
    kind=Kind.COUNT,
    name=("优抚金发放金额与标准不符笔数", "benefit payments off standard"),
    rule=(
        "本期发放金额与优抚对象月发放标准不一致的笔数，应为 0",
        "payments of the period whose amount differs from the monthly standard; should be 0",
    ),
    target=NONE_AT_ALL,
    source=SEED_BENEFITS,
    pii=ID_PII,
)
def mismatch(ctx: Context) -> sa.Select[Any]:
    # A payment belongs to the recipient row of its id number and category
    # active in its month (records.md); when the standard changed within the
    # month, the row that started last. A payment for a month no row covers
    # is paid against no standard and counts as a mismatch; it sits in the
    # unit of the recipient's latest row.
    #
    # Two disjoint sets of facts, each found from the recipient rows:
    # payments in a month their row covers, with no later-started row
    # covering that month; and payments in a month no row covers, on the
    # row that started last. (The rule read literally, the covering row's
    # start as a MAX per payment and candidate row, is a third slower on a
    # province.)
    p, r = payments, recipients
    first_day, next_first = _month_days(ctx, p.c.month)

    def covers(row: Any) -> sa.ColumnElement[bool]:
        """``row`` is active in the payment's month (started by its end, not
        ended before it)."""
        return sa.and_(
            row.c.started_on < next_first,
            sa.or_(row.c.ended_on.is_(None), row.c.ended_on >= first_day),
        )

    def same_recipient(row: Any) -> sa.ColumnElement[bool]:
        return sa.and_(row.c.id_number == r.c.id_number, row.c.category == r.c.category)

    of_period = p.c.month.in_(ctx.months)
    # The months of P the row covers, as one range on the payments' index
    # (id_number, category, month); ``covers`` repeats it as dates, which
    # PostgreSQL tests before it formats the months.
    first, last = (ctx.months[0], ctx.months[-1]) if ctx.months else ("", "")
    started, ended = month_of(r.c.started_on), month_of(r.c.ended_on)
    from_month = sa.case((started > first, started), else_=sa.literal(first))
    to_month = sa.case(
        (sa.and_(r.c.ended_on.is_not(None), ended < last), ended),
        else_=sa.literal(last),
    )
    later = r.alias("later")
    covered = (
        _payment_facts(r, p, sa.true(), r.c.monthly_standard)
        .select_from(
            r.join(
                p,
                sa.and_(
                    p.c.id_number == r.c.id_number,
                    p.c.category == r.c.category,
                    of_period,
                    p.c.month >= from_month,
                    p.c.month <= to_month,
                ),
            )
        )
        .where(
            covers(r),
            sa.not_(
                sa.exists().where(
                    same_recipient(later),
                    later.c.started_on > r.c.started_on,
                    covers(later),
                )
            ),
        )
    )
    latest = (
        sa.select(
            recipients.c.id_number,
            recipients.c.category,
            sa.func.max(recipients.c.started_on).label("started_on"),
        )
        .group_by(recipients.c.id_number, recipients.c.category)
        .subquery("latest_rows")
    )
    other = r.alias("other")
    uncovered = (
        _payment_facts(r, p, sa.false(), sa.null())
        .select_from(
            latest.join(
                r,
                sa.and_(
                    r.c.id_number == latest.c.id_number,
                    r.c.category == latest.c.category,
                    r.c.started_on == latest.c.started_on,
                ),
            ).join(
                p,
                sa.and_(
                    p.c.id_number == r.c.id_number,
                    p.c.category == r.c.category,
                    of_period,
                ),
            )
        )
        .where(
            sa.not_(_covers_all(ctx, r)),
            sa.not_(covers(r)),
            sa.not_(sa.exists().where(same_recipient(other), covers(other))),
        )
    )
    return sa.select(sa.union_all(covered, uncovered).subquery("payments_of_period"))


@indicator(
    "benefit.verified",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("优抚对象年度核对率", "benefit recipients verified this year"),
    rule=(
        "在册优抚对象今年都做了核对",
        "every current benefit recipient has been verified this year",
    ),
    target=AT_LEAST_ALL,
    source=SEED_BENEFITS,
    pii=ID_PII,
)
def verified(ctx: Context) -> sa.Select[Any]:
    r = recipients
    return facts(
        r.c.unit_code,
        r.c.id_number,
        r.c.name,
        r.c.category,
        r.c.started_on,
        r.c.verified_on,
        met=r.c.verified_on.between(ctx.year_start, ctx.end),
    ).where(active_at(r, "started_on", "ended_on", ctx.end))


INDICATORS: tuple[Indicator, ...] = (on_time, mismatch, verified)
