"""Building the report model from a full report or a plain evaluation.

Every text is written here, in the reader's language, and the 情况通报 is
written from the finished tables (:mod:`vetservice.reports.notice`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import attrs

from vetservice.calendar.periods import CHINA
from vetservice.domain.records import Unit
from vetservice.i18n import N_, Message, gettext, language
from vetservice.indicators import (
    Area,
    Evaluation,
    Figure,
    IndicatorResult,
    Kind,
    Status,
)
from vetservice.indicators.grades import Grade, figure_grade
from vetservice.reports.deeper import MET, SHORT
from vetservice.reports.format import (
    date_name,
    figure_text,
    fraction_text,
    grade_text,
    period_name,
    points_text,
    target_text,
    value_text,
)
from vetservice.reports.full import Comparison, FullReport
from vetservice.reports.model import (
    AreaSection,
    BreakdownRow,
    Change,
    ChildFigure,
    FirstDoneRow,
    Gap,
    IndicatorRow,
    OverdueRow,
    RankingRow,
    Report,
    ScoringRow,
    ScoringSection,
    WatchRow,
    is_ratio,
)
from vetservice.reports.notice import body_text, notice


def _(msgid: str, lang: str) -> str:
    return gettext(msgid, lang)


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


def _outside(child: Unit, figure: Figure, lang: str) -> ChildFigure:
    """A child outside a county indicator's scope: "—", not 无数据 (not graded)."""
    return ChildFigure(
        child, figure, "—", _(N_("not applicable"), lang), Grade.NO_TARGET
    )


def _row(
    report: FullReport, result: IndicatorResult, code: str, lang: str
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

    def compared(figures: Comparison, *, diff: bool = True) -> Change | None:
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
        status_text=grade_text(figure_grade(kind, figure), lang),
        plugin=result.plugin,
        grade=figure_grade(kind, figure),
        coverage_text=coverage_text,
        previous=compared(report.previous),
        last_year=compared(report.last_year),
        year_to_date=compared(report.year_to_date, diff=False),
        children=tuple(
            _outside(child, result.figures[child.code], lang)
            if result.figures[child.code].outside
            else ChildFigure(
                child,
                result.figures[child.code],
                figure_text(kind, result.figures[child.code], lang),
                grade_text(figure_grade(kind, result.figures[child.code]), lang),
                figure_grade(kind, result.figures[child.code]),
            )
            for child in report.children
        )
        if code == report.unit.code
        else (),
    )


def _ranking(evaluation: Evaluation, lang: str) -> tuple[RankingRow, ...]:
    scored: list[tuple[Unit, int, int, float | None, tuple[str, ...]]] = []
    for child in evaluation.children:
        met, assessed = 0, 0
        missing: list[str] = []
        for result in evaluation:
            status = result.figures[child.code].status
            if status in (Status.MET, Status.NOT_MET):
                assessed += 1
                if status is Status.MET:
                    met += 1
                else:
                    missing.append(result.indicator.name.render(lang))
        share = met / assessed if assessed else None
        scored.append((child, met, assessed, share, tuple(missing)))
    scored.sort(key=lambda s: (s[3] is None, -(s[3] or 0), s[0].code))
    rows: list[RankingRow] = []
    previous: float | None = None
    rank = 0
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


def _gaps(report: FullReport, lang: str) -> tuple[Gap, ...]:
    gaps = []
    for result in report.evaluation:
        if result.indicator.kind is not Kind.COMPLIANCE:
            continue
        fixed = report.resolved.get(result.indicator.id, {})
        missing = report.still_missing.get(result.indicator.id, {})
        for shortfall in result.shortfalls:
            day = fixed.get(shortfall.unit)
            now = missing.get(shortfall.unit)
            gaps.append(
                Gap(
                    shortfall.unit,
                    shortfall.name,
                    result.indicator.id,
                    result.indicator.name.render(lang),
                    shortfall.reason.render(lang),
                    result.indicator.rule.render(lang),
                    day,
                    _gap_now(day, now, report.period.as_of, lang),
                )
            )
    return tuple(gaps)


def _unlisted(report: FullReport, lang: str) -> dict[tuple[str, str], int]:
    """The gaps left out of a cut list, by (child name, indicator name); the
    report's unit itself counts those of any child's subtree."""
    names = {c.code: c.name for c in report.children}
    counted = {}
    for result in report.evaluation:
        indicator = result.indicator.name.render(lang)
        for code, count in result.unlisted.items():
            counted[(names.get(code, report.unit.name), indicator)] = count
    return counted


def _more_gaps(report: FullReport, lang: str) -> Callable[[], Iterator[Gap]] | None:
    """The gaps below a cut list as :class:`Gap` lines, read when iterated."""
    deeper, as_of = report.deeper, report.period.as_of
    if deeper is None:
        return None
    standing = {
        MET: _gap_now(as_of, None, as_of, lang),
        SHORT: _(N_("not fixed as of {date}"), lang).format(date=as_of.isoformat()),
        None: "",
    }

    def lines() -> Iterator[Gap]:
        assert deeper is not None
        with language(lang):
            for gap in deeper():
                indicator = gap.result.indicator
                yield Gap(
                    gap.shortfall.unit,
                    gap.shortfall.name,
                    indicator.id,
                    indicator.name.render(lang),
                    gap.shortfall.reason.render(lang),
                    indicator.rule.render(lang),
                    as_of if gap.now == MET else None,
                    standing[gap.now],
                )

    return lines


def _gap_now(
    fixed_on: dt.date | None, missing: Message | None, as_of: dt.date, lang: str
) -> str:
    """整改情况 at the as-of date: fixed, or what is still missing then."""
    if fixed_on is not None:
        return _(N_("fixed (met as of {date})"), lang).format(date=fixed_on.isoformat())
    if missing is not None:
        return _(N_("not fixed as of {date}: {reason}"), lang).format(
            date=as_of.isoformat(), reason=missing.render(lang)
        )
    return ""


def _breakdown(report: FullReport, lang: str) -> tuple[BreakdownRow, ...]:
    rows = []
    for indicator_id, groups in report.breakdown.items():
        if indicator_id not in report.results:
            continue
        indicator = report.results[indicator_id].indicator
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


def _watch(report: FullReport, lang: str) -> tuple[WatchRow, ...]:
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
        for w in report.watch_list
    )


def _overdue(report: FullReport, lang: str) -> tuple[OverdueRow, ...]:
    rows = []
    for o in report.overdue:
        if o.closed_on is not None:
            state = _(N_("closed ({date})"), lang).format(date=o.closed_on.isoformat())
        else:
            state = _(N_("open, {days} days overdue"), lang).format(
                days=-(o.days_left or 0)
            )
        rows.append(
            OverdueRow(
                o.case_no,
                o.unit,
                o.unit_name,
                o.received_on,
                _(STAGES[o.stage], lang),
                o.deadline,
                o.days_left,
                o.closed_on,
                state,
            )
        )
    return tuple(rows)


def lists_date_text(as_of: dt.date, lang: str) -> str:
    """ "截至 2026年11月28日": the heading's date of a to-do list."""
    return _(N_("as of {date}"), lang).format(date=date_name(as_of, lang))


def _first_done(report: FullReport, lang: str) -> tuple[FirstDoneRow, ...]:
    rows = []
    for f in report.first_done:
        if f.done_on is not None:
            done = date_name(f.done_on, lang)
        elif f.applicable == 0:
            done = _(N_("no data"), lang)
        else:
            done = _(N_("not finished"), lang)
        progress = "—" if f.applicable is None else f"{f.met}/{f.applicable}"
        rows.append(FirstDoneRow(f.rank, f.unit, f.name, done, progress))
    return tuple(rows)


def _scorings(report: FullReport, lang: str) -> tuple[ScoringSection, ...]:
    sections = []
    for scoring in report.scorings:
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


def build_report(report: Evaluation | FullReport, lang: str = "zh") -> Report:
    """The report model of a full report or a plain evaluation, every text in ``lang``."""
    full = FullReport.of(report)
    evaluation = full.evaluation
    period = evaluation.period
    unit = evaluation.unit
    with language(lang):
        by_area: dict[Area, list[IndicatorRow]] = {}
        for result in evaluation:
            by_area.setdefault(result.indicator.area, []).append(
                _row(full, result, unit.code, lang)
            )
        areas = tuple(
            AreaSection(area, area.display(lang), tuple(rows))
            for area, rows in by_area.items()
        )
        rows = {row.id: row for section in areas for row in section.rows}
        # The figures a leader looks at first, as the indicators declare them,
        # in the catalogue's order.
        headline = [r for r in evaluation if r.indicator.headline]
        period_text = (
            _(
                N_(
                    "{start} to {full_end}, figures as of {as_of} (the period is not over)"
                ),
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
        built = Report(
            lang=lang,
            title=_(N_("{unit}: veterans' service indicators, {period}"), lang).format(
                unit=unit.name,
                period=period_name(period.kind, period.year, period.number, lang),
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
            headline=tuple(rows[r.indicator.id] for r in headline),
            briefing=(),
            areas=areas,
            ranking=_ranking(evaluation, lang),
            gaps=_gaps(full, lang),
            breakdown=_breakdown(full, lang),
            watch_list=_watch(full, lang),
            overdue=_overdue(full, lang),
            lists_as_of=period.as_of,
            lists_date_text=lists_date_text(period.as_of, lang),
            gaps_date_text=(
                lists_date_text(period.end, lang)
                if period.partial
                else _(N_("end of the period, {date}"), lang).format(
                    date=date_name(period.end, lang)
                )
            ),
            scorings=_scorings(full, lang),
            failures=tuple(
                f"{f.plugin} · {f.hook} · {f.indicator or '—'}: {f.error}"
                for f in evaluation.failures
            ),
            period_name=period_name(period.kind, period.year, period.number, lang),
            paths=full.paths,
            first_done=_first_done(full, lang),
            sign_offs=tuple(line.text(lang) for line in full.sign_offs),
            list_depth=full.list_depth,
            unlisted=_unlisted(full, lang),
            unlisted_total=sum(r.unlisted.get(unit.code, 0) for r in evaluation),
            more_gaps=_more_gaps(full, lang),
        )
        return attrs.evolve(built, briefing=tuple(body_text(notice(built))))
