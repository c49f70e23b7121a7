"""The state every part of :class:`vetservice.Database` shares: the engine,
the plugins, the scope, reading units and records, and the audit of reveals."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice import audit as audit_trail
from vetservice import snapshots as report_snapshots
from vetservice import store
from vetservice.api.listing import (
    RecordTable,
    as_of_day,
    personal_fields,
    where_clause,
)
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
from vetservice.indicators import (
    Explanation,
)
from vetservice.indicators.registry import (
    Registry,
    collect_indicators,
)
from vetservice.plugins import Plugins, create_plugin_manager
from vetservice.reports.full import FullReport
from vetservice.scoring import (
    Sheets,
    collect_sheets,
)
from vetservice.store.schema import row_to_record, to_db
from vetservice.store.scope import (
    in_scope,
    within,
)

Files = str | Path | Sequence[str | Path]


def file_paths(files: Files) -> list[str | Path]:
    """One path or several, as a list."""
    return [files] if isinstance(files, str | Path) else list(files)


@attrs.define
class DatabaseCore:
    """The engine, the plugins and the scope every part of a database reads through."""

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

    def indicators(self) -> Registry:
        """Every loaded indicator: id → (plugin, indicator)."""
        return collect_indicators(self.plugins)

    def sensitive_periods(self) -> tuple[SensitivePeriod, ...]:
        """The default and plugins' sensitive periods, changed by ``sensitive_config``
        (see :func:`vetservice.calendar.configure_sensitive_periods`)."""
        config = self.sensitive_config
        if isinstance(config, str | Path):
            config = load_sensitive_config(config)
        return collect_sensitive_periods(self.plugins, config)

    def scoring_sheets(self) -> Sheets:
        """Every loaded scoring sheet: id → (plugin, sheet)."""
        return collect_sheets(self.plugins)

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

    def list_records(
        self,
        kind: str,
        *,
        unit: str | None = None,
        where: Mapping[str, Any] | None = None,
        show_pii: bool = False,
        as_of: dt.date | None = None,
    ) -> RecordTable:
        """The rows of ``kind`` (in the scope, under ``unit`` when given, where
        fields equal values) as a clerk checks an import: one statement.
        ``as_of`` gives a state ledger as it stood on that day (the versions
        then in force, under the unit each record had then).

        ``unit`` is a code or a unique name (:meth:`unit_code`); ``where``
        names fields in English or by their Chinese header and gives values
        as text read with the field's value type (``{"性别": "男"}``). Id
        numbers and phones are masked unless ``show_pii``, which is audited
        before anything unmasked leaves the library.
        """
        record_kind = find_kind(kind)
        table = store.TABLES[record_kind.name]
        query = sa.select(table).order_by(*(table.c[k] for k in record_kind.key))
        query = query.where(*where_clause(record_kind, where or {}))
        code = self.unit_code(unit) if unit is not None else None
        if code is not None:
            query = query.where(in_scope(record_kind.name, code))
        if self.scope is not None:
            query = query.where(in_scope(record_kind.name, self.scope))
        if as_of is not None:
            query = as_of_day(query, record_kind, as_of)
        with store.reading(self.engine) as conn:
            found = RecordTable.from_rows(
                record_kind, conn.execute(query), masked=not show_pii
            )
        if show_pii:
            audit_trail.reveal(
                self.engine,
                "records",
                self.actor,
                {
                    "kind": record_kind.name,
                    "unit": code,
                    "where": {k: str(v) for k, v in (where or {}).items()},
                    "columns": personal_fields(record_kind),
                    "rows": len(found),
                },
            )
        return found

    def unit_code(self, name_or_code: str) -> str:
        """The code of the unit given by its code or its name (吴起县), within
        the scope. A name several units share is refused, naming each with
        the units above it; so is a unit that does not exist."""
        value = name_or_code.strip()
        table = store.TABLES["units"]
        closure = store.unit_closure
        above = table.alias("above")
        query = (
            sa.select(table.c.code, table.c.name, above.c.name.label("above"))
            .outerjoin(
                closure,
                sa.and_(closure.c.descendant == table.c.code, closure.c.depth > 0),
            )
            .outerjoin(above, above.c.code == closure.c.ancestor)
            .where(sa.or_(table.c.code == value, table.c.name == value))
            .order_by(table.c.code, closure.c.depth.desc())
        )
        with store.reading(self.engine) as conn:
            rows = conn.execute(query).all()
        exact = {r.code for r in rows if r.code == value}
        if exact:
            return self.within_scope(value)
        paths: dict[str, list[str]] = {}
        for r in rows:
            paths.setdefault(r.code, [])
            if r.above is not None:
                paths[r.code].append(r.above)
        if not paths:
            raise NotFoundError(N_("no unit with code or name {unit}"), unit=value)
        codes = list(paths)
        if self.scope is not None and len(codes) > 1:
            inside = [c for c in codes if self._inside(c)]
            codes = inside or codes[:1]
        if len(codes) > 1:
            raise ConfigurationError(
                N_("{count} units are called {name}; give the code of one: {units}"),
                count=len(codes),
                name=value,
                units="；".join(f"{c}（{'/'.join(paths[c]) or '—'}）" for c in codes),
            )
        return self.within_scope(codes[0])

    def _inside(self, code: str) -> bool:
        try:
            self.within_scope(code)
        except OutOfScopeError:
            return False
        return True

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def save(content: str | bytes, path: str | Path | None) -> str | bytes:
    """The rendered content, written to ``path`` when one is given."""
    if path is not None:
        if isinstance(content, bytes):
            Path(path).write_bytes(content)
        else:
            Path(path).write_text(content, encoding="utf-8")
    return content
