"""Value formats of the records contract: parse what county staff type, write it back.

Each :class:`ValueType` turns a cell (text from a CSV, or whatever openpyxl
gives for an XLSX cell) into one Python value, or raises
:class:`~vetservice.errors.ValidationError` with a sentence saying why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

import attrs

from vetservice.domain.cells import (
    check_cut_number,
    check_excel_error,
    check_scientific,
    plain_text,
)
from vetservice.domain.identity import (
    parse_id_number,
    parse_phone,
)
from vetservice.domain.labels import LabelledEnum
from vetservice.domain.text import (
    NAME_MAX,
    TITLE_MAX,
    parse_name,
    parse_text,
)
from vetservice.errors import ValidationError
from vetservice.i18n import N_, Message, get_language


def one_or_many(names: str | Iterable[str]) -> tuple[str, ...]:
    """Codes or ids given as one string or several: a lone ``"610625000000"``
    is one code, not a tuple of its characters."""
    return (names,) if isinstance(names, str) else tuple(names)


# ---------------------------------------------------------------------------
# Individual parsers; each takes a non-empty cell.

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
    text = _TIME_SUFFIX.sub("", plain_text(cell))
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
    text = plain_text(cell)
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
    text = plain_text(cell)
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
        text = plain_text(cell).replace(",", "")
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
# A unit code in a plugin's scope: digits, at least a county's six (610602);
# "6" or "1" is what scope=("610602000000") without its comma becomes.
_UNIT_CODE = re.compile(r"^[0-9]{6,32}$")


def is_unit_code(code: object) -> bool:
    return isinstance(code, str) and bool(_UNIT_CODE.match(code))


def scope_problem(what: str, scope: tuple[str, ...]) -> Message | None:
    """Why a plugin item's scope (an indicator's, a sensitive period's) is
    not unit codes, with the fix; None when it is."""
    bad = [c for c in scope if not is_unit_code(c)]
    if not bad:
        return None
    return Message(
        N_(
            "the scope of {id} holds {codes}, which are not unit codes: write "
            "scope=('610602000000',) with the comma, or a list of codes"
        ),
        {"id": what, "codes": "、".join(repr(c) for c in bad)},
    )


def parse_code(cell: Any) -> str:
    """A division code: digits only (letters are a typo, not a code).

    A number cell is taken when it is a whole number Excel kept exactly (a
    12-digit code always is, even when Excel shows ``6.10626E+11``); one of
    more than 15 digits was cut, and a scientific notation written out as text
    lost its digits: both are refused.
    """
    check_cut_number(cell)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = plain_text(cell)
    check_scientific(text)
    if not _CODE.match(text):
        raise ValidationError(
            N_("'{value}' is not a division code (digits only)"), value=text
        )
    return text


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
        check_excel_error(cell)
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
TEXT = ValueType(
    "text",
    parse_text,
    N_("text of at most 500 characters; line breaks allowed"),
)
# A person's name or an identifier; a name of a unit or an organisation.
NAME = ValueType(
    "text",
    lambda cell: parse_name(cell, NAME_MAX, person=True),
    N_("a name or number of at most 50 characters on one line"),
)
TITLE = ValueType(
    "text",
    lambda cell: parse_name(cell, TITLE_MAX),
    N_("a name of at most 100 characters on one line"),
)
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
