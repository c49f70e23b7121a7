"""What an analyst or a plugin author asks of the figures: every unit of a
level in one call, ready for pandas, and the local standards in force.

:meth:`Analysis.figures` builds on the engine's set-based level evaluation
(one statement per indicator, whatever the number of units), with the
plugins' overrides and scopes applied as in reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import sqlalchemy as sa

from vetservice import store
from vetservice.api.core import DatabaseCore
from vetservice.calendar import Period
from vetservice.domain import Level
from vetservice.domain.records import Unit
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_, Message
from vetservice.indicators import evaluate_level
from vetservice.indicators.frames import to_arrow, to_pandas
from vetservice.indicators.model import Indicator, Target
from vetservice.indicators.registry import (
    OVERRIDES_HOOK,
    collect_plugin_overrides,
    for_unit,
    with_values,
)
from vetservice.plugins import Failure
from vetservice.stored import figure_set

FIGURE_COLUMNS = (
    "unit_code",
    "unit_name",
    "level",
    "parent_code",
    "indicator",
    "indicator_name",
    "kind",
    "numerator",
    "denominator",
    "value",
    "target",
    "status",
)


@attrs.frozen
class FigureTable:
    """One row per (unit, indicator): every unit of ``level`` under ``unit``.

    Ratios are fractions (0.75), money is Decimal yuan, ``status`` is
    met / not_met / no_data / no_target / failed; ``target`` is the target
    in force at the unit (a county's override included), as text.
    """

    period: Period
    unit: Unit
    level: Level
    rows: tuple[Mapping[str, Any], ...]
    failures: tuple[Failure, ...] = ()
    statements: int = 0
    columns: tuple[str, ...] = FIGURE_COLUMNS

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self.rows)

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per (unit, indicator) (``vetservice[analysis]``)."""
        return to_pandas(self.columns, self.rows)

    def to_arrow(self) -> Any:
        """A pyarrow Table of the same rows (``vetservice[analysis]``)."""
        return to_arrow(self.columns, self.rows)


@attrs.frozen
class LocalStandard:
    """An override in force: which plugin changes which indicator where."""

    plugin: str
    indicator: str
    indicator_name: str
    unit: str
    unit_name: str
    parameters: Mapping[str, Any]
    target: Target | None
    rule: str  # the indicator's rule with the local values, in the reader's language


class Analysis(DatabaseCore):
    """Figures for analysts, and the local standards in force."""

    def figures(
        self,
        period: str | Period,
        *,
        level: Level | str,
        under: str | None = None,
        indicators: Iterable[str] | None = None,
        as_of: dt.date | None = None,
    ) -> FigureTable:
        """Every indicator (or those named) at every unit of ``level`` under
        ``under`` (a code or unique name; default: the scope, or the one top
        unit), overrides applied, read in one statement from the period's
        stored figures (computed first, one statement per indicator for
        every unit at once, when the period has none yet). A county's
        indicator appears only at units inside or above its scope.

        >>> db.figures("2026Q3", level="village", under="宝塔区").to_pandas()  # doctest: +SKIP
        """
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        wanted_level = level if isinstance(level, Level) else _level(level)
        code = self.unit_code(under) if under is not None else self._top()
        every = self.indicators()
        registry = every
        if indicators is not None:
            named = list(indicators)
            registry = {k: registry[k] for k in named if k in registry}
        registry = for_unit(registry, self.engine, code, self.plugins)
        overrides = [o for _, o in collect_plugin_overrides(self.plugins)]
        # The stored figures of the period (every unit's sums, computed once
        # and kept): one statement reads the level's units, however many.
        found = evaluate_level(
            self.engine,
            registry,
            unit=code,
            level=wanted_level,
            period=period,
            overrides=overrides,
            stored=figure_set(self.engine, every, period, overrides),
            within_scopes=True,
        )
        for failure in found.failures:  # --strict-plugins: an error
            self.plugins.fail(failure)
        rows = []
        # Said once per indicator and target, not once per row.
        names = {i: indicator.name.render() for i, (_, indicator) in registry.items()}
        targets: dict[tuple[str, object], str] = {}
        for unit in found.units:
            for indicator_id, (_, indicator) in registry.items():
                figure = found.figures[indicator_id].get(unit.code)
                if figure is None:
                    continue  # another county's indicator: not 无数据 here
                rows.append(
                    {
                        "unit_code": unit.code,
                        "unit_name": unit.name,
                        "level": unit.level.value,
                        "parent_code": unit.parent_code,
                        "indicator": indicator_id,
                        "indicator_name": names[indicator_id],
                        "kind": indicator.kind.value,
                        "numerator": figure.numerator,
                        "denominator": figure.denominator,
                        "value": figure.value,
                        "target": _said(targets, indicator, figure.target),
                        "status": figure.status.value,
                    }
                )
        return FigureTable(
            period,
            found.unit,
            wanted_level,
            tuple(rows),
            tuple(found.failures),
            found.statements,
        )

    def _top(self) -> str:
        if self.scope is not None:
            return self.scope
        tops = self.top_units()
        if len(tops) != 1:
            raise ConfigurationError(
                N_("give the unit to look under: the database has {count} top units"),
                count=len(tops),
            )
        return tops[0].code

    def overrides_in_force(self, unit: str | None = None) -> list[LocalStandard]:
        """The plugins' overrides (local standards), by indicator and unit:
        all of them, or those applying at ``unit`` or under it. An override
        naming a unit the database does not hold is a failure of its plugin."""
        registry = self.indicators()
        pairs = collect_plugin_overrides(self.plugins, registry)
        codes = {o.unit for _, o in pairs}
        table = store.TABLES["units"]
        closure = store.unit_closure
        with store.reading(self.engine) as conn:
            names = dict(
                conn.execute(
                    sa.select(table.c.code, table.c.name).where(table.c.code.in_(codes))
                ).all()
            )
            anchor = self.unit_code(unit) if unit is not None else self.scope
            near = None
            if anchor is not None:
                near = {
                    a if d == anchor else d
                    for a, d in conn.execute(
                        sa.select(closure.c.ancestor, closure.c.descendant).where(
                            sa.or_(
                                sa.and_(
                                    closure.c.ancestor.in_(codes),
                                    closure.c.descendant == anchor,
                                ),
                                sa.and_(
                                    closure.c.ancestor == anchor,
                                    closure.c.descendant.in_(codes),
                                ),
                            )
                        )
                    )
                }
        found = []
        for plugin, override in pairs:
            if override.unit not in names:
                error = Message(
                    N_("override for {id}: unit {unit} is not in the database"),
                    {"id": override.indicator, "unit": override.unit},
                )
                self.plugins.fail(
                    Failure(plugin, OVERRIDES_HOOK, error.render(), override.indicator)
                )
                continue
            if near is not None and override.unit not in near:
                continue
            indicator = registry[override.indicator][1]
            found.append(
                LocalStandard(
                    plugin,
                    override.indicator,
                    indicator.name.render(),
                    override.unit,
                    names[override.unit],
                    dict(override.parameters),
                    override.target,
                    with_values(indicator, override, indicator.rule.render(), _lang()),
                )
            )
        return sorted(found, key=lambda s: (s.unit, s.indicator))


def _lang() -> str:
    from vetservice.i18n import get_language

    return get_language()


def _level(text: str) -> Level:
    for level in Level:
        if text in (level.value, level.display("zh")):
            return level
    raise ConfigurationError(
        N_("unknown level {level}; choose one of: {choices}"),
        level=text,
        choices="、".join(f"{lv.value}（{lv.display('zh')}）" for lv in Level),
    )


def _said(
    said: dict[tuple[str, object], str], indicator: Indicator, target: Target | None
) -> str | None:
    """A target as text, worked out once per indicator and target."""
    if target is None:
        return None
    key = (indicator.id, target)
    if key not in said:
        said[key] = target.describe(indicator.kind)
    return said[key]
