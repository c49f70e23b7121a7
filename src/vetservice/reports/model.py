"""The report a leader reads, built once from an evaluation and drawn by every renderer.

Renderers (Markdown, HTML, XLSX, DOCX) never compute: they lay out a
:class:`Report`, whose texts are already in the reader's language and whose
raw figures are kept beside them for checks and charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from vetservice.calendar.periods import CHINA
from vetservice.domain.records import Unit
from vetservice.i18n import N_, gettext, language
from vetservice.indicators import (
    Area,
    Evaluation,
    Figure,
    IndicatorResult,
    Kind,
    Status,
)
from vetservice.reports.format import (
    figure_text,
    fraction_text,
    points_text,
    status_text,
    target_text,
    value_text,
)

# The figures a leader looks at first, one or two per area (those loaded).
HEADLINE = (
    "env.station_established",
    "env.all_elements",
    "staff.township_fulltime",
    "act.regularity",
    "honor.plaque_hung",
    "benefit.on_time",
    "pet.closed_on_time",
    "pet.overdue",
)

# Status colours: green, red, grey, none, amber (HTML/XLSX/DOCX share them).
STATUS_COLOURS = {
    Status.MET: "1E8E3E",
    Status.NOT_MET: "D93025",
    Status.NO_DATA: "9AA0A6",
    Status.NO_TARGET: "5F6368",
    Status.FAILED: "E37400",
}


@attrs.frozen
class Change:
    """A comparison (环比, 同比) or the year to date (累计) of one indicator."""

    figure: Figure
    value_text: str
    change: float | None  # percentage points for ratios, difference otherwise
    change_text: str


@attrs.frozen
class ChildFigure:
    unit: Unit
    figure: Figure
    value_text: str
    status_text: str


@attrs.frozen
class IndicatorRow:
    """One indicator at the report's unit, with its children and comparisons."""

    id: str
    name: str
    area: Area
    kind: Kind
    figure: Figure
    value_text: str
    fraction_text: str
    target_text: str
    status: Status
    status_text: str
    plugin: str
    coverage_text: str = ""
    previous: Change | None = None
    last_year: Change | None = None
    year_to_date: Change | None = None
    children: tuple[ChildFigure, ...] = ()


@attrs.frozen
class AreaSection:
    area: Area
    title: str
    rows: tuple[IndicatorRow, ...]


@attrs.frozen
class Gap:
    """One line of the 差距清单: a unit, what it lacks, and the rule it breaks."""

    unit: str
    unit_name: str
    indicator: str
    indicator_name: str
    reason: str
    rule: str


@attrs.frozen
class RankingRow:
    """A child unit ranked by the share of its indicators (with a target) that are met."""

    rank: int
    unit: Unit
    met: int
    assessed: int
    share: float | None
    share_text: str
    not_met: tuple[str, ...]  # names of the indicators not met


@attrs.frozen
class BreakdownRow:
    """An environment or staffing indicator by station kind."""

    id: str
    name: str
    kind: Kind
    groups: tuple[
        tuple[str, int, int, float | None, str], ...
    ]  # group, num, den, value, text


@attrs.frozen
class WatchRow:
    case_no: str
    unit: str
    unit_name: str
    received_on: dt.date
    stage_text: str
    deadline: dt.date
    days_left: int
    sensitive_text: str


@attrs.frozen
class ScoringRow:
    rank: int | None
    unit: Unit
    total: Decimal
    total_text: str
    lines: tuple[str, ...]  # each line's score as text


@attrs.frozen
class ScoringSection:
    sheet_id: str
    title: str
    level_text: str
    max_text: str
    line_names: tuple[str, ...]
    rows: tuple[ScoringRow, ...]


@attrs.frozen
class Report:
    """Everything a report shows, in one language."""

    lang: str
    title: str
    unit: Unit
    children: tuple[Unit, ...]
    period: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    partial: bool
    period_text: str  # "2026-07-01 至 2026-09-30", saying so when not over
    generated_at: dt.datetime
    headline: tuple[IndicatorRow, ...]
    briefing: tuple[str, ...]
    areas: tuple[AreaSection, ...]
    ranking: tuple[RankingRow, ...]
    gaps: tuple[Gap, ...]
    breakdown: tuple[BreakdownRow, ...]
    watch_list: tuple[WatchRow, ...]
    scorings: tuple[ScoringSection, ...]
    failures: tuple[str, ...]

    def rows(self) -> list[IndicatorRow]:
        return [row for section in self.areas for row in section.rows]

    def row(self, indicator_id: str) -> IndicatorRow:
        for row in self.rows():
            if row.id == indicator_id:
                return row
        raise KeyError(indicator_id)


def _(msgid: str, lang: str) -> str:
    return gettext(msgid, lang)


def is_ratio(kind: Kind) -> bool:
    return kind in (Kind.COMPLIANCE, Kind.RATIO)


def change_text(kind: Kind, change: float | None, lang: str) -> str:
    """ "上升 4.2 个百分点" / "减少 3" / "持平" / "—"."""
    if change is None:
        return "—"
    shown = round(abs(change) * 100, 1) if is_ratio(kind) else abs(change)
    if shown < 1e-9:
        return _(N_("unchanged"), lang)
    if is_ratio(kind):
        amount = f"{abs(change) * 100:.1f}"
        msgid = (
            N_("up {amount} percentage points")
            if change > 0
            else N_("down {amount} percentage points")
        )
    else:
        amount = (
            f"{abs(Decimal(str(change))):,.2f}"
            if kind is Kind.MONEY
            else f"{abs(int(change)):,}"
        )
        msgid = N_("up {amount}") if change > 0 else N_("down {amount}")
    return _(msgid, lang).format(amount=amount)


def _change(
    kind: Kind, now: Figure, then: Figure | None, lang: str, *, compare: bool = True
) -> Change | None:
    if then is None:
        return None
    difference = None
    if compare and now.value is not None and then.value is not None:
        difference = float(now.value) - float(then.value)
    return Change(
        then,
        figure_text(kind, then, lang),
        difference,
        change_text(kind, difference, lang) if compare else "",
    )


def _row(
    evaluation: Evaluation, result: IndicatorResult, code: str, lang: str
) -> IndicatorRow:
    indicator = result.indicator
    figure = result.figures[code]
    kind = indicator.kind
    coverage = figure.coverage
    coverage_text = (
        _(N_("{reporting}/{of} {level}"), lang).format(
            reporting=coverage.reporting,
            of=coverage.of,
            level=coverage.level.display(lang),
        )
        if coverage
        else ""
    )

    def compared(figures: Mapping[str, Mapping[str, Figure]], *, diff: bool = True):
        return _change(
            kind, figure, figures.get(indicator.id, {}).get(code), lang, compare=diff
        )

    return IndicatorRow(
        id=indicator.id,
        name=indicator.name.render(lang),
        area=indicator.area,
        kind=kind,
        figure=figure,
        value_text=figure_text(kind, figure, lang),
        fraction_text=fraction_text(kind, figure),
        target_text=target_text(kind, figure.target, lang),
        status=figure.status,
        status_text=status_text(figure.status, lang),
        plugin=result.plugin,
        coverage_text=coverage_text,
        previous=compared(evaluation.previous),
        last_year=compared(evaluation.last_year),
        year_to_date=compared(evaluation.year_to_date, diff=False),
        children=tuple(
            ChildFigure(
                child,
                result.figures[child.code],
                figure_text(kind, result.figures[child.code], lang),
                status_text(result.figures[child.code].status, lang),
            )
            for child in evaluation.children
        )
        if code == evaluation.unit.code
        else (),
    )


def _ranking(evaluation: Evaluation, lang: str) -> tuple[RankingRow, ...]:
    scored = []
    for child in evaluation.children:
        met, assessed, missed = 0, 0, []
        for result in evaluation:
            status = result.figures[child.code].status
            if status in (Status.MET, Status.NOT_MET):
                assessed += 1
                if status is Status.MET:
                    met += 1
                else:
                    missed.append(result.indicator.name.render(lang))
        share = met / assessed if assessed else None
        scored.append((child, met, assessed, share, tuple(missed)))
    scored.sort(key=lambda s: (s[3] is None, -(s[3] or 0), s[0].code))
    rows, previous, rank = [], None, 0
    for position, (child, met, assessed, share, missed) in enumerate(scored, 1):
        if share != previous:
            rank, previous = position, share
        rows.append(
            RankingRow(
                rank,
                child,
                met,
                assessed,
                share,
                value_text(Kind.RATIO, share, lang),
                missed,
            )
        )
    return tuple(rows)


def _gaps(evaluation: Evaluation, lang: str) -> tuple[Gap, ...]:
    gaps = []
    for result in evaluation:
        if result.indicator.kind is not Kind.COMPLIANCE:
            continue
        for shortfall in result.shortfalls:
            gaps.append(
                Gap(
                    shortfall.unit,
                    shortfall.name,
                    result.indicator.id,
                    result.indicator.name.render(lang),
                    shortfall.reason.render(lang),
                    result.indicator.rule.render(lang),
                )
            )
    return tuple(gaps)


def _breakdown(evaluation: Evaluation, lang: str) -> tuple[BreakdownRow, ...]:
    rows = []
    for indicator_id, groups in evaluation.breakdown.items():
        if indicator_id not in evaluation.results:
            continue
        indicator = evaluation.results[indicator_id].indicator
        rows.append(
            BreakdownRow(
                indicator_id,
                indicator.name.render(lang),
                indicator.kind,
                tuple(
                    (
                        _(g.group, lang),
                        g.numerator,
                        g.denominator,
                        g.value,
                        value_text(indicator.kind, g.value, lang),
                    )
                    for g in groups
                ),
            )
        )
    return tuple(rows)


STAGES = {"decision": N_("decision due"), "handling": N_("handling due")}


def _watch(evaluation: Evaluation, lang: str) -> tuple[WatchRow, ...]:
    return tuple(
        WatchRow(
            w.case_no,
            w.unit,
            w.unit_name,
            w.received_on,
            _(STAGES[w.stage], lang),
            w.deadline,
            w.days_left,
            ("、" if lang == "zh" else ", ").join(n.render(lang) for n in w.sensitive),
        )
        for w in evaluation.watch_list
    )


def _scorings(evaluation: Evaluation, lang: str) -> tuple[ScoringSection, ...]:
    sections = []
    for scoring in evaluation.scorings:
        sheet = scoring.sheet
        sections.append(
            ScoringSection(
                sheet.id,
                sheet.name.render(lang),
                sheet.level.display(lang),
                points_text(sheet.max_score),
                tuple(line.name for line in sheet.lines),
                tuple(
                    ScoringRow(
                        s.rank,
                        s.unit,
                        s.total,
                        points_text(s.total),
                        tuple(points_text(ln.score) for ln in s.lines),
                    )
                    for s in scoring.scores
                ),
            )
        )
    return tuple(sections)


def build_report(evaluation: Evaluation, lang: str = "zh") -> Report:
    """The report of an evaluation, every text in ``lang``."""
    from vetservice.reports.briefing import briefing

    period = evaluation.period
    unit = evaluation.unit
    with language(lang):
        by_area: dict[Area, list[IndicatorRow]] = {}
        for result in evaluation:
            by_area.setdefault(result.indicator.area, []).append(
                _row(evaluation, result, unit.code, lang)
            )
        areas = tuple(
            AreaSection(area, area.display(lang), tuple(rows))
            for area, rows in by_area.items()
        )
        rows = {row.id: row for section in areas for row in section.rows}
        period_text = (
            _(
                N_("{start} to {full_end}, figures as of {as_of} (the period is not over)"),
                lang,
            )
            if period.partial
            else _(N_("{start} to {end}"), lang)
        ).format(
            start=period.start,
            end=period.end,
            full_end=period.full_end,
            as_of=period.as_of,
        )
        report = Report(
            lang=lang,
            title=_(N_("{unit}: veterans' service indicators, {period}"), lang).format(
                unit=unit.name, period=period.label
            ),
            unit=unit,
            children=tuple(evaluation.children),
            period=period.label,
            start=period.start,
            end=period.end,
            as_of=period.as_of,
            partial=period.partial,
            period_text=period_text,
            generated_at=evaluation.generated_at.astimezone(CHINA),
            headline=tuple(rows[i] for i in HEADLINE if i in rows),
            briefing=(),
            areas=areas,
            ranking=_ranking(evaluation, lang),
            gaps=_gaps(evaluation, lang),
            breakdown=_breakdown(evaluation, lang),
            watch_list=_watch(evaluation, lang),
            scorings=_scorings(evaluation, lang),
            failures=tuple(
                f"{f.plugin} · {f.hook} · {f.indicator or '—'}: {f.error}"
                for f in evaluation.failures
            ),
        )
        return attrs.evolve(report, briefing=tuple(briefing(report)))
