"""Value formats of records.md, one by one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum.cn import ric

from vetservice.domain import enums as E
from vetservice.domain.values import (
    list_type,
    mask_id_number,
    mask_phone,
    mask_text,
    parse_bool,
    parse_code,
    parse_date,
    parse_id_number,
    parse_int,
    parse_money,
    parse_month,
    parse_phone,
)
from vetservice.errors import ValidationError


@pytest.mark.parametrize(
    "text",
    ["2026-11-28", "2026/11/28", "2026.11.28", "2026年11月28日", "2026/11/28 00:00:00"],
)
def test_date_spellings(text: str):
    assert parse_date(text) == dt.date(2026, 11, 28)


def test_excel_cells_and_impossible_dates():
    assert parse_date(dt.datetime(2026, 3, 5, 0, 0)) == dt.date(2026, 3, 5)
    for bad in ("2026-02-30", "28/11/2026", "明天"):
        with pytest.raises(ValidationError):
            parse_date(bad)


def test_months():
    assert [parse_month(m) for m in ("2026-11", "2026/1", "2026年3月")] == [
        "2026-11",
        "2026-01",
        "2026-03",
    ]
    assert parse_month(dt.datetime(2026, 4, 1)) == "2026-04"
    with pytest.raises(ValidationError):
        parse_month("2026-13")


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (("是", "有", "TRUE", "Yes", "y", "1", "√"), True),
        (("否", "无", "false", "NO", "n", "0", "×"), False),
    ],
)
def test_bool_words(words: tuple[str, ...], value: bool):
    assert all(parse_bool(w) is value for w in words)


def test_money_is_decimal_never_float():
    assert parse_money("1,234.50") == Decimal("1234.50")
    assert parse_money("¥1234.5") == Decimal("1234.50")
    assert parse_money(1234.5) == Decimal("1234.50") and isinstance(
        parse_money(0.1), Decimal
    )
    for bad in ("1.234", "-5", "一百"):
        with pytest.raises(ValidationError):
            parse_money(bad)


def test_codes_and_ints():
    assert parse_code(610602001001.0) == "610602001001"
    assert parse_code("0061") == "0061"
    assert parse_int(3.0) == 3
    for bad in ("3.5", "-1"):
        with pytest.raises(ValidationError):
            parse_int(bad)


def test_id_numbers():
    assert parse_id_number("61260119781105005x") == "61260119781105005X"
    with pytest.raises(ValidationError, match="校验位"):
        parse_id_number("612601196503120032")
    with pytest.raises(ValidationError, match="出生日期"):
        body = "61260119651312003"  # month 13, with a right check digit
        parse_id_number(body + ric.calc_check_digit(body + "0"))
    with pytest.raises(ValidationError, match="18"):
        parse_id_number("61260119650312003")


def test_phones_and_masks():
    assert parse_phone("+86 138 1234 5678") == "13812345678"
    assert parse_phone("0911-2345678") == "0911-2345678"
    with pytest.raises(ValidationError):
        parse_phone("12345678901")
    assert mask_id_number("61260119781105123X") == "612601********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert (
        mask_text("电话13812345678，身份证612601196503120031")
        == "电话138****5678，身份证612601********0031"
    )


def test_lists():
    assert list_type().parse("红色资源；党史、党史,植树") == (
        "红色资源",
        "党史",
        "植树",
    )
    assert list_type(E.Handling).parse("下访;接访") == (
        E.Handling.RECEPTION,
        E.Handling.OUTREACH,
    )
    assert (
        E.Level.parse("县区") is E.Level.COUNTY
        and E.Level.parse("County") is E.Level.COUNTY
    )
