"""上报 and 审核锁定 on a database: submissions, status, schedule, sign-offs,
and merging a county's own database file."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import sqlalchemy as sa

from vetservice import reporting, store
from vetservice.api.core import DatabaseCore
from vetservice.api.listing import RecordTable
from vetservice.api.writing import Writing
from vetservice.calendar import Period
from vetservice.domain import KINDS
from vetservice.errors import OutOfScopeError, ValidationError
from vetservice.i18n import N_
from vetservice.imports import ImportResult
from vetservice.store import reading
from vetservice.store.audit_rows import write_audit
from vetservice.store.files import file_digest


class Reporting(DatabaseCore):
    """Who has sent which ledger for a period, and which periods are locked."""

    def submission_status(
        self, unit: str, period: str, *, as_of: dt.date | None = None
    ) -> reporting.Status:
        """For ``period``: every ledger the schedule expects from the units of
        ``unit``'s subtree (within the scope), sent or not, and when; its
        ``missing`` is the 催报 list."""
        code = self.unit_code(unit)
        return reporting.status(self.engine, period, scope=code, as_of=as_of)

    def submissions(self, period: str | None = None) -> list[reporting.Submission]:
        """The submissions (of one period), newest first, within the scope."""
        return reporting.submissions(self.engine, period=period, scope=self.scope)

    def schedule(self) -> list[reporting.ScheduleItem]:
        with reading(self.engine) as conn:
            return reporting.schedule(conn)

    def set_schedule(
        self, kind: str, level: str, frequency: str | None, deadline_day: int = 5
    ) -> None:
        """Expect ``kind`` from each unit at ``level`` monthly or quarterly
        (None: no longer), due by ``deadline_day`` of the month after. Audited."""
        if self.scope is not None:
            raise OutOfScopeError(
                N_("the schedule covers the whole database; open it without a scope")
            )
        reporting.set_schedule(
            self.engine, kind, level, frequency, deadline_day, actor=self.actor
        )

    def sign_off(
        self, unit: str, period: str, note: str | None = None
    ) -> reporting.SignOff:
        """Lock ``unit``'s ``period`` (in the scope): afterwards an import or
        delete that would change a figure of the subtree for the period is
        refused, naming who signed and when. Audited."""
        code = self.unit_code(unit)
        Period.parse(period)
        return reporting.sign_off(
            self.engine, code, period, actor=self.actor, note=note
        )

    def reopen(
        self, unit: str, period: str, note: str | None = None
    ) -> reporting.SignOff:
        """Unlock a signed-off period. Only without a scope (the city). Audited."""
        if self.scope is not None:
            raise OutOfScopeError(
                N_("only the city's administrator reopens a signed-off period")
            )
        code = self.unit_code(unit)
        return reporting.reopen(self.engine, code, period, actor=self.actor, note=note)

    def sign_offs(
        self, unit: str | None = None, period: str | None = None
    ) -> list[reporting.SignOff]:
        """The sign-off record (signs and reopenings), oldest first."""
        code = self.unit_code(unit) if unit is not None else self.scope
        label = Period.parse(period).label if period is not None else None
        with reading(self.engine) as conn:
            return reporting.sign_offs(conn, code, label)


class Merging(Reporting):
    """A county that runs its own file sends it back to the city."""

    def merge(
        self,
        path: str | Path,
        *,
        sha256: str,
        unit: str | None = None,
        period: str | None = None,
        today: dt.date | None = None,
    ) -> ImportResult:
        """Import a county's database file (made by ``export --scope``) as that
        county's 上报: its SHA-256 must be ``sha256``; its top unit is the
        county (``unit``, when given, must be it) and must lie in this
        database's scope; every row goes through the importer held to the
        county's subtree, so nothing outside it is written, and a
        signed-off period refuses what would change it. All or nothing;
        audited with the file's digest."""
        path = Path(path)
        found = file_digest(path)
        if found.lower() != sha256.strip().lower():
            raise ValidationError(
                N_(
                    "the SHA-256 of {file} is {found}, not {expected}: the file changed on its way"
                ),
                file=path.name,
                found=found,
                expected=sha256.strip(),
            )
        county = store.create_engine(
            f"sqlite:///{path.resolve().as_posix()}", create=False
        )
        try:
            with reading(county) as conn:
                root = _top_unit(conn, path.name)
                if unit is not None and self.unit_code(unit) != root:
                    raise ValidationError(
                        N_("{file} holds the units of {found}, not of {unit}"),
                        file=path.name,
                        found=root,
                        unit=unit,
                    )
                self.within_scope(root)
                with tempfile.TemporaryDirectory(prefix="vetservice-merge-") as folder:
                    pairs = _ledgers(conn, Path(folder))
                    held = Writing(
                        self.engine,
                        actor=self.actor,
                        plugins=self.plugins,
                        scope=root,
                    )
                    result = held.import_files(
                        pairs, period=period, via="merge", today=today
                    )
        finally:
            county.dispose()
        with store.transaction(self.engine) as conn:
            write_audit(
                conn,
                command=f"merge {root}",
                actor=self.actor,
                file_name=path.name,
                file_sha256=found,
                added=result.total("added"),
                updated=result.total("updated"),
                unchanged=result.total("unchanged"),
            )
        return result


def _top_unit(conn: sa.Connection, name: str) -> str:
    """The one unit of the file whose parent is not in the file."""
    units = store.TABLES["units"]
    codes = dict(conn.execute(sa.select(units.c.code, units.c.parent_code)).all())
    tops = sorted(code for code, parent in codes.items() if parent not in codes)
    if len(tops) != 1:
        raise ValidationError(
            N_("{file} is no county's export: it has {count} top units ({units})"),
            file=name,
            count=len(tops),
            units="、".join(tops) or "—",
        )
    return str(tops[0])


def _ledgers(conn: sa.Connection, folder: Path) -> list[tuple[str, Path]]:
    """Each kind's rows of the file as a CSV in the contract's own words (the
    importer reads them back exactly: Chinese headers, values as written out)."""
    pairs = []
    for name, kind in KINDS.items():
        table = store.TABLES[name]
        rows = conn.execute(
            sa.select(table).order_by(*(table.c[k] for k in kind.key))
        ).all()
        if not rows:
            continue
        records = RecordTable.from_rows(kind, rows, masked=False)
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(records.headers("zh"))
            writer.writerows(records.text_rows("zh"))
        pairs.append((name, path))
    return pairs
