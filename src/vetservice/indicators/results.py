"""What evaluating indicators gives: figures per unit, results, evaluations.

Plain values; :mod:`vetservice.indicators.engine` computes them and the
reports read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from vetservice.calendar import Period
from vetservice.domain import Level
from vetservice.domain.records import Unit
from vetservice.i18n import Message
from vetservice.indicators.model import Indicator, Status, Target
from vetservice.plugins import Failure


@attrs.frozen
class Coverage:
    """How many units at ``level`` under a unit the indicator covers."""

    level: Level
    reporting: int
    of: int

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level.value, "reporting": self.reporting, "of": self.of}


@attrs.frozen
class Figure:
    """One indicator at one unit."""

    unit: str
    numerator: int | Decimal
    denominator: int | None
    value: float | int | Decimal | None
    status: Status
    target: Target | None
    coverage: Coverage | None = None
    # k when the figure is withheld from a published table (a count below k).
    suppressed: int = 0
    # A scoped (county plugin's) indicator at a unit neither in nor above its
    # scope: the figure does not apply there, it is not missing data.
    outside: bool = False


@attrs.frozen
class Shortfall:
    unit: str
    name: str
    reason: Message
    facts: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class IndicatorResult:
    indicator: Indicator
    plugin: str
    figures: Mapping[str, Figure]
    shortfalls: Sequence[Shortfall] = ()
    failure: Failure | None = None
    unit: str = ""
    # A list cut at a depth: how many shortfalls lie further down, in the
    # subtree of the unit and of each child (code → count; absent: none).
    unlisted: Mapping[str, int] = attrs.field(factory=dict)

    @property
    def figure(self) -> Figure:
        return self.figures[self.unit]

    @property
    def numerator(self) -> int | Decimal:
        return self.figure.numerator

    @property
    def denominator(self) -> int | None:
        return self.figure.denominator

    @property
    def value(self) -> float | int | Decimal | None:
        return self.figure.value

    @property
    def status(self) -> Status:
        return self.figure.status


@attrs.frozen
class GroupFigure:
    """An indicator summed over the stations of one kind (县区服务中心, 街道, 乡镇, 社区, 村)."""

    group: str
    numerator: int
    denominator: int
    value: float | None


@attrs.frozen
class Evaluation:
    """Every indicator for a unit and its children in one period.

    A full report (:meth:`vetservice.Database.report`) sets comparisons,
    breakdown, watch list and rankings beside it
    (:class:`vetservice.reports.full.FullReport`).
    """

    unit: Unit
    children: Sequence[Unit]
    period: Period
    results: Mapping[str, IndicatorResult]
    failures: Sequence[Failure]
    generated_at: dt.datetime
    statements: int = 0

    def __getitem__(self, indicator_id: str) -> IndicatorResult:
        return self.results[indicator_id]

    def __iter__(self) -> Any:
        return iter(self.results.values())

    def figure(self, indicator_id: str, unit: str) -> Figure:
        return self.results[indicator_id].figures[unit]


@attrs.frozen
class LevelFigures:
    """Figures of some indicators at every unit of one level under ``unit`` (for scoring sheets)."""

    unit: Unit
    units: Sequence[Unit]
    figures: Mapping[str, Mapping[str, Figure]]
    failures: Sequence[Failure]
    statements: int = 0


@attrs.frozen
class Explanation:
    indicator: Indicator
    unit: str
    period: Period
    columns: Sequence[str]
    rows: Sequence[Mapping[str, Any]]

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (``vetservice[analysis]``)."""
        from vetservice.indicators.frames import to_pandas

        return to_pandas(self.columns, self.rows)

    def to_arrow(self) -> Any:
        """The rows as a pyarrow Table (``vetservice[analysis]``)."""
        from vetservice.indicators.frames import to_arrow

        return to_arrow(self.columns, self.rows)

    @property
    def numerator(self) -> int:
        return sum(int(r["numerator"] or 0) for r in self.rows)

    @property
    def denominator(self) -> int:
        return sum(int(r["denominator"] or 0) for r in self.rows)
