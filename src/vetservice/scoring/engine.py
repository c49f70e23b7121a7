"""Score and rank every unit of a sheet's level, and trace each point to its records.

The figures come from :func:`~vetservice.indicators.evaluate_level`:
one statement per indicator the sheet uses, whatever the number of units.
Points are Decimals, so 0.5-point deductions add up exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.domain.records import Unit
from vetservice.domain.values import is_unit_code
from vetservice.errors import ConfigurationError, NotFoundError
from vetservice.i18n import N_, Message
from vetservice.indicators import Explanation, Figure, evaluate_level, explain
from vetservice.indicators.engine import StoredSums
from vetservice.indicators.model import Kind, Override, Status
from vetservice.indicators.registry import Registry, collect_indicators
from vetservice.plugins import Failure, Plugins
from vetservice.scoring.model import (
    Count,
    Item,
    ItemKind,
    Line,
    ScoringSheet,
    SheetError,
    VetoScope,
)
from vetservice.store import reading, unit_closure

ZERO = Decimal(0)


@attrs.frozen
class ItemScore:
    """An item at one unit: how many instances, and the points they give (signed)."""

    item: Item
    instances: int | float | Decimal
    points: Decimal
    failed: bool = False

    @property
    def vetoes(self) -> bool:
        return self.item.kind is ItemKind.VETO and self.instances > 0


@attrs.frozen
class LineScore:
    line: Line
    score: Decimal
    items: tuple[ItemScore, ...]
    vetoed: bool

    @property
    def deducted(self) -> Decimal:
        return -sum((i.points for i in self.items if i.points < 0), ZERO)

    @property
    def bonus(self) -> Decimal:
        return sum((i.points for i in self.items if i.points > 0), ZERO)


@attrs.frozen
class UnitScore:
    """One unit's score: its lines, its total and its rank (None if a figure failed)."""

    unit: Unit
    total: Decimal
    lines: tuple[LineScore, ...]
    vetoed: bool
    failed: bool
    rank: int | None = None

    def items(self) -> list[tuple[LineScore, ItemScore]]:
        return [(line, item) for line in self.lines for item in line.items]


@attrs.frozen
class Scoring:
    """Every unit of the sheet's level under ``unit``, best first."""

    sheet: ScoringSheet
    plugin: str
    unit: Unit
    period: Period
    scores: tuple[UnitScore, ...]
    failures: tuple[Failure, ...]
    generated_at: dt.datetime
    statements: int = 0

    def __getitem__(self, code: str) -> UnitScore:
        for score in self.scores:
            if score.unit.code == code:
                return score
        raise NotFoundError(
            N_("unit {code} is not among the units this sheet scored under {unit}"),
            code=code,
            unit=self.unit.name,
        )


Sheets = dict[str, tuple[str, ScoringSheet]]


SHEETS_HOOK = "vetservice_register_scoring_sheets"


def collect_sheets(plugins: Plugins) -> Sheets:
    """id → (plugin, sheet) from every plugin. A sheet whose id is taken
    (built-ins win), whose scope is no unit code or whose items name missing
    indicators is refused alone, named as a failure of its plugin: it never
    refuses a report or another sheet's scoring."""
    found = plugins.collect_by_id(
        SHEETS_HOOK,
        ScoringSheet,
        N_("scoring sheet {id} is registered twice: by {first} and by {second}"),
    )
    registry = collect_indicators(plugins)
    sheets: Sheets = {}
    for sheet_id, (plugin, sheet) in found.items():
        try:
            check_sheet(sheet, registry)
        except SheetError as e:
            plugins.fail(Failure(plugin, SHEETS_HOOK, str(e), sheet_id))
            continue
        sheets[sheet_id] = (plugin, sheet)
    return sheets


def check_sheet(sheet: ScoringSheet, registry: Registry) -> None:
    """Refuse a sheet whose items name unknown indicators or read them the
    wrong way, or whose scope is not unit codes."""
    bad = [c for c in sheet.scope if not is_unit_code(c)]
    if bad:
        raise SheetError(
            sheet.source or sheet.id,
            None,
            Message(
                N_(
                    "the scope holds {codes}, which are not unit codes: write "
                    "scope: ['610602000000'] (a list of codes)"
                ),
                {"codes": "、".join(repr(c) for c in bad)},
            ),
        )
    for _, item in sheet.items():
        missing = [i for i in item.indicators if i not in registry]
        if missing:
            raise _item_error(
                sheet, item, N_("no indicator {id}"), id="、".join(missing)
            )
        kinds = {registry[i][1].kind for i in item.indicators}
        if len(kinds) > 1:
            raise _item_error(
                sheet, item, N_("the indicators of one item must be of one kind")
            )
        kind = kinds.pop()
        if item.count is Count.VALUE and kind in (Kind.RATIO, Kind.COMPLIANCE):
            raise _item_error(
                sheet,
                item,
                N_(
                    "count value needs a count or money indicator; "
                    "use numerator, denominator or shortfall"
                ),
            )
        if item.count is Count.SHORTFALL and kind in (Kind.COUNT, Kind.MONEY):
            raise _item_error(
                sheet, item, N_("count shortfall needs a ratio or compliance indicator")
            )


def _item_error(
    sheet: ScoringSheet, item: Item, msgid: str, **params: Any
) -> SheetError:
    reason = Message(
        N_("item {item}: {reason}"), {"item": item.id, "reason": Message(msgid, params)}
    )
    return SheetError(sheet.source or sheet.id, item.lineno, reason)


def instances(item: Item, figures: Sequence[Figure]) -> int | float | Decimal:
    """The item's indicators added together, read as ``item.count`` says."""
    numerator = sum((f.numerator for f in figures), 0)
    denominator = sum((f.denominator or 0 for f in figures), 0)
    count = item.count
    if count is Count.VALUE:
        return sum([f.value or 0 for f in figures])
    if count is Count.NUMERATOR:
        return numerator
    if count is Count.DENOMINATOR:
        return denominator
    if count is Count.SHORTFALL:
        return max(denominator - numerator, 0)
    if count is Count.NOT_MET:
        return int(any(f.status is Status.NOT_MET for f in figures))
    if count is Count.MET:
        return int(all(f.status is Status.MET for f in figures))
    return int(numerator == 0)


def _score_item(item: Item, figures: Sequence[Figure]) -> ItemScore:
    if any(f.status is Status.FAILED for f in figures):
        return ItemScore(item, 0, ZERO, failed=True)
    found = instances(item, figures)
    if item.kind is ItemKind.VETO or not found:
        return ItemScore(item, found, ZERO)
    points = item.points_for(found)
    return ItemScore(
        item, found, -points if item.kind is ItemKind.DEDUCTION else points
    )


def score_unit(
    sheet: ScoringSheet, unit: Unit, figures: Mapping[str, Mapping[str, Figure]]
) -> UnitScore:
    """Score one unit from the figures of the sheet's indicators at that unit."""
    lines = []
    for line in sheet.lines:
        items = tuple(
            _score_item(item, [figures[i][unit.code] for i in item.indicators])
            for item in line.items
        )
        vetoed = any(i.vetoes and i.item.veto is VetoScope.LINE for i in items)
        deducted = -sum((i.points for i in items if i.points < 0), ZERO)
        bonus = sum((i.points for i in items if i.points > 0), ZERO)
        score = ZERO if vetoed else max(line.weight - deducted, ZERO) + bonus
        lines.append(LineScore(line, score, items, vetoed))
    sheet_vetoed = any(
        i.vetoes and i.item.veto is VetoScope.SHEET
        for line in lines
        for i in line.items
    )
    total = ZERO if sheet_vetoed else sum((ln.score for ln in lines), ZERO)
    failed = any(i.failed for line in lines for i in line.items)
    return UnitScore(unit, total, tuple(lines), sheet_vetoed, failed)


def rank(scores: Sequence[UnitScore]) -> tuple[UnitScore, ...]:
    """Best total first; equal totals share a rank (1, 2, 2, 4); failed units last, unranked."""
    ranked = sorted(scores, key=lambda s: (s.failed, -s.total, s.unit.code))
    result = []
    previous: Decimal | None = None
    current = 0
    for position, score in enumerate(ranked, start=1):
        if score.failed:
            result.append(score)
            continue
        if score.total != previous:
            current, previous = position, score.total
        result.append(attrs.evolve(score, rank=current))
    return tuple(result)


def score(
    engine: Engine,
    sheet: ScoringSheet,
    registry: Registry,
    *,
    unit: str,
    period: Period,
    plugin: str = "",
    overrides: Sequence[Override] = (),
    stored: StoredSums | None = None,
) -> Scoring:
    """Score and rank every unit of ``sheet.level`` under ``unit`` for ``period``.

    A sheet with a scope scores only units inside it (:func:`scoring_unit`).
    ``stored``: the period's sums computed beforehand (see
    :func:`~vetservice.indicators.evaluate_level`).
    """
    check_sheet(sheet, registry)
    unit = scoring_unit(engine, sheet, unit)
    used = {i: registry[i] for i in sheet.indicator_ids}
    found = evaluate_level(
        engine,
        used,
        unit=unit,
        level=sheet.level,
        period=period,
        overrides=overrides,
        stored=stored,
    )
    scores = [score_unit(sheet, u, found.figures) for u in found.units]
    return Scoring(
        sheet,
        plugin,
        found.unit,
        period,
        rank(scores),
        tuple(found.failures),
        dt.datetime.now(dt.UTC),
        found.statements,
    )


def scoring_unit(engine: Engine, sheet: ScoringSheet, unit: str) -> str:
    """The unit to rank ``sheet``'s units under when asked for ``unit``:
    ``unit`` itself inside the sheet's scope (or for a sheet without one);
    the scope's unit when ``unit`` lies above a one-unit scope (a county's
    sheet asked for at the city ranks the county's units only). A unit
    outside the scope is refused with the reason (one statement)."""
    if not sheet.scope:
        return unit
    closure = unit_closure
    with reading(engine) as conn:
        rows = conn.execute(
            sa.select(closure.c.ancestor, closure.c.descendant).where(
                sa.or_(
                    sa.and_(
                        closure.c.ancestor.in_(sheet.scope),
                        closure.c.descendant == unit,
                    ),
                    sa.and_(
                        closure.c.ancestor == unit,
                        closure.c.descendant.in_(sheet.scope),
                    ),
                )
            )
        ).all()
    if any(descendant == unit for _, descendant in rows):
        return unit
    below = sorted({descendant for _, descendant in rows})
    if len(below) == 1:
        return str(below[0])
    raise ConfigurationError(
        N_(
            "scoring sheet {id} is meant for {scope} only, and unit "
            "{unit} lies outside it: score a unit inside its scope"
        ),
        id=sheet.id,
        scope="、".join(sheet.scope),
        unit=unit,
    )


@attrs.frozen
class Trace:
    """The records behind one item's instances at one unit."""

    line: Line
    item: ItemScore
    explanations: tuple[Explanation, ...]

    @property
    def rows(self) -> list[Mapping[str, Any]]:
        return [row for e in self.explanations for row in e.rows]


def _counted(count: Count, row: Mapping[str, Any]) -> bool:
    """Whether a fact row is one of the instances an item counted."""
    numerator = row.get("numerator") or 0
    denominator = row.get("denominator") or 0
    if count is Count.SHORTFALL:
        return bool(numerator < denominator)
    if count in (Count.VALUE, Count.NUMERATOR):
        return bool(numerator > 0)
    if count is Count.DENOMINATOR:
        return bool(denominator > 0)
    return True


def trace(
    engine: Engine,
    unit_score: UnitScore,
    registry: Registry,
    *,
    period: Period,
    overrides: Sequence[Override] = (),
    show_pii: bool = False,
) -> list[Trace]:
    """For every item that gave or took points (or vetoed), the records behind it."""
    traces = []
    for line_score, item_score in unit_score.items():
        if not (item_score.points or item_score.vetoes):
            continue
        explanations = []
        for indicator_id in item_score.item.indicators:
            found = explain(
                engine,
                registry[indicator_id][1],
                unit=unit_score.unit.code,
                period=period,
                overrides=overrides,
                show_pii=show_pii,
            )
            rows = [r for r in found.rows if _counted(item_score.item.count, r)]
            explanations.append(attrs.evolve(found, rows=rows))
        traces.append(Trace(line_score.line, item_score, tuple(explanations)))
    return traces
