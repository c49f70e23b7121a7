"""The 总览 sheet and one sheet per area."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from vetservice.i18n import N_, gettext
from vetservice.indicators import Kind, Status
from vetservice.reports.chapters import CHAPTERS, Chapter
from vetservice.reports.model import (
    STATUS_COLOURS,
    AreaSection,
    Change,
    IndicatorRow,
    Report,
    is_ratio,
)
from vetservice.reports.xlsx.sheet import (
    COUNT,
    HEADER_ROWS,
    MONEY,
    Sheet,
    change_format,
    put_figure,
    put_none,
    put_status,
    sheet_name,
    status_colour,
)

# --- 总览 -----------------------------------------------------------------


def overview_sheet(wb: Workbook, report: Report) -> None:
    """The short chapters, and the ranking in brief, on the first sheet."""
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = sheet_name(gettext(N_("Overview"), report.lang), wb)
    sheet = Sheet(ws, report, width=6)
    row = HEADER_ROWS + 1
    if report.partial:
        sheet.text_row(
            row,
            sheet._(N_("The period is not over yet: the figures are partial.")),
            bold=True,
            colour=STATUS_COLOURS[Status.FAILED],
        )
        row += 2
    for line in report.sign_offs:  # 审核锁定, under the header
        sheet.text_row(row, line, bold=True)
        row += 1
    if report.sign_offs:
        row += 1
    parts = {
        Chapter.BRIEFING: _briefing,
        Chapter.HEADLINE: _headline,
        Chapter.RANKING: _ranking,
        Chapter.FAILURES: _failures,
    }
    for chapter in CHAPTERS:
        if chapter in parts:
            last = parts[chapter](sheet, row)
            if last is not None:
                row = last + 2  # a blank row between parts
    sheet.finish(report.title, header_end=HEADER_ROWS, caps={1: 36}, minimum=12)


# Each part of the overview starts at ``row`` and returns the last row it
# wrote (None: it had nothing to show).


def _briefing(sheet: Sheet, row: int) -> int | None:
    report, _ = sheet.report, sheet._
    sheet.section_title(row, _(N_("Briefing")))
    for paragraph in report.briefing or (_(N_("none")),):
        row += 1
        indent = "\u3000\u3000" if report.lang == "zh" else ""
        sheet.text_row(row, indent + paragraph)
    return row


def _headline(sheet: Sheet, row: int) -> int | None:
    report, _ = sheet.report, sheet._
    sheet.section_title(row, _(N_("Headline figures")))
    row += 1
    if not report.headline:
        return put_none(sheet, row)
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
    return row


def _ranking(sheet: Sheet, row: int) -> int | None:
    report, _ = sheet.report, sheet._
    sheet.section_title(row, _(N_("Ranking of units one level down")))
    row += 1
    if not report.ranking:
        return put_none(sheet, row)
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
        put_figure(sheet, row, 5, Kind.RATIO, ranked.share, ranked.share_text)
    return row


def _failures(sheet: Sheet, row: int) -> int | None:
    if not sheet.report.failures:
        return None
    sheet.section_title(row, sheet._(N_("Plugin failures")))
    for failure in sheet.report.failures:
        row += 1
        sheet.text_row(row, failure, colour=STATUS_COLOURS[Status.FAILED])
    return row


def _this_period(sheet: Sheet, row: int, col: int, indicator: IndicatorRow) -> int:
    """Name, value, numerator, denominator, target and status from ``col``."""
    kind = indicator.kind
    sheet.put(row, col, indicator.name, wrap=True)
    put_figure(sheet, row, col + 1, kind, indicator.figure.value, indicator.value_text)
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
    put_status(sheet, row, col + 5, indicator.grade, indicator.status_text)
    return col + 5


# --- one sheet per area ---------------------------------------------------


def area_sheet(wb: Workbook, report: Report, section: AreaSection) -> None:
    name = section.title[:1].upper() + section.title[1:]
    ws = wb.create_sheet(sheet_name(name, wb))
    sheet = Sheet(ws, report)
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
                put_figure(
                    sheet, row, col, kind, change.figure.value, change.value_text
                )
            col += 1
            if attr == "year_to_date":
                continue
            if change is None or change.change is None:
                sheet.put(row, col, "—", align="center")
            else:
                shown = change.change * 100 if is_ratio(kind) else change.change
                sheet.put(row, col, shown, fmt=change_format(kind, report.lang))
            col += 1
        for child in indicator.children:
            caps[col] = 12
            put_figure(
                sheet,
                row,
                col,
                kind,
                child.figure.value,
                child.value_text,
                colour=status_colour(child.grade),
            )
            col += 1
    if not rows:
        row = put_none(sheet, row + 1)
    sheet.finish(
        gettext(N_("{title} — {section}"), report.lang).format(
            title=report.title, section=section.title
        ),
        header_end=header_end,
        table=(first, row),
        freeze_col=3,
        caps=caps,
    )
