"""What a 考核 scoring sheet is: lines with weights, items drawing counts from indicators.

A line starts at its weight. Deduction items take ``points`` off per instance
(never below zero for the line), bonus items add ``points`` per instance, and
one instance of a veto item sets the line, or the whole sheet, to zero. An
item's instances come from one or more indicators, added together as if they
were one, read the way ``count`` says.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs

from vetservice.domain import Level
from vetservice.domain.labels import LabelledEnum
from vetservice.domain.values import one_or_many
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_, Bilingual, Message


class ItemKind(LabelledEnum):
    DEDUCTION = "deduction", "扣分项"
    BONUS = "bonus", "加分项"
    VETO = "veto", "否决项"


class Count(LabelledEnum):
    """How an item reads its indicators' figure as a number of instances."""

    VALUE = "value", "数值"
    NUMERATOR = "numerator", "分子"
    DENOMINATOR = "denominator", "分母"
    SHORTFALL = "shortfall", "缺口（分母−分子）"
    NOT_MET = "not_met", "未达标计 1 次"
    MET = "met", "达标计 1 次"
    ZERO = "zero", "为零计 1 次"


class VetoScope(LabelledEnum):
    LINE = "line", "本项得零分"
    SHEET = "sheet", "全表得零分"


class SheetError(ConfigurationError):
    """A scoring sheet that cannot be used; says which file and line."""

    def __init__(self, source: str, line: int | None, reason: Message) -> None:
        super().__init__(
            N_("scoring sheet {source}, line {line}: {reason}")
            if line
            else N_("scoring sheet {source}: {reason}"),
            source=source,
            line=line,
            reason=reason,
        )
        self.source = source
        self.line = line
        self.reason = reason


@attrs.frozen
class Item:
    """One rule of a line, e.g. 每遗落 1 人扣 0.5 分.

    Attributes:
        id: unique within its line.
        kind: deduction, bonus or veto.
        name: the rule as the sheet words it.
        indicators: ids of the indicators whose figures are added together.
        count: how the figure becomes a number of instances.
        points: points per instance (deductions and bonuses).
        cap: most points the item may deduct or add, or None.
        veto: what a veto sets to zero.
        lineno: the line of the sheet's file the item starts on.
    """

    id: str
    kind: ItemKind
    name: str
    indicators: tuple[str, ...] = attrs.field(converter=one_or_many)
    count: Count
    points: Decimal = Decimal(0)
    cap: Decimal | None = None
    veto: VetoScope = VetoScope.LINE
    lineno: int | None = None

    def points_for(self, instances: int | float | Decimal) -> Decimal:
        """Points this item deducts or adds for ``instances`` (never more than its cap)."""
        points = self.points * Decimal(instances)
        return min(points, self.cap) if self.cap is not None else points


def _items(items: Iterable[Item]) -> tuple[Item, ...]:
    return tuple(items)


@attrs.frozen
class Line:
    """A line of the sheet (e.g. 武装工作, 10 分) and its items."""

    id: str
    name: str
    weight: Decimal
    items: tuple[Item, ...] = attrs.field(converter=_items)
    lineno: int | None = None


def _lines(lines: Iterable[Line]) -> tuple[Line, ...]:
    return tuple(lines)


@attrs.frozen
class ScoringSheet:
    """A county's 考核 sheet for the units of one level.

    Attributes:
        id: unique among the loaded sheets, e.g. ``village_annual``.
        name: Chinese and English names.
        level: the level of the units scored and ranked.
        lines: the weighted lines.
        description: where the sheet comes from, shown with the scores.
        source: the file it was loaded from, for error messages.
        scope: unit codes whose subtrees the sheet is meant for (a county's
            own sheet); empty means everywhere. Reports include a sheet only
            inside its scope.
    """

    id: str
    name: Bilingual
    level: Level
    lines: tuple[Line, ...] = attrs.field(converter=_lines)
    description: str = ""
    source: str = ""
    scope: tuple[str, ...] = attrs.field(default=(), converter=one_or_many)

    def applies_to(self, ancestors: Iterator[str] | list[str]) -> bool:
        """Whether a unit with these ancestors (itself included) is in the scope."""
        return not self.scope or any(code in self.scope for code in ancestors)

    @property
    def max_score(self) -> Decimal:
        """The weights added up: the score of a unit with no deduction and no bonus."""
        return sum((line.weight for line in self.lines), Decimal(0))

    def items(self) -> Iterator[tuple[Line, Item]]:
        for line in self.lines:
            for item in line.items:
                yield line, item

    @property
    def indicator_ids(self) -> list[str]:
        """Every indicator the sheet draws on, in order of first use."""
        seen: dict[str, None] = {}
        for _, item in self.items():
            seen.update(dict.fromkeys(item.indicators))
        return list(seen)
