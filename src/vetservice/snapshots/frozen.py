"""Freezing a report as a snapshot, and reading the snapshots back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine, RowMapping

from vetservice import audit
from vetservice.calendar.periods import CHINA
from vetservice.errors import NotFoundError
from vetservice.i18n import N_, get_language
from vetservice.indicators import Evaluation
from vetservice.reports.full import FullReport
from vetservice.reports.json_report import report_dict
from vetservice.snapshots.digest import InputDigest, TableDigest
from vetservice.store import reading, transaction
from vetservice.store.schema import report_snapshots, sign_offs, unit_closure
from vetservice.version import __version__

Plugins = tuple[tuple[str, str | None], ...]  # (plugin name, version or None)


@attrs.frozen
class Snapshot:
    """A frozen report: its figures, inputs and versions.

    ``figures`` is the JSON report; listings leave it out (``None``).
    """

    id: int
    at: dt.datetime  # aware, UTC
    actor: str
    unit: str
    unit_name: str
    period: str
    as_of: dt.date
    lang: str
    inputs: InputDigest
    vetservice_version: str
    plugins: Plugins
    figures: Mapping[str, Any] | None = attrs.field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "at": self.at.astimezone(CHINA).isoformat(timespec="seconds"),
            "actor": self.actor,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "lang": self.lang,
            "input_sha256": self.inputs.sha256,
            "vetservice_version": self.vetservice_version,
            "plugins": [list(p) for p in self.plugins],
        }
        if self.figures is not None:
            data["figures"] = self.figures
        return data


def freeze(
    engine: Engine,
    report: Evaluation | FullReport,
    *,
    actor: str | None,
    inputs: InputDigest,
    plugins: Iterable[tuple[str, str | None]],
    lang: str | None = None,
    vetservice_version: str = __version__,
) -> Snapshot:
    """Store ``report``'s JSON report (in ``lang``, default the current
    language) as a snapshot and note it in the audit log, in one transaction."""
    lang = lang or get_language()
    figures = report_dict(report, lang)
    period = report.period
    row = {
        "at": dt.datetime.now(dt.UTC),
        "actor": audit.actor_name(actor),
        "unit_code": report.unit.code,
        "unit_name": report.unit.name,
        "period": period.label,
        "as_of": period.as_of,
        "lang": lang,
        "input_sha256": inputs.sha256,
        "input_tables": json.dumps(inputs.as_json()["tables"]),
        "vetservice_version": vetservice_version,
        "plugins": json.dumps([list(p) for p in plugins]),
        "figures": json.dumps(figures, ensure_ascii=False),
    }
    with transaction(engine) as conn:
        found = conn.execute(report_snapshots.insert().values(**row))
        key = found.inserted_primary_key
        assert key is not None  # an insert of one row
        snapshot_id = int(key[0])
        signed = _sign_offs(conn, report.unit.code, period.label)
        audit.record(
            conn,
            audit.FREEZE,
            actor,
            {
                "snapshot": snapshot_id,
                "unit": report.unit.code,
                "period": period.label,
                "as_of": period.as_of.isoformat(),
                "input_sha256": inputs.sha256,
            }
            # The period's sign-offs as they stood, when there are any.
            | ({"sign_offs": signed} if signed else {}),
        )
    return _snapshot({**row, "id": snapshot_id}, with_figures=True)


def _sign_offs(conn: sa.Connection, unit: str, period: str) -> list[dict[str, str]]:
    """The sign-offs and reopenings of the period at the unit and above it, as
    they stood when the report was frozen (审核锁定, issue 19)."""
    rows = conn.execute(
        sa.select(sign_offs)
        .join(unit_closure, unit_closure.c.ancestor == sign_offs.c.unit_code)
        .where(unit_closure.c.descendant == unit, sign_offs.c.period == period)
        .order_by(sign_offs.c.id)
    )
    return [
        {
            "unit": r.unit_code,
            "action": r.action,
            "actor": r.actor,
            "at": r.at.strftime("%Y-%m-%d %H:%M"),
        }
        for r in rows
    ]


_SUMMARY = [c for c in report_snapshots.c if c.name != "figures"]


def snapshots(
    engine: Engine,
    *,
    unit: str | None = None,
    period: str | None = None,
    limit: int | None = None,
) -> list[Snapshot]:
    """The stored snapshots, newest first, without their figures."""
    query = sa.select(*_SUMMARY).order_by(report_snapshots.c.id.desc())
    if unit is not None:
        query = query.where(report_snapshots.c.unit_code == unit)
    if period is not None:
        query = query.where(report_snapshots.c.period == period)
    if limit is not None:
        query = query.limit(limit)
    with reading(engine) as conn:
        return [_snapshot(row) for row in conn.execute(query).mappings()]


def snapshot(engine: Engine, snapshot_id: int) -> Snapshot:
    """One snapshot with its figures."""
    with reading(engine) as conn:
        row = (
            conn.execute(
                sa.select(report_snapshots).where(report_snapshots.c.id == snapshot_id)
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFoundError(N_("no report snapshot {id}"), id=snapshot_id)
    return _snapshot(row, with_figures=True)


def _snapshot(
    row: Mapping[str, Any] | RowMapping, with_figures: bool = False
) -> Snapshot:
    at = row["at"]
    if at.tzinfo is None:  # SQLite keeps the UTC wall time without its zone
        at = at.replace(tzinfo=dt.UTC)
    as_of = row["as_of"]
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    tables = json.loads(row["input_tables"])
    return Snapshot(
        id=row["id"],
        at=at.astimezone(dt.UTC),
        actor=row["actor"],
        unit=row["unit_code"],
        unit_name=row["unit_name"],
        period=row["period"],
        as_of=as_of,
        lang=row["lang"],
        inputs=InputDigest(
            row["input_sha256"],
            {k: TableDigest(int(n), str(h)) for k, (n, h) in tables.items()},
        ),
        vetservice_version=row["vetservice_version"],
        plugins=tuple((str(n), v) for n, v in json.loads(row["plugins"])),
        figures=json.loads(row["figures"]) if with_figures else None,
    )
