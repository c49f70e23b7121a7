"""服务保障 — social insurance, hardship, employment, care funds, benefits,
placement and professional home services (seed §4).

Rows keyed by an id number are placed in that veteran's (or benefit
recipient's) unit; care-fund entries in the fund's county. Money numerators
are integer fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.calendar.periods import month_end
from vetservice.domain.enums import ServiceField
from vetservice.markers import hookimpl
from vetservice.i18n import N_, Bilingual, Message
from vetservice.indicators.builtin.common import (
    COUNTY,
    T,
    active_at,
    flag,
    in_period,
    missing_flags,
    true,
    units,
    zero,
)
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    NONE_AT_ALL,
    Area,
    Context,
    Indicator,
    Kind,
)
from vetservice.store import unit_closure
from vetservice.store.sql import month_of

veterans = T["veterans"]
social_insurance = T["social_insurance"]
hardship = T["hardship"]
employment = T["employment"]
job_fairs = T["job_fairs"]
care_funds = T["care_funds"]
entries = T["care_fund_entries"]
recipients = T["benefit_recipients"]
payments = T["benefit_payments"]
placements = T["placements"]
contracts = T["service_contracts"]
home_services = T["home_services"]

# The five professional fields the seed names ("法律、心理、医疗、康养、文艺").
FIELD_NAMES: dict[str, Bilingual] = {
    f.value: Bilingual(f.label, f.value.replace("_", " ")) for f in ServiceField
}


def _one() -> sa.ColumnElement[int]:
    return sa.literal(1)


def _is_true(column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    """``column IS TRUE``: the same as ``true`` (an empty bool is not true),
    in a form PostgreSQL can estimate from the column's statistics."""
    return column.is_(True)


def _veteran_rows(table: sa.Table) -> sa.Select[Any]:
    """An empty select from ``table`` joined to its veteran, to add columns to."""
    return sa.select().select_from(
        table.join(veterans, veterans.c.id_number == table.c.id_number)
    )


# ---------------------------------------------------------------------------
# 社保接续


def _si_entered(ctx: Context) -> sa.Select[Any]:
    si = social_insurance
    entered = sa.and_(si.c.status == "entered", si.c.entered_on <= ctx.end)
    return (
        _veteran_rows(si)
        .add_columns(
            veterans.c.unit_code,
            flag(entered).label("numerator"),
            _one().label("denominator"),
            si.c.id_number,
            veterans.c.name,
            si.c.status,
            si.c.entered_on,
            si.c.funding,
        )
        .where(true(si.c.eligible))
    )


def _si_rejected_explained(ctx: Context) -> sa.Select[Any]:
    si = social_insurance
    return (
        _veteran_rows(si)
        .add_columns(
            veterans.c.unit_code,
            flag(true(si.c.explained)).label("numerator"),
            _one().label("denominator"),
            si.c.id_number,
            veterans.c.name,
            si.c.eligible,
            si.c.explained,
        )
        .where(si.c.status == "rejected")
    )


# ---------------------------------------------------------------------------
# 困难退役军人家庭台账


def _open_hardship(ctx: Context) -> sa.Select[Any]:
    """Hardship rows registered on or before E and not closed at E (a row
    closed on E is still in force that day), with the veteran's unit."""
    h = hardship
    return (
        _veteran_rows(h)
        .add_columns(
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
        .where(active_at(h, "registered_on", "closed_on", ctx.end))
    )


def _hardship_measures(ctx: Context) -> sa.Select[Any]:
    rows = _open_hardship(ctx).subquery()
    has_measures = sa.func.coalesce(sa.func.trim(rows.c.measures), "") != ""
    return sa.select(
        rows.c.unit_code,
        flag(has_measures).label("numerator"),
        _one().label("denominator"),
        *(c for c in rows.c if c.name != "unit_code"),
    )


def _hardship_dibao_gap(ctx: Context) -> sa.Select[Any]:
    # A count: only the open rows it counts are facts (drill-through lists
    # them), so the veterans' units are looked up for those alone.
    rows = (
        _open_hardship(ctx)
        .where(true(hardship.c.dibao_eligible), sa.not_(true(hardship.c.dibao)))
        .subquery()
    )
    return sa.select(
        rows.c.unit_code,
        _one().label("numerator"),
        zero().label("denominator"),
        *(c for c in rows.c if c.name != "unit_code"),
    )


# ---------------------------------------------------------------------------
# 就业创业


def _birth_number() -> sa.ColumnElement[int]:
    """The birth date in the id number (characters 7–14) as the number YYYYMMDD."""
    return sa.cast(sa.func.substr(veterans.c.id_number, 7, 8), sa.Integer)


def _e_number(ctx: Context) -> sa.ColumnElement[int]:
    """E as the number YYYYMMDD, built in Python."""
    e = ctx.end
    return sa.literal(e.year * 10000 + e.month * 100 + e.day, sa.Integer)


def _working_age(ctx: Context) -> sa.ColumnElement[bool]:
    """min_age ≤ completed years of age at E ≤ max_age, from the birth date
    in the id number.

    Someone has completed N years at E when born on or before E's month and
    day N years earlier: with dates written as numbers YYYYMMDD, when
    ``birth ≤ E − N·10000`` (someone born on 29 February completes a year
    on 1 March in common years). E is built in Python; SQL only casts the 8
    digits and subtracts the (overridable) ages, the same on SQLite and
    PostgreSQL.
    """
    min_age = sa.cast(ctx.param("min_age", veterans.c.unit_code), sa.Integer)
    max_age = sa.cast(ctx.param("max_age", veterans.c.unit_code), sa.Integer)
    youngest = _e_number(ctx) - min_age * 10000  # born on or before
    too_old = _e_number(ctx) - (max_age + 1) * 10000  # born after
    return sa.and_(_birth_number() <= youngest, _birth_number() > too_old)


def _emp_registered(ctx: Context) -> sa.Select[Any]:
    e = employment.alias("registration")
    # Each veteran's latest registration up to E, grouped once and joined:
    # one pass on both databases. (An IN list larger than PostgreSQL's
    # work_mem is rescanned for every veteran: minutes on a province.)
    latest = (
        sa.select(e.c.id_number, sa.func.max(e.c.registered_on).label("registered_on"))
        .where(e.c.registered_on <= ctx.end)
        .group_by(e.c.id_number)
        .subquery("latest_registration")
    )
    # The age, not the birth date: a birth date next to a masked id number
    # would unmask it.
    age = (_e_number(ctx) - _birth_number()) // 10000
    return (
        sa.select(
            veterans.c.unit_code,
            flag(latest.c.id_number.is_not(None)).label("numerator"),
            _one().label("denominator"),
            veterans.c.id_number,
            veterans.c.name,
            age.label("age"),
            latest.c.registered_on,
        )
        .select_from(
            veterans.outerjoin(latest, latest.c.id_number == veterans.c.id_number)
        )
        .where(_working_age(ctx))
    )


def _emp_trained(ctx: Context) -> sa.Select[Any]:
    emp = employment
    newer = emp.alias("newer")
    # The veteran's latest registration on or before E: none newer up to E
    # (an anti-join, where a MAX per row misleads PostgreSQL's estimates).
    superseded = sa.exists().where(
        newer.c.id_number == emp.c.id_number,
        newer.c.registered_on > emp.c.registered_on,
        newer.c.registered_on <= ctx.end,
    )
    return (
        _veteran_rows(emp)
        .add_columns(
            veterans.c.unit_code,
            flag(emp.c.trained_on <= ctx.end).label("numerator"),
            _one().label("denominator"),
            emp.c.id_number,
            veterans.c.name,
            emp.c.registered_on,
            emp.c.wanted_job,
            emp.c.trained_on,
        )
        .where(
            emp.c.status == "seeking",
            _is_true(emp.c.wants_training),
            emp.c.registered_on <= ctx.end,
            sa.not_(superseded),
        )
    )


def _job_fairs(ctx: Context) -> sa.Select[Any]:
    # Fairs counted once per ancestor of their unit, then joined to the
    # counties (rather than a count per county over its subtree).
    down = unit_closure.alias("down")
    held = (
        sa.select(down.c.ancestor, sa.func.count().label("fairs"))
        .select_from(job_fairs.join(down, down.c.descendant == job_fairs.c.unit_code))
        .where(job_fairs.c.held_on.between(ctx.year_start, ctx.end))
        .group_by(down.c.ancestor)
        .subquery("fairs_held")
    )
    fairs = sa.func.coalesce(held.c.fairs, 0)
    return (
        sa.select(
            units.c.code.label("unit_code"),
            flag(fairs > 0).label("numerator"),
            _one().label("denominator"),
            fairs.label("fairs"),
            sa.literal(ctx.year_start, sa.Date).label("from_date"),
            sa.literal(ctx.end, sa.Date).label("to_date"),
        )
        .select_from(units.outerjoin(held, held.c.ancestor == units.c.code))
        .where(units.c.level == COUNTY)
    )


def _no_job_fair(row: Mapping[str, Any]) -> Message:
    return Message(
        N_("no job fair for veterans held from {start} to {end}"),
        {"start": str(row["from_date"]), "end": str(row["to_date"])},
    )


# ---------------------------------------------------------------------------
# 关爱基金


def _fund_established(ctx: Context) -> sa.Select[Any]:
    year_end = dt.date(ctx.end.year, 12, 31)
    cutoff = min(ctx.end, year_end)  # as written in indicators.md; always E
    return (
        sa.select(
            units.c.code.label("unit_code"),
            flag(care_funds.c.established_on <= cutoff).label("numerator"),
            _one().label("denominator"),
            care_funds.c.established_on,
            sa.literal(year_end, sa.Date).label("deadline"),
        )
        .outerjoin(care_funds, care_funds.c.unit_code == units.c.code)
        .where(units.c.level == COUNTY)
    )


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


def _fund_balance(ctx: Context) -> sa.Select[Any]:
    signed = sa.case(
        (entries.c.kind == "donation", entries.c.amount), else_=-entries.c.amount
    )
    return sa.select(
        entries.c.unit_code,
        signed.label("numerator"),
        zero().label("denominator"),
        *_entry_columns(),
    ).where(entries.c.date <= ctx.end)


def _fund_entries_in_period(kind: str) -> Any:
    def facts(ctx: Context) -> sa.Select[Any]:
        return sa.select(
            entries.c.unit_code,
            entries.c.amount.label("numerator"),
            zero().label("denominator"),
            *_entry_columns(),
        ).where(entries.c.kind == kind, in_period(entries.c.date, ctx))

    return facts


def _fund_publicized(ctx: Context) -> sa.Select[Any]:
    return sa.select(
        entries.c.unit_code,
        flag(entries.c.publicized_on <= ctx.end).label("numerator"),
        _one().label("denominator"),
        *_entry_columns(),
        entries.c.publicized_on,
    ).where(entries.c.kind == "grant", in_period(entries.c.date, ctx))


def _grants_to_hardship(ctx: Context) -> sa.Select[Any]:
    # "not closed on or before it": a hardship row closed on the grant's own
    # date no longer counts (indicators.md words this one strictly).
    h = hardship
    in_hardship = sa.exists().where(
        h.c.id_number == entries.c.counterparty,
        h.c.registered_on <= entries.c.date,
        sa.or_(h.c.closed_on.is_(None), h.c.closed_on > entries.c.date),
    )
    return (
        sa.select(
            veterans.c.unit_code,
            flag(in_hardship).label("numerator"),
            _one().label("denominator"),
            entries.c.unit_code.label("fund_unit"),
            *_entry_columns(),
            veterans.c.name,
        )
        .select_from(
            entries.join(veterans, veterans.c.id_number == entries.c.counterparty)
        )
        .where(entries.c.kind == "grant", in_period(entries.c.date, ctx))
    )


# ---------------------------------------------------------------------------
# 优抚


def _closed_months(ctx: Context) -> sa.Subquery:
    """The months of P that end on or before E: month, first_day, last_day."""
    rows = []
    for month in ctx.months:
        year, number = int(month[:4]), int(month[5:7])
        last = month_end(year, number)
        if last <= ctx.end:
            rows.append((month, dt.date(year, number, 1), last))
    # A literal table (VALUES lists do not compile on SQLite); a placeholder
    # row, filtered out, when no month has ended yet.
    selects = [
        sa.select(
            sa.literal(month, sa.String).label("month"),
            sa.literal(first, sa.Date).label("first_day"),
            sa.literal(last, sa.Date).label("last_day"),
        )
        for month, first, last in rows or [("", ctx.start, ctx.start)]
    ]
    table = sa.union_all(*selects).subquery("month_rows")
    return (
        sa.select(table.c.month, table.c.first_day, table.c.last_day)
        .where(table.c.month != "")
        .subquery("closed_months")
    )


def _benefit_on_time(ctx: Context) -> sa.Select[Any]:
    r, p = recipients, payments
    months = _closed_months(ctx)
    paid_in_full_on_time = sa.and_(
        p.c.amount == r.c.monthly_standard, p.c.paid_on <= months.c.last_day
    )
    return sa.select(
        r.c.unit_code,
        flag(paid_in_full_on_time).label("numerator"),
        _one().label("denominator"),
        r.c.id_number,
        r.c.name,
        r.c.category,
        months.c.month,
        r.c.monthly_standard,
        p.c.amount,
        p.c.paid_on,
    ).select_from(
        months.join(
            r,
            sa.and_(
                r.c.started_on <= months.c.last_day,
                sa.or_(r.c.ended_on.is_(None), r.c.ended_on >= months.c.first_day),
            ),
        ).outerjoin(
            p,
            sa.and_(
                p.c.id_number == r.c.id_number,
                p.c.category == r.c.category,
                p.c.month == months.c.month,
            ),
        )
    )


def _month_days(
    ctx: Context, month: sa.ColumnElement[str]
) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """A month of P ('YYYY-MM') as its first day and the next month's first
    day: a CASE over P's months, built in Python, so that a row's dates are
    compared as dates (no date formatting per row)."""
    if not ctx.months:
        return sa.cast(sa.null(), sa.Date), sa.cast(sa.null(), sa.Date)
    firsts, nexts = {}, {}
    for m in ctx.months:
        year, number = int(m[:4]), int(m[5:7])
        firsts[m] = sa.literal(dt.date(year, number, 1), sa.Date)
        nexts[m] = sa.literal(dt.date(year + number // 12, number % 12 + 1, 1), sa.Date)
    return sa.case(firsts, value=month), sa.case(nexts, value=month)


def _benefit_mismatch(ctx: Context) -> sa.Select[Any]:
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

    in_period = p.c.month.in_(ctx.months)
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
        _mismatch_columns(r, p, sa.true(), r.c.monthly_standard)
        .select_from(
            r.join(
                p,
                sa.and_(
                    p.c.id_number == r.c.id_number,
                    p.c.category == r.c.category,
                    in_period,
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
        _mismatch_columns(r, p, sa.false(), sa.null())
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
                    in_period,
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


def _covers_all(ctx: Context, r: Any) -> sa.ColumnElement[bool]:
    """Recipient row ``r`` is active in every month of P: no payment of P
    can be uncovered on it (tested once per row, before its payments)."""
    if not ctx.months:
        return sa.true()
    first_year, first_month = int(ctx.months[0][:4]), int(ctx.months[0][5:7])
    last_year, last_month = int(ctx.months[-1][:4]), int(ctx.months[-1][5:7])
    after_first = dt.date(first_year + first_month // 12, first_month % 12 + 1, 1)
    return sa.and_(
        r.c.started_on < after_first,
        sa.or_(
            r.c.ended_on.is_(None), r.c.ended_on >= dt.date(last_year, last_month, 1)
        ),
    )


def _mismatch_columns(
    r: Any, p: Any, covered: sa.ColumnElement[bool], standard: Any
) -> sa.Select[Any]:
    """The columns of a payment's fact, against its recipient row ``r``."""
    as_standard = sa.and_(covered, p.c.amount == r.c.monthly_standard)
    return sa.select(
        r.c.unit_code,
        flag(sa.not_(as_standard)).label("numerator"),
        zero().label("denominator"),
        p.c.id_number,
        r.c.name,
        p.c.category,
        p.c.month,
        p.c.amount,
        sa.cast(standard, sa.BigInteger).label("monthly_standard"),
        p.c.paid_on,
    )


def _benefit_verified(ctx: Context) -> sa.Select[Any]:
    r = recipients
    return sa.select(
        r.c.unit_code,
        flag(r.c.verified_on.between(ctx.year_start, ctx.end)).label("numerator"),
        _one().label("denominator"),
        r.c.id_number,
        r.c.name,
        r.c.category,
        r.c.started_on,
        r.c.verified_on,
    ).where(active_at(r, "started_on", "ended_on", ctx.end))


# ---------------------------------------------------------------------------
# 安置


def _placement_placed(ctx: Context) -> sa.Select[Any]:
    pl = placements
    return (
        _veteran_rows(pl)
        .add_columns(
            veterans.c.unit_code,
            flag(pl.c.placed_on <= ctx.end).label("numerator"),
            _one().label("denominator"),
            pl.c.id_number,
            veterans.c.name,
            pl.c.type,
            pl.c.received_on,
            pl.c.placed_on,
        )
        .where(pl.c.received_on <= ctx.end)
    )


def _legacy_resolved(ctx: Context) -> sa.Select[Any]:
    pl = placements
    return (
        _veteran_rows(pl)
        .add_columns(
            veterans.c.unit_code,
            flag(pl.c.resolved_on <= ctx.end).label("numerator"),
            _one().label("denominator"),
            pl.c.id_number,
            veterans.c.name,
            pl.c.type,
            pl.c.received_on,
            pl.c.resolved_on,
        )
        .where(true(pl.c.legacy))
    )


# ---------------------------------------------------------------------------
# 上门服务


def _service_fields(ctx: Context) -> sa.Select[Any]:
    # Contracts in force at E, each field flagged once per ancestor of the
    # contract's unit, then joined to the counties (rather than five EXISTS
    # per county over its subtree).
    down = unit_closure.alias("down")
    in_force = (
        sa.select(
            down.c.ancestor,
            *(
                sa.func.max(flag(contracts.c.field == name)).label(name)
                for name in FIELD_NAMES
            ),
        )
        .select_from(contracts.join(down, down.c.descendant == contracts.c.unit_code))
        .where(
            contracts.c.field.in_(list(FIELD_NAMES)),
            active_at(contracts, "signed_on", "expires_on", ctx.end),
        )
        .group_by(down.c.ancestor)
        .subquery("fields_in_force")
    )
    fields = {name: sa.func.coalesce(in_force.c[name], 0) for name in FIELD_NAMES}
    return (
        sa.select(
            units.c.code.label("unit_code"),
            flag(sa.and_(*(f == 1 for f in fields.values()))).label("numerator"),
            _one().label("denominator"),
            *(f.label(name) for name, f in fields.items()),
        )
        .select_from(units.outerjoin(in_force, in_force.c.ancestor == units.c.code))
        .where(units.c.level == COUNTY)
    )


def _fields_missing(row: Mapping[str, Any]) -> Message:
    missing = missing_flags(row, FIELD_NAMES)
    return Message(
        N_("no contract in force for: {fields}"),
        {
            "fields": Bilingual(
                "、".join(m.zh for m in missing), ", ".join(m.en for m in missing)
            )
        },
    )


def _home_visits(ctx: Context) -> sa.Select[Any]:
    hs = home_services
    return (
        _veteran_rows(hs)
        .add_columns(
            veterans.c.unit_code,
            _one().label("numerator"),
            zero().label("denominator"),
            hs.c.id_number,
            veterans.c.name,
            hs.c.field,
            hs.c.served_on,
            hs.c.provider,
        )
        .where(in_period(hs.c.served_on, ctx))
    )


# ---------------------------------------------------------------------------

SEED_SI = "做到符合条件的一个不漏录入"
SEED_FUND = "省上明确要求县区关爱基金年底前必须成立"
SEED_FUND_RAISING = "积极主动向企业和社会各界爱心人士，汇报上级的有关要求、困难退役军人的现状，争取各方的支持"
SEED_FUND_HELP = "让最困难的退役军人优先得到省市关爱基金的帮扶救助"
SEED_BENEFITS = "要认真核对优抚对象、优抚标准、优抚资金，及时发放优抚金"
ID_PII = ("id_number",)

INDICATORS = (
    Indicator(
        id="si.entered",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("社保接续录入率", "social insurance entered"),
        rule=Bilingual(
            "符合条件的退役军人社保接续全部录入，一个不漏",
            "every eligible veteran's social insurance continuation is entered",
        ),
        facts=_si_entered,
        target=AT_LEAST_ALL,
        source=SEED_SI,
        pii=ID_PII,
    ),
    Indicator(
        id="si.rejected_explained",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("审核未通过政策解释率", "rejections explained"),
        rule=Bilingual(
            "社保接续审核未通过的，都做了政策解释",
            "every rejected social insurance case has had the policy explained",
        ),
        facts=_si_rejected_explained,
        target=AT_LEAST_ALL,
        source="对审核未通过的要做好政策解释",
        pii=ID_PII,
    ),
    Indicator(
        id="hardship.measures",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("困难家庭帮扶措施制定率", "hardship cases with measures"),
        rule=Bilingual(
            "台账在册（未销号）的困难退役军人家庭都制定了帮扶措施",
            "every open hardship case has assistance measures",
        ),
        facts=_hardship_measures,
        target=AT_LEAST_ALL,
        source="对特别困难的退役军人家庭，要认真研究制定帮扶措施",
        pii=ID_PII,
    ),
    Indicator(
        id="hardship.dibao_gap",
        area=Area.SERVICES,
        kind=Kind.COUNT,
        name=Bilingual(
            "符合低保条件未享受低保户数", "eligible for dibao but not receiving it"
        ),
        rule=Bilingual(
            "在册困难家庭中符合低保条件却未享受低保的户数，应为 0",
            "open hardship cases eligible for dibao that do not receive it; should be 0",
        ),
        facts=_hardship_dibao_gap,
        target=NONE_AT_ALL,
        source="符合扶贫、低保等惠民政策的要优先考虑",
        pii=ID_PII,
    ),
    Indicator(
        id="emp.registered",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("就业创业登记率", "employment registration"),
        rule=Bilingual(
            "18 至 59 周岁的退役军人都做了就业创业登记（了解特长和就业意愿）",
            "every veteran aged 18 to 59 has an employment registration",
        ),
        facts=_emp_registered,
        target=AT_LEAST_ALL,
        # Working age may move with the retirement-age reform: a county
        # changes it for its own subtree.
        parameters={"min_age": 18, "max_age": 59},
        source="要广泛了解退役军人爱好特长、就业意愿",
        pii=ID_PII,
    ),
    Indicator(
        id="emp.trained",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("有培训意愿求职者参训率", "job seekers trained"),
        rule=Bilingual(
            "最近一次登记为求职且有培训意愿的退役军人都参加了职业技能培训",
            "every job-seeking veteran who wants training has been trained",
        ),
        facts=_emp_trained,
        target=AT_LEAST_ALL,
        source="同时要发动退役军人参加各种职业技术培训，提高就业能力",
        pii=ID_PII,
    ),
    Indicator(
        id="emp.job_fairs",
        area=Area.SERVICES,
        kind=Kind.COMPLIANCE,
        name=Bilingual("专场招聘会举办率", "job fairs held"),
        rule=Bilingual(
            "每个县区今年至少举办一场退役军人专场招聘会",
            "every county holds at least one job fair for veterans this year",
        ),
        facts=_job_fairs,
        target=AT_LEAST_ALL,
        reason=_no_job_fair,
        source="认真筹备退役军人专场招聘会，搭建就业创业平台",
    ),
    Indicator(
        id="fund.established",
        area=Area.SERVICES,
        kind=Kind.COMPLIANCE,
        name=Bilingual("县区关爱基金成立率", "care funds established"),
        rule=Bilingual(
            "每个县区年底前成立关爱基金",
            "every county has set up its care fund by the end of the year",
        ),
        facts=_fund_established,
        target=AT_LEAST_ALL,
        reason=_fund_not_established,
        source=SEED_FUND,
    ),
    Indicator(
        id="fund.balance",
        area=Area.SERVICES,
        kind=Kind.MONEY,
        name=Bilingual("关爱基金余额", "care fund balance"),
        rule=Bilingual(
            "截至期末的捐赠收入合计减去帮扶支出合计",
            "donations to date minus grants to date",
        ),
        facts=_fund_balance,
        source=SEED_FUND_RAISING,
        pii=("recipient_id",),
    ),
    Indicator(
        id="fund.raised",
        area=Area.SERVICES,
        kind=Kind.MONEY,
        name=Bilingual("关爱基金募集额", "care fund donations"),
        rule=Bilingual("本期收到的捐赠", "donations received in the period"),
        facts=_fund_entries_in_period("donation"),
        source=SEED_FUND_RAISING,
        pii=("recipient_id",),
    ),
    Indicator(
        id="fund.granted",
        area=Area.SERVICES,
        kind=Kind.MONEY,
        name=Bilingual("关爱基金帮扶支出", "care fund grants"),
        rule=Bilingual("本期发放的帮扶救助", "grants paid in the period"),
        facts=_fund_entries_in_period("grant"),
        source=SEED_FUND_HELP,
        pii=("recipient_id",),
    ),
    Indicator(
        id="fund.publicized",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("关爱基金帮扶公示率", "grants publicized"),
        rule=Bilingual(
            "本期每一笔帮扶支出都已公示",
            "every grant of the period has been made public",
        ),
        facts=_fund_publicized,
        target=AT_LEAST_ALL,
        source="同时，要公开公正推荐",
        pii=("recipient_id",),
    ),
    Indicator(
        id="fund.grants_to_hardship",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("帮扶资金投向困难家庭比例", "grants to hardship cases"),
        rule=Bilingual(
            "本期帮扶支出中，受助人发放时已在困难家庭台账在册的笔数占比",
            "share of the period's grants whose recipient was an open hardship case on the grant's date",
        ),
        facts=_grants_to_hardship,
        source=SEED_FUND_HELP,
        pii=("recipient_id",),
    ),
    Indicator(
        id="benefit.on_time",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("优抚金按时足额发放率", "benefits paid on time and in full"),
        rule=Bilingual(
            "每位优抚对象每个已结束的月份都按标准足额、当月发放",
            "each recipient is paid the full standard within each month that has ended",
        ),
        facts=_benefit_on_time,
        target=AT_LEAST_ALL,
        source=SEED_BENEFITS,
        pii=ID_PII,
    ),
    Indicator(
        id="benefit.mismatch",
        area=Area.SERVICES,
        kind=Kind.COUNT,
        name=Bilingual("优抚金发放金额与标准不符笔数", "benefit payments off standard"),
        rule=Bilingual(
            "本期发放金额与优抚对象月发放标准不一致的笔数，应为 0",
            "payments of the period whose amount differs from the monthly standard; should be 0",
        ),
        facts=_benefit_mismatch,
        target=NONE_AT_ALL,
        source=SEED_BENEFITS,
        pii=ID_PII,
    ),
    Indicator(
        id="benefit.verified",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("优抚对象年度核对率", "benefit recipients verified this year"),
        rule=Bilingual(
            "在册优抚对象今年都做了核对",
            "every current benefit recipient has been verified this year",
        ),
        facts=_benefit_verified,
        target=AT_LEAST_ALL,
        source=SEED_BENEFITS,
        pii=ID_PII,
    ),
    Indicator(
        id="placement.placed",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("转业干部和士官安置率", "placements done"),
        rule=Bilingual(
            "已接收的转业干部和转业士官都已安置",
            "every transferred cadre and NCO received has been placed",
        ),
        facts=_placement_placed,
        target=AT_LEAST_ALL,
        source="要坚持公开公正原则，把符合政策的转业干部和转业士官安置好",
        pii=ID_PII,
    ),
    Indicator(
        id="placement.legacy_resolved",
        area=Area.SERVICES,
        kind=Kind.RATIO,
        name=Bilingual("安置遗留问题解决率", "legacy placement problems resolved"),
        rule=Bilingual(
            "安置遗留问题都已解决",
            "every legacy placement problem has been resolved",
        ),
        facts=_legacy_resolved,
        target=AT_LEAST_ALL,
        source="要克服新官不理旧账的思想，把安置遗留问题解决好",
        pii=ID_PII,
    ),
    Indicator(
        id="service.fields",
        area=Area.SERVICES,
        kind=Kind.COMPLIANCE,
        name=Bilingual("专业力量签约领域齐全率", "professional fields covered"),
        rule=Bilingual(
            "每个县区都有在有效期内的法律、心理、医疗、康养、文艺五类专业力量签约",
            "every county has contracts in force in all five fields: legal, "
            "psychological, medical, elderly care and arts",
        ),
        facts=_service_fields,
        target=AT_LEAST_ALL,
        reason=_fields_missing,
        source="主动与法律、心理、医疗、康养、文艺等专业人才签约",
    ),
    Indicator(
        id="service.home_visits",
        area=Area.SERVICES,
        kind=Kind.COUNT,
        name=Bilingual("上门服务次数", "home services"),
        rule=Bilingual(
            "本期为退役军人上门服务的次数", "home services given in the period"
        ),
        facts=_home_visits,
        source="组织他们到社区和乡村为退役军人送关心送服务",
        pii=ID_PII,
    ),
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
