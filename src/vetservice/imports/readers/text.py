"""Read CSV text (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16 with tabs) as rows.

The file is read as a stream, line by line as the importer asks, and never
held in memory whole; its encoding is found first, block by block.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from vetservice.errors import ValidationError
from vetservice.i18n import N_
from vetservice.imports.readers.base import (
    MAX_CELL_CHARS,
    RawSheet,
    RowError,
    Rows,
)

_BLOCK = 1 << 20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .xls, or a password-protected .xlsx


def binary_kind(head: bytes) -> ValidationError | None:
    """The error for a file that is not text at all, judged by its first bytes."""
    if head.startswith(ZIP_MAGIC):
        return ValidationError(
            N_(
                "the file is an XLSX workbook (or another zip archive), not CSV text; "
                "name it .xlsx"
            )
        )
    if head.startswith(OLE_MAGIC):
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
    elif error := binary_kind(head):
        raise error
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        if _decodes_as(path, encoding):
            return encoding
    raise ValidationError(
        N_("the file is neither UTF-8 nor GBK text; save it again as CSV UTF-8")
    )


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


def read_csv(path: Path) -> RawSheet:
    encoding = detect_encoding(path)
    rows = _csv_rows(path, encoding, _delimiter(path, encoding))
    return RawSheet(None, rows, encoding=encoding)
