"""The XLSX report: a workbook laid out like an official 统计报表.

Sheets: 总览 (headline figures, 情况通报, ranking), one per area with every
indicator, its comparisons and the children's values, 差距清单, 排名, and
考核排名, 分类统计 and 信访关注清单 when the report carries them. Every sheet
opens with the report header (title, 填报单位, 报告期, 制表日期, 负责人 and
填表人 blanks), has frozen column headers, an autofilter on its table, and
prints on A4 landscape, one page wide.

Figures are stored as numbers (a ratio as 0.926 shown as 92.6%), exactly the
values of the JSON report; texts from records (unit names, reasons, case
numbers) are always stored as text, never as formulas.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from copy import copy
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

import attrs
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vetservice.i18n import N_, gettext
from vetservice.indicators import Kind, Status
from vetservice.reports.model import (
    STATUS_COLOURS,
    AreaSection,
    BreakdownRow,
    Change,
    Gap,
    IndicatorRow,
    Report,
    ScoringSection,
    is_ratio,
)

PERCENT = "0.0%"
COUNT = "#,##0"
MONEY = "#,##0.00"
CHANGE = {
    "ratio": "+0.0%;-0.0%;0.0%",
    "count": "+#,##0;-#,##0;0",
    "money": "+#,##0.00;-#,##0.00;0.00",
}
DATE = "yyyy-mm-dd"
POINTS = "General"

HEADER_ROWS = 3  # title; unit, period and date; the blanks to sign
PAGE_WIDTH = 110  # characters across A4 landscape at 100%
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GREY = "F2F2F2"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_HEIGHT = 15.0  # points per line of 10.5 pt text
FONTS = {"zh": ("宋体", "黑体"), "en": ("Arial", "Arial")}


def value_format(kind: Kind) -> str:
    if is_ratio(kind):
        return PERCENT
    return MONEY if kind is Kind.MONEY else COUNT


def change_format(kind: Kind) -> str:
    if is_ratio(kind):
        return CHANGE["ratio"]
    return CHANGE["money"] if kind is Kind.MONEY else CHANGE["count"]


def text_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character counts twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _number_width(value: Any, fmt: str) -> int:
    if fmt in (PERCENT, CHANGE["ratio"]):
        return len(f"{float(value) * 100:+.1f}%")
    if fmt in (MONEY, CHANGE["money"]):
        return len(f"{Decimal(value):+,.2f}")
    if isinstance(value, float | Decimal):
        return len(f"{value:,}")
    return len(f"{value:+,}")


@attrs.define
class _Sheet:
    """One worksheet being written, with what it needs to be finished."""

    ws: Worksheet
    report: Report
    width: int = 1  # columns of the widest table
    measured: dict[int, int] = attrs.Factory(dict)
    wrapped: list[Cell] = attrs.Factory(list)
    merged_text: list[tuple[int, int, int, str]] = attrs.Factory(list)
    styles: dict[tuple[Any, ...], StyleArray] = attrs.Factory(dict)

    def _(self, msgid: str) -> str:
        return gettext(msgid, self.report.lang)

    def font(
        self, *, bold: bool = False, size: float = 10.5, colour: str = "000000"
    ) -> Font:
        body, title = FONTS.get(self.report.lang, FONTS["en"])
        return Font(
            name=title if size > 12 else body, bold=bold, size=size, color=colour
        )

    def put(
        self,
        row: int,
        col: int,
        value: Any,
        *,
        fmt: str | None = None,
        bold: bool = False,
        colour: str = "000000",
        fill: str | None = None,
        align: str | None = None,
        wrap: bool = False,
        border: bool = True,
        measure: bool = True,
    ) -> Cell:
        """Write one cell: numbers as numbers, every text as text (never a formula)."""
        cell = self.ws.cell(row, col)
        if isinstance(value, str):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.value = text
            cell.data_type = "s"  # a reason starting with "=" stays text
            width = max((text_width(line) for line in text.split("\n")), default=0)
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = DATE
            width = 10
        elif value is None:
            width = 0
        else:
            cell.value = value
            fmt = fmt or COUNT
            cell.number_format = fmt
            width = _number_width(value, fmt)
        horizontal = align or ("left" if isinstance(value, str) else "right")
        key = (cell.number_format, bold, colour, fill, align, wrap, border, horizontal)
        style = self.styles.get(key)
        if style is None:
            cell.font = self.font(bold=bold, colour=colour)
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            cell.alignment = Alignment(
                horizontal=horizontal, vertical="center", wrap_text=wrap
            )
            if border:
                cell.border = BORDER
            self.styles[key] = copy(cell._style)  # openpyxl's fast path: reuse a style
        else:
            cell._style = copy(style)
        if isinstance(value, str) and cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True  # and stays text when someone edits it in Excel
        if wrap:
            self.wrapped.append(cell)
        if measure:
            self.measured[col] = max(self.measured.get(col, 0), width)
        return cell

    def merge(
        self, row: int, first: int, last: int, end_row: int | None = None
    ) -> None:
        if last > first or (end_row or row) > row:
            self.ws.merge_cells(
                start_row=row,
                start_column=first,
                end_row=end_row or row,
                end_column=last,
            )
            for r in range(row, (end_row or row) + 1):
                for c in range(first, last + 1):
                    self.ws.cell(r, c).border = BORDER

    def text_row(
        self, row: int, text: str, *, bold: bool = False, colour: str = "000000"
    ) -> None:
        """A paragraph across the sheet's width, wrapped."""
        self.put(
            row,
            1,
            text,
            bold=bold,
            colour=colour,
            wrap=True,
            border=False,
            measure=False,
        )
        if self.width > 1:
            self.ws.merge_cells(
                start_row=row, start_column=1, end_row=row, end_column=self.width
            )
        self.merged_text.append((row, 1, self.width, text))

    def section_title(self, row: int, text: str) -> None:
        self.put(row, 1, text, bold=True, border=False, measure=False)

    def columns(
        self, row: int, spec: Sequence[tuple[str | None, Sequence[str]]]
    ) -> int:
        """Column headers from ``row``; two rows when any column sits under a group.

        ``spec`` lists (group, labels); a label without a group spans both rows.
        Returns the last header row.
        """
        two = any(group for group, _labels in spec)
        col = 1
        for group, labels in spec:
            if group:
                self.put(
                    row,
                    col,
                    group,
                    bold=True,
                    fill=GREY,
                    align="center",
                    wrap=True,
                    measure=False,
                )
                self.merge(row, col, col + len(labels) - 1)
            for label in labels:
                top = row + 1 if group else row
                self.put(
                    top, col, label, bold=True, fill=GREY, align="center", wrap=True
                )
                if two and not group:
                    self.merge(row, col, col, end_row=row + 1)
                col += 1
        self.width = max(self.width, col - 1)
        return row + 1 if two else row

    def finish(
        self,
        title: str,
        *,
        header_end: int,
        table: tuple[int, int] | None = None,
        freeze_col: int = 1,
        caps: dict[int, int] | None = None,
        minimum: int = 6,
    ) -> None:
        """Widths, heights, the report header, frozen panes, filter and print set-up.

        ``table`` is (first header row, last data row) of the sheet's main table.
        """
        ws = self.ws
        caps = caps or {}
        widths = {}
        for col in range(1, self.width + 1):
            width = self.measured.get(col, 0) + 2
            widths[col] = max(minimum, min(caps.get(col, 40), width))
        # A narrow table is widened to fill the page, so the header rows fit.
        stretch = max(1.0, PAGE_WIDTH / sum(widths.values()))
        for col in widths:
            widths[col] = round(widths[col] * stretch, 1)
            ws.column_dimensions[get_column_letter(col)].width = widths[col]
        self._heading(title, widths)
        lines: dict[int, int] = {}
        merged = {
            (r, c)
            for cells in ws.merged_cells.ranges
            for r in range(cells.min_row, cells.max_row + 1)
            for c in range(cells.min_col, cells.max_col + 1)
        }
        for cell in self.wrapped:
            if (cell.row, cell.column) in merged:
                continue
            text = "" if cell.value is None else str(cell.value)
            need = _lines(text, widths[cell.column])
            lines[cell.row] = max(lines.get(cell.row, 1), need)
        for row, first, last, text in self.merged_text:
            span = sum(widths[c] for c in range(first, last + 1))
            lines[row] = max(lines.get(row, 1), _lines(text, span))
        for row, count in lines.items():
            if count > 1:
                ws.row_dimensions[row].height = count * LINE_HEIGHT + 3
        ws.freeze_panes = ws.cell(header_end + 1, freeze_col)
        if table:
            first, last = table
            if last > header_end:
                ws.auto_filter.ref = (
                    f"A{header_end}:{get_column_letter(self.width)}{last}"
                )
            ws.print_title_rows = f"{first}:{header_end}"
        setup = ws.page_setup
        setup.orientation = "landscape"
        setup.paperSize = ws.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = self._(N_("Page &P of &N"))

    def _heading(self, title: str, widths: dict[int, float]) -> None:
        """The three header rows of an official table, across the sheet's width."""
        ws, report = self.ws, self.report
        last = self.width
        cell = self.put(
            1, 1, title, border=False, measure=False, align="center", wrap=True
        )
        cell.font = self.font(bold=True, size=16)
        if last > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
        total = sum(widths.values())
        ws.row_dimensions[1].height = 32 * _lines(title, total, size=16)
        info = [
            self._(N_("Reporting unit: {unit}")).format(unit=report.unit.name),
            self._(N_("Period: {period}")).format(period=report.period_text),
            self._(N_("Prepared on: {date}")).format(date=_date(report)),
        ]
        self._spread(2, info, widths)
        self._spread(
            3,
            [
                self._(N_("Person in charge: ________")),
                self._(N_("Prepared by: ________")),
            ],
            widths,
        )

    def _spread(self, row: int, parts: list[str], widths: dict[int, float]) -> None:
        """Texts side by side on one row: first left, last right, others centred."""
        ws = self.ws
        cols = list(widths)
        needed = [text_width(p) + 4 for p in parts]
        if len(cols) < len(parts) or sum(widths.values()) < sum(needed):
            text = "    ".join(parts)
            self.put(row, 1, text, border=False, measure=False, wrap=True)
            if len(cols) > 1:
                ws.merge_cells(
                    start_row=row, start_column=1, end_row=row, end_column=cols[-1]
                )
            self.merged_text.append((row, 1, cols[-1], text))
            return
        # Columns for each part in proportion to its text, at least one each.
        total, share = sum(widths.values()), sum(needed)
        bounds, start, running, wanted = [], 0, 0.0, 0.0
        for i, need in enumerate(needed[:-1]):
            wanted += need / share * total
            end = start
            running += widths[cols[end]]
            latest = len(cols) - (len(parts) - i)  # leave a column for each later part
            while end < latest and abs(running + widths[cols[end + 1]] - wanted) < abs(
                running - wanted
            ):
                end += 1
                running += widths[cols[end]]
            bounds.append((start, end))
            start = end + 1
        bounds.append((start, len(cols) - 1))
        for i, (part, (first, end)) in enumerate(zip(parts, bounds, strict=True)):
            align = "left" if i == 0 else "right" if i == len(parts) - 1 else "center"
            self.put(row, cols[first], part, border=False, measure=False, align=align)
            if end > first:
                ws.merge_cells(
                    start_row=row,
                    start_column=cols[first],
                    end_row=row,
                    end_column=cols[end],
                )
        ws.row_dimensions[row].height = 20


def _lines(text: str, width: float, size: float = 10.5) -> int:
    """How many lines ``text`` needs in a cell ``width`` characters wide."""
    usable = max(1.0, (width - 1.5) * 10.5 / size)
    return sum(
        max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n")
    )


def _date(report: Report) -> str:
    day = report.generated_at.date()
    return gettext(N_("{year}-{month:02d}-{day:02d}"), report.lang).format(
        year=day.year, month=day.month, day=day.day
    )


def _status(sheet: _Sheet, row: int, col: int, status: Status, text: str) -> None:
    sheet.put(
        row,
        col,
        text,
        bold=True,
        colour="FFFFFF",
        fill=STATUS_COLOURS[status],
        align="center",
    )


def _status_colour(status: Status) -> str:
    return "000000" if status is Status.NO_TARGET else STATUS_COLOURS[status]


def _figure(
    sheet: _Sheet,
    row: int,
    col: int,
    kind: Kind,
    value: Any,
    text: str,
    colour: str = "000000",
) -> None:
    """A figure as a number, or its text ("无数据") when there is none."""
    if value is None:
        sheet.put(row, col, text, colour=STATUS_COLOURS[Status.NO_DATA], align="center")
    else:
        sheet.put(row, col, value, fmt=value_format(kind), colour=colour)


def _none(sheet: _Sheet, row: int) -> int:
    sheet.put(row, 1, sheet._(N_("none")), border=False, measure=False)
    return row


# --- 总览 -----------------------------------------------------------------


def _overview(wb: Workbook, report: Report) -> None:
    ws = wb.active
    ws.title = _sheet_name(gettext(N_("Overview"), report.lang), wb)
    sheet = _Sheet(ws, report, width=6)
    _ = sheet._
    row = HEADER_ROWS + 1
    if report.partial:
        sheet.text_row(
            row,
            _(N_("The period is not over yet: the figures are partial.")),
            bold=True,
            colour=STATUS_COLOURS[Status.FAILED],
        )
        row += 2

    sheet.section_title(row, _(N_("Headline figures")))
    row += 1
    if report.headline:
        sheet.columns(
            row,
            [
                (None, [_(N_("indicator"))]),
                (None, [_(N_("value"))]),
                (None, [_(N_("numerator"))]),
                (None, [_(N_("denominator"))]),
                (None, [_(N_("target"))]),
                (None, [_(N_("status"))]),
            ],
        )
        for indicator in report.headline:
            row += 1
            _this_period(sheet, row, 1, indicator)
    else:
        _none(sheet, row)
    row += 2

    sheet.section_title(row, _(N_("Briefing")))
    for paragraph in report.briefing or (_(N_("none")),):
        row += 1
        indent = "\u3000\u3000" if report.lang == "zh" else ""
        sheet.text_row(row, indent + paragraph)
    row += 2

    sheet.section_title(row, _(N_("Ranking of units one level down")))
    row += 1
    if report.ranking:
        sheet.columns(
            row,
            [
                (None, [_(N_("unit"))]),
                (None, [_(N_("rank"))]),
                (None, [_(N_("indicators met"))]),
                (None, [_(N_("indicators assessed"))]),
                (None, [_(N_("share met"))]),
            ],
        )
        for ranked in report.ranking:
            row += 1
            sheet.put(row, 1, ranked.unit.name)
            sheet.put(row, 2, ranked.rank, align="center")
            sheet.put(row, 3, ranked.met)
            sheet.put(row, 4, ranked.assessed)
            _figure(sheet, row, 5, Kind.RATIO, ranked.share, ranked.share_text)
    else:
        _none(sheet, row)

    if report.failures:
        row += 2
        sheet.section_title(row, _(N_("Plugin failures")))
        for failure in report.failures:
            row += 1
            sheet.text_row(row, failure, colour=STATUS_COLOURS[Status.FAILED])
    sheet.finish(report.title, header_end=HEADER_ROWS, caps={1: 36}, minimum=12)


def _this_period(sheet: _Sheet, row: int, col: int, indicator: IndicatorRow) -> int:
    """Name, value, numerator, denominator, target and status from ``col``."""
    kind = indicator.kind
    sheet.put(row, col, indicator.name, wrap=True)
    _figure(sheet, row, col + 1, kind, indicator.figure.value, indicator.value_text)
    if indicator.fraction_text:  # ratios only: counts and money have no fraction
        figure = indicator.figure
        sheet.put(
            row, col + 2, figure.numerator, fmt=MONEY if kind is Kind.MONEY else COUNT
        )
        sheet.put(row, col + 3, figure.denominator, fmt=COUNT)
    else:
        sheet.put(row, col + 2, None)
        sheet.put(row, col + 3, None)
    sheet.put(row, col + 4, indicator.target_text, align="center")
    _status(sheet, row, col + 5, indicator.status, indicator.status_text)
    return col + 5


# --- one sheet per area ---------------------------------------------------


def _area(wb: Workbook, report: Report, section: AreaSection) -> None:
    name = section.title[:1].upper() + section.title[1:]
    ws = wb.create_sheet(_sheet_name(name, wb))
    sheet = _Sheet(ws, report)
    _ = sheet._
    rows = section.rows
    coverage = any(r.coverage_text for r in rows)
    comparisons = [
        (attr, group, label)
        for attr, group, label in (
            ("previous", N_("vs previous period"), N_("previous period")),
            ("last_year", N_("vs same period last year"), N_("same period last year")),
            ("year_to_date", N_("year to date"), N_("value")),
        )
        if any(getattr(r, attr) is not None for r in rows)
    ]
    spec: list[tuple[str | None, list[str]]] = [
        (None, [_(N_("No."))]),
        (None, [_(N_("indicator"))]),
        (
            _(N_("this period")),
            [
                _(N_("value")),
                _(N_("numerator")),
                _(N_("denominator")),
                _(N_("target")),
                _(N_("status")),
                *([_(N_("coverage"))] if coverage else []),
            ],
        ),
    ]
    for attr, group, label in comparisons:
        labels = [_(label)] if attr == "year_to_date" else [_(label), _(N_("change"))]
        spec.append((_(group), labels))
    if report.children:
        spec.append((_(N_("Units one level down")), [c.name for c in report.children]))
    spec.append((None, [_(N_("indicator id"))]))
    first = HEADER_ROWS + 1
    header_end = sheet.columns(first, spec)
    caps = {2: 34}
    row = header_end
    for number, indicator in enumerate(rows, 1):
        row += 1
        kind = indicator.kind
        sheet.put(row, 1, number, align="center")
        col = _this_period(sheet, row, 2, indicator) + 1
        if coverage:
            sheet.put(row, col, indicator.coverage_text, align="center")
            col += 1
        for attr, _group, _label in comparisons:
            change: Change | None = getattr(indicator, attr)
            if change is None:
                sheet.put(row, col, "—", align="center")
            else:
                _figure(sheet, row, col, kind, change.figure.value, change.value_text)
            col += 1
            if attr == "year_to_date":
                continue
            if change is None or change.change is None:
                sheet.put(row, col, "—", align="center")
            else:
                sheet.put(row, col, change.change, fmt=change_format(kind))
            col += 1
        for child in indicator.children:
            caps[col] = 12
            _figure(
                sheet,
                row,
                col,
                kind,
                child.figure.value,
                child.value_text,
                colour=_status_colour(child.figure.status),
            )
            col += 1
        sheet.put(row, col, indicator.id, colour="5F6368")
    if not rows:
        row = _none(sheet, row + 1)
    sheet.finish(
        gettext(N_("{title} — {section}"), report.lang).format(
            title=report.title, section=section.title
        ),
        header_end=header_end,
        table=(first, row),
        freeze_col=3,
        caps=caps,
    )


# --- 差距清单 --------------------------------------------------------------


def _gaps(wb: Workbook, report: Report) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("Gap list"))
    sheet = _Sheet(wb.create_sheet(_sheet_name(name, wb)), report)
    first = HEADER_ROWS + 1
    header_end = sheet.columns(
        first,
        [
            (None, [_(N_("No."))]),
            (None, [_(N_("unit code"))]),
            (None, [_(N_("unit name"))]),
            (None, [_(N_("indicator"))]),
            (None, [_(N_("what is missing"))]),
            (None, [_(N_("rule"))]),
        ],
    )
    row = header_end
    for number, gap in enumerate(report.gaps, 1):
        row += 1
        sheet.put(row, 1, number, align="center")
        sheet.put(row, 2, gap.unit)
        sheet.put(row, 3, gap.unit_name, wrap=True)
        sheet.put(row, 4, gap.indicator_name, wrap=True)
        sheet.put(row, 5, gap.reason, wrap=True)
        sheet.put(row, 6, gap.rule, wrap=True)
    if not report.gaps:
        row = _none(sheet, row + 1)
    sheet.finish(
        _title(report, name),
        header_end=header_end,
        table=(first, row),
        freeze_col=1,
        caps={3: 24, 4: 30, 5: 44, 6: 44},
    )


# --- 排名 and 考核排名 ------------------------------------------------------


def _ranking(wb: Workbook, report: Report) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("Ranking"))
    sheet = _Sheet(wb.create_sheet(_sheet_name(name, wb)), report)
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
        _figure(sheet, row, 6, Kind.RATIO, ranked.share, ranked.share_text)
        sheet.put(row, 7, separator.join(ranked.not_met), wrap=True)
    if not report.ranking:
        row = _none(sheet, row + 1)
    sheet.finish(
        _title(report, name),
        header_end=header_end,
        table=(first, row),
        caps={7: 90},
    )


def _points(text: str) -> Decimal | str:
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def _scoring(wb: Workbook, report: Report, section: ScoringSection, name: str) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    sheet = _Sheet(wb.create_sheet(_sheet_name(name, wb)), report, width=4)
    sheet.text_row(
        HEADER_ROWS + 1,
        _(N_("{count} units of level {level} scored; full marks {max}.")).format(
            count=len(section.rows), level=section.level_text, max=section.max_text
        ),
    )
    first = HEADER_ROWS + 2
    header_end = sheet.columns(
        first,
        [
            (None, [_(N_("rank"))]),
            (None, [_(N_("unit code"))]),
            (None, [_(N_("unit"))]),
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
        sheet.put(row, 1, rank, align="center")
        sheet.put(row, 2, scored.unit.code)
        sheet.put(row, 3, scored.unit.name)
        sheet.put(row, 4, scored.total, fmt=POINTS, bold=True)
        for col, line in enumerate(scored.lines, 5):
            sheet.put(row, col, _points(line), fmt=POINTS)
    if not section.rows:
        row = _none(sheet, row + 1)
    sheet.finish(
        _title(report, section.title),
        header_end=header_end,
        table=(first, row),
        caps={c: 14 for c in range(5, 5 + len(section.line_names))},
    )


# --- 分类统计 and 信访关注清单 ---------------------------------------------


def _breakdown(wb: Workbook, report: Report, rows: Sequence[BreakdownRow]) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("By station kind"))
    sheet = _Sheet(wb.create_sheet(_sheet_name(name, wb)), report)
    groups: list[str] = []
    for breakdown in rows:
        for group in breakdown.groups:
            if group[0] not in groups:
                groups.append(group[0])
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
            _figure(sheet, row, col + 2, breakdown.kind, value, text)
        sheet.put(row, 2 + 3 * len(groups), breakdown.id, colour="5F6368")
    sheet.finish(
        _title(report, name),
        header_end=header_end,
        table=(first, row),
        freeze_col=2,
        caps={1: 34},
    )


def _watch(wb: Workbook, report: Report) -> None:
    _ = lambda msgid: gettext(msgid, report.lang)  # noqa: E731 - a local shorthand
    name = _(N_("Petitions watch list"))
    sheet = _Sheet(wb.create_sheet(_sheet_name(name, wb)), report)
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
        _title(report, name),
        header_end=header_end,
        table=(first, row),
        caps={4: 24, 9: 30},
        minimum=8,
    )


# --- the workbook ---------------------------------------------------------


def _title(report: Report, section: str) -> str:
    return gettext(N_("{title} — {section}"), report.lang).format(
        title=report.title, section=section
    )


def _sheet_name(name: str, wb: Workbook) -> str:
    """A legal, unique sheet name: 31 characters, none of []:*?/\\."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in name).strip("' ")[:31]
    clean = clean or "Sheet"
    candidate, n = clean, 2
    while candidate in wb.sheetnames:
        suffix = f"({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def to_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook (bytes)."""
    wb = Workbook()
    _overview(wb, report)
    for section in report.areas:
        _area(wb, report, section)
    _gaps(wb, report)
    _ranking(wb, report)
    scoring_name = gettext(N_("Scoring ranking"), report.lang)
    for index, section in enumerate(report.scorings, 1):
        name = scoring_name if len(report.scorings) == 1 else f"{scoring_name}{index}"
        _scoring(wb, report, section, name)
    if report.breakdown:
        _breakdown(wb, report, report.breakdown)
    if report.watch_list:
        _watch(wb, report)
    stamp = report.generated_at.replace(tzinfo=None, microsecond=0)
    wb.properties.title = report.title
    wb.properties.creator = "vetservice"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def gap_list_xlsx(
    gaps: Sequence[Gap], lang: str = "zh", *, title: str | None = None
) -> bytes:
    """A 差距清单 on its own (the dashboard's filtered list) as an XLSX workbook.

    One sheet with the report's gap columns, a title row (``title``, else
    "差距清单"), frozen headers, an autofilter and A4 landscape one page wide;
    texts from records are stored as text, never as formulas.
    """
    _ = lambda msgid: gettext(msgid, lang)  # noqa: E731 - a local shorthand
    body, heading = FONTS.get(lang, FONTS["en"])
    name = _(N_("Gap list"))
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_name(name, wb)
    labels = [
        _(N_("No.")),
        _(N_("unit code")),
        _(N_("unit name")),
        _(N_("indicator")),
        _(N_("what is missing")),
        _(N_("rule")),
    ]
    caps = {1: 6, 2: 14, 3: 24, 4: 30, 5: 44, 6: 44}
    widths = {col: text_width(label) + 2 for col, label in enumerate(labels, 1)}
    header = 2
    top = ws.cell(1, 1, title or name)
    top.data_type = "s"
    top.font = Font(name=heading, bold=True, size=16)
    top.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(labels))
    for col, label in enumerate(labels, 1):
        cell = ws.cell(header, col, label)
        cell.font = Font(name=body, bold=True, size=10.5)
        cell.fill = PatternFill("solid", fgColor=GREY)
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        cell.border = BORDER
    texts: dict[int, list[str]] = {}
    for number, gap in enumerate(gaps, 1):
        row = header + number
        values = [gap.unit, gap.unit_name, gap.indicator_name, gap.reason, gap.rule]
        cell = ws.cell(row, 1, number)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.font = Font(name=body, size=10.5)
        cell.border = BORDER
        for col, value in enumerate(values, 2):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = ws.cell(row, col)
            cell.value = text
            cell.data_type = "s"  # a reason starting with "=" stays text
            if text.startswith(FORMULA_START):
                cell.quotePrefix = True
            cell.font = Font(name=body, size=10.5)
            cell.alignment = Alignment(vertical="center", wrap_text=col > 2)
            cell.border = BORDER
            widths[col] = max(widths[col], text_width(text) + 2)
            texts.setdefault(row, []).append(text)
    for col, width in widths.items():
        widths[col] = min(caps[col], width)
        ws.column_dimensions[get_column_letter(col)].width = widths[col]
    total = sum(widths.values())
    ws.row_dimensions[1].height = 32 * _lines(title or name, total, size=16)
    for row, values in texts.items():
        need = max(_lines(v, widths[c]) for c, v in enumerate(values, 2))
        if need > 1:
            ws.row_dimensions[row].height = need * LINE_HEIGHT + 3
    last = header + max(len(gaps), 1)
    if not gaps:
        ws.cell(last, 1, _(N_("none"))).data_type = "s"
    ws.freeze_panes = ws.cell(header + 1, 1)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(labels))}{last}"
    ws.print_title_rows = f"1:{header}"
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = _(N_("Page &P of &N"))
    wb.properties.title = title or name
    wb.properties.creator = "vetservice"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
