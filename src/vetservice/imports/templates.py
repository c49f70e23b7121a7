"""Blank import files: Chinese headers, drop-down lists, and a sheet explaining each column."""

from __future__ import annotations

from pathlib import Path

from vetservice.domain import Field, RecordKind
from vetservice.domain import kind as find_kind
from vetservice.domain.values import EnumType, ListType
from vetservice.i18n import N_, gettext


def allowed_values(field: Field, lang: str) -> list[str]:
    """The words a drop-down offers: enum labels, or 是/否 for a bool."""
    if isinstance(field.type, EnumType):
        return [m.display(lang) for m in field.type.enum]
    if field.type.name == "bool":
        return ["是", "否"] if lang == "zh" else ["true", "false"]
    return []


def column_notes(kind: RecordKind, lang: str) -> list[list[str]]:
    """One row per column: header, English name, required, format, values,
    key, and the other headers a clerk's own ledger may use for it."""
    rows = []
    for f in kind.fields:
        values = ""
        if isinstance(f.type, EnumType | ListType) and f.type.enum is not None:
            values = "、".join(f"{m.label}({m.value})" for m in f.type.enum)
        rows.append(
            [
                f.header(lang),
                f.name,
                gettext(N_("required"), lang)
                if f.required
                else gettext(N_("optional"), lang),
                gettext(f.type.explain, lang),
                values,
                gettext(N_("key"), lang) if f.name in kind.key else "",
                "、".join(f.aliases),
            ]
        )
    return rows


def write_template(kind_name: str, path: str | Path, *, lang: str = "zh") -> Path:
    """Write a blank import file for ``kind_name``: XLSX or CSV by the path's ending."""
    kind = find_kind(kind_name)
    path = Path(path)
    headers = [f.header(lang) for f in kind.fields]
    if path.suffix.lower() == ".csv":
        # With a BOM, Excel on Windows opens the UTF-8 file without garbling it.
        path.write_text(",".join(headers) + "\r\n", encoding="utf-8-sig")
        return path
    _write_xlsx(kind, path, headers, lang)
    return path


def _write_xlsx(kind: RecordKind, path: Path, headers: list[str], lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.display_title(lang)[:31]
    sheet.append(headers)
    required = Font(bold=True, color="C00000")
    for index, f in enumerate(kind.fields, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = required if f.required else Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(
            12, min(40, len(f.header(lang)) * 2 + 4)
        )
        choices = allowed_values(f, lang)
        if choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=not f.required,
                showErrorMessage=True,
                errorTitle=gettext(N_("not in the list"), lang),
                error=gettext(N_("choose a value from the list"), lang),
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}5000")
        elif f.type.name in ("code", "id_number", "phone", "text"):
            # Text columns keep leading zeros and long digit strings intact.
            for number in range(2, 5001):
                sheet.cell(row=number, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(gettext(N_("column notes"), lang)[:31])
    notes.append(
        [
            gettext(N_("header"), lang),
            gettext(N_("field"), lang),
            gettext(N_("required?"), lang),
            gettext(N_("format"), lang),
            gettext(N_("allowed values"), lang),
            gettext(N_("natural key"), lang),
            gettext(N_("also accepted as the header"), lang),
        ]
    )
    for row in column_notes(kind, lang):
        notes.append(row)
    for letter, width in zip("ABCDEFG", (28, 22, 10, 48, 60, 10, 40), strict=True):
        notes.column_dimensions[letter].width = width
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.freeze_panes = "A2"
    book.save(path)
