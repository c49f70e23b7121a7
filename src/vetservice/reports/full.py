"""The full report: an evaluation and everything a report shows beside it.

:func:`build_full_report` (what :meth:`vetservice.Database.report` calls)
reads, side by side, the evaluation of the unit and its children, the same
figures for the previous period (环比), the same period last year (同比) and
the year to date (累计), the environment and staffing figures by station
kind, the petitions to-do lists (watch list and overdue cases, true at the
as-of date, not at E) and the rankings of the scoring sheets meant for the
unit's subtree. A plain evaluation is a report without them
(:meth:`FullReport.of`), so every renderer takes either.

Statements grow with the number of indicators and sheets, never with the
number of units. With the figures store (``stored``: a period → its current
:class:`~vetservice.stored.FigureSet`) the four periods, the breakdown and
the rankings read stored sums, one statement each, and the shortfalls and
how they stand at the as-of date (the set of :meth:`Period.as_of_year`) read
the stored gaps, two statements for all indicators; the watch lists are read
from the records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
from sqlalchemy.engine import Engine

from vetservice.calendar import Period, SensitivePeriod
from vetservice.domain import Level
from vetservice.domain.records import Unit
from vetservice.indicators import (
    Area,
    Evaluation,
    Figure,
    GroupFigure,
    IndicatorResult,
    Kind,
    Override,
    breakdown,
    evaluate,
)
from vetservice.indicators.registry import Registry
from vetservice.plugins import Failure
from vetservice.reports.deeper import DeeperGap, deeper_gaps
from vetservice.reports.first_done import FirstDone, first_done
from vetservice.reports.paths import Paths, unit_paths
from vetservice.reports.resolved import (
    Resolved,
    StillMissing,
    gaps_now,
    standing_now,
)
from vetservice.reports.scores import stored_score
from vetservice.reports.sign_offs import SignOffLine, sign_off_lines
from vetservice.reports.watch import (
    OverdueItem,
    WatchItem,
    overdue_list,
    watch_list,
)
from vetservice.scoring import Scoring, ScoringSheet
from vetservice.store.database import side_by_side
from vetservice.stored import FigureSet
from vetservice.stored.breakdown import stored_breakdown

# A report lists its gaps at its unit, children and grandchildren (a city's
# counties and townships); further down they are counted (and in the XLSX).
LIST_DEPTH = 2

Stored = Callable[[Period], FigureSet]  # a period → its current set of stored figures

Comparison = Mapping[str, Mapping[str, Figure]]  # indicator id → unit → figure


@attrs.frozen
class FullReport:
    """An evaluation with its comparisons, breakdown, watch list and rankings.

    It reads like its evaluation (``report["pet.overdue"].value``,
    ``report.unit``, ``for result in report``), so code written for an
    evaluation takes a full report too.
    """

    evaluation: Evaluation
    previous: Comparison = attrs.field(factory=dict)  # 环比
    last_year: Comparison = attrs.field(factory=dict)  # 同比
    year_to_date: Comparison = attrs.field(factory=dict)  # 累计
    breakdown: Mapping[str, Sequence[GroupFigure]] = attrs.field(factory=dict)
    # The to-do lists, true at the as-of date (reports.watch), not at E.
    watch_list: Sequence[WatchItem] = ()
    overdue: Sequence[OverdueItem] = ()
    # Gaps of a past period fixed by the as-of date: indicator → unit → that day.
    resolved: Resolved = attrs.field(factory=dict)
    # The other gaps of a past period, read again at the as-of date: indicator
    # → unit → what is missing now.
    still_missing: StillMissing = attrs.field(factory=dict)
    scorings: Sequence[Scoring] = ()
    paths: Paths = attrs.field(
        factory=dict
    )  # unit → names of its chain (reports.paths)
    # 率先完成: children by the day si.entered reached 100 % (reports.first_done).
    first_done: Sequence[FirstDone] = ()
    # 审核锁定: the sign-offs and reopenings of the period at the unit and
    # above it (reports.sign_offs), oldest first.
    sign_offs: Sequence[SignOffLine] = ()
    # The gaps are listed down to this many levels below the unit (None:
    # every level); the rest are counted in each result's ``unlisted`` and
    # read, when wanted, from ``deeper`` (reports.deeper).
    list_depth: int | None = None
    deeper: Callable[[], Iterator[DeeperGap]] | None = None

    @classmethod
    def of(cls, report: Evaluation | FullReport) -> FullReport:
        """``report`` itself, or a plain evaluation as a report with nothing beside it."""
        return report if isinstance(report, FullReport) else cls(report)

    @property
    def unit(self) -> Unit:
        return self.evaluation.unit

    @property
    def children(self) -> Sequence[Unit]:
        return self.evaluation.children

    @property
    def period(self) -> Period:
        return self.evaluation.period

    @property
    def results(self) -> Mapping[str, IndicatorResult]:
        return self.evaluation.results

    @property
    def failures(self) -> Sequence[Failure]:
        return self.evaluation.failures

    @property
    def lists_as_of(self) -> dt.date:
        """The day the to-do lists (watch list, overdue cases) are true at."""
        return self.period.as_of

    @property
    def generated_at(self) -> dt.datetime:
        return self.evaluation.generated_at

    @property
    def statements(self) -> int:
        return self.evaluation.statements

    def __getitem__(self, indicator_id: str) -> IndicatorResult:
        return self.evaluation[indicator_id]

    def __iter__(self) -> Iterator[IndicatorResult]:
        return iter(self.evaluation.results.values())

    def figure(self, indicator_id: str, unit: str) -> Figure:
        return self.evaluation.figure(indicator_id, unit)


def sheets_meant_for(
    sheets: Mapping[str, tuple[str, ScoringSheet]], level: Level, chain: Sequence[str]
) -> list[tuple[str, ScoringSheet]]:
    """The (plugin, sheet) pairs a report of a unit at ``level`` shows: sheets
    of a lower level whose scope covers the unit (``chain``: it and its ancestors)."""
    return [
        (plugin, sheet)
        for plugin, sheet in sheets.values()
        if sheet.level.depth > level.depth and sheet.applies_to(list(chain))
    ]


def build_full_report(
    engine: Engine,
    registry: Registry,
    *,
    unit: str,
    period: Period,
    current: Callable[[], Evaluation],
    overrides: Sequence[Override] = (),
    sensitive: Sequence[SensitivePeriod] = (),
    sheets: Sequence[tuple[str, ScoringSheet]] = (),
    plugin_failures: Sequence[Failure] = (),
    stored: Stored | None = None,
    list_depth: int | None = None,
) -> FullReport:
    """Everything a report of ``unit`` for ``period`` shows, read side by side.

    ``current`` evaluates the period itself, its gaps listed down to
    ``list_depth`` levels below ``unit`` (None: every level); ``sheets`` are
    the (plugin, sheet) pairs to rank (:func:`sheets_meant_for`). ``plugin_failures`` is
    read once every read is done: hooks called during them may add to it,
    and the report names every failure. ``stored`` gives the current stored
    figures of a period (see the module docstring).
    """

    def figures(other: Period) -> Comparison:
        found = evaluate(
            engine,
            registry,
            unit=unit,
            period=other,
            overrides=overrides,
            shortfalls=False,
            stored=stored(other) if stored is not None else None,
        )
        return {i: r.figures for i, r in found.results.items()}

    def by_station_kind() -> Mapping[str, Sequence[GroupFigure]]:
        kept = stored(period) if stored is not None else None
        if kept is not None and kept.id is not None:
            return stored_breakdown(engine, kept, by_kind, unit=unit)
        return breakdown(engine, by_kind, unit=unit, period=period, overrides=overrides)

    def rankings() -> list[Scoring]:
        kept = stored(period) if stored is not None else None
        return [
            stored_score(
                engine,
                sheet,
                registry,
                kept,
                unit=unit,
                period=period,
                plugin=plugin,
                overrides=overrides,
            )
            for plugin, sheet in sheets
        ]

    by_kind = {
        k: v
        for k, v in registry.items()
        if v[1].area in (Area.ENVIRONMENT, Area.STAFFING)
        and v[1].kind in (Kind.COMPLIANCE, Kind.RATIO)
    }
    tasks: dict[str, Callable[[], Any]] = {
        "current": current,
        # How the period's gaps stand at the as-of date, read beside them.
        "standing": lambda: standing_now(
            engine,
            registry,
            unit=unit,
            period=period,
            overrides=overrides,
            list_depth=list_depth,
            stored=(
                stored(period.as_of_year())
                if stored is not None and period.end < period.as_of
                else None
            ),
        ),
        "previous": lambda: figures(period.previous()),
        "last_year": lambda: figures(period.last_year()),
        "year_to_date": lambda: (
            figures(period.year_to_date()) if period.kind != "year" else {}
        ),
        "breakdown": by_station_kind,
        "paths": lambda: unit_paths(engine, unit),
        "watch_list": lambda: watch_list(
            engine,
            unit=unit,
            period=period,
            sensitive=sensitive,
            overrides=overrides,
        ),
        "overdue": lambda: overdue_list(
            engine, unit=unit, period=period, overrides=overrides
        ),
        "scorings": rankings,
        "first_done": lambda: first_done(
            engine, registry, unit=unit, period=period, overrides=overrides
        ),
        "sign_offs": lambda: sign_off_lines(engine, unit, period.label),
    }
    parts = side_by_side(engine, tasks)
    evaluation: Evaluation = parts.pop("current")
    now = gaps_now(evaluation, parts.pop("standing"), period.as_of)
    failures = tuple(dict.fromkeys([*evaluation.failures, *plugin_failures]))
    deeper = None
    if list_depth is not None and any(r.unlisted for r in evaluation):
        depth = list_depth

        def deeper() -> Iterator[DeeperGap]:
            return deeper_gaps(
                engine, evaluation, period=period, depth=depth, overrides=overrides
            )

    return FullReport(
        attrs.evolve(evaluation, failures=failures),
        resolved=now.fixed,
        still_missing=now.missing,
        list_depth=list_depth,
        deeper=deeper,
        **parts,
    )
