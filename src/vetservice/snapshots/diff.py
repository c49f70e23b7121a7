"""Comparing a snapshot with the same report computed now: figures, records, versions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from vetservice.calendar.periods import CHINA
from vetservice.domain import KINDS
from vetservice.i18n import N_, get_language, gettext
from vetservice.indicators import Kind, Status
from vetservice.reports.format import value_text
from vetservice.snapshots.digest import InputDigest, TableDigest
from vetservice.snapshots.frozen import Plugins, Snapshot
from vetservice.version import __version__

FIELDS = ("numerator", "denominator", "value", "status")


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
