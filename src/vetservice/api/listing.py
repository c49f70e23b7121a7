"""A kind's rows as a clerk checks an import: Chinese headers, personal data
masked, written as an aligned table, a CSV for Excel or a workbook.

Which values are personal is declared with the record kinds (a field's
``personal``: id numbers and phones by their value type, names, addresses,
bank accounts, health data); :func:`mask_value` masks them, and id numbers
or mobile numbers written into free text (a grant's recipient, a note).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from vetservice.domain import KINDS, Field, RecordKind
from vetservice.domain.identity import mask_text
from vetservice.domain.personal import HIDDEN, mask_personal
from vetservice.errors import ConfigurationError, ValidationError
from vetservice.i18n import N_, get_language
from vetservice.store.history import as_of
from vetservice.store.schema import TABLES, from_db, to_db


def mask_value(field: Field, value: Any) -> Any:
    """The value as shown without ``show_pii``: a personal field (declared
    with the record kinds) by what it holds, free text for the id numbers and
    phones written into it."""
    if not isinstance(value, str) or not value:
        if field.personal is not None and isinstance(value, tuple) and value:
            return HIDDEN  # a list of personal values (health data)
        return value
    if field.personal is not None:
        return mask_personal(field.personal, value)
    if field.type.name == "text":
        return mask_text(value)
    return value


def personal_fields(kind: RecordKind) -> list[str]:
    """The fields :func:`mask_value` may change (named in the audit of a reveal)."""
    return [
        f.name for f in kind.fields if f.personal is not None or f.type.name == "text"
    ]


def find_field(kind: RecordKind, name: str) -> Field:
    """A field by its English name or its Chinese header."""
    for f in kind.fields:
        if name.strip() in (f.name, f.zh):
            return f
    raise ConfigurationError(
        N_("{kind} has no field '{name}'; its fields are: {fields}"),
        kind=kind.label,
        name=name,
        fields="、".join(f"{f.zh}({f.name})" for f in kind.fields),
    )


def where_clause(
    kind: RecordKind, where: Mapping[str, Any]
) -> list[sa.ColumnElement[bool]]:
    """``FIELD=VALUE`` conditions, each value read with its field's value type
    (so ``性别=男`` finds the stored ``male``)."""
    table = TABLES[kind.name]
    conditions = []
    for name, value in where.items():
        f = find_field(kind, name)
        try:
            parsed = f.type.parse(value) if isinstance(value, str) else value
        except ValidationError as e:
            raise ConfigurationError(
                N_("--where {field}: {error}"), field=f.zh, error=e.message
            ) from e
        stored = to_db(f.type, parsed)
        column = table.c[f.name]
        conditions.append(column.is_(None) if stored is None else column == stored)
    return conditions


def as_of_day(query: sa.Select[Any], kind: RecordKind, day: dt.date) -> sa.Select[Any]:
    """``query`` of ``kind`` reading the versions in force on ``day``; only
    the state ledgers keep versions, so any other kind is refused."""
    if not kind.versioned:
        versioned = "；".join(k.title for k in KINDS.values() if k.versioned)
        raise ConfigurationError(
            N_("{kind} keeps no earlier versions; --as-of applies to {kinds}"),
            kind=kind.label,
            kinds=versioned,
        )
    return as_of(query, day, {kind.name})


@attrs.frozen
class RecordTable:
    """Rows of one kind, values as the domain holds them (personal ones masked
    unless ``masked`` is false)."""

    kind: RecordKind
    rows: list[tuple[Any, ...]]
    masked: bool = True

    @classmethod
    def from_rows(cls, kind: RecordKind, rows: Any, *, masked: bool) -> RecordTable:
        fields = kind.fields
        values = []
        for row in rows:
            decoded = (from_db(f.type, row._mapping[f.name]) for f in fields)
            values.append(
                tuple(
                    mask_value(f, v) if masked else v
                    for f, v in zip(fields, decoded, strict=True)
                )
            )
        return cls(kind, values, masked)

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.kind.fields

    def __len__(self) -> int:
        return len(self.rows)

    def headers(self, lang: str | None = None) -> list[str]:
        return [f.header(lang or get_language()) for f in self.fields]

    def text_rows(self, lang: str | None = None) -> list[list[str]]:
        """Every value written the way the records contract writes it."""
        lang = lang or get_language()
        return [
            [f.type.format(v, lang) for f, v in zip(self.fields, row, strict=True)]
            for row in self.rows
        ]

    def table(self, lang: str | None = None) -> str:
        """An aligned text table for a terminal (a Chinese character is two columns)."""
        lines = [self.headers(lang), *self.text_rows(lang)]
        widths = [max(_width(line[i]) for line in lines) for i in range(len(lines[0]))]
        return "".join(
            "  ".join(
                cell + " " * (width - _width(cell))
                for cell, width in zip(line, widths, strict=True)
            ).rstrip()
            + "\n"
            for line in lines
        )

    def csv(self, lang: str | None = None) -> bytes:
        """UTF-8 with a BOM: Excel on Windows opens it without garbling the Chinese."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.headers(lang))
        writer.writerows(self.text_rows(lang))
        return buffer.getvalue().encode("utf-8-sig")

    def xlsx(self, path: str | Path, lang: str | None = None) -> Path:
        """A workbook: codes, id numbers and phones stay text (Excel would turn
        them into 6.10626E+11), numbers and dates stay numbers and dates."""
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        lang = lang or get_language()
        path = Path(path)
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = self.kind.display_title(lang)[:31]
        sheet.append(self.headers(lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in self.rows:
            sheet.append(
                [_cell(f, v, lang) for f, v in zip(self.fields, row, strict=True)]
            )
        for index, f in enumerate(self.fields, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(
                10, min(40, _width(f.header(lang)) + 4)
            )
            form = _NUMBER_FORMATS.get(f.type.name, "@")
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = form
        sheet.freeze_panes = "A2"
        book.save(path)
        return path


_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "money": "0.00", "int": "0"}


def _cell(field: Field, value: Any, lang: str) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.date | int | Decimal) and not isinstance(value, bool):
        return value
    return field.type.format(value, lang)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
