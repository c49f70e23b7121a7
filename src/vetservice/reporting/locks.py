"""审核锁定: a leader signs a unit's period off; an administrator reopens it.

Sign-offs are appended (``sign_offs``), never changed: the latest row of a
unit's period says whether it is locked, and every earlier one stays as the
record of who signed and who reopened. A lock is enforced by
:class:`~vetservice.imports.guards.LockGuard` on every import and delete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.calendar import Period
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_
from vetservice.imports.guards import Lock, LockGuard, ScopeGuard, WriteGuard
from vetservice.store import reading, transaction
from vetservice.store.audit_rows import actor_name, write_audit
from vetservice.store.schema import sign_offs as table


@attrs.frozen
class SignOff:
    """One row of the sign-off record."""

    unit_code: str
    period: str
    action: str  # sign, reopen
    at: dt.datetime
    actor: str
    note: str | None = None


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def sign_offs(
    conn: Connection, unit_code: str | None = None, period: str | None = None
) -> list[SignOff]:
    """The record, oldest first, for one unit and/or period when given."""
    query = sa.select(table).order_by(table.c.id)
    if unit_code is not None:
        query = query.where(table.c.unit_code == unit_code)
    if period is not None:
        query = query.where(table.c.period == period)
    return [
        SignOff(r.unit_code, r.period, r.action, _utc(r.at), r.actor, r.note)
        for r in conn.execute(query)
    ]


def _latest(conn: Connection) -> list[SignOff]:
    """The latest row of each (unit, period): one statement."""
    last = (
        sa.select(sa.func.max(table.c.id).label("id"))
        .group_by(table.c.unit_code, table.c.period)
        .subquery()
    )
    rows = conn.execute(sa.select(table).join(last, last.c.id == table.c.id))
    return [
        SignOff(r.unit_code, r.period, r.action, _utc(r.at), r.actor, r.note)
        for r in rows
    ]


def active_locks(conn: Connection) -> list[Lock]:
    """Every unit period signed off and not reopened since."""
    locks = []
    for row in _latest(conn):
        if row.action != "sign":
            continue
        period = Period.parse(row.period, as_of=dt.date.max)
        locks.append(
            Lock(
                row.unit_code,
                row.period,
                period.start,
                period.full_end,
                row.actor,
                row.at,
            )
        )
    return locks


def _period_label(period: str) -> str:
    return Period.parse(period, as_of=dt.date.max).label


def sign_off(
    engine: Engine,
    unit_code: str,
    period: str,
    *,
    actor: str | None,
    note: str | None = None,
) -> SignOff:
    """Lock ``unit_code``'s ``period``; refused when it is locked already. Audited."""
    label = _period_label(period)
    with transaction(engine) as conn:
        current = sign_offs(conn, unit_code, label)
        if current and current[-1].action == "sign":
            last = current[-1]
            raise ConfigurationError(
                N_("{unit} {period} was signed off already by {actor} at {at}"),
                unit=unit_code,
                period=label,
                actor=last.actor,
                at=last.at.strftime("%Y-%m-%d %H:%M"),
            )
        return _append(conn, unit_code, label, "sign", actor, note)


def reopen(
    engine: Engine,
    unit_code: str,
    period: str,
    *,
    actor: str | None,
    note: str | None = None,
) -> SignOff:
    """Unlock a signed-off period (a city administrator's act). Audited."""
    label = _period_label(period)
    with transaction(engine) as conn:
        current = sign_offs(conn, unit_code, label)
        if not current or current[-1].action != "sign":
            raise ConfigurationError(
                N_("{unit} {period} is not signed off"), unit=unit_code, period=label
            )
        return _append(conn, unit_code, label, "reopen", actor, note)


def _now() -> dt.datetime:
    """The moment of a sign-off or reopening (tests set it)."""
    return dt.datetime.now(dt.UTC)


def _append(
    conn: Connection,
    unit_code: str,
    period: str,
    action: str,
    actor: str | None,
    note: str | None,
) -> SignOff:
    row = SignOff(unit_code, period, action, _now(), actor_name(actor), note)
    conn.execute(table.insert().values(**attrs.asdict(row)))
    write_audit(
        conn,
        command=f"{'sign-off' if action == 'sign' else 'reopen'} {unit_code} {period}",
        actor=actor,
        detail={"unit": unit_code, "period": period, "note": note},
    )
    return row


def write_guards(engine: Engine, scope: str | None) -> Sequence[WriteGuard]:
    """The guards an import or delete goes through: the scope, when there is
    one, and the periods signed off, when there are any."""
    guards: list[WriteGuard] = []
    if scope is not None:
        guards.append(ScopeGuard(scope))
    with reading(engine) as conn:
        locks = active_locks(conn)
    if locks:
        guards.append(LockGuard(locks))
    return guards
