"""The report's workbook: its sheets in order, and its properties."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from openpyxl import Workbook

from vetservice.i18n import N_, gettext
from vetservice.reports.attachments import gap_counts, grade_table
from vetservice.reports.chapters import CHAPTERS, Chapter
from vetservice.reports.model import Report
from vetservice.reports.notice import notice
from vetservice.reports.xlsx.lists import (
    breakdown_sheet,
    gaps_sheet,
    grade_sheet,
    overdue_sheet,
    ranking_sheet,
    scoring_sheet,
    watch_sheet,
)
from vetservice.reports.xlsx.overview import area_sheet, overview_sheet


def to_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook (bytes): the overview, then a sheet or
    more per chapter that has a table of its own."""
    wb = Workbook()
    overview_sheet(wb, report)
    if report.children:  # the 通报's attachments, as in Word
        written = notice(report)
        grade_sheet(wb, report, 1, grade_table(report), written.attachments[0])
        grade_sheet(wb, report, 2, gap_counts(report).table, written.attachments[1])
    sheets: dict[Chapter, Callable[[Workbook, Report], None]] = {
        Chapter.AREAS: _areas,
        Chapter.RANKING: ranking_sheet,
        Chapter.GAPS: gaps_sheet,
        Chapter.BREAKDOWN: _breakdown,
        Chapter.SCORINGS: _scorings,
        Chapter.WATCH_LIST: _watch_list,
    }
    for chapter in CHAPTERS:
        if chapter in sheets:
            sheets[chapter](wb, report)
    stamp = report.generated_at.replace(tzinfo=None, microsecond=0)
    wb.properties.title = report.title
    wb.properties.creator = "vetservice"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _areas(wb: Workbook, report: Report) -> None:
    for section in report.areas:
        area_sheet(wb, report, section)


def _breakdown(wb: Workbook, report: Report) -> None:
    if report.breakdown:
        breakdown_sheet(wb, report, report.breakdown)


def _scorings(wb: Workbook, report: Report) -> None:
    scoring_name = gettext(N_("Scoring ranking"), report.lang)
    for index, scoring in enumerate(report.scorings, 1):
        name = scoring_name if len(report.scorings) == 1 else f"{scoring_name}{index}"
        scoring_sheet(wb, report, scoring, name)


def _watch_list(wb: Workbook, report: Report) -> None:
    if report.watch_list:
        watch_sheet(wb, report)
    if report.overdue:
        overdue_sheet(wb, report)
