"""Cross-record checks over the whole database (``vetservice validate``).

Import checks one row at a time against the contract; these look across
records for what cannot be right together: a plaque hung before it was
approved, a payment for a month the entitlement did not cover, a petition
closed before it was received. Each check is one SQL statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.domain import KINDS
from vetservice.domain.identity import mask_text
from vetservice.domain.personal import Personal, mask_personal
from vetservice.i18n import N_, Message
from vetservice.markers import hookimpl
from vetservice.store import TABLES, reading
from vetservice.store.sql import month_of


@attrs.frozen
class Check:
    """One cross-record rule: rows of ``kind`` the query returns break it.

    ``query`` returns a SELECT whose columns are the kind's key columns
    followed by any parameters the message names.
    """

    id: str
    kind: str
    message: str
    query: Callable[[], sa.Select[Any]]
    params: tuple[str, ...] = ()


@attrs.frozen
class Finding:
    check: str
    kind: str
    key: tuple[Any, ...]
    message: Message

    def render(self, lang: str | None = None) -> str:
        kind = KINDS[self.kind]
        key = "+".join(
            _shown(v, kind.personal.get(field))
            for field, v in zip(kind.key, self.key, strict=False)
        )
        return Message(
            N_("{kind} {key}: {message}"),
            {"kind": KINDS[self.kind].label, "key": key, "message": self.message},
        ).render(lang)


T = TABLES


def _keys(kind: str) -> list[sa.ColumnElement[Any]]:
    return [T[kind].c[k] for k in KINDS[kind].key]


def _before(kind: str, later: str, earlier: str) -> Callable[[], sa.Select[Any]]:
    def query() -> sa.Select[Any]:
        t = T[kind]
        return sa.select(*_keys(kind), t.c[later], t.c[earlier]).where(
            t.c[later] < t.c[earlier]
        )

    return query


def _payment_outside_entitlement() -> sa.Select[Any]:
    pay, rec = T["benefit_payments"], T["benefit_recipients"]
    covered = sa.exists().where(
        rec.c.id_number == pay.c.id_number,
        rec.c.category == pay.c.category,
        month_of(rec.c.started_on) <= pay.c.month,
        sa.or_(rec.c.ended_on.is_(None), month_of(rec.c.ended_on) >= pay.c.month),
    )
    return sa.select(*_keys("benefit_payments")).where(~covered)


def _hung_without_approval() -> sa.Select[Any]:
    v = T["veterans"]
    return sa.select(v.c.id_number).where(
        v.c.plaque_hung_on.is_not(None), v.c.plaque_approved_on.is_(None)
    )


def _branch_without_party() -> sa.Select[Any]:
    v = T["veterans"]
    return sa.select(v.c.id_number).where(
        v.c.branch_enrolled.is_(True),
        sa.not_(sa.func.coalesce(v.c.party_member, False)),
    )


def _inspection_without_station() -> sa.Select[Any]:
    env, st = T["environment"], T["stations"]
    return sa.select(*_keys("environment")).where(
        ~sa.exists().where(st.c.unit_code == env.c.unit_code)
    )


def _entry_before_fund() -> sa.Select[Any]:
    entry, fund = T["care_fund_entries"], T["care_funds"]
    return (
        sa.select(*_keys("care_fund_entries"), fund.c.established_on)
        .join(fund, fund.c.unit_code == entry.c.unit_code)
        .where(
            sa.or_(
                fund.c.established_on.is_(None), entry.c.date < fund.c.established_on
            )
        )
    )


def _entered_date_without_entry() -> sa.Select[Any]:
    si = T["social_insurance"]
    return sa.select(si.c.id_number).where(
        si.c.entered_on.is_not(None), si.c.status != "entered"
    )


def _resolved_without_legacy() -> sa.Select[Any]:
    p = T["placements"]
    return sa.select(p.c.id_number).where(
        p.c.resolved_on.is_not(None), sa.not_(sa.func.coalesce(p.c.legacy, False))
    )


def _group_role_outside_group() -> sa.Select[Any]:
    s = T["staff"]
    return sa.select(*_keys("staff")).where(
        s.c.group_role.is_not(None), s.c.role != "leading_group"
    )


def _guidance_outside_township() -> sa.Select[Any]:
    g, s, u = T["guidance_visits"], T["staff"], T["units"]
    own_township = sa.exists().where(
        s.c.person_id == g.c.staff_person_id,
        s.c.unit_code == u.c.parent_code,
    )
    return (
        sa.select(*_keys("guidance_visits"))
        .join(u, u.c.code == g.c.unit_code)
        .where(~own_township)
    )


CHECKS: tuple[Check, ...] = (
    Check(
        "veterans.plaque_order",
        "veterans",
        N_("the plaque was hung ({later}) before it was approved ({earlier})"),
        _before("veterans", "plaque_hung_on", "plaque_approved_on"),
        ("later", "earlier"),
    ),
    Check(
        "veterans.plaque_unapproved",
        "veterans",
        N_("a plaque is recorded as hung but never approved"),
        _hung_without_approval,
    ),
    Check(
        "veterans.branch_without_party",
        "veterans",
        N_("enrolled in a party branch but not recorded as a party member"),
        _branch_without_party,
    ),
    Check(
        "benefit_payments.outside_entitlement",
        "benefit_payments",
        N_(
            "paid for a month outside every entitlement period of this recipient and category"
        ),
        _payment_outside_entitlement,
    ),
    Check(
        "petitions.closed_before_received",
        "petitions",
        N_("closed ({later}) before it was received ({earlier})"),
        _before("petitions", "closed_on", "received_on"),
        ("later", "earlier"),
    ),
    Check(
        "petitions.accepted_before_received",
        "petitions",
        N_("decided ({later}) before it was received ({earlier})"),
        _before("petitions", "accepted_on", "received_on"),
        ("later", "earlier"),
    ),
    Check(
        "petitions.replied_before_received",
        "petitions",
        N_("replied ({later}) before it was received ({earlier})"),
        _before("petitions", "replied_on", "received_on"),
        ("later", "earlier"),
    ),
    Check(
        "petitions.review_order",
        "petitions",
        N_("review answered ({later}) before it was requested ({earlier})"),
        _before("petitions", "review_answered_on", "review_requested_on"),
        ("later", "earlier"),
    ),
    Check(
        "petitions.recheck_order",
        "petitions",
        N_("recheck answered ({later}) before it was requested ({earlier})"),
        _before("petitions", "recheck_answered_on", "recheck_requested_on"),
        ("later", "earlier"),
    ),
    Check(
        "hardship.closed_before_registered",
        "hardship",
        N_("closed ({later}) before it was registered ({earlier})"),
        _before("hardship", "closed_on", "registered_on"),
        ("later", "earlier"),
    ),
    Check(
        "placements.placed_before_received",
        "placements",
        N_("placed ({later}) before being received ({earlier})"),
        _before("placements", "placed_on", "received_on"),
        ("later", "earlier"),
    ),
    Check(
        "placements.resolved_without_legacy",
        "placements",
        N_("a resolution date is set but the case is not marked as a legacy problem"),
        _resolved_without_legacy,
    ),
    Check(
        "social_insurance.date_without_entry",
        "social_insurance",
        N_("an entry date is set but the status is not entered"),
        _entered_date_without_entry,
    ),
    Check(
        "environment.no_station",
        "environment",
        N_("an inspection of a unit that has no station row"),
        _inspection_without_station,
    ),
    Check(
        "care_fund_entries.before_fund",
        "care_fund_entries",
        N_("dated before the care fund was established ({established})"),
        _entry_before_fund,
        ("established",),
    ),
    Check(
        "staff.group_role_outside_group",
        "staff",
        N_("a group role is set for someone who is not a leading-group member"),
        _group_role_outside_group,
    ),
    Check(
        "guidance_visits.outside_township",
        "guidance_visits",
        N_(
            "the visitor has no staff row at the township that the visited unit belongs to"
        ),
        _guidance_outside_township,
    ),
)


# What personal data each selected column of a query carries (by lineage:
# vetservice.indicators.personal.personal_columns, a layer above this one).
PersonalColumns = Callable[[sa.Select[Any]], Mapping[str, Personal]]
# Told of a check that raised, instead of raising.
CheckFailed = Callable[[Check, Exception], None]
# How a check that raised is named (parameters id, error), with the fix.
CHECK_FAILED = N_(
    "check {id} fails: {error}; its query() returns one SELECT: the kind's "
    "key columns, then the message's parameters"
)


def run_checks(
    conn: Connection,
    checks: Iterable[Check] = CHECKS,
    *,
    personal: PersonalColumns | None = None,
    failed: CheckFailed | None = None,
) -> list[Finding]:
    """The findings of ``checks``. A parameter drawn from personal data
    (``personal`` finds which) is masked in the message; a check that raises
    is handed to ``failed`` (if given) and the others still run."""
    findings = []
    for check in checks:
        width = len(KINDS[check.kind].key)
        try:
            with conn.begin_nested():
                query = check.query()
                rows = conn.execute(query).all()
                carried = personal(query) if personal is not None else {}
        except Exception as e:
            if failed is None:
                raise
            failed(check, e)
            continue
        keys = [c.key for c in query.selected_columns][width:]
        for row in rows:
            params = {
                name: _shown(value, carried.get(key or ""))
                for name, key, value in zip(
                    check.params, keys, row[width:], strict=False
                )
            }
            findings.append(
                Finding(
                    check.id,
                    check.kind,
                    tuple(row[:width]),
                    Message(check.message, params),
                )
            )
    return findings


def _shown(value: Any, carried: Personal | None) -> str:
    """A key or parameter as a finding shows it: personal data masked."""
    text = "" if value is None else str(value)
    return mask_personal(carried, text) if carried is not None else mask_text(text)


def validate(
    engine: Engine,
    checks: Iterable[Check] = CHECKS,
    *,
    personal: PersonalColumns | None = None,
    failed: CheckFailed | None = None,
) -> list[Finding]:
    """Every finding of every check over the whole database."""
    with reading(engine) as conn:
        return run_checks(conn, checks, personal=personal, failed=failed)


@hookimpl
def vetservice_register_checks() -> Iterable[Check]:
    return CHECKS
