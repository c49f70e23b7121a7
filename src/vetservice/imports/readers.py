"""Read CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX files into rows of cells.

Files are read as a stream: the header row first, the data rows one by one
as the importer asks for them. A file with a wrong header is refused after
its first line however large it is, and a file is never held in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from vetservice.errors import ValidationError
from vetservice.i18n import N_

# Larger files are refused before they are read: a province's ledger of a
# million rows is about 150 MB as CSV; beyond this it is not a ledger.
MAX_FILE_BYTES = 512 * 1024 * 1024
# An XLSX workbook is compressed XML; what it unpacks to is limited too (a
# "zip bomb" of a few kilobytes can unpack to gigabytes).
MAX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES
# No cell of a ledger comes near this (Excel itself stops at 32,767).
MAX_CELL_CHARS = 131_072

_BLOCK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .xls, or a password-protected .xlsx

Rows = Iterator[tuple[int, list[Any]]]


@attrs.define
class Sheet:
    """The cells of one file: the header row and the data rows with their numbers.

    ``rows`` is read lazily and yields each non-blank row once; reading it may
    raise :class:`~vetservice.errors.ValidationError` (a broken line further
    down the file). Call :meth:`close` when done.
    """

    path: str
    header_row: int
    headers: list[str]
    rows: Rows
    encoding: str | None = None
    _close: Callable[[], None] | None = None

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
        if self._close is not None:
            self._close()


def _binary_kind(head: bytes) -> ValidationError | None:
    """The error for a file that is not text at all, judged by its first bytes."""
    if head.startswith(_ZIP_MAGIC):
        return ValidationError(
            N_(
                "the file is an XLSX workbook (or another zip archive), not CSV text; "
                "name it .xlsx"
            )
        )
    if head.startswith(_OLE_MAGIC):
        return ValidationError(
            N_(
                "the file is an old .xls workbook or a password-protected one; remove "
                "the password and save it as .xlsx or CSV UTF-8"
            )
        )
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) < max(even, odd) // 4:
            return ValidationError(
                N_(
                    "the file is UTF-16 text without a byte order mark; save it "
                    "again as CSV UTF-8"
                )
            )
        return ValidationError(N_("the file holds binary data, not CSV text"))
    return None


def _decodes_as(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in ``encoding``, read block by block."""
    decoder = codecs.getincrementaldecoder(encoding)()
    wide = encoding == "utf-16"  # where NUL bytes are part of the text
    with open(path, "rb") as f:
        try:
            for block in iter(lambda: f.read(_BLOCK), b""):
                if not wide and b"\x00" in block:
                    raise ValidationError(
                        N_("the file holds binary data, not CSV text")
                    )
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_encoding(path: Path) -> str:
    """The encoding of a CSV file; Chinese Excel saves CSV as GBK."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif error := _binary_kind(head):
        raise error
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        if _decodes_as(path, encoding):
            return encoding
    raise ValidationError(
        N_("the file is neither UTF-8 nor GBK text; save it again as CSV UTF-8")
    )


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _sheet(
    path: str,
    numbered: Rows,
    encoding: str | None,
    close: Callable[[], None] | None = None,
) -> Sheet:
    """Take the header row (the first non-blank row); the rest stay unread."""
    header_row, headers = 0, []
    try:
        for number, cells in numbered:
            if not _blank(cells):
                header_row = number
                headers = ["" if c is None else str(c).strip() for c in cells]
                break
        else:
            raise ValidationError(N_("the file is empty; it needs a header row"))
    except BaseException:
        getattr(numbered, "close", lambda: None)()
        if close is not None:
            close()
        raise
    while headers and not headers[-1]:
        headers.pop()
    rows = ((n, list(c)) for n, c in numbered if not _blank(c))
    return Sheet(path, header_row, headers, _closing(rows, numbered), encoding, close)


def _closing(rows: Rows, source: Rows) -> Rows:
    """``rows``, closing ``source`` (and its file) when closed early."""
    try:
        yield from rows
    finally:
        getattr(source, "close", lambda: None)()


class RowError(ValidationError):
    """A file broken at one row: the importer names the row, the message the reason."""

    def __init__(self, row: int, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.row = row


def _csv_error(error: csv.Error, line: int) -> RowError:
    """A csv module error as a sentence a clerk can act on."""
    text = str(error)
    if "field larger than field limit" in text:
        message = N_("a cell is longer than {limit} characters; is this file a table?")
    elif "unexpected end of data" in text:
        message = N_(
            'a cell opened with a quotation mark (") is never closed; check the quotation marks'
        )
    elif "expected after" in text:
        message = N_(
            'a quotation mark inside a cell must be doubled ("") or the whole cell '
            "put in quotation marks"
        )
    elif "new-line" in text:
        message = N_("a line break inside a cell that is not in quotation marks")
    else:
        message = N_("not valid CSV: {error}")
    return RowError(line, message, limit=MAX_CELL_CHARS, error=text)


def _delimiter(path: Path, encoding: str) -> str:
    """Tab for Excel's "Unicode text" and other tab-separated files, else comma."""
    with open(path, encoding=encoding, newline="") as f:
        first_line = f.read(65536).split("\n", 1)[0]
    return "\t" if "\t" in first_line and "," not in first_line else ","


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Rows:
    # csv counts physical lines; a row's number is the line it starts on.
    csv.field_size_limit(MAX_CELL_CHARS)
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        previous_end = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise _csv_error(e, previous_end + 1) from None
            yield previous_end + 1, row
            previous_end = reader.line_num


def read_csv(path: Path) -> Sheet:
    encoding = detect_encoding(path)
    rows = _csv_rows(path, encoding, _delimiter(path, encoding))
    return _sheet(str(path), rows, encoding)


def _unreadable(error: BaseException) -> ValidationError:
    return ValidationError(
        N_(
            "the file is not a readable XLSX workbook ({error}); save it again from Excel"
        ),
        error=error.__class__.__name__,
    )


def _check_workbook(path: Path) -> None:
    """Refuse what is not an XLSX workbook, or unpacks to too much, before openpyxl."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head:
        raise ValidationError(N_("the file is empty; it needs a header row"))
    if head.startswith(_OLE_MAGIC):
        raise ValidationError(
            N_(
                "the file is an old .xls workbook or a password-protected one; remove "
                "the password and save it as .xlsx or CSV UTF-8"
            )
        )
    if not head.startswith(_ZIP_MAGIC):
        if _binary_kind(head) is None:
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


def read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    _check_workbook(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # any failure to open the archive: see _xlsx_rows
        raise _unreadable(e) from e
    try:
        worksheet = workbook.worksheets[0]
    except Exception as e:
        workbook.close()
        raise _unreadable(e) from e
    return _sheet(str(path), _xlsx_rows(worksheet), None, workbook.close)


def read_sheet(path: str | Path) -> Sheet:
    """Open a CSV or XLSX file, by its ending; read its header row."""
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
