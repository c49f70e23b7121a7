"""Tables: full width, a header row repeated on every page, rows copied from one prototype."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Twips

from vetservice.indicators import Status
from vetservice.reports.docx.layout import (
    CENTRE,
    HEADER_FILL,
    MARKER,
    NOTE_PT,
    TEXT_WIDTH,
)
from vetservice.reports.docx.oxml import (
    AFTER_CANTSPLIT,
    AFTER_CELLMAR,
    AFTER_SHD,
    AFTER_TBLHEADER,
    add_run,
    element,
    set_style,
)
from vetservice.reports.model import STATUS_COLOURS

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table


_TC, _P = qn("w:tc"), qn("w:p")


@attrs.frozen
class Cell:
    """A table cell: its text, a smaller second line, a status marker in colour."""

    text: str
    note: str = ""
    status: Status | None = None


@attrs.frozen
class Column:
    header: str
    width: float  # millimetres; a table's columns are scaled to fill 156 mm
    align: WD_ALIGN_PARAGRAPH = CENTRE
    note: str = ""


def _fill(p: BaseOxmlElement, value: Cell | str) -> None:
    cell = value if isinstance(value, Cell) else Cell(value)
    if cell.status is not None:
        add_run(p, MARKER, colour=STATUS_COLOURS[cell.status])
        add_run(p, " ")
    add_run(p, cell.text.replace("\n", " "))
    if cell.note:
        add_run(p, cell.note, size=NOTE_PT, line_break=True)


def _widths(columns: Sequence[Column]) -> list[int]:
    total = sum(c.width for c in columns)
    widths = [int(TEXT_WIDTH * c.width / total) for c in columns]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def add_table(
    document: Document,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell | str]],
    *,
    small: bool = False,
) -> Table:
    """A full-width table whose header row repeats on every page.

    Rows are copies of one prepared row (python-docx builds a row in about a
    millisecond; a city's gap list has thousands).
    """
    suffix = " Small" if small or len(columns) > 5 else ""
    text_style = document.styles[f"Table Text{suffix}"]
    heading_style = document.styles[f"Table Heading{suffix}"]
    widths = _widths(columns)
    table: Table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    assert width is not None  # python-docx's tables always carry one
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(TEXT_WIDTH))
    margins = element("w:tblCellMar")
    for side, size in (("top", 28), ("left", 57), ("bottom", 28), ("right", 57)):
        margins.append(element(f"w:{side}", w=str(size), type="dxa"))
    tbl_pr.insert_element_before(margins, *AFTER_CELLMAR)
    for column, twips in zip(table.columns, widths, strict=True):
        column.width = Twips(twips)

    header = table.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    header_pr.insert_element_before(element("w:cantSplit"), *AFTER_CANTSPLIT)
    header_pr.insert_element_before(element("w:tblHeader"), *AFTER_TBLHEADER)
    for cell, column, twips in zip(header.cells, columns, widths, strict=True):
        cell.width = Twips(twips)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell._tc.get_or_add_tcPr().insert_element_before(
            element("w:shd", val="clear", color="auto", fill=HEADER_FILL), *AFTER_SHD
        )
        paragraph = cell.paragraphs[0]
        set_style(paragraph, heading_style)
        _fill(paragraph._p, Cell(column.header, note=column.note))

    # python-docx leaves Table.add_row unannotated.
    prototype = table.add_row()  # type: ignore[no-untyped-call]
    prototype._tr.get_or_add_trPr().insert_element_before(
        element("w:cantSplit"), *AFTER_CANTSPLIT
    )
    for cell, column, twips in zip(prototype.cells, columns, widths, strict=True):
        cell.width = Twips(twips)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        set_style(paragraph, text_style)
        paragraph.alignment = column.align
    tr = prototype._tr
    table._tbl.remove(tr)
    for values in rows:
        row = copy.deepcopy(tr)
        for tc, value in zip(row.iterchildren(_TC), values, strict=True):
            _fill(tc.find(_P), value)
        table._tbl.append(row)
    return table
