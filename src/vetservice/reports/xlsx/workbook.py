"""The report's workbook: its sheets in order, and its properties."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from vetservice.i18n import N_, gettext
from vetservice.reports.model import Report
from vetservice.reports.xlsx.lists import (
    breakdown_sheet,
    gaps_sheet,
    ranking_sheet,
    scoring_sheet,
    watch_sheet,
)
from vetservice.reports.xlsx.overview import area_sheet, overview_sheet


def to_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook (bytes)."""
    wb = Workbook()
    overview_sheet(wb, report)
    for section in report.areas:
        area_sheet(wb, report, section)
    gaps_sheet(wb, report)
    ranking_sheet(wb, report)
    scoring_name = gettext(N_("Scoring ranking"), report.lang)
    for index, scoring in enumerate(report.scorings, 1):
        name = scoring_name if len(report.scorings) == 1 else f"{scoring_name}{index}"
        scoring_sheet(wb, report, scoring, name)
    if report.breakdown:
        breakdown_sheet(wb, report, report.breakdown)
    if report.watch_list:
        watch_sheet(wb, report)
    stamp = report.generated_at.replace(tzinfo=None, microsecond=0)
    wb.properties.title = report.title
    wb.properties.creator = "vetservice"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
