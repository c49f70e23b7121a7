"""Read CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX files into rows of cells."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from vetservice.errors import ValidationError
from vetservice.i18n import N_

# Larger files are refused before they are read: a province's ledger of a
# million rows is about 150 MB as CSV; beyond this it is not a ledger.
MAX_FILE_BYTES = 512 * 1024 * 1024


@attrs.frozen
class Sheet:
    """The cells of one file: the header row and the data rows with their numbers."""

    path: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    encoding: str | None = None


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in; Chinese Excel saves CSV as GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ValidationError(
            N_("the file is neither UTF-8 nor GBK text; save it again as CSV UTF-8")
        ) from None


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _sheet(
    path: str, numbered: Iterator[tuple[int, list[Any]]], encoding: str | None
) -> Sheet:
    header_row, headers = 0, []
    for number, cells in numbered:
        if not _blank(cells):
            header_row, headers = (
                number,
                ["" if c is None else str(c).strip() for c in cells],
            )
            break
    else:
        raise ValidationError(N_("the file is empty; it needs a header row"))
    while headers and not headers[-1]:
        headers.pop()
    rows = []
    for number, cells in numbered:
        if _blank(cells):
            continue
        rows.append((number, list(cells)))
    return Sheet(path, header_row, headers, rows, encoding)


def read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    text, encoding = decode(data)
    if "\x00" in text:
        raise ValidationError(N_("the file holds binary data, not CSV text"))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        numbered = ((reader.line_num, row) for row in reader)
        return _sheet(str(path), _checked_csv(numbered), encoding)
    except csv.Error as e:
        raise ValidationError(
            N_("line {line} is not valid CSV: {error}"), line=reader.line_num, error=e
        ) from e


def _checked_csv(
    numbered: Iterator[tuple[int, list[str]]],
) -> Iterator[tuple[int, list[Any]]]:
    # csv counts physical lines; a row's number is the line it starts on.
    previous_end = 0
    for end, row in numbered:
        yield previous_end + 1, row
        previous_end = end


def read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
    ) as e:
        raise ValidationError(
            N_(
                "the file is not a readable XLSX workbook ({error}); save it again from Excel"
            ),
            error=e.__class__.__name__,
        ) from e
    try:
        worksheet = workbook.worksheets[0]
        numbered = (
            (number, list(cells))
            for number, cells in enumerate(
                worksheet.iter_rows(values_only=True), start=1
            )
        )
        return _sheet(str(path), numbered, None)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as e:
        raise ValidationError(
            N_(
                "the file is not a readable XLSX workbook ({error}); save it again from Excel"
            ),
            error=e.__class__.__name__,
        ) from e
    finally:
        workbook.close()


def read_sheet(path: str | Path) -> Sheet:
    """Read a CSV or XLSX file, by its ending."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(N_("file {path} does not exist"), path=str(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValidationError(
            N_("the file is larger than {limit} MB; split it into smaller files"),
            limit=MAX_FILE_BYTES // (1024 * 1024),
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path)
    raise ValidationError(
        N_(
            "cannot read '{suffix}' files; use .csv or .xlsx (save .xls again as .xlsx)"
        ),
        suffix=suffix or path.name,
    )
