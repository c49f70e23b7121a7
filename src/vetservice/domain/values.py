"""Value formats of the records contract: parse what county staff type, write it back.

Each :class:`ValueType` turns a cell (text from a CSV, or whatever openpyxl
gives for an XLSX cell) into one Python value, or raises
:class:`~vetservice.errors.ValidationError` with a sentence saying why.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from vetservice.errors import ValidationError
from vetservice.i18n import N_, Message, get_language


def one_or_many(names: str | Iterable[str]) -> tuple[str, ...]:
    """Codes or ids given as one string or several: a lone ``"610625000000"``
    is one code, not a tuple of its characters."""
    return (names,) if isinstance(names, str) else tuple(names)


# ---------------------------------------------------------------------------
# Enums whose members carry their Chinese label (the records contract).


class LabelledEnum(enum.Enum):
    """An enum whose value is the English name and which knows its Chinese label."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    if TYPE_CHECKING:
        # Members are made from (value, label) above; afterwards a call looks
        # one up by its value alone, as ``Level("county")``.
        def __init__(self, value: str, label: str = ...) -> None: ...

    def display(self, lang: str | None = None) -> str:
        """The label in ``lang``: Chinese label, or the English value in words."""
        if (lang or get_language()) == "zh":
            return self.label
        return self._value_.replace("_", " ")

    def render(self, lang: str | None = None) -> str:
        return self.display(lang)

    @classmethod
    def parse(cls, text: str) -> Self:
        key = text.strip()
        for member in cls:
            if key.lower() == member.value or key == member.label:
                return member
        choices = "、".join(f"{m.label}({m.value})" for m in cls)
        raise ValidationError(
            N_("'{value}' is not one of: {choices}"), value=key, choices=choices
        )


# ---------------------------------------------------------------------------
# Individual parsers; each takes a non-empty cell.

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


def _plain(cell: Any) -> str:
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


def _check_excel_error(cell: Any) -> None:
    if error := excel_error(cell):
        raise ValidationError(
            N_(
                "the cell shows the Excel error {value}: the formula behind it failed; "
                "fix it in the workbook and save again"
            ),
            value=error,
        )


def _check_scientific(text: str) -> None:
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            N_(
                "'{value}' is a long number Excel turned into scientific notation and "
                "cut short; set the column to text and type it again"
            ),
            value=text,
        )


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
)
# A datetime cell from Excel with only a date part comes as midnight.
_TIME_SUFFIX = re.compile(r"[ T]00:00(:00)?$")
# No record of the veterans' service predates this; an earlier year is a typo
# (0202 for 2022) or a date cell gone wrong.
EARLIEST_DATE = dt.date(1900, 1, 1)


def _not_too_early(day: dt.date, text: str) -> dt.date:
    if day < EARLIEST_DATE:
        raise ValidationError(
            N_("'{value}' lies before 1900; check the year"), value=text
        )
    return day


def parse_date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        return _not_too_early(cell.date(), cell.date().isoformat())
    if isinstance(cell, dt.date):
        return _not_too_early(cell, cell.isoformat())
    text = _TIME_SUFFIX.sub("", _plain(cell))
    for pattern in _DATE_PATTERNS:
        if m := pattern.match(text):
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise ValidationError(
                    N_("'{value}' is not a real date"), value=text
                ) from None
            return _not_too_early(day, text)
    raise ValidationError(
        N_("'{value}' is not a date; write it as 2026-11-28"), value=text
    )


def parse_month(cell: Any) -> str:
    if isinstance(cell, dt.date):
        return f"{cell.year:04d}-{cell.month:02d}"
    text = _plain(cell)
    for pattern in _MONTH_PATTERNS:
        if (m := pattern.match(text)) and 1 <= int(m[2]) <= 12:
            if int(m[1]) < EARLIEST_DATE.year:
                raise ValidationError(
                    N_("'{value}' lies before 1900; check the year"), value=text
                )
            return f"{int(m[1]):04d}-{int(m[2]):02d}"
    raise ValidationError(
        N_("'{value}' is not a month; write it as 2026-11"), value=text
    )


_TRUE = {"是", "有", "true", "yes", "y", "1", "√", "✓", "✔"}
_FALSE = {"否", "无", "false", "no", "n", "0", "×", "✗", "✘", "x"}


def parse_bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    text = str(cell).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(N_("'{value}' is not yes or no; write 是 or 否"), value=text)


_MONEY = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
# No single amount of the ledgers comes near this; a larger one is an id
# number or a code typed into the wrong column (and would not fit the column).
MAX_MONEY = Decimal("999999999.99")


def parse_money(cell: Any) -> Decimal:
    if isinstance(cell, float):
        # An Excel number cell: round-trip through its shortest repr, never binary.
        cell = repr(cell)
    text = _plain(cell)
    for ch in ("¥", "￥", ",", "，", " ", "元"):
        text = text.replace(ch, "")
    if not _MONEY.match(text):
        raise ValidationError(
            N_("'{value}' is not an amount of money"), value=str(cell)
        )
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            N_("'{value}' is not an amount of money"), value=str(cell)
        ) from None
    if amount < 0:
        raise ValidationError(N_("amount {value} is negative"), value=text)
    if amount > MAX_MONEY:
        raise ValidationError(
            N_("amount {value} is too large (at most {limit} yuan)"),
            value=text,
            limit=f"{MAX_MONEY:.2f}",
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            N_("amount {value} has more than two decimals"), value=text
        )
    # "-0" is zero: never keep its sign (it would be written out as -0.00).
    return abs(amount).quantize(Decimal("0.01"))


# The counts of the ledgers (posts, participants, positions) stay far below;
# a larger number is a code or an id number in the wrong column.
MAX_INT = 99_999_999


def parse_int(cell: Any) -> int:
    if isinstance(cell, bool):
        raise ValidationError(N_("'{value}' is not a whole number"), value=cell)
    if isinstance(cell, int):
        number = cell
    elif isinstance(cell, float) and cell.is_integer():
        number = int(cell)
    else:
        text = _plain(cell).replace(",", "")
        if not re.fullmatch(r"-?[0-9]{1,30}", text):
            raise ValidationError(
                N_("'{value}' is not a whole number"), value=str(cell)
            )
        number = int(text)
    if number < 0:
        raise ValidationError(N_("'{value}' must not be negative"), value=number)
    if number > MAX_INT:
        raise ValidationError(
            N_("{value} is too large for a count (at most {limit})"),
            value=number,
            limit=MAX_INT,
        )
    return number


_CODE = re.compile(r"^[0-9]{1,32}$")


def parse_code(cell: Any) -> str:
    """A division code: digits only (letters are a typo, not a code)."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = _plain(cell)
    _check_scientific(text)
    if not _CODE.match(text):
        raise ValidationError(
            N_("'{value}' is not a division code (digits only)"), value=text
        )
    return text


# Text a spreadsheet could run as a formula, or markup a browser could run.
# A leading minus is allowed only on a plain number ("-5") or as a dash alone
# ("-" for "none"): "-2+3+cmd|…" runs.
_FORMULA_START = re.compile(r"^[=+@\t\r]|^-(?!-*$|\d*\.?\d+$)")
_MARKUP = re.compile(r"<\s*[A-Za-z/!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    _check_excel_error(text)
    if _FORMULA_START.match(text):
        raise ValidationError(
            N_("'{value}' starts like a spreadsheet formula; remove the leading sign"),
            value=text[:40],
        )
    if _MARKUP.search(text):
        raise ValidationError(
            N_("'{value}' contains HTML markup; remove the angle brackets"),
            value=text[:40],
        )
    if _CONTROL.search(text):
        raise ValidationError(N_("the text contains control characters"))
    return text


def parse_id_number(cell: Any) -> str:
    """Check a 居民身份证号 (GB 11643): length, digits, check digit and birth date.

    An unknown place code is not an error (many old codes no longer exist);
    :func:`id_number_warning` reports it separately.
    """
    if isinstance(cell, int):
        cell = str(cell)
    # Spaces anywhere (also no-break and full-width ones) are only grouping.
    number = "".join(_plain(cell).split()).upper()
    _check_scientific(number)
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


def id_number_warning(number: str) -> Message | None:
    """A warning when the place code is unknown to python-stdnum's table."""
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
    text = re.sub(r"[\s()]", "", _plain(cell))
    _check_scientific(text)
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


_LIST_SPLIT = re.compile(r"[;；,，、]")


def split_list(cell: Any) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(str(cell)) if part.strip()]


# ---------------------------------------------------------------------------
# Value types: how a field is parsed, stored and written out.


@attrs.frozen
class ValueType:
    """One value format of the contract (see ``docs/records.md``)."""

    name: str
    parse_cell: Callable[[Any], Any]
    explain: str  # a message id describing what is accepted

    # What the storage layer keeps for each type; money is integer fen.
    SQL_KINDS: ClassVar[tuple[str, ...]] = (
        "code",
        "text",
        "date",
        "month",
        "bool",
        "money",
        "int",
        "id_number",
        "phone",
        "enum",
        "list",
    )

    def parse(self, cell: Any) -> Any:
        _check_excel_error(cell)
        return self.parse_cell(cell)

    def format(self, value: Any, lang: str | None = None) -> str:
        """Write a value the way the contract writes it out."""
        if value is None:
            return ""
        if isinstance(value, bool):
            if (lang or get_language()) == "zh":
                return "是" if value else "否"
            return "true" if value else "false"
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        if isinstance(value, LabelledEnum):
            return value.display(lang)
        if isinstance(value, tuple | list):
            return ";".join(self._item(v, lang) for v in value)
        return str(value)

    @staticmethod
    def _item(value: Any, lang: str | None) -> str:
        return value.display(lang) if isinstance(value, LabelledEnum) else str(value)

    @property
    def sql_kind(self) -> str:
        return self.name


CODE = ValueType("code", parse_code, N_("a division code as text, e.g. 610602001001"))
TEXT = ValueType("text", parse_text, N_("text"))
DATE = ValueType(
    "date",
    parse_date,
    N_("a date: 2026-11-28, 2026/11/28, 2026.11.28 or 2026年11月28日"),
)
MONTH = ValueType("month", parse_month, N_("a month: 2026-11, 2026/11 or 2026年11月"))
BOOL = ValueType("bool", parse_bool, N_("是/否, 有/无, √/×, yes/no, true/false, 1/0"))
MONEY = ValueType(
    "money", parse_money, N_("yuan with at most two decimals, e.g. 1234.50")
)
INT = ValueType("int", parse_int, N_("a whole number, 0 or more"))
ID_NUMBER = ValueType(
    "id_number", parse_id_number, N_("an 18-character resident id number")
)
PHONE = ValueType("phone", parse_phone, N_("a mainland mobile or landline number"))


@attrs.frozen
class EnumType(ValueType):
    enum: type[LabelledEnum] = attrs.field(kw_only=True)


@attrs.frozen
class ListType(ValueType):
    enum: type[LabelledEnum] | None = attrs.field(kw_only=True, default=None)


def enum_type(enum_cls: type[LabelledEnum]) -> EnumType:
    return EnumType(
        "enum", enum_cls.parse, N_("one of the listed values"), enum=enum_cls
    )


def list_type(enum_cls: type[LabelledEnum] | None = None) -> ListType:
    """A list, in the enum's own order without repeats when it has one."""

    def parse(cell: Any) -> tuple[Any, ...]:
        items = split_list(cell)
        if enum_cls is None:
            return tuple(dict.fromkeys(parse_text(item) for item in items))
        chosen = {enum_cls.parse(item) for item in items}
        return tuple(m for m in enum_cls if m in chosen)

    return ListType("list", parse, N_("values separated by ; or 、"), enum=enum_cls)


def enum_choices(enum_cls: type[LabelledEnum]) -> Sequence[str]:
    return [m.label for m in enum_cls]


_ID_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every id number and mobile number inside free text (errors, logs)."""
    text = _ID_IN_TEXT.sub(lambda m: m[1] + "*" * 8 + m[3], text)
    return _PHONE_IN_TEXT.sub(lambda m: m[1] + "****" + m[3], text)
