"""One worksheet of a report: cells written as numbers or text, the official header,
widths, heights, frozen panes, filter and print set-up."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from copy import copy
from decimal import Decimal
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
from vetservice.indicators.grades import Grade
from vetservice.reports.attachments import Frame, table_frame
from vetservice.reports.model import (
    GRADE_COLOURS,
    GRADE_FILLS,
    STATUS_COLOURS,
    Report,
    is_ratio,
)
from vetservice.reports.notice import settings_for

PERCENT = "0.0%"
COUNT = "#,##0"
MONEY = "#,##0.00"
# A ratio's change is written in percentage points (4.2, not 0.042): "个百分点".
POINTS_CHANGE = {
    "zh": '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"',
    "en": '+0.0" pp";-0.0" pp";0.0" pp"',
}
CHANGE = {
    "ratio": POINTS_CHANGE["zh"],
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


def change_format(kind: Kind, lang: str = "zh") -> str:
    if is_ratio(kind):
        return POINTS_CHANGE.get(lang, POINTS_CHANGE["en"])
    return CHANGE["money"] if kind is Kind.MONEY else CHANGE["count"]


def text_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character counts twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _number_width(value: Any, fmt: str) -> int:
    if fmt in POINTS_CHANGE.values():
        return len(f"{value:+.1f}") + 5
    if fmt == PERCENT:
        return len(f"{float(value) * 100:+.1f}%")
    if fmt in (MONEY, CHANGE["money"]):
        return len(f"{Decimal(value):+,.2f}")
    if isinstance(value, float | Decimal):
        return len(f"{value:,}")
    return len(f"{value:+,}")


@attrs.define
class Sheet:
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

    @property
    def frame(self) -> Frame:
        """The 统计报表 header and footer; the 表号 is the sheet's place in the book."""
        book = self.ws.parent
        assert book is not None  # a sheet made by create_sheet belongs to a book
        number = [id(w) for w in book.worksheets].index(id(self.ws)) + 1
        settings = settings_for(self.report)
        return table_frame(
            self.report, number, issuer=settings.issuer, approval=settings.approval
        )

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
        assert isinstance(cell, Cell)  # written before any merge covers it
        formula_like = False
        if isinstance(value, str):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.value = text
            cell.data_type = "s"  # a reason starting with "=" stays text
            formula_like = text.startswith(FORMULA_START)
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
            # openpyxl's fast path: reuse a style (its stubs leave _style out).
            self.styles[key] = copy(cell._style)  # type: ignore[attr-defined]
        else:
            cell._style = copy(style)  # type: ignore[attr-defined]
        if formula_like:
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
        widths: dict[int, float] = {}
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
            need = line_count(text, widths[cell.column])
            lines[cell.row] = max(lines.get(cell.row, 1), need)
        for row, first, last, text in self.merged_text:
            span = sum(widths[c] for c in range(first, last + 1))
            lines[row] = max(lines.get(row, 1), line_count(text, span))
        for row, count in lines.items():
            if count > 1:
                ws.row_dimensions[row].height = count * LINE_HEIGHT + 3
        ws.freeze_panes = ws.cell(header_end + 1, freeze_col).coordinate
        end = table[1] if table else max(ws.max_row, header_end)
        self._spread(end + 2, list(self.frame.foot), widths)
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
        fit_to_page(ws)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        page_footer(ws, self._(N_("Page &P of &N")))

    def _heading(self, title: str, widths: dict[int, float]) -> None:
        """The three header rows of an official table, across the sheet's width."""
        ws = self.ws
        last = self.width
        cell = self.put(
            1, 1, title, border=False, measure=False, align="center", wrap=True
        )
        cell.font = self.font(bold=True, size=16)
        if last > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
        total = sum(widths.values())
        ws.row_dimensions[1].height = 32 * line_count(title, total, size=16)
        # The 统计报表's header: 表号 and 制表机关 (and 批准文号), then the
        # 填报单位 and 报告期; its footer goes under the table (``finish``).
        head = self.frame.head
        self._spread(2, list(head[:-2]), widths)
        self._spread(3, list(head[-2:]), widths)

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


def fit_to_page(ws: Worksheet) -> None:
    """Print one page wide (a new sheet always has the page set-up properties)."""
    properties = ws.sheet_properties.pageSetUpPr
    assert properties is not None
    properties.fitToPage = True


def page_footer(ws: Worksheet, text: str) -> None:
    """The footer's centre, on every page (a new sheet always has the footer)."""
    footer = ws.oddFooter
    assert footer is not None
    footer.center.text = text


def line_count(text: str, width: float, size: float = 10.5) -> int:
    """How many lines ``text`` needs in a cell ``width`` characters wide."""
    usable = max(1.0, (width - 1.5) * 10.5 / size)
    return sum(
        max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n")
    )


def put_status(sheet: Sheet, row: int, col: int, grade: Grade, text: str) -> None:
    """A 红黄绿 grade as a filled cell (dark text on the light fill prints in grey too)."""
    sheet.put(row, col, text, bold=True, fill=GRADE_FILLS[grade], align="center")


def status_colour(grade: Grade) -> str:
    return "000000" if grade is Grade.NO_TARGET else GRADE_COLOURS[grade]


def put_figure(
    sheet: Sheet,
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


def put_none(sheet: Sheet, row: int) -> int:
    sheet.put(row, 1, sheet._(N_("none")), border=False, measure=False)
    return row


def sheet_title(report: Report, section: str) -> str:
    return gettext(N_("{title} — {section}"), report.lang).format(
        title=report.title, section=section
    )


def sheet_name(name: str, wb: Workbook) -> str:
    """A legal, unique sheet name: 31 characters, none of []:*?/\\."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in name).strip("' ")[:31]
    clean = clean or "Sheet"
    candidate, n = clean, 2
    while candidate in wb.sheetnames:
        suffix = f"({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    return candidate
