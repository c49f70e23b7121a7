"""Writing to a database: imports, deletes, cross-record checks, exports,
PostgreSQL scope roles and the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vetservice import audit as audit_trail
from vetservice import store
from vetservice.api.core import DatabaseCore, Files, file_paths
from vetservice.calendar import Period, today_in_china
from vetservice.domain import KINDS
from vetservice.errors import ConfigurationError, OutOfScopeError
from vetservice.i18n import N_, Message
from vetservice.imports import FileReport, ImportResult, delete_files, import_files
from vetservice.imports.checks import CHECK_FAILED, Check, Finding, validate
from vetservice.indicators.personal import personal_columns
from vetservice.indicators.registry import collect_overrides
from vetservice.plugins import Failure, error_text
from vetservice.store.audit_rows import write_audit
from vetservice.store.files import file_digest
from vetservice.store.scope import (
    export_subtree,
    grant_postgres_scope,
    in_scope,
)
from vetservice.stored import FigureSet, default_period, refresh, report_periods

CHECKS_HOOK = "vetservice_register_checks"


class Writing(DatabaseCore):
    """Records in and out, and what was done to them."""

    def import_file(
        self,
        kind: str,
        files: Files,
        *,
        skip_bad_rows: bool = False,
        today: dt.date | None = None,
        sheet: str | None = None,
        dry_run: bool = False,
        period: str | None = None,
    ) -> ImportResult:
        """Import one kind from one or more CSV/XLSX/XLS files (all or nothing);
        under a scope, the unit's 上报 for ``period`` (see :meth:`import_files`)."""
        return self.import_files(
            [(kind, path) for path in file_paths(files)],
            skip_bad_rows=skip_bad_rows,
            today=today,
            sheet=sheet,
            dry_run=dry_run,
            period=period,
        )

    def import_files(
        self,
        files: Iterable[tuple[str, str | Path]],
        *,
        skip_bad_rows: bool = False,
        today: dt.date | None = None,
        sheet: str | None = None,
        dry_run: bool = False,
        progress: Callable[[int, int | None], None] | None = None,
        period: str | None = None,
        via: str = "import",
        warm: bool = False,
        warmed: Callable[[Period, FigureSet], None] | None = None,
    ) -> ImportResult:
        """Import ``(kind, path)`` pairs of several kinds in one transaction.

        ``sheet`` reads only the sheet of that name of each workbook;
        ``dry_run`` counts what would change and writes nothing; ``progress``
        is called with the rows read so far and their estimated total (None
        when unknown) as a large file goes in.

        Under a scope a row of a unit outside it refuses the whole import, and
        the import is recorded as the scope unit's 上报 for ``period``
        (default: the last month or quarter that is over). A row that would
        change a signed-off period is refused everywhere. ``warm`` then
        computes the stored figures a dashboard opens on (:meth:`warm_figures`),
        calling ``warmed(period, set)`` after each period."""
        from vetservice.reporting import record_submissions, write_guards
        from vetservice.reporting.status import submitted_at

        scope = self.scope

        def submitted(conn: sa.Connection, reports: list[FileReport]) -> None:
            if scope is not None:
                record_submissions(
                    conn,
                    reports,
                    unit_code=scope,
                    actor=self.actor,
                    via=via,
                    period=period,
                    # ``today`` (the import's date) dates the submission too.
                    now=None if today is None else submitted_at(today),
                )

        result = import_files(
            self.engine,
            files,
            skip_bad_rows=skip_bad_rows,
            actor=self.actor,
            today=today,
            sheet=sheet,
            dry_run=dry_run,
            progress=progress,
            guards=write_guards(self.engine, scope),
            on_written=submitted,
        )
        if warm and not dry_run:
            self.warm_figures(progress=warmed)
        return result

    def delete_file(
        self, kind: str, files: Files, *, warm: bool = False
    ) -> ImportResult:
        """Remove the records whose keys the files list (all or nothing);
        ``warm`` as for :meth:`import_files`."""
        from vetservice.reporting import write_guards

        result = delete_files(
            self.engine,
            [(kind, p) for p in file_paths(files)],
            actor=self.actor,
            guards=write_guards(self.engine, self.scope),
        )
        if warm:
            self.warm_figures()
        return result

    def warm_figures(
        self,
        as_of: dt.date | None = None,
        progress: Callable[[Period, FigureSet], None] | None = None,
    ) -> None:
        """Compute the stored figures of the period a dashboard opens on (the
        latest quarter over by ``as_of``, default today in China), of its
        comparisons and of the year to ``as_of`` (整改情况), so that the first reader after a change does not wait
        (the sets stored before the change are no longer current);
        ``progress(period, set)`` after each period."""
        refresh(
            self.engine,
            self.indicators(),
            report_periods(default_period(as_of or today_in_china())),
            collect_overrides(self.plugins),
            progress=progress,
        )

    def validate(self) -> list[Finding]:
        """Cross-record checks over the whole database; each finding names its record."""
        pairs = self.plugins.collect(
            CHECKS_HOOK, Check, lambda plugin, check: (plugin, check)
        )
        owner = {id(check): plugin for plugin, check in pairs}

        def failed(check: Check, error: Exception) -> None:
            # One county's broken check is a named failure of its plugin.
            problem = Message(
                CHECK_FAILED, {"id": check.id, "error": error_text(error)}
            )
            self.plugins.fail(Failure(owner[id(check)], CHECKS_HOOK, problem.render()))

        findings = validate(
            self.engine,
            [check for _, check in pairs],
            personal=personal_columns,
            failed=failed,
        )
        if self.scope is None:
            return findings
        inside: dict[str, set[tuple[Any, ...]]] = {}
        with store.reading(self.engine) as conn:
            for name in {f.kind for f in findings}:
                table = store.TABLES[name]
                keys = [table.c[k] for k in KINDS[name].key]
                query = sa.select(*keys).where(in_scope(name, self.scope))
                inside[name] = {tuple(row) for row in conn.execute(query)}
        return [f for f in findings if tuple(f.key) in inside[f.kind]]

    def export(self, path: str | Path, scope: str | None = None) -> dict[str, int]:
        """Write a new SQLite database holding only ``scope``'s subtree (default:
        this database's scope) — what a county receives. Audited."""
        scope = scope or self.scope
        if scope is None:
            raise ConfigurationError(N_("name the unit to export with --scope"))
        self.within_scope(scope)
        counts = export_subtree(self.engine, path, scope)
        with store.transaction(self.engine) as conn:
            write_audit(
                conn,
                command=f"export --scope {scope}",
                actor=self.actor,
                file_name=Path(path).name,
                file_sha256=file_digest(path),
                added=sum(counts.values()),
            )
        return counts

    def grant_postgres_scope(self, role: str, scope: str) -> list[str]:
        """PostgreSQL only: hold ``role`` to ``scope``'s subtree by row-level
        security (see :func:`vetservice.store.scope.grant_postgres_scope`). Audited."""
        self.within_scope(scope)
        with store.transaction(self.engine) as conn:
            statements = grant_postgres_scope(conn, role, scope)
            write_audit(
                conn, command=f"pg-scope {role} --scope {scope}", actor=self.actor
            )
        return statements

    def audit(
        self,
        *,
        actor: str | None = None,
        command: str | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int | None = None,
    ) -> list[audit_trail.AuditEntry]:
        """The audit log, newest first: imports, deletes, reveals of personal
        information, snapshots. ``command`` matches a command or its first word,
        ``kind`` a record kind, ``since``/``until`` days in China (inclusive).

        The log can only grow: there is no call that changes or removes a row.
        It covers the whole database, so a scoped database refuses to list it.
        """
        if self.scope is not None:
            raise OutOfScopeError(
                N_("the audit log covers the whole database; open it without a scope"),
            )
        return audit_trail.entries(
            self.engine,
            actor=actor,
            command=command,
            kind=kind,
            since=since,
            until=until,
            limit=limit,
        )
