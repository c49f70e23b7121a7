"""Read CSV, XLSX, XLS (and WPS .et, ODS) ledgers into sheets of rows.

A CSV file is one sheet; a workbook gives every sheet in order, less those
that plainly hold no records (instructions, empty sheets), which are named.
Each sheet's layout is found (``layout.py``): the header among the first
rows, a title above it, a 序号 column, merged cells, 合计 rows and the
footer, so the importer sees only the header and the data rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from vetservice.errors import ValidationError
from vetservice.i18n import N_, Message
from vetservice.imports.readers.base import (
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    RawSheet,
    RowError,
    Rows,
    Sheet,
    SkippedSheet,
    column_letter,
    file_too_large,
)
from vetservice.imports.readers.layout import SEQUENCE, Matcher, detect
from vetservice.imports.readers.text import detect_encoding, read_csv
from vetservice.imports.readers.workbook import calamine_sheets, xlsx_sheets

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "SEQUENCE",
    "Matcher",
    "RowError",
    "Rows",
    "Sheet",
    "SkippedSheet",
    "column_letter",
    "detect_encoding",
    "read_sheet",
    "read_sheets",
]

XLSX = (".xlsx", ".xlsm")
CALAMINE = (".xls", ".et", ".ods", ".xlsb")
TEXT = (".csv", ".txt", ".tsv")

# Sheets that explain how to fill the others in (a template's 填写说明).
_INSTRUCTIONS = re.compile(
    r"说明|须知|注意事项|填表要求|instruction|readme|notes", re.I
)


def _raw_sheets(path: Path) -> Iterator[RawSheet]:
    if not path.is_file():
        raise ValidationError(N_("file {path} does not exist"), path=str(path))
    if error := file_too_large(path.stat().st_size):
        raise error
    suffix = path.suffix.lower()
    if suffix in XLSX:
        return xlsx_sheets(path)
    if suffix in CALAMINE:
        return calamine_sheets(path)
    if suffix in TEXT:
        return iter([read_csv(path)])
    raise ValidationError(
        N_("cannot read '{suffix}' files; use .csv, .xlsx or .xls"),
        suffix=suffix or path.name,
    )


def _no_match(text: str) -> str | None:
    return None


def read_sheets(
    path: str | Path, match: Matcher = _no_match, *, only: str | None = None
) -> Iterator[Sheet | SkippedSheet]:
    """Each sheet of the file with its layout found, or why it was left out.

    ``match`` tells a header cell's field (headers.header_matcher); with
    ``only`` just the sheet of that name is read (an error when there is
    none). A sheet is read fully by the caller before the next is given.
    Raises :class:`ValidationError` for a file that cannot be read at all.
    """
    path = Path(path)
    raws = _raw_sheets(path)
    names: list[str] = []
    found = False
    try:
        for raw in raws:
            name = raw.name
            if name is not None:
                names.append(name)
                if only is not None and name != only:
                    continue
                if only is None and _INSTRUCTIONS.search(name):
                    yield SkippedSheet(
                        name,
                        Message(
                            N_("sheet {sheet} holds instructions; skipped"),
                            {"sheet": name},
                        ),
                    )
                    continue
            found = True
            sheet = detect(raw, str(path), match)
            if sheet is None:
                if name is None:
                    raise ValidationError(
                        N_("the file is empty; it needs a header row")
                    )
                yield SkippedSheet(
                    name,
                    Message(N_("sheet {sheet} is empty; skipped"), {"sheet": name}),
                )
                continue
            if raw.hidden and only is None and sheet.named_fields == 0:
                # A hidden sheet of drop-down lists; one of records would
                # name the kind's columns and is read like any other.
                yield SkippedSheet(
                    sheet.name or "",
                    Message(
                        N_(
                            "sheet {sheet} is hidden and holds no table of this kind; skipped"
                        ),
                        {"sheet": name},
                    ),
                )
                continue
            yield sheet
    finally:
        close = getattr(raws, "close", None)
        if close is not None:
            close()
    if only is not None and not found:
        raise ValidationError(
            N_("the workbook has no sheet named {sheet}; its sheets: {sheets}"),
            sheet=only,
            sheets="、".join(names) or "-",
        )


def _closing_both(
    first: Callable[[], None] | None, sheets: Iterator[Sheet | SkippedSheet]
) -> Callable[[], None]:
    def close() -> None:
        if first is not None:
            first()
        getattr(sheets, "close", lambda: None)()

    return close


def read_sheet(path: str | Path, match: Matcher = _no_match) -> Sheet:
    """The first sheet of a file that holds a table (for a caller that needs one)."""
    sheets = read_sheets(path, match)
    for sheet in sheets:
        if isinstance(sheet, Sheet):
            # The workbook stays open until the sheet is closed.
            sheet._close = _closing_both(sheet._close, sheets)
            return sheet
    raise ValidationError(N_("the file is empty; it needs a header row"))
