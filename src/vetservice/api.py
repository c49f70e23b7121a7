"""The public API: open a database, import, read back, validate.

>>> import vetservice as vs
>>> db = vs.open("sqlite:///vetservice.db")      # creates or upgrades
>>> db.import_file("veterans", "veterans.xlsx")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice import audit as audit_trail
from vetservice import reports, store
from vetservice import snapshots as report_snapshots
from vetservice.calendar import (
    Period,
    SensitivePeriod,
    collect_sensitive_periods,
    load_sensitive_config,
)
from vetservice.domain import KINDS, Level
from vetservice.domain import kind as find_kind
from vetservice.domain.records import Unit
from vetservice.errors import ConfigurationError, NotFoundError, OutOfScopeError
from vetservice.i18n import N_
from vetservice.imports import ImportResult, delete_files, import_files
from vetservice.imports.checks import Check, Finding, validate
from vetservice.imports.importer import file_digest
from vetservice.indicators import (
    Evaluation,
    Explanation,
    Figure,
    evaluate,
    explain,
)
from vetservice.indicators.registry import (
    Registry,
    collect_indicators,
    collect_overrides,
)
from vetservice.plugins import Plugins, create_plugin_manager
from vetservice.reports.full import FullReport, build_full_report, sheets_meant_for
from vetservice.reports.suppress import suppress_small_cells
from vetservice.scoring import (
    Scoring,
    ScoringSheet,
    Sheets,
    Trace,
    collect_sheets,
    load_sheet,
    score,
    trace,
)
from vetservice.store.audit_rows import write_audit
from vetservice.store.schema import row_to_record, to_db
from vetservice.store.scope import (
    export_subtree,
    grant_postgres_scope,
    in_scope,
    within,
)

Files = str | Path | Sequence[str | Path]


def _paths(files: Files) -> list[str | Path]:
    return [files] if isinstance(files, str | Path) else list(files)


@attrs.define
class Database:
    """A vetservice database (SQLite file or PostgreSQL) and what can be done with it."""

    engine: Engine
    actor: str | None = None
    plugins: Plugins = attrs.field(factory=create_plugin_manager)
    # Dates of the province's and city's 两会 and other changes to the sensitive
    # periods: a mapping, or a YAML file (default: VETSERVICE_SENSITIVE_PERIODS).
    sensitive_config: Mapping[str, Any] | str | Path | None = attrs.field(
        factory=lambda: os.environ.get("VETSERVICE_SENSITIVE_PERIODS") or None
    )
    # A unit code: every read is limited to that unit's subtree (None: everything).
    scope: str | None = None

    def within_scope(self, code: str) -> str:
        """``code`` if that unit lies in the scope; otherwise a clear refusal."""
        if self.scope is None:
            return code
        with store.reading(self.engine) as conn:
            inside = conn.execute(within(code, self.scope)).first()
        if inside is None:
            raise OutOfScopeError(
                N_("unit {code} is outside the scope {scope}"),
                code=code,
                scope=self.scope,
            )
        return code

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- writing -----------------------------------------------------------

    def import_file(
        self,
        kind: str,
        files: Files,
        *,
        skip_bad_rows: bool = False,
        today: dt.date | None = None,
    ) -> ImportResult:
        """Import one kind from one or more CSV/XLSX files (all or nothing)."""
        return self.import_files(
            [(kind, path) for path in _paths(files)],
            skip_bad_rows=skip_bad_rows,
            today=today,
        )

    def import_files(
        self,
        files: Iterable[tuple[str, str | Path]],
        *,
        skip_bad_rows: bool = False,
        today: dt.date | None = None,
    ) -> ImportResult:
        """Import ``(kind, path)`` pairs of several kinds in one transaction."""
        return import_files(
            self.engine,
            files,
            skip_bad_rows=skip_bad_rows,
            actor=self.actor,
            today=today,
        )

    def delete_file(self, kind: str, files: Files) -> ImportResult:
        """Remove the records whose keys the files list (all or nothing)."""
        return delete_files(
            self.engine, [(kind, p) for p in _paths(files)], actor=self.actor
        )

    def validate(self) -> list[Finding]:
        """Cross-record checks over the whole database; each finding names its record."""
        checks = self.plugins.collect("vetservice_register_checks", Check)
        findings = validate(self.engine, checks)
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

    # -- indicators --------------------------------------------------------

    def indicators(self) -> Registry:
        """Every loaded indicator: id → (plugin, indicator)."""
        return collect_indicators(self.plugins)

    def evaluate(
        self,
        unit: str,
        period: str | Period,
        *,
        as_of: dt.date | None = None,
        indicators: Iterable[str] | None = None,
    ) -> Evaluation:
        """Every indicator (or those named) at ``unit`` and its children for ``period``."""
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        self.within_scope(unit)
        registry = self.indicators()
        if indicators is not None:
            wanted = set(indicators)
            registry = {k: v for k, v in registry.items() if k in wanted}
        result = evaluate(
            self.engine,
            registry,
            unit=unit,
            period=period,
            overrides=collect_overrides(self.plugins),
            failures=self.plugins.failures,
        )
        # Keep indicator failures with the plugins' own, so a command can report them all.
        for failure in result.failures:
            if failure not in self.plugins.failures:
                self.plugins.failures.append(failure)
        return result

    def explain(
        self,
        indicator: str,
        unit: str,
        period: str | Period,
        *,
        as_of: dt.date | None = None,
        show_pii: bool = False,
    ) -> Explanation:
        """The records behind an indicator's numerator and denominator at ``unit``."""
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        registry = self.indicators()
        if indicator not in registry:
            raise NotFoundError(N_("no indicator {id}"), id=indicator)
        self.within_scope(unit)
        found = explain(
            self.engine,
            registry[indicator][1],
            unit=unit,
            period=period,
            overrides=collect_overrides(self.plugins),
            show_pii=show_pii,
        )
        if show_pii:  # audited before anything unmasked leaves the library
            self._reveal(
                "explain",
                {"indicator": indicator, "unit": unit, "period": period.label},
                period,
                [found],
            )
        return found

    # -- reports -----------------------------------------------------------

    def render(
        self,
        report: Evaluation | FullReport,
        fmt: str,
        path: str | Path | None = None,
        *,
        lang: str | None = None,
    ) -> str | bytes:
        """Render a report or a plain evaluation in a format (``json``, ``md``, …);
        write it if ``path`` is given."""
        return _save(reports.render(self.plugins, report, fmt, lang), path)

    def write_reports(
        self,
        unit: str,
        period: str | Period,
        formats: Sequence[str],
        out_dir: str | Path,
        *,
        as_of: dt.date | None = None,
        each_child: bool = False,
        lang: str | None = None,
        progress: Callable[[int], None] | None = None,
        frozen: list[report_snapshots.Snapshot] | None = None,
        min_cell: int = 0,
    ) -> list[Path]:
        """Write the report of ``unit`` (and, with ``each_child``, of every child) in each format.

        Files are named ``<code>-<name>.<ext>``; ``progress(1)`` is called per report written.
        With ``frozen`` (a list), each report is also stored as a snapshot
        (:meth:`freeze`) and the snapshots are appended to the list. With
        ``min_cell`` k, published figures that are counts below k are withheld
        ("<k"); snapshots keep the true figures.
        """
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        reports.renderers(self.plugins)  # a broken renderer hook is named in the files
        first = self.report(unit, period)
        keep = self._freezer(frozen, lang)

        def evaluations() -> Iterator[FullReport]:
            yield suppress_small_cells(keep(first), min_cell)
            if each_child:
                for child in first.children:
                    child_report = keep(self.report(child.code, period))
                    yield suppress_small_cells(child_report, min_cell)

        return reports.write(
            self.plugins, evaluations(), formats, out_dir, lang=lang, progress=progress
        )

    def report(
        self, unit: str, period: str | Period, *, as_of: dt.date | None = None
    ) -> FullReport:
        """Everything a report shows: the evaluation of ``unit`` and its children,
        the same figures for the previous period (环比), the same period last
        year (同比) and the year to date (累计), environment and staffing by
        station kind, the petitions watch list and the rankings of the scoring
        sheets meant for this unit's subtree (see :mod:`vetservice.reports.full`).
        """
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        self.within_scope(unit)
        chain = [u.code for u in self.ancestors(unit)]
        return build_full_report(
            self.engine,
            self.indicators(),
            unit=unit,
            period=period,
            current=lambda: self.evaluate(unit, period),
            overrides=collect_overrides(self.plugins),
            sensitive=self.sensitive_periods(),
            sheets=sheets_meant_for(
                self.scoring_sheets(), self.unit(unit).level, chain
            ),
            plugin_failures=self.plugins.failures,
        )

    def trend(
        self,
        indicator: str,
        unit: str,
        period: str | Period,
        *,
        count: int = 8,
        as_of: dt.date | None = None,
    ) -> list[tuple[Period, Figure]]:
        """The indicator at ``unit`` over ``count`` periods of the same kind ending
        with ``period``, oldest first (one statement or so per period)."""
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        registry = self.indicators()
        if indicator not in registry:
            raise NotFoundError(N_("no indicator {id}"), id=indicator)
        self.within_scope(unit)
        periods = [period]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        overrides = collect_overrides(self.plugins)
        points = []
        for each in reversed(periods):
            found = evaluate(
                self.engine,
                {indicator: registry[indicator]},
                unit=unit,
                period=each,
                overrides=overrides,
                shortfalls=False,
            )
            points.append((each, found[indicator].figure))
        return points

    def sensitive_periods(self) -> tuple[SensitivePeriod, ...]:
        """The default and plugins' sensitive periods, changed by ``sensitive_config``
        (see :func:`vetservice.calendar.configure_sensitive_periods`)."""
        config = self.sensitive_config
        if isinstance(config, str | Path):
            config = load_sensitive_config(config)
        return collect_sensitive_periods(self.plugins, config)

    # -- 考核 scoring ----------------------------------------------------------

    def scoring_sheets(self) -> Sheets:
        """Every loaded scoring sheet: id → (plugin, sheet)."""
        return collect_sheets(self.plugins)

    def score(
        self,
        sheet: str | Path | ScoringSheet,
        unit: str,
        period: str | Period,
        *,
        as_of: dt.date | None = None,
    ) -> Scoring:
        """Score and rank every unit of the sheet's level under ``unit``.

        ``sheet`` is a loaded sheet's id, a YAML file a county wrote, or a
        :class:`~vetservice.scoring.ScoringSheet`.
        """
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        plugin, found = self._sheet(sheet)
        self.within_scope(unit)
        return score(
            self.engine,
            found,
            self.indicators(),
            unit=unit,
            period=period,
            plugin=plugin,
            overrides=collect_overrides(self.plugins),
        )

    def trace_score(
        self, scoring: Scoring, unit: str, *, show_pii: bool = False
    ) -> list[Trace]:
        """The records behind every point a scored unit lost or gained."""
        self.within_scope(unit)
        traces = trace(
            self.engine,
            scoring[unit],
            self.indicators(),
            period=scoring.period,
            overrides=collect_overrides(self.plugins),
            show_pii=show_pii,
        )
        if show_pii:  # audited before anything unmasked leaves the library
            self._reveal(
                "trace_score",
                {
                    "sheet": scoring.sheet.id,
                    "unit": unit,
                    "period": scoring.period.label,
                },
                scoring.period,
                [e for t in traces for e in t.explanations],
            )
        return traces

    def _sheet(self, sheet: str | Path | ScoringSheet) -> tuple[str, ScoringSheet]:
        if isinstance(sheet, ScoringSheet):
            return "", sheet
        sheets = self.scoring_sheets()
        if isinstance(sheet, str) and sheet in sheets:
            return sheets[sheet]
        if Path(sheet).suffix.lower() in (".yaml", ".yml") and Path(sheet).is_file():
            return "", load_sheet(sheet)
        raise NotFoundError(
            N_("no scoring sheet {id}; loaded: {ids}"),
            id=str(sheet),
            ids=", ".join(sheets) or "-",
        )

    # -- separation ----------------------------------------------------------

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

    # -- audit log and report snapshots (留痕) ----------------------------------

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

    def freeze(
        self, report: Evaluation | FullReport, *, lang: str | None = None
    ) -> report_snapshots.Snapshot:
        """Store a report's figures (its JSON report) as a snapshot (报表留痕),
        with the digest of the records and the versions of vetservice and of
        every plugin. Audited."""
        frozen: list[report_snapshots.Snapshot] = []
        self._freezer(frozen, lang)(FullReport.of(report))
        return frozen[0]

    def snapshots(
        self,
        *,
        unit: str | None = None,
        period: str | None = None,
        limit: int | None = None,
    ) -> list[report_snapshots.Snapshot]:
        """The stored snapshots, newest first (without their figures); under a
        scope only those of units inside it."""
        found = report_snapshots.snapshots(
            self.engine, unit=unit, period=period, limit=None if self.scope else limit
        )
        if self.scope is not None:
            inside = {u.code for u in self.descendants(self.scope)}
            found = [s for s in found if s.unit in inside][: limit or None]
        return found

    def snapshot(self, snapshot_id: int) -> report_snapshots.Snapshot:
        """One stored snapshot with its figures."""
        found = report_snapshots.snapshot(self.engine, snapshot_id)
        self.within_scope(found.unit)
        return found

    def diff_snapshot(self, snapshot_id: int) -> report_snapshots.SnapshotDiff:
        """Recompute a snapshot's unit, period and as-of date now and name every
        figure that changed, and whether the records or the versions did."""
        old = self.snapshot(snapshot_id)
        now = self.evaluate(old.unit, Period.parse(old.period, old.as_of))
        return report_snapshots.compare(
            old,
            reports.json_report.report_dict(now, old.lang),
            inputs=report_snapshots.input_digest(self.engine),
            plugins=self._plugin_versions(),
        )

    def _plugin_versions(self) -> list[tuple[str, str | None]]:
        return [(info.name, info.version) for info in self.plugins.describe()]

    def _freezer(
        self, frozen: list[report_snapshots.Snapshot] | None, lang: str | None
    ) -> Callable[[FullReport], FullReport]:
        """A function that freezes a report (when ``frozen`` is a list),
        appends the snapshot to ``frozen`` and hands the report back; the
        records' digest is taken once, at the first report."""
        inputs: list[report_snapshots.InputDigest] = []

        def keep(report: FullReport) -> FullReport:
            if frozen is None:
                return report
            if not inputs:
                inputs.append(report_snapshots.input_digest(self.engine))
            snapshot = report_snapshots.freeze(
                self.engine,
                report,
                actor=self.actor,
                inputs=inputs[0],
                plugins=self._plugin_versions(),
                lang=lang,
            )
            frozen.append(snapshot)
            return report

        return keep

    def _reveal(
        self,
        what: str,
        detail: dict[str, Any],
        period: Period,
        explanations: Sequence[Explanation],
    ) -> None:
        """Write the audit row of a ``show_pii`` call: what was shown, how many rows."""
        columns = sorted({c for e in explanations for c in e.indicator.pii})
        audit_trail.reveal(
            self.engine,
            what,
            self.actor,
            {
                **detail,
                "as_of": period.as_of.isoformat(),
                "columns": columns,
                "rows": sum(len(e.rows) for e in explanations),
            },
        )

    # -- reading -----------------------------------------------------------

    def records(self, kind: str, **equal: Any) -> list[Any]:
        """Every record of ``kind`` (optionally where fields equal values), as domain objects."""
        record_kind = find_kind(kind)
        table = store.TABLES[record_kind.name]
        query = sa.select(table).order_by(*(table.c[k] for k in record_kind.key))
        if self.scope is not None:
            query = query.where(in_scope(record_kind.name, self.scope))
        for name, value in equal.items():
            query = query.where(
                table.c[name] == to_db(record_kind.field(name).type, value)
            )
        with store.reading(self.engine) as conn:
            return [row_to_record(record_kind, row) for row in conn.execute(query)]

    def count(self, kind: str) -> int:
        name = find_kind(kind).name
        query = sa.select(sa.func.count()).select_from(store.TABLES[name])
        if self.scope is not None:
            query = query.where(in_scope(name, self.scope))
        with store.reading(self.engine) as conn:
            return int(conn.scalar(query) or 0)

    def counts(self) -> dict[str, int]:
        """Rows per record kind."""
        return {name: self.count(name) for name in KINDS}

    def unit(self, code: str) -> Unit:
        self.within_scope(code)
        units = self.records("units", code=code)
        if not units:
            raise NotFoundError(N_("no unit with code {code}"), code=code)
        unit: Unit = units[0]
        return unit

    def children(self, code: str) -> list[Unit]:
        self.within_scope(code)
        return self.records("units", parent_code=code)

    def top_units(self) -> list[Unit]:
        """The units at the top of the hierarchy (or the scope's unit)."""
        if self.scope is not None:
            return [self.unit(self.scope)]
        table = store.TABLES["units"]
        with store.reading(self.engine) as conn:
            rows = conn.execute(
                sa.select(table)
                .where(table.c.parent_code.is_(None))
                .order_by(table.c.code)
            )
            return [row_to_record(KINDS["units"], row) for row in rows]

    def ancestors(self, code: str) -> list[Unit]:
        """The unit and its ancestors, nearest first (up to the scope's unit)."""
        self.within_scope(code)
        table = store.TABLES["units"]
        closure = store.unit_closure
        query = (
            sa.select(table)
            .join(closure, closure.c.ancestor == table.c.code)
            .where(closure.c.descendant == code)
            .order_by(closure.c.depth)
        )
        if self.scope is not None:
            query = query.where(in_scope("units", self.scope))
        with store.reading(self.engine) as conn:
            return [row_to_record(KINDS["units"], row) for row in conn.execute(query)]

    def descendants(self, code: str, level: Level | None = None) -> list[Unit]:
        """The unit's subtree (itself included), through the ancestor table."""
        self.within_scope(code)
        table = store.TABLES["units"]
        closure = store.unit_closure
        query = (
            sa.select(table)
            .join(closure, closure.c.descendant == table.c.code)
            .where(closure.c.ancestor == code)
            .order_by(table.c.code)
        )
        if level is not None:
            query = query.where(table.c.level == level.value)
        with store.reading(self.engine) as conn:
            return [row_to_record(KINDS["units"], row) for row in conn.execute(query)]

    # -- looking after the database ----------------------------------------

    def backup(self, path: str | Path, *, force: bool = False) -> store.backup.Backup:
        """Write a consistent copy of the SQLite database to ``path`` while it is
        in use (SQLite's online backup), and audit it with the copy's SHA-256.

        An existing ``path`` is refused unless ``force``. A PostgreSQL database
        raises :class:`~vetservice.errors.ConfigurationError` naming ``pg_dump``,
        and so does a scope: the copy would hold every unit, not only the scope's.
        """
        from vetservice.store.backup import backup

        if self.scope is not None:
            raise ConfigurationError(
                N_(
                    "a backup holds the whole database, not only the scope {scope}; "
                    "for a copy of the scope's records use 'vetservice export "
                    "--scope {scope}'"
                ),
                scope=self.scope,
            )
        return backup(self.engine, path, force=force, actor=self.actor)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open(
    url: str | None = None,
    *,
    actor: str | None = None,
    plugins: Plugins | None = None,
    sensitive_periods: Mapping[str, Any] | str | Path | None = None,
    scope: str | None = None,
) -> Database:
    """Open (creating or upgrading) the database at ``url``.

    ``url`` defaults to ``VETSERVICE_DB``, else ``sqlite:///vetservice.db``.
    An older SQLite file is upgraded after a copy is kept beside it; an older
    PostgreSQL schema raises :class:`~vetservice.errors.SchemaOutdatedError`.
    """
    engine = store.create_engine(url)
    store.ensure_schema(engine)
    db = Database(engine, actor=actor, plugins=plugins or create_plugin_manager())
    if sensitive_periods is not None:
        db.sensitive_config = sensitive_periods
    if scope is not None:
        db.scope = scope
        db.within_scope(scope)  # an unknown unit is refused now, not at the first read
    return db


def render(
    report: Evaluation | FullReport,
    fmt: str,
    path: str | Path | None = None,
    *,
    lang: str | None = None,
) -> str | bytes:
    """Render with the built-in and installed renderers (see :meth:`Database.render`)."""
    return _save(reports.render(create_plugin_manager(), report, fmt, lang), path)


def _save(content: str | bytes, path: str | Path | None) -> str | bytes:
    if path is not None:
        if isinstance(content, bytes):
            Path(path).write_bytes(content)
        else:
            Path(path).write_text(content, encoding="utf-8")
    return content


def init(url: str | None = None) -> Database:
    """Create the database or upgrade it to the newest schema, on any backend."""
    engine = store.create_engine(url)
    store.upgrade(engine)
    return Database(engine)
