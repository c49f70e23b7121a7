"""Read workbooks sheet by sheet: XLSX with openpyxl, XLS, WPS .et and ODS with calamine.

XLSX is read with openpyxl in read-only mode: rows stream from the sheet's
XML, so a sheet of a million rows is read in a few MB and a wrong header is
refused before the rest is read. calamine is about twice as fast but holds a
whole sheet in memory before giving its first row, so it reads only the
formats whose sheets stay small by design (an .xls sheet has at most 65,536
rows). openpyxl gives no merged ranges in read-only mode; they are found by
scanning the sheet's XML once for its ``<mergeCell>`` elements, block by
block, in constant memory.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vetservice.errors import ValidationError
from vetservice.i18n import N_
from vetservice.imports.readers.base import (
    MAX_UNPACKED_BYTES,
    Merge,
    RawSheet,
    Rows,
)
from vetservice.imports.readers.text import OLE_MAGIC, ZIP_MAGIC, binary_kind

_BLOCK = 1 << 20
_MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\""
)


def _unreadable(error: BaseException) -> ValidationError:
    return ValidationError(
        N_(
            "the file is not a readable XLSX workbook ({error}); save it again from Excel"
        ),
        error=error.__class__.__name__,
    )


def check_workbook(path: Path) -> None:
    """Refuse what is not an XLSX workbook, or unpacks to too much, before openpyxl."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head:
        raise ValidationError(N_("the file is empty; it needs a header row"))
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            N_(
                "the file is an old .xls workbook or a password-protected one; remove "
                "the password and save it as .xlsx or CSV UTF-8"
            )
        )
    if not head.startswith(ZIP_MAGIC):
        if binary_kind(head) is None:
            raise ValidationError(
                N_("the file is text, not an XLSX workbook; name it .csv")
            )
        raise ValidationError(
            N_(
                "the file is not a readable XLSX workbook ({error}); save it again from Excel"
            ),
            error="BadZipFile",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise _unreadable(e) from e
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            N_(
                "the workbook unpacks to more than {limit} MB; split it into smaller files"
            ),
            limit=MAX_UNPACKED_BYTES // (1024 * 1024),
        )


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def xlsx_merges(path: Path, member: str) -> list[Merge]:
    """The merged ranges of one sheet, from its XML, without building a tree."""
    merges: list[Merge] = []
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member) as xml:
        for block in iter(lambda: xml.read(_BLOCK), b""):
            text = tail + block
            end = 0
            for m in _MERGE.finditer(text):
                first, last = m[1], m[3] or m[1]
                merges.append(
                    (
                        int(m[2]),
                        _column_index(first),
                        int(m[4] or m[2]),
                        _column_index(last),
                    )
                )
                end = m.end()
            # An element cut by the block's end is found again with the next block.
            tail = text[max(end, len(text) - 256) :]
    return [m for m in merges if m[0] != m[2] or m[1] != m[3]]


def _xlsx_rows(worksheet: Any) -> Rows:
    try:
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
            yield number, list(cells)
    except ValidationError:
        raise
    except Exception as e:
        # A damaged archive or XML surfaces while reading; openpyxl, zipfile,
        # zlib and the XML parser each raise their own kind of error.
        raise _unreadable(e) from e


def xlsx_sheets(path: Path) -> Iterator[RawSheet]:
    from openpyxl import load_workbook

    check_workbook(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # any failure to open the archive: see _xlsx_rows
        raise _unreadable(e) from e
    try:
        for worksheet in workbook.worksheets:
            member = getattr(worksheet, "_worksheet_path", None)
            try:
                merges = xlsx_merges(path, member) if member else []
            except (KeyError, zipfile.BadZipFile, OSError, zlib.error) as e:
                raise _unreadable(e) from e
            yield RawSheet(
                str(worksheet.title),
                _xlsx_rows(worksheet),
                merges,
                getattr(worksheet, "sheet_state", "visible") != "visible",
            )
    finally:
        workbook.close()


def _calamine_rows(sheet: Any) -> Rows:
    """Every row from A1: calamine starts at the first filled cell."""
    top, left = sheet.start or (0, 0)
    for offset, cells in enumerate(sheet.iter_rows()):
        yield top + offset + 1, [None] * left + [None if c == "" else c for c in cells]


def calamine_sheets(path: Path) -> Iterator[RawSheet]:
    """An .xls, WPS .et or .ods workbook's sheets, through calamine."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as e:
        raise _unreadable_old(path, e) from e
    try:
        for meta in workbook.sheets_metadata:
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except (CalamineError, ValueError) as e:
                raise _unreadable_old(path, e) from e
            merges = [
                (r1 + 1, c1, r2 + 1, c2)
                for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []
                if (r1, c1) != (r2, c2)
            ]
            yield RawSheet(
                meta.name,
                _calamine_rows(sheet),
                merges,
                meta.visible != SheetVisibleEnum.Visible,
            )
    finally:
        workbook.close()


def _unreadable_old(path: Path, error: BaseException) -> ValidationError:
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        return ValidationError(N_("the file is empty; it needs a header row"))
    return ValidationError(
        N_(
            "the file is not a readable {suffix} workbook ({error}); open it in Excel "
            "or WPS, remove any password and save it again as .xlsx"
        ),
        suffix=path.suffix.lower(),
        error=str(error)[:80] or error.__class__.__name__,
    )
