"""Reading a file's rows into records: every cell parsed, every bad one named.

Cells are parsed by the field's value type; a row becomes a record only when
all its cells are good and the record's own rules hold. Later rows with a
key already seen in the command are problems too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

from vetservice.domain import FieldError, RecordKind
from vetservice.domain.identity import birth_date_of, id_number_warning, mask_id_number
from vetservice.domain.records import field_name
from vetservice.errors import ValidationError
from vetservice.i18n import N_, Bilingual, Message
from vetservice.imports.readers import RowError, Sheet
from vetservice.imports.results import FileReport, Parsed, Problem
from vetservice.store.schema import to_db

# Without --skip-bad-rows nothing is written once a row is bad, so reading on
# after this many problems in one file only makes a longer list: the clerk
# fixes these and imports again. (A 100 MB file of bad rows stops in a second.)
MAX_PROBLEMS = 1000
# Rows are parsed, checked and written this many at a time, so that a large
# file is never held in memory whole (a parsed row takes about 1 kB).
CHUNK_ROWS = 5000


def empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


class ReadingStopped(Exception):
    """Reading a file stopped part way; the reason is already among its problems."""


def parse_chunks(
    kind: RecordKind,
    sheet: Sheet,
    columns: dict[int, str],
    today: dt.date,
    report: FileReport,
    limit: int | None = None,
    size: int | None = None,
) -> Iterator[list[Parsed]]:
    """The good rows, one list per ``size`` (default :data:`CHUNK_ROWS`) rows
    read; a list may be empty.

    Raises :class:`ReadingStopped` when the file breaks part way or ``limit``
    problems are reached.
    """
    size = size or CHUNK_ROWS
    parse = _row_parser(kind, sheet, columns, today, report)
    chunk: list[Parsed] = []
    read = 0
    rows = iter(sheet.rows)
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        except ValidationError as e:
            row = e.row if isinstance(e, RowError) else None
            report.problems.append(Problem(sheet.path, row, None, e.message))
            raise ReadingStopped from None
        if limit is not None and len(report.problems) >= limit:
            report.problems.append(
                Problem(
                    sheet.path,
                    number,
                    None,
                    Message(
                        N_(
                            "more than {count} problems: stopped reading here; fix "
                            "these and import the file again"
                        ),
                        {"count": limit},
                    ),
                )
            )
            raise ReadingStopped
        report.rows += 1
        read += 1
        item = parse(number, cells)
        if item is not None:
            chunk.append(item)
        if read == size:
            yield chunk
            chunk, read = [], 0
    if read:
        yield chunk


def _row_parser(
    kind: RecordKind,
    sheet: Sheet,
    columns: dict[int, str],
    today: dt.date,
    report: FileReport,
) -> Callable[[int, list[Any]], Parsed | None]:
    """Reads one row into a record; names its problems and gives None when bad."""
    fields = {f.name: f for f in kind.fields}
    header_of = {name: sheet.headers[i] for i, name in columns.items()}

    def parse(number: int, cells: list[Any]) -> Parsed | None:
        values: dict[str, Any] = {}
        bad = False
        extra = [
            c for i, c in enumerate(cells) if i >= len(sheet.headers) and not empty(c)
        ]
        if extra:
            report.problems.append(
                Problem(
                    sheet.path,
                    number,
                    None,
                    Message(N_("the row has more cells than the header")),
                )
            )
            bad = True
        for index, name in columns.items():
            field = fields[name]
            cell = cells[index] if index < len(cells) else None
            if empty(cell):
                if field.required:
                    report.problems.append(
                        Problem(
                            sheet.path,
                            number,
                            header_of[name],
                            Message(N_("required, but empty")),
                        )
                    )
                    bad = True
                continue
            try:
                value = field.type.parse(cell)
            except ValidationError as e:
                report.problems.append(
                    Problem(sheet.path, number, header_of[name], e.message)
                )
                bad = True
                continue
            if isinstance(value, dt.date) and not field.future and value > today:
                report.problems.append(
                    Problem(
                        sheet.path,
                        number,
                        header_of[name],
                        Message(
                            N_("{date} lies in the future"), {"date": value.isoformat()}
                        ),
                    )
                )
                bad = True
                continue
            if field.type.name == "id_number" and birth_date_of(value) > today:
                report.problems.append(
                    Problem(
                        sheet.path,
                        number,
                        header_of[name],
                        Message(
                            N_(
                                "id number '{value}' holds a birth date in the future ({date})"
                            ),
                            {
                                "value": mask_id_number(value),
                                "date": birth_date_of(value).isoformat(),
                            },
                        ),
                    )
                )
                bad = True
                continue
            if field.type.name == "id_number" and (warning := id_number_warning(value)):
                report.warnings.append(
                    Problem(sheet.path, number, header_of[name], warning)
                )
            values[name] = value
        if bad:
            return None
        try:
            record = kind.record(**values)
        except FieldError as e:
            column = header_of.get(e.field) or field_name(kind.record, e.field)
            report.problems.append(Problem(sheet.path, number, column, e.message))
            return None
        except ValidationError as e:
            report.problems.append(Problem(sheet.path, number, None, e.message))
            return None
        return Parsed(number, record, sheet.name)

    return parse


class SeenKeys(MutableMapping[tuple[Any, ...], tuple[str, int]]):
    """The natural keys a command has taken, each with the file and row that
    took it first: a mapping, stored small (a province's ledger holds a
    million keys). A one-column key is kept bare, the file as an index."""

    def __init__(self) -> None:
        self._files: list[str] = []
        self._rows: dict[Any, int] = {}

    @staticmethod
    def _bare(key: tuple[Any, ...]) -> Any:
        return key[0] if len(key) == 1 else key

    def __getitem__(self, key: tuple[Any, ...]) -> tuple[str, int]:
        packed = self._rows[self._bare(key)]
        return self._files[packed & 0xFFFF], packed >> 16

    def __setitem__(self, key: tuple[Any, ...], value: tuple[str, int]) -> None:
        path, row = value
        if not self._files or self._files[-1] != path:
            self._files.append(path)
        self._rows[self._bare(key)] = row << 16 | (len(self._files) - 1)

    def __delitem__(self, key: tuple[Any, ...]) -> None:
        del self._rows[self._bare(key)]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._bare(key) in self._rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return (k if isinstance(k, tuple) else (k,) for k in self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def forget_since(self, count: int) -> None:
        """Forget every key taken after the first ``count`` (a file undone)."""
        for _ in range(len(self._rows) - count):
            self._rows.popitem()


def drop_duplicate_keys(
    kind: RecordKind,
    parsed: list[Parsed],
    seen: MutableMapping[tuple[Any, ...], tuple[str, int]],
    path: str,
    report: FileReport,
) -> list[Parsed]:
    """Keep the first row of each natural key in the command; name the later ones."""
    kept = []
    for item in parsed:
        key = kind.key_of(item.record)
        if key in seen:
            first_file, first_row = seen[key]
            report.problems.append(
                Problem(
                    path,
                    item.row,
                    None,
                    Message(
                        N_("the same {key} as {file} row {row}"),
                        {
                            "key": Bilingual(
                                "+".join(kind.field(k).zh for k in kind.key),
                                "+".join(kind.key),
                            ),
                            "file": Path(first_file).name,
                            "row": first_row,
                        },
                    ),
                )
            )
            continue
        seen[key] = (path, item.row)
        kept.append(item)
    return kept


def delete_keys(
    kind: RecordKind, sheet: Sheet, columns: dict[int, str], report: FileReport
) -> dict[tuple[Any, ...], int]:
    """The keys a delete file lists, each with the first row naming it."""
    fields = {f.name: f for f in kind.fields}
    keys: dict[tuple[Any, ...], int] = {}
    for number, cells in sheet.rows:
        values = {}
        for index, name in columns.items():
            cell = cells[index] if index < len(cells) else None
            try:
                if empty(cell):
                    raise ValidationError(N_("required, but empty"))
                values[name] = to_db(fields[name].type, fields[name].type.parse(cell))
            except ValidationError as e:
                report.problems.append(
                    Problem(sheet.path, number, sheet.headers[index], e.message)
                )
        if len(values) == len(kind.key):
            keys.setdefault(tuple(values[k] for k in kind.key), number)
        if len(report.problems) >= MAX_PROBLEMS:
            break
    return keys


def estimate_rows(path: str | Path) -> int | None:
    """About how many rows a file holds, for a progress bar; None when unknown.

    A CSV's lines (a cell with a line break makes it an overestimate); an
    XLSX workbook's sizes as its sheets declare them. Never raises: a file
    that cannot be read is reported by the import itself.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            lines = 0
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    lines += block.count(b"\n")
            return max(lines - 1, 0)
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            try:
                sizes = [sheet.max_row for sheet in book.worksheets]
            finally:
                book.close()
            if sizes and all(isinstance(n, int) for n in sizes):
                return sum(max(n - 1, 0) for n in sizes)
    except Exception:  # an estimate; the import itself names the failure
        return None
    return None
