"""A 差距清单 on its own: the dashboard's filtered list as a workbook."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vetservice.i18n import N_, gettext
from vetservice.reports.model import Gap
from vetservice.reports.xlsx.sheet import (
    BORDER,
    FONTS,
    FORMULA_START,
    GREY,
    LINE_HEIGHT,
    fit_to_page,
    line_count,
    page_footer,
    sheet_name,
    text_width,
)


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
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = sheet_name(name, wb)
    labels = [
        _(N_("No.")),
        _(N_("unit code")),
        _(N_("unit name")),
        _(N_("indicator")),
        _(N_("what is missing")),
        _(N_("rule")),
    ]
    # 整改情况 at the as-of date, when the period is over: 已整改 or still missing.
    fixed = any(g.resolved_text for g in gaps)
    if fixed:
        labels.append(_(N_("fixed since")))
    caps = {1: 6, 2: 14, 3: 24, 4: 30, 5: 44, 6: 44, 7: 30}
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
        if fixed:
            values.append(gap.resolved_text)
        cell = ws.cell(row, 1, number)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.font = Font(name=body, size=10.5)
        cell.border = BORDER
        for col, value in enumerate(values, 2):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = ws.cell(row, col, text)
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
    ws.row_dimensions[1].height = 32 * line_count(title or name, total, size=16)
    for row, values in texts.items():
        need = max(line_count(v, widths[c]) for c, v in enumerate(values, 2))
        if need > 1:
            ws.row_dimensions[row].height = need * LINE_HEIGHT + 3
    last = header + max(len(gaps), 1)
    if not gaps:
        ws.cell(last, 1, _(N_("none"))).data_type = "s"
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(labels))}{last}"
    ws.print_title_rows = f"1:{header}"
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    fit_to_page(ws)
    ws.page_margins.left = ws.page_margins.right = 0.4
    page_footer(ws, _(N_("Page &P of &N")))
    wb.properties.title = title or name
    wb.properties.creator = "vetservice"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
