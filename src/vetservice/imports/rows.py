"""Reading a file's rows into records: every cell parsed, every bad one named.

Cells are parsed by the field's value type; a row becomes a record only when
all its cells are good and the record's own rules hold. Later rows with a
key already seen in the command are problems too.
"""

from __future__ import annotations

import datetime as dt
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


def empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def parse_rows(
    kind: RecordKind,
    sheet: Sheet,
    columns: dict[int, str],
    today: dt.date,
    report: FileReport,
    limit: int | None = None,
) -> list[Parsed] | None:
    """Parse every row; ``None`` when reading stopped (a broken file, or ``limit`` problems)."""
    fields = {f.name: f for f in kind.fields}
    header_of = {name: sheet.headers[i] for i, name in columns.items()}
    parsed: list[Parsed] = []
    rows = iter(sheet.rows)
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        except ValidationError as e:
            row = e.row if isinstance(e, RowError) else None
            report.problems.append(Problem(sheet.path, row, None, e.message))
            return None
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
            return None
        report.rows += 1
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
            continue
        try:
            record = kind.record(**values)
        except FieldError as e:
            column = header_of.get(e.field) or field_name(kind.record, e.field)
            report.problems.append(Problem(sheet.path, number, column, e.message))
            continue
        except ValidationError as e:
            report.problems.append(Problem(sheet.path, number, None, e.message))
            continue
        parsed.append(Parsed(number, record))
    return parsed


def drop_duplicate_keys(
    kind: RecordKind,
    parsed: list[Parsed],
    seen: dict[tuple[Any, ...], tuple[str, int]],
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
