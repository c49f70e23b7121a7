"""Read workbooks sheet by sheet, with python-calamine, or openpyxl for large XLSX.

calamine reads .xls, WPS .et, .ods and XLSX about ten times faster than
openpyxl (100,000 rows of 9 columns: 1.0 s against 11.6 s) and gives the
merged ranges, but holds a whole sheet in memory before its first row
(about 85 MB for those 100,000 rows). So an XLSX workbook whose sheets
unpack to more than :data:`CALAMINE_MAX_XML` is streamed with openpyxl in
read-only mode instead — a few MB whatever its size, a wrong header refused
before the rest is read — and its merged ranges come from one scan of the
sheet's XML for ``<mergeCell>`` elements, block by block (0.3 s for 55 MB).
An .xls sheet has at most 65,536 rows, so calamine's memory stays bounded.
"""

from __future__ import annotations

import contextlib
import html
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

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
# Sheets of an XLSX workbook unpacking to more than this are streamed with
# openpyxl (about 120,000 rows of a veterans ledger).
CALAMINE_MAX_XML = 64 * 1024 * 1024
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
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


def check_workbook(path: Path) -> int:
    """Refuse what is not an XLSX workbook, or unpacks to too much; the size
    its worksheets unpack to."""
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
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise _unreadable(e) from e
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            N_(
                "the workbook unpacks to more than {limit} MB; split it into smaller files"
            ),
            limit=MAX_UNPACKED_BYTES // (1024 * 1024),
        )
    return sum(
        info.file_size for info in members if info.filename.startswith("xl/worksheets/")
    )


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


@attrs.define
class _Scan:
    """What a sheet's XML says beyond its values: merged ranges and error cells."""

    merges: list[Merge] = attrs.Factory(list)
    errors: dict[tuple[int, int], str] = attrs.Factory(dict)  # (row, column) → #N/A…


def scan_sheet_xml(path: Path, member: str) -> _Scan:
    """The merged ranges and error cells of one sheet, from its XML, block by
    block without building a tree (calamine shows an error cell as empty)."""
    found = _Scan()
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member) as xml:
        for block in iter(lambda: xml.read(_BLOCK), b""):
            text = tail + block
            end = 0
            for m in _MERGE.finditer(text):
                first, last = m[1], m[3] or m[1]
                found.merges.append(
                    (
                        int(m[2]),
                        _column_index(first),
                        int(m[4] or m[2]),
                        _column_index(last),
                    )
                )
                end = max(end, m.end())
            if b't="e"' in text:
                for m in _ERROR_CELL.finditer(text):
                    where = _CELL_REF.search(m[1])
                    value = _VALUE.search(m[2])
                    if where and value:
                        cell = (int(where[2]), _column_index(where[1]))
                        found.errors[cell] = value[1].decode("utf-8", "replace")
                    end = max(end, m.end())
            # An element cut by the block's end is found again with the next block.
            tail = text[max(end, len(text) - 4096) :]
    found.merges = [m for m in found.merges if m[0] != m[2] or m[1] != m[3]]
    return found


def sheet_members(path: Path) -> dict[str, str]:
    """Each sheet's name to its XML file in the archive."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    targets: dict[str, str] = {}
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rel_id = re.search(rb'\bId="([^"]+)"', m[0])
        rel_target = re.search(rb'\bTarget="([^"]+)"', m[0])
        if rel_id and rel_target:
            targets[rel_id[1].decode()] = rel_target[1].decode()
    members: dict[str, str] = {}
    for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        name = re.search(rb'\bname="([^"]*)"', m[0])
        rid = re.search(rb'\br:id="([^"]*)"|\bid="([^"]*)"', m[0])
        if name is None or rid is None:
            continue
        target = targets.get((rid[1] or rid[2]).decode(), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        members[html.unescape(name[1].decode())] = member
    return members


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
    if check_workbook(path) <= CALAMINE_MAX_XML:
        try:
            members = sheet_members(path)
        except (KeyError, zipfile.BadZipFile, OSError, zlib.error) as e:
            raise _unreadable(e) from e
        return calamine_sheets(path, _unreadable, members)
    return _streamed_xlsx_sheets(path)


def _streamed_xlsx_sheets(path: Path) -> Iterator[RawSheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # any failure to open the archive: see _xlsx_rows
        raise _unreadable(e) from e
    try:
        for worksheet in workbook.worksheets:
            member = getattr(worksheet, "_worksheet_path", None)
            try:
                merges = scan_sheet_xml(path, member).merges if member else []
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


def _calamine_rows(sheet: Any, errors: dict[tuple[int, int], str]) -> Rows:
    """Every row from A1 (calamine starts at the first filled cell), with
    the error values calamine shows as empty put back."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), value in errors.items():
        by_row.setdefault(r, []).append((c, value))
    top, left = sheet.start or (0, 0)
    for offset, cells in enumerate(sheet.iter_rows()):
        number = top + offset + 1
        row = [None] * left + [None if c == "" else c for c in cells]
        for c, value in by_row.get(number, ()):
            row.extend([None] * (c + 1 - len(row)))
            row[c] = value
        yield number, row


def calamine_sheets(
    path: Path,
    unreadable: Callable[[BaseException], ValidationError] | None = None,
    members: dict[str, str] | None = None,
) -> Iterator[RawSheet]:
    """A workbook's sheets through calamine (chart sheets have no cells).

    ``members`` (XLSX) names each sheet's XML, read for its error cells.
    """
    from python_calamine import (
        CalamineError,
        CalamineWorkbook,
        SheetTypeEnum,
        SheetVisibleEnum,
    )

    def failed(error: BaseException) -> ValidationError:
        return unreadable(error) if unreadable else _unreadable_old(path, error)

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as e:
        raise failed(e) from e
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except (CalamineError, ValueError) as e:
                raise failed(e) from e
            merges = [
                (r1 + 1, c1, r2 + 1, c2)
                for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []
                if (r1, c1) != (r2, c2)
            ]
            errors: dict[tuple[int, int], str] = {}
            if members and meta.name in members:
                # calamine read the sheet: a sheet XML this scan cannot find
                # only means its error cells stay empty.
                with contextlib.suppress(KeyError):
                    errors = scan_sheet_xml(path, members[meta.name]).errors
            yield RawSheet(
                meta.name,
                _calamine_rows(sheet, errors),
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
