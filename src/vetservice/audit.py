"""The audit log (审计日志): who did what, when, on which file, with what result.

Every row is written by :func:`vetservice.store.audit_rows.write_audit`, in the
transaction of what it records (imports and deletes with their records, a
backup before its copy is kept). This module records reveals of personal
information (``show_pii``) and report snapshots, and reads the log.

There is deliberately no call that changes or removes a row, and the database
refuses UPDATE and DELETE on the table as well (migration 0002).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, RowMapping

from vetservice.calendar.periods import CHINA
from vetservice.domain import kind as find_kind
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_
from vetservice.store import audit_log, reading, transaction
from vetservice.store.audit_rows import actor_name, write_audit

# Commands written by this module (imports write "import" and "delete").
REVEAL = "show_pii"
FREEZE = "freeze"

__all__ = [
    "FREEZE",
    "REVEAL",
    "AuditEntry",
    "actor_name",
    "entries",
    "record",
    "reveal",
]


@attrs.frozen
class AuditEntry:
    """One row of the audit log."""

    id: int
    at: dt.datetime  # aware, UTC
    actor: str
    command: str
    kind: str | None
    file_name: str | None
    file_sha256: str | None
    added: int
    updated: int
    unchanged: int
    deleted: int
    skipped: int
    detail: Mapping[str, Any]

    def as_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["at"] = self.at.astimezone(CHINA).isoformat(timespec="seconds")
        data["detail"] = dict(self.detail)
        return data


def record(
    conn: Connection,
    command: str,
    actor: str | None,
    detail: Mapping[str, Any],
    *,
    kind: str | None = None,
) -> int:
    """Append a row (inside the caller's transaction); returns its id."""
    return write_audit(conn, command=command, actor=actor, kind=kind, detail=detail)


def reveal(
    engine: Engine, what: str, actor: str | None, detail: Mapping[str, Any]
) -> int:
    """Record that personal information was shown unmasked (``show_pii``).

    ``what`` names the call (``explain``, ``trace_score``); ``detail`` says
    what was revealed (indicator or sheet, unit, period, columns, rows).
    """
    with transaction(engine) as conn:
        return record(conn, f"{REVEAL} {what}", actor, detail)


def _utc_start(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in China, in UTC."""
    return dt.datetime.combine(day, dt.time.min, CHINA).astimezone(dt.UTC)


def entries(
    engine: Engine,
    *,
    actor: str | None = None,
    command: str | None = None,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The rows of the log, newest first.

    ``command`` matches a whole command or its first word (``show_pii``
    matches ``show_pii explain``); ``kind`` is a record kind's English or
    Chinese name; ``since`` and ``until`` are days in China, both included.
    """
    query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    if command is not None:
        query = query.where(
            sa.or_(
                audit_log.c.command == command,
                audit_log.c.command.startswith(f"{command} ", autoescape=True),
            )
        )
    if kind is not None:
        query = query.where(audit_log.c.kind == find_kind(kind).name)
    if since is not None and until is not None and until < since:
        raise ConfigurationError(
            N_("the end date {until} is before the start date {since}"),
            since=since.isoformat(),
            until=until.isoformat(),
        )
    if since is not None:
        query = query.where(audit_log.c.at >= _utc_start(since))
    if until is not None:
        query = query.where(audit_log.c.at < _utc_start(until + dt.timedelta(days=1)))
    if limit is not None:
        if limit < 0:
            raise ConfigurationError(
                N_("the limit must be 0 or more, not {limit}"), limit=limit
            )
        query = query.limit(limit)
    with reading(engine) as conn:
        return [_entry(row) for row in conn.execute(query).mappings()]


def _entry(row: RowMapping) -> AuditEntry:
    at = row["at"]
    if isinstance(at, str):  # SQLite without type information
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:  # SQLite keeps the UTC wall time without its zone
        at = at.replace(tzinfo=dt.UTC)
    return AuditEntry(
        id=row["id"],
        at=at.astimezone(dt.UTC),
        actor=row["actor"],
        command=row["command"],
        kind=row["kind"],
        file_name=row["file_name"],
        file_sha256=row["file_sha256"],
        added=row["added"],
        updated=row["updated"],
        unchanged=row["unchanged"],
        deleted=row["deleted"],
        skipped=row["skipped"],
        detail=_detail(row["detail"]),
    )


def _detail(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"text": text}
