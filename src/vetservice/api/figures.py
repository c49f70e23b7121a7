"""Reading figures: evaluations, drill-through, full reports, trends, scoring
sheets and report snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from vetservice import reports, store
from vetservice import snapshots as report_snapshots
from vetservice.api.core import DatabaseCore, save
from vetservice.calendar import (
    Period,
    today_in_china,
)
from vetservice.domain import Level
from vetservice.errors import (
    NotFoundError,
    PluginContractError,
    StorageError,
    VetserviceError,
)
from vetservice.i18n import N_
from vetservice.indicators import (
    Evaluation,
    Explanation,
    Figure,
    LevelFigures,
    evaluate,
    evaluate_level,
    explain,
)
from vetservice.indicators.registry import (
    collect_overrides,
    for_unit,
)
from vetservice.plugins import BUILTIN, error_text
from vetservice.reports.full import (
    LIST_DEPTH,
    FullReport,
    build_full_report,
    sheets_meant_for,
)
from vetservice.reports.scores import stored_score
from vetservice.reports.suppress import suppress_small_cells
from vetservice.scoring import (
    Scoring,
    ScoringSheet,
    Trace,
    load_sheet,
    trace,
)
from vetservice.scoring.engine import scoring_unit
from vetservice.stored import (
    FigureSet,
    Sets,
    data_version,
    default_period,
    figure_set,
    report_periods,
    stored_set,
)
from vetservice.stored import refresh as refresh_sets


class Figures(DatabaseCore):
    """Indicators computed from the records, and the reports built on them."""

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
        return self._evaluate(unit, period, indicators, self._sets())

    def level_figures(
        self,
        unit: str,
        period: str | Period,
        level: Level,
        *,
        as_of: dt.date | None = None,
        indicators: Iterable[str] | None = None,
    ) -> LevelFigures:
        """Every indicator (or those named) at every unit of ``level`` under
        ``unit``, read from the stored figures in one statement (a map, a
        heat map or a ranking of all villages of a city). A county plugin's
        indicator has figures only at units inside or above its scope."""
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        self.within_scope(unit)
        sets = self._sets()
        registry = sets.registry
        if indicators is not None:
            wanted = set(indicators)
            registry = {k: v for k, v in registry.items() if k in wanted}
        return evaluate_level(
            self.engine,
            registry,
            unit=unit,
            level=level,
            period=period,
            overrides=sets.overrides,
            stored=sets(period),
            within_scopes=True,  # another county's indicator: no 无数据 tiles
        )

    def _sets(self) -> Sets:
        """The current stored figures of each period, looked up once per call."""
        return Sets(self.engine, self.indicators(), collect_overrides(self.plugins))

    def _evaluate(
        self,
        unit: str,
        period: Period,
        indicators: Iterable[str] | None,
        sets: Sets,
        list_depth: int | None = None,
    ) -> Evaluation:
        registry = sets.registry
        if indicators is not None:
            wanted = set(indicators)
            registry = {k: v for k, v in registry.items() if k in wanted}
        registry = for_unit(registry, self.engine, unit, self.plugins)
        result = evaluate(
            self.engine,
            registry,
            unit=unit,
            period=period,
            overrides=sets.overrides,
            failures=self.plugins.failures,
            stored=sets(period),
            list_depth=list_depth,
        )
        # Keep indicator failures with the plugins' own, so a command can report them all.
        # --strict-plugins: a failing facts query is an error too.
        for failure in result.failures:
            self.plugins.fail(failure)
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
        plugin, chosen = registry[indicator]
        try:
            found = explain(
                self.engine,
                chosen,
                unit=unit,
                period=period,
                overrides=collect_overrides(self.plugins),
                show_pii=show_pii,
            )
        except Exception as e:
            if plugin == BUILTIN or (
                isinstance(e, VetserviceError) and not isinstance(e, StorageError)
            ):
                raise
            # A county's facts the database (or reading their values)
            # refused: a named failure of its plugin, personal data masked.
            raise PluginContractError(
                N_("plugin {plugin} failed in {hook}: {error}"),
                plugin=plugin,
                hook="facts",
                error=error_text(e.__cause__ or e),
            ) from e
        if show_pii:  # audited before anything unmasked leaves the library
            self._reveal(
                "explain",
                {"indicator": indicator, "unit": unit, "period": period.label},
                period,
                [found],
            )
        return found

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
        return save(reports.render(self.plugins, report, fmt, lang), path)

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
        list_depth: int | None = LIST_DEPTH,
    ) -> list[Path]:
        """Write the report of ``unit`` (and, with ``each_child``, of every child) in each format.

        Files are named ``<code>-<name>.<ext>``; ``progress(1)`` is called per report written.
        With ``frozen`` (a list), each report is also stored as a snapshot
        (:meth:`freeze`) and the snapshots are appended to the list. With
        ``min_cell`` k, published figures that are counts below k are withheld
        ("<k"); snapshots keep the true figures. Gaps are listed down to
        ``list_depth`` levels below each report's unit (None: every level);
        the XLSX lists every level all the same.
        """
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        reports.renderers(self.plugins)  # a broken renderer hook is named in the files
        first = self.report(unit, period, list_depth=list_depth)
        keep = self._freezer(frozen, lang)

        def evaluations() -> Iterator[FullReport]:
            yield suppress_small_cells(keep(first), min_cell)
            if each_child:
                for child in first.children:
                    child_report = keep(
                        self.report(child.code, period, list_depth=list_depth)
                    )
                    yield suppress_small_cells(child_report, min_cell)

        return reports.write(
            self.plugins, evaluations(), formats, out_dir, lang=lang, progress=progress
        )

    def report(
        self,
        unit: str,
        period: str | Period,
        *,
        as_of: dt.date | None = None,
        list_depth: int | None = LIST_DEPTH,
    ) -> FullReport:
        """Everything a report shows: the evaluation of ``unit`` and its children,
        the same figures for the previous period (环比), the same period last
        year (同比) and the year to date (累计), environment and staffing by
        station kind, the petitions watch list and the rankings of the scoring
        sheets meant for this unit's subtree (see :mod:`vetservice.reports.full`).

        The gaps are listed down to ``list_depth`` levels below ``unit`` (2:
        its children and grandchildren; None: every level); those further
        down are counted in each result's ``unlisted`` and read, a batch at a
        time, by ``report.deeper()`` (the XLSX 差距清单 names them all).
        """
        if isinstance(period, str):
            period = Period.parse(period, as_of)
        self.within_scope(unit)
        chain = [u.code for u in self.ancestors(unit)]
        sets = self._sets()
        # The 通报's settings and paragraphs come from plugins too: collect
        # them before the report, so that a failing hook is named in it.
        reports.notice_parts_of(self.plugins)
        return build_full_report(
            self.engine,
            sets.registry,
            unit=unit,
            period=period,
            current=lambda: self._evaluate(unit, period, None, sets, list_depth),
            overrides=sets.overrides,
            sensitive=self.sensitive_periods(),
            sheets=sheets_meant_for(
                self.scoring_sheets(), self.unit(unit).level, chain
            ),
            plugin_failures=self.plugins.failures,
            stored=sets,
            list_depth=list_depth,
        )

    def refresh(
        self,
        periods: Iterable[str | Period] = (),
        *,
        as_of: dt.date | None = None,
        recompute: bool = False,
        progress: Callable[[Period, FigureSet], None] | None = None,
    ) -> list[FigureSet]:
        """Make the stored figures of ``periods``, their comparisons (环比,
        同比, 累计) and, for a period over, the year to its as-of date (how its
        gaps stand then) current, computing those missing (all with
        ``recompute``).

        Without ``periods``: the period a dashboard opens on (the latest
        quarter over by ``as_of``, default today in China). Every unit is
        computed, whatever the scope; ``progress(period, set)`` after each.
        """
        day = as_of or today_in_china()
        chosen = [
            p if isinstance(p, Period) else Period.parse(p, day) for p in periods
        ] or [default_period(day)]
        wanted = list(dict.fromkeys(q for p in chosen for q in report_periods(p)))
        return refresh_sets(
            self.engine,
            self.indicators(),
            wanted,
            collect_overrides(self.plugins),
            recompute=recompute,
            progress=progress,
        )

    def records_version(self) -> str:
        """A short digest that changes whenever the records do (an import or a
        delete that changed a row, a merge, a new 上报 schedule); one cheap
        statement. A front end keys its own caches on it, so that it never
        shows figures older than the records."""
        with store.reading(self.engine) as conn:
            return data_version(conn)

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
            # Stored figures when a period has them; one indicator alone is
            # cheaper to compute than a whole set for a period never opened.
            found = evaluate(
                self.engine,
                {indicator: registry[indicator]},
                unit=unit,
                period=each,
                overrides=overrides,
                shortfalls=False,
                stored=stored_set(self.engine, registry, each, overrides),
            )
            points.append((each, found[indicator].figure))
        return points

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
        unit = scoring_unit(self.engine, found, unit)  # the sheet's scope
        registry = self.indicators()
        overrides = collect_overrides(self.plugins)
        return stored_score(
            self.engine,
            found,
            registry,
            figure_set(self.engine, registry, period, overrides),
            unit=unit,
            period=period,
            plugin=plugin,
            overrides=overrides,
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
