"""Personal identifiers: 居民身份证号 and phone numbers checked on import, and
masked wherever they are shown (privacy.md)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from vetservice.domain.cells import (
    EXCEL_DIGITS,
    check_scientific,
    number_cell_digits,
    plain_text,
)
from vetservice.errors import ValidationError
from vetservice.i18n import N_, Message


def parse_id_number(cell: Any) -> str:
    """Check a 居民身份证号 (GB 11643): length, digits, check digit and birth date.

    An unknown place code is not an error (many old codes no longer exist);
    :func:`id_number_warning` reports it separately. What Excel damaged is
    refused with how to fix it: a number cell (Excel keeps 15 digits of the
    18), scientific notation, and ``…000`` whose check digit is wrong (the
    last three digits cut to zeros; see ``docs/import.md``).
    """
    digits = number_cell_digits(cell)
    if digits is not None and len(digits) > EXCEL_DIGITS:
        raise ValidationError(
            N_(
                "id number '{value}' is stored as a number, and Excel keeps only 15 "
                "digits of a number: the last three are lost or will be on the next "
                "save; set the column to text and type the numbers again from the "
                "cards, or use the template from `vetservice template`"
            ),
            value=mask_id_number(digits),
        )
    if digits is not None:
        cell = digits
    # Spaces anywhere (also no-break and full-width ones) are only grouping.
    number = "".join(plain_text(cell).split()).upper()
    check_scientific(number)
    if len(number) != 18:
        raise ValidationError(
            N_("id number '{value}' must have 18 characters, not {length}"),
            value=mask_id_number(number),
            length=len(number),
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            N_("id number '{value}' may hold only digits and a final X"),
            value=mask_id_number(number),
        )
    if ric.calc_check_digit(number) != number[17]:
        if cut_by_excel(number):
            raise ValidationError(
                N_(
                    "id number '{value}' ends in 000 and its check digit is wrong: "
                    "Excel cut it to 15 digits when the column held numbers; set the "
                    "column to text and type the number again from the card, or use "
                    "the template from `vetservice template`"
                ),
                value=mask_id_number(number),
            )
        raise ValidationError(
            N_("id number '{value}' has a wrong check digit"),
            value=mask_id_number(number),
        )
    try:
        ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(
            N_("id number '{value}' holds an impossible birth date"),
            value=mask_id_number(number),
        ) from None
    return number


def cut_by_excel(number: str) -> bool:
    """Whether an 18-digit number looks like Excel's 15 digits and three zeros.

    A real number can end so too (sequence code x00 and check digit 0, about
    one in 1,100), so this alone is a warning, never a refusal.
    """
    return number.endswith("0" * (18 - EXCEL_DIGITS))


def id_number_warning(number: str) -> Message | None:
    """A warning for a valid number that may still be wrong: one ending in
    000 (Excel may have cut it and the check digit fitted by chance), or one
    whose place code python-stdnum does not know."""
    if cut_by_excel(number):
        return Message(
            N_(
                "id number '{value}' ends in 000: if the column ever held numbers in "
                "Excel, its last digits were cut and this may be someone else's "
                "number; compare it with the card"
            ),
            {"value": mask_id_number(number)},
        )
    if _known_place(number[:6], number[6:10]):
        return None
    return Message(
        N_("id number '{value}': place code {place} is not in the current list"),
        {"value": mask_id_number(number), "place": number[:6]},
    )


@functools.lru_cache(maxsize=65536)
def _known_place(place: str, year: str) -> bool:
    """Whether python-stdnum knows a place code in a birth year (codes come and
    go). Cached: the table lookup is slow and a county's veterans share a few
    hundred (place, year) pairs."""
    body = f"{place}{year}0101000"
    try:
        ric.get_birth_place(body + ric.calc_check_digit(body + "0"))
    except (StdnumError, KeyError):
        # python-stdnum raises KeyError when the province is known but the
        # county part of the code is not (e.g. 610699…).
        return False
    return True


def birth_date_of(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def is_male(id_number: str) -> bool:
    """The 17th digit is odd for men (GB 11643)."""
    return int(id_number[16]) % 2 == 1


_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")


def parse_phone(cell: Any) -> str:
    """A mobile (kept as 11 digits: 138-1234-5678 and 138 1234 5678 too) or a landline."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = re.sub(r"[\s()]", "", plain_text(cell))
    check_scientific(text)
    if text.startswith("+86"):
        text = text[3:].lstrip("-")
    elif text.startswith("0086"):
        text = text[4:].lstrip("-")
    if text.startswith("1") and _MOBILE.match(text.replace("-", "")):
        text = text.replace("-", "")
    if not (_MOBILE.match(text) or _LANDLINE.match(text)):
        raise ValidationError(
            N_("'{value}' is not a mainland mobile (11 digits) or landline number"),
            value=mask_phone(text),
        )
    return text


def mask_id_number(number: str) -> str:
    """``612601********123X``: place code and last four kept."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """``138****5678``: first three and last four kept."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


_ID_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every id number and mobile number inside free text (errors, logs)."""
    text = _ID_IN_TEXT.sub(lambda m: m[1] + "*" * 8 + m[3], text)
    return _PHONE_IN_TEXT.sub(lambda m: m[1] + "****" + m[3], text)


# Text in quotes inside an error message: where a database or a conversion
# puts the value it choked on ("invalid input syntax for type integer:
# "李保国"", "Invalid isoformat string: '李保国'").
_QUOTED = re.compile(r""""[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’""")
# What may stay quoted: a plain ASCII name (a column, a table, a key, a type).
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.$]*$")


def mask_error(text: str) -> str:
    """An error message as shown to anyone: id numbers and mobile numbers
    masked, and every quoted value that is not a plain ASCII name hidden, so
    a name or an address a failing statement quotes never reaches an output."""

    def hide(quoted: re.Match[str]) -> str:
        inner = quoted[0][1:-1]
        if not inner or _PLAIN_NAME.match(inner):
            return quoted[0]
        return f"{quoted[0][0]}***{quoted[0][-1]}"

    return mask_text(_QUOTED.sub(hide, text))
