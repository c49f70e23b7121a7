"""上报: the schedule, the submissions, and for a period who has sent what.

A submission is recorded inside the import's transaction (an import under a
scope, an upload from the dashboard, a merged county file), one per kind:
the unit that sent it, the period it is for, when and by whom. The status of
a period is the same query as the indicators ``report.completeness`` and
``report.timeliness``, so the page and the report cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.calendar import Period, today_in_china
from vetservice.calendar.periods import CHINA
from vetservice.calendar.schedule import default_period
from vetservice.domain import KINDS, Level
from vetservice.domain import kind as find_kind
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_
from vetservice.imports.results import FileReport
from vetservice.indicators.builtin.reporting import expected
from vetservice.indicators.model import Context
from vetservice.store import TABLES, reading, transaction
from vetservice.store.audit_rows import actor_name, write_audit
from vetservice.store.schema import report_schedule
from vetservice.store.schema import submissions as table
from vetservice.store.scope import in_scope

FREQUENCIES = ("month", "quarter")


@attrs.frozen
class ScheduleItem:
    kind: str
    level: str
    frequency: str  # month, quarter
    deadline_day: int  # 1-28, in the month after the period


@attrs.frozen
class Submission:
    unit_code: str
    kind: str
    period: str
    at: dt.datetime
    submitted_on: dt.date
    actor: str
    via: str
    file_name: str | None
    rows: int


def schedule(conn: Connection) -> list[ScheduleItem]:
    rows = conn.execute(
        sa.select(report_schedule).order_by(
            report_schedule.c.level, report_schedule.c.kind
        )
    )
    return [ScheduleItem(r.kind, r.level, r.frequency, r.deadline_day) for r in rows]


def set_schedule(
    engine: Engine,
    kind: str,
    level: str,
    frequency: str | None,
    deadline_day: int = 5,
    *,
    actor: str | None = None,
) -> None:
    """Expect ``kind`` from every unit at ``level`` each month or quarter, due by
    ``deadline_day`` (1-28) of the month after; ``frequency`` None: no longer. Audited."""
    name = find_kind(kind).name
    level = Level(level).value
    if frequency is not None and frequency not in FREQUENCIES:
        raise ConfigurationError(
            N_("'{value}' is not a frequency; write month or quarter"), value=frequency
        )
    if not 1 <= deadline_day <= 28:
        raise ConfigurationError(
            N_("the deadline day must be between 1 and 28, not {day}"), day=deadline_day
        )
    with transaction(engine) as conn:
        conn.execute(
            report_schedule.delete().where(
                report_schedule.c.kind == name, report_schedule.c.level == level
            )
        )
        if frequency is not None:
            conn.execute(
                report_schedule.insert().values(
                    kind=name,
                    level=level,
                    frequency=frequency,
                    deadline_day=deadline_day,
                )
            )
        write_audit(
            conn,
            command=f"schedule {name} {level}",
            actor=actor,
            kind=name,
            detail={"frequency": frequency, "deadline_day": deadline_day},
        )


def _frequency_of(conn: Connection, kind: str) -> str:
    found = (
        conn.execute(
            sa.select(report_schedule.c.frequency).where(report_schedule.c.kind == kind)
        )
        .scalars()
        .first()
    )
    return str(found or "month")


def submitted_at(day: dt.date) -> dt.datetime:
    """Noon in China on ``day``, in UTC: the time of an import dated ``day``."""
    return dt.datetime.combine(day, dt.time(12), CHINA).astimezone(dt.UTC)


def record_submissions(
    conn: Connection,
    reports: Sequence[FileReport],
    *,
    unit_code: str,
    actor: str | None,
    via: str,
    period: str | None = None,
    now: dt.datetime | None = None,
) -> list[Submission]:
    """One submission per file imported, inside the import's transaction.

    ``period`` (``2026-11``, ``2026Q3``) defaults to the last month or quarter
    that is over, by the kind's schedule."""
    now = now or dt.datetime.now(dt.UTC)
    day = now.astimezone(CHINA).date()
    label = Period.parse(period, as_of=dt.date.max).label if period else None
    made = []
    for report in reports:
        made.append(
            Submission(
                unit_code=unit_code,
                kind=report.kind,
                period=label or default_period(_frequency_of(conn, report.kind), day),
                at=now,
                submitted_on=day,
                actor=actor_name(actor),
                via=via,
                file_name=Path(report.path).name,
                rows=report.added + report.updated + report.unchanged,
            )
        )
    if made:
        conn.execute(
            table.insert(),
            [
                {**attrs.asdict(s), "file_sha256": r.sha256 or None}
                for s, r in zip(made, reports, strict=True)
            ],
        )
    return made


def submissions(
    engine: Engine, *, period: str | None = None, scope: str | None = None
) -> list[Submission]:
    """The submissions, newest first (of one period; within a scope)."""
    query = sa.select(table).order_by(table.c.id.desc())
    if period is not None:
        query = query.where(
            table.c.period == Period.parse(period, as_of=dt.date.max).label
        )
    if scope is not None:
        query = query.where(
            table.c.unit_code.in_(
                sa.select(TABLES["units"].c.code).where(in_scope("units", scope))
            )
        )
    with reading(engine) as conn:
        return [
            Submission(
                r.unit_code,
                r.kind,
                r.period,
                r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.UTC),
                r.submitted_on,
                r.actor,
                r.via,
                r.file_name,
                r.rows,
            )
            for r in conn.execute(query)
        ]


@attrs.frozen
class StatusRow:
    """One ledger a unit owes for a due period, and whether it came in time."""

    unit_code: str
    unit_name: str
    level: str
    kind: str
    period: str
    deadline: dt.date
    submitted_on: dt.date | None

    @property
    def on_time(self) -> bool:
        return self.submitted_on is not None and self.submitted_on <= self.deadline

    @property
    def kind_title(self) -> str:
        return KINDS[self.kind].title if self.kind in KINDS else self.kind


@attrs.frozen
class Status:
    """上报 status of a period: every expected ledger, sent or not."""

    period: str
    rows: tuple[StatusRow, ...]

    @property
    def completeness(self) -> float | None:
        return (
            sum(r.submitted_on is not None for r in self.rows) / len(self.rows)
            if self.rows
            else None
        )

    @property
    def timeliness(self) -> float | None:
        return sum(r.on_time for r in self.rows) / len(self.rows) if self.rows else None

    @property
    def missing(self) -> list[StatusRow]:
        """The 催报 list: ledgers not sent, the most overdue first."""
        return sorted(
            (r for r in self.rows if r.submitted_on is None),
            key=lambda r: (r.deadline, r.unit_code, r.kind),
        )


def status(
    engine: Engine,
    period: str,
    *,
    scope: str | None = None,
    as_of: dt.date | None = None,
) -> Status:
    """Which units owe which ledgers for ``period`` and what came in: one statement."""
    p = Period.parse(period, as_of=as_of or today_in_china())
    e = expected(Context(p, "report.completeness", {}))
    units = TABLES["units"]
    query = (
        sa.select(e, units.c.name, units.c.level)
        .join(units, units.c.code == e.c.unit_code)
        .order_by(e.c.period, units.c.level, e.c.unit_code, e.c.kind)
    )
    if scope is not None:
        query = query.where(in_scope("units", scope))
    with reading(engine) as conn:
        rows = tuple(
            StatusRow(
                r.unit_code,
                r.name,
                r.level,
                r.kind,
                r.period,
                _date(r.deadline),
                _date(r.submitted_on) if r.submitted_on else None,
            )
            for r in conn.execute(query)
        )
    return Status(p.label, rows)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
