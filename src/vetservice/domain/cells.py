"""What a spreadsheet cell really holds: plain text, Excel's error values and
numbers Excel cut short, before any value format reads it."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from vetservice.errors import ValidationError
from vetservice.i18n import N_

# Characters a copy from a web page or a chat leaves behind, invisible in Excel.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
# What Excel shows instead of a value when the formula behind a cell failed.
_EXCEL_ERRORS = frozenset(
    [
        "#N/A",
        "#VALUE!",
        "#REF!",
        "#DIV/0!",
        "#NUM!",
        "#NAME?",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#GETTING_DATA",
    ]
)
# A long number Excel showed (and saved to CSV) in scientific notation.
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


def plain_text(cell: Any) -> str:
    """A structured cell as plain text: full-width digits and signs made
    half-width (a Chinese input method in full-width mode), invisible
    characters removed, surrounding space trimmed."""
    text = unicodedata.normalize("NFKC", str(cell))
    return _INVISIBLE.sub("", text).strip()


def excel_error(cell: Any) -> str | None:
    """The Excel error value (``#N/A``, ``#REF!`` …) a cell shows, if it shows one."""
    if isinstance(cell, str) and "#" in cell and cell.strip().upper() in _EXCEL_ERRORS:
        return cell.strip().upper()
    return None


def check_excel_error(cell: Any) -> None:
    if error := excel_error(cell):
        raise ValidationError(
            N_(
                "the cell shows the Excel error {value}: the formula behind it failed; "
                "fix it in the workbook and save again"
            ),
            value=error,
        )


# Excel keeps 15 significant digits of a number (IEEE doubles, shown rounded):
# 612601196503120031 typed into a number cell becomes 612601196503120000.
EXCEL_DIGITS = 15


def check_scientific(text: str) -> None:
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            N_(
                "'{value}' is a long number Excel turned into scientific notation and "
                "cut short; set the column to text and type it again, or use the "
                "template from `vetservice template`"
            ),
            value=text,
        )


def number_cell_digits(cell: Any) -> str | None:
    """The digits of a number cell (openpyxl gives int or float, a reader of
    old .xls files float); None for anything else, a bool included."""
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None
    if isinstance(cell, float):
        if not cell.is_integer():
            return None
        # What Excel shows of it: 15 significant digits, then zeros (the
        # double nearest 612601196503120031 is …120128).
        cell = int(Decimal(f"{cell:.{EXCEL_DIGITS}g}"))
    return str(abs(cell))


def check_cut_number(cell: Any) -> None:
    """Refuse a number cell holding more digits than Excel keeps: the digits
    after the 15th are zeros now, whatever they were."""
    digits = number_cell_digits(cell)
    if digits is not None and len(digits) > EXCEL_DIGITS:
        raise ValidationError(
            N_(
                "'{value}' is stored as a number, and Excel keeps only 15 digits of "
                "a number: the digits after the 15th are lost; set the column to text "
                "and type it again, or use the template from `vetservice template`"
            ),
            value=digits,
        )
