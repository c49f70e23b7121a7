"""Report snapshots (报表留痕): the figures of a report as it was written.

A snapshot keeps the JSON report (:func:`vetservice.reports.json_report.report_dict`)
with a digest of the records it was computed from and the versions of
vetservice and of every plugin, so that later anyone can recompute the same
unit, period and as-of date and see exactly what changed and why: the
records (the digest, table by table) or the code (the versions).

The input digest is a SHA-256 over every record table, each read in the
order of its natural key. The database turns each row into one line of text
(fields separated by U+001F, NULL as ``\\N``, dates ``YYYY-MM-DD``, booleans
``1``/``0``) and the rows are streamed to the hash a few thousand at a time,
so a province is never held in memory. The text and the order (byte order of
the key, ``COLLATE "C"`` on PostgreSQL) are the same on SQLite and
PostgreSQL, so the same records give the same digest on both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from vetservice import audit
from vetservice.calendar.periods import CHINA
from vetservice.domain import KINDS
from vetservice.errors import NotFoundError
from vetservice.i18n import N_, get_language, gettext
from vetservice.indicators import Evaluation, Kind, Status
from vetservice.reports.format import value_text
from vetservice.reports.full import FullReport
from vetservice.reports.json_report import report_dict
from vetservice.store import TABLES, reading, transaction
from vetservice.store.schema import report_snapshots
from vetservice.version import __version__

SEPARATOR = "\x1f"
NULL = "\\N"
CHUNK_ROWS = 5000
FIELDS = ("numerator", "denominator", "value", "status")

Plugins = tuple[tuple[str, str | None], ...]  # (plugin name, version or None)


# ---------------------------------------------------------------------------
# The input digest.


class _date_text(FunctionElement[str]):
    """A date column as 'YYYY-MM-DD' text."""

    type = sa.Text()
    inherit_cache = True
    name = "date_text"


@compiles(_date_text, "sqlite")
def _date_text_sqlite(element: _date_text, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)  # stored as ISO text already


@compiles(_date_text, "postgresql")
def _date_text_pg(element: _date_text, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


def _as_text(column: sa.ColumnElement[Any], type_name: str) -> sa.ColumnElement[Any]:
    if type_name == "bool":
        text: sa.ColumnElement[Any] = sa.case((column, "1"), (sa.not_(column), "0"))
    elif type_name == "date":
        text = _date_text(column)
    elif type_name in ("int", "money"):
        text = sa.cast(column, sa.Text)
    else:
        text = column
    return sa.func.coalesce(text, NULL)


@attrs.frozen
class TableDigest:
    rows: int
    sha256: str


@attrs.frozen
class InputDigest:
    """SHA-256 of every record table, and of them all together."""

    sha256: str
    tables: Mapping[str, TableDigest] = attrs.field(repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "tables": {k: [t.rows, t.sha256] for k, t in self.tables.items()},
        }


def _row_lines(conn: Connection, kind_name: str) -> sa.Select[Any]:
    kind = KINDS[kind_name]
    table = TABLES[kind_name]
    texts = [_as_text(table.c[f.name], f.type.name) for f in kind.fields]
    line = texts[0]
    for text in texts[1:]:
        line = line + sa.literal(SEPARATOR, sa.Text) + text
    order = []
    for key in kind.key:
        column = table.c[key]
        if conn.dialect.name == "postgresql" and isinstance(column.type, sa.String):
            order.append(column.collate("C"))  # byte order, as on SQLite
        else:
            order.append(column)
    return sa.select(line).order_by(*order)


def input_digest(engine: Engine) -> InputDigest:
    """The digest of every record table, streamed (one consistent read)."""
    total = hashlib.sha256()
    tables: dict[str, TableDigest] = {}
    with reading(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Every table from the same snapshot of the database.
            conn.execution_options(isolation_level="REPEATABLE READ")
        for name in KINDS:
            digest = hashlib.sha256()
            rows = 0
            result = conn.execution_options(
                stream_results=True, yield_per=CHUNK_ROWS
            ).execute(_row_lines(conn, name))
            for chunk in result.scalars().partitions():
                digest.update(("\n".join(chunk) + "\n").encode("utf-8"))
                rows += len(chunk)
            tables[name] = TableDigest(rows, digest.hexdigest())
            total.update(f"{name}\t{rows}\t{tables[name].sha256}\n".encode())
    return InputDigest(total.hexdigest(), tables)


# ---------------------------------------------------------------------------
# Snapshots.


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
        snapshot_id = int(found.inserted_primary_key[0])
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
            },
        )
    return _snapshot({**row, "id": snapshot_id}, with_figures=True)


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


def _snapshot(row: Mapping[str, Any], with_figures: bool = False) -> Snapshot:
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


# ---------------------------------------------------------------------------
# Comparing a snapshot with the figures now.


@attrs.frozen
class FigureChange:
    """One indicator at one unit whose figure is not what the snapshot says.

    ``old`` or ``new`` is ``None`` when the indicator or the unit is only on
    one side (a plugin added or removed, a unit added to the hierarchy).
    """

    indicator: str
    name: str
    kind: str
    unit: str
    unit_name: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields that differ (all four when one side is missing)."""
        if self.old is None or self.new is None:
            return FIELDS
        return tuple(f for f in FIELDS if self.old.get(f) != self.new.get(f))

    def describe(self, lang: str | None = None) -> str:
        """'numerator 2 → 3; value 2 → 3' in the reader's language."""
        if self.old is None:
            return gettext(N_("not in the snapshot; now {figure}"), lang).format(
                figure=self._figure(self.new, lang)
            )
        if self.new is None:
            return gettext(N_("no longer computed; was {figure}"), lang).format(
                figure=self._figure(self.old, lang)
            )
        separator = "；" if (lang or "zh") == "zh" else "; "
        return separator.join(
            gettext(N_("{field} {old} → {new}"), lang).format(
                field=gettext(_FIELD_NAMES[f], lang),
                old=self._text(f, self.old.get(f), lang),
                new=self._text(f, self.new.get(f), lang),
            )
            for f in self.fields
        )

    def _figure(self, figure: Mapping[str, Any] | None, lang: str | None) -> str:
        assert figure is not None
        return self._text("value", figure.get("value"), lang)

    def _text(self, field: str, value: Any, lang: str | None) -> str:
        if field == "status":
            return Status(value).display(lang) if value else "—"
        if field == "value":
            return value_text(Kind(self.kind), value, lang or "zh")
        return "—" if value is None else str(value)

    def as_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "name": self.name,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "fields": list(self.fields),
            "old": dict(self.old) if self.old is not None else None,
            "new": dict(self.new) if self.new is not None else None,
        }


_FIELD_NAMES = {
    "numerator": N_("numerator"),
    "denominator": N_("denominator"),
    "value": N_("value"),
    "status": N_("status"),
}


@attrs.frozen
class TableChange:
    kind: str
    old: TableDigest | None
    new: TableDigest | None


@attrs.frozen
class PluginChange:
    """A plugin whose version differs; ``None``: not loaded on that side."""

    name: str
    old: str | None
    new: str | None
    old_loaded: bool
    new_loaded: bool


@attrs.frozen
class SnapshotDiff:
    """A snapshot against the same unit, period and as-of date computed now."""

    snapshot: Snapshot
    inputs: InputDigest
    vetservice_version: str
    plugins: Plugins
    changes: tuple[FigureChange, ...]

    @property
    def input_changed(self) -> bool:
        return self.inputs.sha256 != self.snapshot.inputs.sha256

    @property
    def table_changes(self) -> list[TableChange]:
        """Record tables whose rows differ from the snapshot's, in record-kind order."""
        old, new = self.snapshot.inputs.tables, self.inputs.tables
        return [
            TableChange(k, old.get(k), new.get(k))
            for k in [*new, *(k for k in old if k not in new)]
            if old.get(k) != new.get(k)
        ]

    @property
    def plugin_changes(self) -> list[PluginChange]:
        old, new = dict(self.snapshot.plugins), dict(self.plugins)
        return [
            PluginChange(n, old.get(n), new.get(n), n in old, n in new)
            for n in sorted(set(old) | set(new))
            if n not in old or n not in new or old[n] != new[n]
        ]

    @property
    def versions_changed(self) -> bool:
        return self.vetservice_version != self.snapshot.vetservice_version or bool(
            self.plugin_changes
        )

    @property
    def changed(self) -> bool:
        """Whether anything differs: a figure, the records or the code."""
        return bool(self.changes) or self.input_changed or self.versions_changed

    def describe(self, lang: str | None = None) -> list[str]:
        """The comparison as lines a reader can follow, in ``lang``."""
        old = self.snapshot
        lines = [
            _t(
                N_(
                    "snapshot {id}: {unit_name} ({unit}), {period}, as of {as_of}; "
                    "frozen {at} by {actor}"
                ),
                lang,
                id=old.id,
                unit_name=old.unit_name,
                unit=old.unit,
                period=old.period,
                as_of=old.as_of.isoformat(),
                at=old.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
                actor=old.actor,
            )
        ]
        if not self.input_changed:
            lines.append(
                _t(
                    N_("records: unchanged (SHA-256 {sha})"),
                    lang,
                    sha=old.inputs.sha256[:16],
                )
            )
        else:
            lines.append(
                _t(
                    N_("records: changed (SHA-256 {old} → {new})"),
                    lang,
                    old=old.inputs.sha256[:16],
                    new=self.inputs.sha256[:16],
                )
            )
            for table in self.table_changes:
                title = (
                    KINDS[table.kind].display_title(lang or get_language())
                    if table.kind in KINDS
                    else table.kind
                )
                before = table.old.rows if table.old else 0
                after = table.new.rows if table.new else 0
                lines.append(
                    "  "
                    + (
                        _t(
                            N_("{kind}: {old} → {new} rows"),
                            lang,
                            kind=title,
                            old=before,
                            new=after,
                        )
                        if before != after
                        else _t(
                            N_("{kind}: {rows} rows, contents changed"),
                            lang,
                            kind=title,
                            rows=after,
                        )
                    )
                )
        if not self.versions_changed:
            lines.append(
                _t(
                    N_("versions: unchanged (vetservice {version}, {count} plugins)"),
                    lang,
                    version=self.vetservice_version,
                    count=len(self.plugins),
                )
            )
        else:
            lines.append(_t(N_("versions: changed"), lang))
            if self.vetservice_version != old.vetservice_version:
                lines.append(
                    f"  vetservice {old.vetservice_version} → {self.vetservice_version}"
                )
            for plugin in self.plugin_changes:
                lines.append(
                    "  "
                    + _t(
                        N_("plugin {name}: {old} → {new}"),
                        lang,
                        name=plugin.name,
                        old=_version(plugin.old, plugin.old_loaded, lang),
                        new=_version(plugin.new, plugin.new_loaded, lang),
                    )
                )
        if not self.changes:
            lines.append(_t(N_("figures: unchanged"), lang))
        else:
            lines.append(
                _t(N_("figures: {count} changed"), lang, count=len(self.changes))
            )
            for change in self.changes:
                lines.append(
                    "  "
                    + _t(
                        N_("{indicator} {name}, {unit_name} ({unit}): {changes}"),
                        lang,
                        indicator=change.indicator,
                        name=change.name,
                        unit_name=change.unit_name,
                        unit=change.unit,
                        changes=change.describe(lang),
                    )
                )
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "snapshot": self.snapshot.as_json() | {"figures": None},
            "changed": self.changed,
            "input_changed": self.input_changed,
            "input_sha256": {
                "old": self.snapshot.inputs.sha256,
                "new": self.inputs.sha256,
            },
            "tables": [
                {
                    "kind": t.kind,
                    "old_rows": t.old.rows if t.old else None,
                    "new_rows": t.new.rows if t.new else None,
                }
                for t in self.table_changes
            ],
            "versions_changed": self.versions_changed,
            "vetservice_version": {
                "old": self.snapshot.vetservice_version,
                "new": self.vetservice_version,
            },
            "plugins": [
                {
                    "name": p.name,
                    "old": p.old if p.old_loaded else None,
                    "new": p.new if p.new_loaded else None,
                    "old_loaded": p.old_loaded,
                    "new_loaded": p.new_loaded,
                }
                for p in self.plugin_changes
            ],
            "changes": [c.as_json() for c in self.changes],
        }


def _t(msgid: str, lang: str | None, **params: Any) -> str:
    return gettext(msgid, lang).format(**params)


def _version(version: str | None, loaded: bool, lang: str | None) -> str:
    if not loaded:
        return gettext(N_("not loaded"), lang)
    return version or gettext(N_("no version"), lang)


def _figures_by_unit(
    report: Mapping[str, Any],
) -> tuple[
    dict[tuple[str, str], dict[str, Any]], dict[str, str], dict[str, tuple[str, str]]
]:
    """(indicator, unit) → figure; unit → name; indicator → (name, kind)."""
    figures: dict[tuple[str, str], dict[str, Any]] = {}
    units = {report["unit"]["code"]: report["unit"]["name"]}
    indicators: dict[str, tuple[str, str]] = {}
    for entry in report["indicators"]:
        indicators[entry["id"]] = (entry["name"], entry["kind"])
        figures[entry["id"], report["unit"]["code"]] = {f: entry.get(f) for f in FIELDS}
    for child in report["children"]:
        code = child["unit"]["code"]
        units[code] = child["unit"]["name"]
        for entry in child["indicators"]:
            figures[entry["id"], code] = {f: entry.get(f) for f in FIELDS}
    return figures, units, indicators


def compare(
    snapshot: Snapshot,
    now: Mapping[str, Any],
    *,
    inputs: InputDigest,
    plugins: Sequence[tuple[str, str | None]],
    vetservice_version: str = __version__,
) -> SnapshotDiff:
    """Name every (indicator, unit) whose figure differs between the snapshot and ``now``.

    ``now`` is the JSON report of the same unit, period and as-of date
    computed today. Changes come in the snapshot's order of indicators (new
    indicators last) and, within one indicator, the report's unit first, then
    its children.
    """
    assert snapshot.figures is not None
    # Through JSON, so numbers compare in the form they were stored in.
    now = json.loads(json.dumps(now, ensure_ascii=False))
    old_figures, old_units, old_indicators = _figures_by_unit(snapshot.figures)
    new_figures, new_units, new_indicators = _figures_by_unit(now)
    indicator_ids = list(old_indicators) + [
        i for i in new_indicators if i not in old_indicators
    ]
    unit_codes = list(old_units) + [u for u in new_units if u not in old_units]
    changes = []
    for indicator in indicator_ids:
        name, kind = new_indicators.get(indicator) or old_indicators[indicator]
        for unit in unit_codes:
            old = old_figures.get((indicator, unit))
            new = new_figures.get((indicator, unit))
            if old != new:
                changes.append(
                    FigureChange(
                        indicator,
                        name,
                        kind,
                        unit,
                        new_units.get(unit) or old_units[unit],
                        old,
                        new,
                    )
                )
    return SnapshotDiff(
        snapshot, inputs, vetservice_version, tuple(plugins), tuple(changes)
    )
