"""The sheets of lists: 差距清单, 排名, 考核排名, 分类统计 and 信访关注清单."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from itertools import groupby

from openpyxl import Workbook

from vetservice.domain import Level
from vetservice.i18n import N_, gettext
from vetservice.indicators import Kind, Status
from vetservice.reports.attachments import StatTable, child_of
from vetservice.reports.model import (
    GRADE_FILLS,
    STATUS_COLOURS,
    BreakdownRow,
    Gap,
    Report,
    ScoringSection,
)
from vetservice.reports.xlsx.sheet import (
    HEADER_ROWS,
    POINTS,
    Sheet,
    put_figure,
    put_none,
    sheet_name,
    sheet_title,
)

# --- 差距清单 --------------------------------------------------------------


_LEVEL_COLUMNS = {
    Level.COUNTY: N_("county"),
    Level.TOWNSHIP: N_("township"),
    Level.VILLAGE: N_("village"),
}


def path_labels(report: Report, depth: int) -> list[str]:
    """Column headers for ``depth`` names below the report's unit: 县区, 乡镇, 村."""
    levels = list(Level)[report.unit.level.depth + 1 :][:depth]
    return [
        gettext(_LEVEL_COLUMNS.get(level, N_("unit")), report.lang) for level in levels
    ]


def gaps_sheet(wb: Workbook, report: Report) -> None:
    """The 差距清单 in full: one sheet per child unit below a city (the county's
    gaps), every row with the 县区, 乡镇 and 村 it is in; one sheet otherwise.

    Every level is listed, also below a report's cut list: those gaps are
    read from ``report.more_gaps`` a batch at a time and put in place after
    the listed gaps of their indicator."""
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("Gap list"))
    more = report.more_gaps
    per_child: Counter[str] = Counter(child_of(report, g.unit) for g in report.gaps)
    for (child, _indicator), count in report.unlisted.items():
        if child != report.unit.name:
            per_child[child] += count
    depth = max(
        (len(report.paths.get(g.unit, ())) for g in report.gaps),
        default=0,
    )
    if more is not None:  # the rows to come reach the deepest level
        depth = max((len(p) for p in report.paths.values()), default=depth)
    # 已整改 with its date, when the period is over and a unit meets the
    # indicator at the as-of date.
    fixed = any(g.resolved_text for g in report.gaps) or (
        more is not None and report.end < report.as_of
    )
    sheets: dict[str, _GapSheet] = {}
    if report.unit.level.depth < Level.COUNTY.depth and report.children:
        for c in report.children:
            if per_child[c.name]:
                sheets[c.name] = _GapSheet(wb, report, f"{name}-{c.name}", c.name)
    # A gap whose county is not known (no path) is still listed.
    rest = _GapSheet(wb, report, name, "") if not sheets else None

    def put(gap: Gap) -> None:
        sheet = sheets.get(child_of(report, gap.unit))
        if sheet is None:
            nonlocal rest
            rest = rest or _GapSheet(wb, report, name, "")
            sheet = rest
        sheet.add(gap, depth, fixed)

    listed: dict[str, list[Gap]] = {}
    for gap in report.gaps:
        listed.setdefault(gap.indicator, []).append(gap)
    # Both follow the evaluation's order of indicators: merged, each
    # indicator's listed gaps come before those further down.
    waiting = list(listed)
    for indicator, deeper in groupby(more() if more else (), key=_indicator_of):
        while indicator in waiting:
            for gap in listed[waiting.pop(0)]:
                put(gap)
        for gap in deeper:
            put(gap)
    for indicator in waiting:
        for gap in listed[indicator]:
            put(gap)
    for sheet in [*sheets.values(), *([rest] if rest else [])]:
        sheet.finish(depth, fixed)


def _indicator_of(gap: Gap) -> str:
    return gap.indicator


class _GapSheet:
    """One sheet of the 差距清单, its rows added one at a time."""

    def __init__(self, wb: Workbook, report: Report, name: str, child: str) -> None:
        self.report, self.child = report, child
        self.sheet = Sheet(wb.create_sheet(sheet_name(name, wb)), report)
        self.count = 0
        self.header_end = 0

    def add(self, gap: Gap, depth: int, fixed: bool) -> None:
        sheet = self.sheet
        if not self.count:
            self.header_end = self._header(depth, fixed)
        self.count += 1
        row = self.header_end + self.count
        depth = max(depth, 1)
        path = self.report.paths.get(gap.unit) or (gap.unit_name,)
        sheet.put(row, 1, self.count, fmt="0", align="center")
        for col in range(depth):
            sheet.put(row, 2 + col, path[col] if col < len(path) else "")
        sheet.put(row, 2 + depth, gap.indicator_name, wrap=True)
        sheet.put(row, 3 + depth, gap.reason, wrap=True)
        sheet.put(row, 4 + depth, gap.rule, wrap=True)
        if fixed:
            sheet.put(
                row,
                5 + depth,
                gap.resolved_text,
                wrap=True,
                colour=STATUS_COLOURS[Status.MET],
            )

    def _header(self, depth: int, fixed: bool) -> int:
        _ = lambda msgid: gettext(msgid, self.report.lang)  # noqa: E731
        # Without the units' paths (a plain evaluation) one column names the unit.
        places = path_labels(self.report, depth) if depth else [_(N_("unit"))]
        return self.sheet.columns(
            HEADER_ROWS + 1,
            [
                (None, [_(N_("No."))]),
                *((None, [label]) for label in places),
                (None, [_(N_("indicator"))]),
                (None, [_(N_("what is missing"))]),
                (None, [_(N_("rule"))]),
                *([(None, [_(N_("fixed since"))])] if fixed else []),
            ],
        )

    def finish(self, depth: int, fixed: bool) -> None:
        report = self.report
        _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731
        if not self.count:
            self.header_end = self._header(depth, fixed)
        row = self.header_end + self.count
        if not self.count:
            row = put_none(self.sheet, row + 1)
        depth = max(depth, 1)
        title = _(N_("Gap list")) + (f"（{self.child}）" if self.child else "")
        if report.gaps_date_text:  # 差距清单（宝塔区）（报告期末 2026年9月30日）
            title = _(N_("{title} ({date})")).format(
                title=title, date=report.gaps_date_text
            )
        self.sheet.finish(
            sheet_title(report, title),
            header_end=self.header_end,
            table=(HEADER_ROWS + 1, row),
            freeze_col=1,
            caps={2 + depth: 30, 3 + depth: 44, 4 + depth: 44, 5 + depth: 30},
        )


def grade_sheet(
    wb: Workbook, report: Report, number: int, stat: StatTable, title: str
) -> None:
    """附件1 and 附件2 as sheets: the same tables, graded cells filled 红黄绿."""
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    label = _(N_("Attachment {number}")).format(number=number)
    sheet = Sheet(wb.create_sheet(sheet_name(label, wb)), report)
    first = HEADER_ROWS + 1
    header_end = sheet.columns(first, [(None, [c]) for c in stat.columns])
    row = header_end
    for index, line in enumerate(stat.rows):
        row += 1
        grades = stat.grades[index] if stat.grades else ()
        for col, text in enumerate(line, 1):
            grade = grades[col - 1] if grades else None
            fill = GRADE_FILLS[grade] if grade is not None else None
            sheet.put(row, col, text, fill=fill, align="left" if col == 1 else "center")
    for note in stat.notes:
        row += 1
        sheet.put(row, 1, note, border=False, measure=False)
    sheet.finish(
        sheet_title(report, f"{label} {title}"),
        header_end=header_end,
        table=(first, row),
        freeze_col=2,
        caps={1: 34},
        minimum=7,
    )


# --- 排名 and 考核排名 ------------------------------------------------------


def ranking_sheet(wb: Workbook, report: Report) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("Ranking"))
    sheet = Sheet(wb.create_sheet(sheet_name(name, wb)), report)
    first = HEADER_ROWS + 1
    header_end = sheet.columns(
        first,
        [
            (None, [_(N_("rank"))]),
            (None, [_(N_("unit code"))]),
            (None, [_(N_("unit"))]),
            (None, [_(N_("indicators met"))]),
            (None, [_(N_("indicators assessed"))]),
            (None, [_(N_("share met"))]),
            (None, [_(N_("indicators not met"))]),
        ],
    )
    row = header_end
    separator = "、" if report.lang == "zh" else "; "
    for ranked in report.ranking:
        row += 1
        sheet.put(row, 1, ranked.rank, align="center")
        sheet.put(row, 2, ranked.unit.code)
        sheet.put(row, 3, ranked.unit.name)
        sheet.put(row, 4, ranked.met)
        sheet.put(row, 5, ranked.assessed)
        put_figure(sheet, row, 6, Kind.RATIO, ranked.share, ranked.share_text)
        sheet.put(row, 7, separator.join(ranked.not_met), wrap=True)
    if not report.ranking:
        row = put_none(sheet, row + 1)
    sheet.finish(
        sheet_title(report, name),
        header_end=header_end,
        table=(first, row),
        caps={7: 90},
    )


def _points(text: str) -> Decimal | str:
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def scoring_sheet(
    wb: Workbook, report: Report, section: ScoringSection, name: str
) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    sheet = Sheet(wb.create_sheet(sheet_name(name, wb)), report, width=4)
    sheet.text_row(
        HEADER_ROWS + 1,
        _(N_("{count} units of level {level} scored; full marks {max}.")).format(
            count=len(section.rows), level=section.level_text, max=section.max_text
        ),
    )
    first = HEADER_ROWS + 2
    depth = max(
        (len(report.paths.get(r.unit.code, ())) for r in section.rows), default=0
    )
    places = path_labels(report, depth) if depth else [_(N_("unit"))]
    depth = max(depth, 1)
    header_end = sheet.columns(
        first,
        [
            (None, [_(N_("rank"))]),
            *((None, [label]) for label in places),
            (None, [_(N_("total"))]),
            *(
                [(_(N_("line scores")), list(section.line_names))]
                if section.line_names
                else []
            ),
        ],
    )
    row = header_end
    for scored in section.rows:
        row += 1
        rank = "—" if scored.rank is None else scored.rank
        # Ranks 1…n as plain numbers (no thousands separator); each unit
        # with the 县区 and 乡镇 above it: village names repeat.
        sheet.put(row, 1, rank, fmt="0", align="center")
        path = report.paths.get(scored.unit.code) or (scored.unit.name,)
        path = (("",) * depth + tuple(path))[-depth:]
        for col, place in enumerate(path, 2):
            sheet.put(row, col, place)
        sheet.put(row, 2 + depth, scored.total, fmt=POINTS, bold=True)
        for col, line in enumerate(scored.lines, 3 + depth):
            sheet.put(row, col, _points(line), fmt=POINTS)
    if not section.rows:
        row = put_none(sheet, row + 1)
    sheet.finish(
        sheet_title(report, section.title),
        header_end=header_end,
        table=(first, row),
        caps={c: 14 for c in range(3 + depth, 3 + depth + len(section.line_names))},
    )


# --- 分类统计 and 信访关注清单 ---------------------------------------------


def breakdown_sheet(wb: Workbook, report: Report, rows: Sequence[BreakdownRow]) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("By station kind"))
    sheet = Sheet(wb.create_sheet(sheet_name(name, wb)), report)
    groups: list[str] = []
    for breakdown in rows:
        for entry in breakdown.groups:
            if entry[0] not in groups:
                groups.append(entry[0])
    first = HEADER_ROWS + 1
    header_end = sheet.columns(
        first,
        [
            (None, [_(N_("indicator"))]),
            *(
                (group, [_(N_("numerator")), _(N_("denominator")), _(N_("share"))])
                for group in groups
            ),
            (None, [_(N_("indicator id"))]),
        ],
    )
    row = header_end
    for breakdown in rows:
        row += 1
        sheet.put(row, 1, breakdown.name, wrap=True)
        by_group = {g[0]: g for g in breakdown.groups}
        for index, group in enumerate(groups):
            col = 2 + 3 * index
            if group not in by_group:
                for offset in range(3):
                    sheet.put(row, col + offset, "—", align="center")
                continue
            _group, numerator, denominator, value, text = by_group[group]
            sheet.put(row, col, numerator)
            sheet.put(row, col + 1, denominator)
            put_figure(sheet, row, col + 2, breakdown.kind, value, text)
        sheet.put(row, 2 + 3 * len(groups), breakdown.id, colour="5F6368")
    sheet.finish(
        sheet_title(report, name),
        header_end=header_end,
        table=(first, row),
        freeze_col=2,
        caps={1: 34},
    )


def watch_sheet(wb: Workbook, report: Report) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("Petitions watch list"))
    sheet = Sheet(wb.create_sheet(sheet_name(name, wb)), report)
    first = HEADER_ROWS + 1
    header_end = sheet.columns(
        first,
        [
            (None, [_(N_("No."))]),
            (None, [_(N_("case number"))]),
            (None, [_(N_("unit code"))]),
            (None, [_(N_("unit name"))]),
            (None, [_(N_("received on"))]),
            (None, [_(N_("stage"))]),
            (None, [_(N_("deadline"))]),
            (None, [_(N_("days left"))]),
            (None, [_(N_("sensitive periods"))]),
        ],
    )
    row = header_end
    for number, item in enumerate(report.watch_list, 1):
        row += 1
        overdue = item.days_left < 0
        sheet.put(row, 1, number, align="center")
        sheet.put(row, 2, item.case_no)
        sheet.put(row, 3, item.unit)
        sheet.put(row, 4, item.unit_name, wrap=True)
        sheet.put(row, 5, item.received_on, align="center")
        sheet.put(row, 6, item.stage_text, align="center")
        sheet.put(row, 7, item.deadline, align="center")
        sheet.put(
            row,
            8,
            item.days_left,
            fmt="0",
            bold=overdue,
            colour=STATUS_COLOURS[Status.NOT_MET] if overdue else "000000",
        )
        sheet.put(row, 9, item.sensitive_text, wrap=True)
    sheet.finish(
        sheet_title(report, _dated(report, name)),
        header_end=header_end,
        table=(first, row),
        caps={4: 24, 9: 30},
        minimum=8,
    )


def _dated(report: Report, name: str) -> str:
    """A to-do list's name with the day it is true at: 信访关注清单（截至 2026年11月28日）."""
    return gettext(N_("{title} ({date})"), report.lang).format(
        title=name, date=report.lists_date_text
    )


def overdue_sheet(wb: Workbook, report: Report) -> None:
    """Petitions past their deadline at the as-of date, and those overdue at E
    closed since (已办结 with the date, in green)."""
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("Overdue petitions list"))
    sheet = Sheet(wb.create_sheet(sheet_name(name, wb)), report)
    first = HEADER_ROWS + 1
    header_end = sheet.columns(
        first,
        [
            (None, [_(N_("No."))]),
            (None, [_(N_("case number"))]),
            (None, [_(N_("unit code"))]),
            (None, [_(N_("unit name"))]),
            (None, [_(N_("received on"))]),
            (None, [_(N_("stage"))]),
            (None, [_(N_("deadline"))]),
            (None, [_(N_("state"))]),
        ],
    )
    row = header_end
    for number, item in enumerate(report.overdue, 1):
        row += 1
        done = item.closed_on is not None
        sheet.put(row, 1, number, align="center")
        sheet.put(row, 2, item.case_no)
        sheet.put(row, 3, item.unit)
        sheet.put(row, 4, item.unit_name, wrap=True)
        sheet.put(row, 5, item.received_on, align="center")
        sheet.put(row, 6, item.stage_text, align="center")
        sheet.put(row, 7, item.deadline, align="center")
        sheet.put(
            row,
            8,
            item.state_text,
            bold=not done,
            colour=STATUS_COLOURS[Status.MET if done else Status.NOT_MET],
        )
    sheet.finish(
        sheet_title(report, _dated(report, name)),
        header_end=header_end,
        table=(first, row),
        caps={4: 24, 8: 24},
        minimum=8,
    )
