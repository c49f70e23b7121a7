"""The report a leader reads: what every renderer draws.

Renderers (Markdown, HTML, XLSX, DOCX) never compute: they lay out a
:class:`Report`, whose texts are already in the reader's language and whose
raw figures are kept beside them for checks and charts. It is built once
from a full report or an evaluation by
:func:`vetservice.reports.build.build_report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

import attrs

from vetservice.domain.records import Unit
from vetservice.indicators import Area, Figure, Kind, Status
from vetservice.indicators.grades import Grade

# Status colours: green, red, grey, none, amber (HTML/XLSX/DOCX share them).
STATUS_COLOURS = {
    Status.MET: "1E8E3E",
    Status.NOT_MET: "D93025",
    Status.NO_DATA: "9AA0A6",
    Status.NO_TARGET: "5F6368",
    Status.FAILED: "E37400",
}

# 红黄绿: the marker or text colour of each grade, and the light fill of a
# heat-map cell (dark text stays readable on it, in colour and in grey print).
GRADE_COLOURS = {
    Grade.GREEN: "1E8E3E",
    Grade.YELLOW: "E8A200",
    Grade.RED: "D93025",
    Grade.NO_TARGET: "5F6368",
    Grade.NO_DATA: "9AA0A6",
    Grade.FAILED: "8E24AA",
}
GRADE_FILLS = {
    Grade.GREEN: "C6EFCE",
    Grade.YELLOW: "FFEB9C",
    Grade.RED: "FFC7CE",
    Grade.NO_TARGET: "FFFFFF",
    Grade.NO_DATA: "EDEDED",
    Grade.FAILED: "E1BEE7",
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
    grade: Grade = Grade.NO_DATA


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
    grade: Grade = Grade.NO_DATA
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
    # 整改情况 once the period is over (reports.resolved): 已整改 when the unit
    # meets the indicator at the as-of date, else what it misses then; the
    # gap is of the period all the same.
    resolved_on: dt.date | None = None
    resolved_text: str = ""  # "已整改（截至 2026-11-28 已达标）" / "截至 2026-11-28 仍未整改：…"


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
class OverdueRow:
    """A petition past its next deadline at the as-of date, or overdue at E and
    closed since (``closed_on`` set, ``state_text`` 已办结 with the date)."""

    case_no: str
    unit: str
    unit_name: str
    received_on: dt.date
    stage_text: str
    deadline: dt.date
    days_left: int | None  # negative: days overdue; None once closed
    closed_on: dt.date | None
    state_text: str  # "未办结，超期 48 天" or "已办结（2026-10-18）"


@attrs.frozen
class FirstDoneRow:
    """率先完成: a child and the day its social insurance entry reached 100 %."""

    rank: int | None
    unit: str
    name: str
    done_text: str  # the day, or 未完成 / 无数据
    progress_text: str  # "290/290"; "—" when withheld


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
    # The to-do lists (watch list, overdue cases) are true at this day, the
    # as-of date, whatever the period; the figures are of start … end.
    overdue: tuple[OverdueRow, ...] = ()
    lists_as_of: dt.date | None = None
    lists_date_text: str = ""  # "截至 2026年11月28日"
    # The day the gap list is true at: "报告期末 2026年9月30日" (E), or
    # "截至 …" while the period runs.
    gaps_date_text: str = ""
    period_name: str = ""  # "2026年第三季度"
    # unit code → names of its chain below the report's unit (county, township, village)
    paths: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    # 率先完成 (si.entered at 100 %), earliest first.
    first_done: tuple[FirstDoneRow, ...] = ()
    # 审核锁定: one line per sign-off or reopening of the period at the unit
    # and above it, shown near the title ("宝塔区本期数据已由 … 审核锁定").
    sign_offs: tuple[str, ...] = ()
    # ``gaps`` is cut at ``list_depth`` levels below the unit (None: not cut);
    # the gaps further down are counted by (child name, indicator name) and
    # read, a batch at a time, by ``more_gaps`` (the XLSX lists them all).
    list_depth: int | None = None
    unlisted: Mapping[tuple[str, str], int] = attrs.field(factory=dict)
    unlisted_total: int = 0
    more_gaps: Callable[[], Iterator[Gap]] | None = None

    def rows(self) -> list[IndicatorRow]:
        return [row for section in self.areas for row in section.rows]

    def row(self, indicator_id: str) -> IndicatorRow:
        for row in self.rows():
            if row.id == indicator_id:
                return row
        raise KeyError(indicator_id)

    def targeted(self) -> list[IndicatorRow]:
        """The indicators with a target at the report's unit, in catalogue order."""
        return [r for r in self.rows() if r.figure.target is not None]

    def path(self, code: str, name: str = "") -> str:
        """ "宝塔区 李渠镇 裴庄村委会": a unit with the units above it, below the report's unit."""
        found = self.paths.get(code)
        return " ".join(found) if found else name


def is_ratio(kind: Kind) -> bool:
    return kind in (Kind.COMPLIANCE, Kind.RATIO)
