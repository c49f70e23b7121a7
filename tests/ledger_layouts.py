"""Build ledgers the way 县区 and 乡镇 clerks lay them out in Excel and WPS.

A :class:`Ledger` is the clean table (header and rows); :func:`layout` puts
it on a sheet with what clerks add around it — a title, a 填报单位/日期 row,
a 序号 column, a two-row header with merged cells, the same 村 merged down
the data, a 合计 row and a 填表人/审核人 footer — as a grid of cells and a
list of merged ranges. The grid is written as XLSX (openpyxl), XLS (xlwt) or
CSV (where merges become what Excel exports: the value in the first cell,
the others empty).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import attrs

Cell = Any
Merge = tuple[
    int, int, int, int
]  # first row, first column, last row, last column (0-based)


@attrs.frozen
class Ledger:
    headers: list[str]
    rows: list[list[Cell]]
    group: str = (
        "基本信息"  # the label over the fields after the first, in a two-row header
    )
    merge_column: str | None = None  # equal values of this column merged down


@attrs.frozen
class Grid:
    cells: list[list[Cell]]
    merges: list[Merge] = attrs.Factory(list)


@attrs.frozen
class Options:
    title: bool = False
    unit_row: bool = False
    sequence: bool = False
    two_rows: bool = False
    merged_data: bool = False
    total: bool = False
    footer: bool = False
    line_breaks: bool = False  # headers typed with Alt+Enter and spaces

    @classmethod
    def everything(cls) -> Options:
        return cls(True, True, True, True, True, True, True, True)


def layout(
    ledger: Ledger, options: Options, title: str = "宝塔区退役军人信息采集表"
) -> Grid:
    width = len(ledger.headers) + (1 if options.sequence else 0)
    cells: list[list[Cell]] = []
    merges: list[Merge] = []

    def add(row: list[Cell]) -> int:
        cells.append(row + [None] * (width - len(row)))
        return len(cells) - 1

    if options.title:
        r = add([title])
        merges.append((r, 0, r, width - 1))
    if options.unit_row:
        r = add(["填报单位：宝塔区退役军人事务局"])
        cells[r][width - 1] = "填报日期：2026年11月28日"
    headers = [_broken(h) if options.line_breaks else h for h in ledger.headers]
    lead = ["序号"] if options.sequence else []
    if options.two_rows:
        # 序号 and the first field merged down over both rows; the group label
        # merged across the other fields.
        group = add([*lead, headers[0], ledger.group])
        field = add([*([None] * len(lead)), None, *headers[1:]])
        for c in range(len(lead) + 1):
            merges.append((group, c, field, c))
        if width - 1 > len(lead) + 1:
            merges.append((group, len(lead) + 1, group, width - 1))
    else:
        add([*lead, *headers])
    first = len(cells)
    for number, row in enumerate(ledger.rows, 1):
        add([*([number] if options.sequence else []), *row])
    if options.merged_data and ledger.merge_column is not None:
        c = ledger.headers.index(ledger.merge_column) + len(lead)
        start = first
        for r in range(first + 1, len(cells) + 1):
            if r == len(cells) or cells[r][c] != cells[start][c]:
                if r - 1 > start:
                    merges.append((start, c, r - 1, c))
                    for inside in range(start + 1, r):
                        cells[inside][c] = None
                start = r
    if options.total:
        r = add(["合计", None, f"{len(ledger.rows)}人"])
        merges.append((r, 0, r, 1))
    if options.footer:
        add([])
        r = add(["填表人：张三"])
        cells[r][min(3, width - 1)] = "审核人：李四"
        add(["联系电话：0911-2345678"])
    return Grid(cells, merges)


def _broken(header: str) -> str:
    """A header as typed in a narrow column: a line break and a space."""
    if len(header) < 4:
        return header
    middle = len(header) // 2
    return f" {header[:middle]}\n{header[middle:]} "


# ---------------------------------------------------------------------------
# Writers.


def write_xlsx(
    path: Path, sheets: dict[str, Grid], hidden: tuple[str, ...] = ()
) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, grid in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(grid.cells, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    cell = sheet.cell(row=r, column=c, value=value)
                    if isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
        for r1, c1, r2, c2 in grid.merges:
            sheet.merge_cells(
                start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1
            )
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, Grid]) -> Path:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, grid in sheets.items():
        sheet = book.add_sheet(name)
        covered = {
            (r, c)
            for r1, c1, r2, c2 in grid.merges
            for r in range(r1, r2 + 1)
            for c in range(c1, c2 + 1)
        }
        for r1, c1, r2, c2 in grid.merges:
            value = grid.cells[r1][c1]
            style = dates if isinstance(value, dt.date) else xlwt.Style.default_style
            sheet.write_merge(r1, r2, c1, c2, "" if value is None else value, style)
        for r, row in enumerate(grid.cells):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, dates)
                else:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, grid: Grid) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        for row in grid.cells:
            writer.writerow(["" if v is None else _text(v) for v in row])
    return path


def _text(value: Cell) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def clean_csv(path: Path, ledger: Ledger) -> Path:
    """The same records as a plain CSV: the header in row 1, nothing else."""
    return write_csv(path, Grid([list(ledger.headers), *ledger.rows]))
