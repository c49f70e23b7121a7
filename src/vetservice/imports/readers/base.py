"""What every reader gives: raw sheets of numbered rows, and the sheet the
importer reads after its layout (header row, title, totals, footer) is known."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs

from vetservice.errors import ValidationError
from vetservice.i18n import N_, Message

# Larger files are refused before they are read: a province's ledger of a
# million rows is about 150 MB as CSV; beyond this it is not a ledger.
MAX_FILE_BYTES = 512 * 1024 * 1024
# An XLSX workbook is compressed XML; what it unpacks to is limited too (a
# "zip bomb" of a few kilobytes can unpack to gigabytes).
MAX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES
# No cell of a ledger comes near this (Excel itself stops at 32,767).
MAX_CELL_CHARS = 131_072

Rows = Iterator[tuple[int, list[Any]]]
# A merged range: first row, first column, last row, last column (rows
# numbered from 1 as the clerk sees them, columns from 0).
Merge = tuple[int, int, int, int]


def _noop() -> None:
    return None


@attrs.define
class RawSheet:
    """One sheet as stored: every row with its number, blank ones included."""

    name: str | None  # None for a CSV file, which has no sheets
    rows: Rows
    merges: list[Merge] = attrs.Factory(list)
    hidden: bool = False
    encoding: str | None = None
    close: Callable[[], None] = _noop


@attrs.define
class Sheet:
    """The cells of one sheet: the header row and the data rows with their numbers.

    ``rows`` is read lazily and yields each data row once; reading it may
    raise :class:`~vetservice.errors.ValidationError` (a broken line further
    down the file). ``notes`` says what of the layout was skipped (a title,
    a total row, the footer); rows found while reading add to it. Call
    :meth:`close` when done.
    """

    path: str
    header_row: int
    headers: list[str]
    rows: Rows
    encoding: str | None = None
    _close: Callable[[], None] | None = None
    name: str | None = None
    notes: list[Message] = attrs.Factory(list)
    named_fields: int = 0  # how many of the kind's fields the header names

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
        if self._close is not None:
            self._close()


@attrs.frozen
class SkippedSheet:
    """A sheet of a workbook left out on purpose (instructions, empty), and why."""

    name: str
    note: Message


class RowError(ValidationError):
    """A file broken at one row: the importer names the row, the message the reason."""

    def __init__(self, row: int, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.row = row


def blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def column_letter(index: int) -> str:
    """Excel's name of a column from its index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def file_too_large(size: int) -> ValidationError | None:
    if size > MAX_FILE_BYTES:
        return ValidationError(
            N_("the file is larger than {limit} MB; split it into smaller files"),
            limit=MAX_FILE_BYTES // (1024 * 1024),
        )
    return None
