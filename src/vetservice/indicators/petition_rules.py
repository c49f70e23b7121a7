"""The time limits of the 信访工作条例 (2022), for the petitions indicators and the watch list.

A decision is due 15 days after registration; handling 60 days after
acceptance, extendable once by 30; a review or recheck answer 30 days after
its request. Day counts are calendar days and county-overridable parameters
(``LIMITS`` are their defaults). An empty decision means accepted once
accepted_on is set; a petition not accepted or transferred is closed on its
decision date.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from vetservice.indicators.facts import add_days, is_true
from vetservice.indicators.model import Context
from vetservice.store import TABLES

p = TABLES["petitions"]

LIMITS = {
    "decision_days": 15,
    "handling_days": 60,
    "extension_days": 30,
    "review_days": 30,
}


def decision() -> Any:
    """The decision, ``accepted`` when it is empty and accepted_on is set."""
    return sa.case(
        (sa.and_(p.c.decision.is_(None), p.c.accepted_on.is_not(None)), "accepted"),
        else_=p.c.decision,
    )


def closed() -> Any:
    """The closing date: the decision date for petitions not accepted or transferred."""
    return sa.case(
        (
            p.c.decision.in_(["not_accepted", "transferred"]),
            sa.func.coalesce(p.c.closed_on, p.c.accepted_on),
        ),
        else_=p.c.closed_on,
    )


def open_at_end(ctx: Context) -> sa.ColumnElement[bool]:
    """Received by E and not closed by E."""
    closing = closed()
    return sa.and_(
        p.c.received_on <= ctx.end, sa.or_(closing.is_(None), closing > ctx.end)
    )


def handling_deadline(ctx: Context) -> Any:
    """Accepted + 60 days, + 30 more when extended (the unit's parameters)."""
    days = ctx.param("handling_days", p.c.unit_code) + sa.case(
        (is_true(p.c.extended), ctx.param("extension_days", p.c.unit_code)), else_=0
    )
    return add_days(p.c.accepted_on, days)


def open_deadlines(ctx: Context) -> sa.Select[Any]:
    """Petitions open at E with their next legal deadline (the reports' watch list).

    Before its decision a petition's next deadline is the decision (received +
    15 days); once accepted, the handling deadline (+ 60, + 30 if extended).
    ``closed_on`` is its closing date, if any (after E, since it is open at E).
    """
    deciding = sa.or_(p.c.accepted_on.is_(None), p.c.accepted_on > ctx.end)
    decision_due = add_days(p.c.received_on, ctx.param("decision_days", p.c.unit_code))
    return sa.select(
        p.c.case_no,
        p.c.unit_code,
        p.c.received_on,
        p.c.accepted_on,
        closed().label("closed_on"),
        sa.case((deciding, "decision"), else_="handling").label("stage"),
        sa.case((deciding, decision_due), else_=handling_deadline(ctx)).label(
            "deadline"
        ),
    ).where(open_at_end(ctx), sa.or_(deciding, decision() == "accepted"))
