"""Value formats of records.md, one by one: what a clerk may type, what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum.cn import ric

from vetservice.domain import FieldError
from vetservice.domain import enums as E
from vetservice.domain.identity import (
    birth_date_of,
    id_number_warning,
    is_male,
    mask_error,
    mask_id_number,
    mask_phone,
    mask_text,
    parse_id_number,
    parse_phone,
)
from vetservice.domain.records import CareFundEntry, Veteran
from vetservice.domain.values import (
    BOOL,
    DATE,
    MONEY,
    TEXT,
    enum_type,
    list_type,
    parse_bool,
    parse_code,
    parse_date,
    parse_int,
    parse_money,
    parse_month,
    parse_text,
    split_list,
)
from vetservice.errors import ValidationError
from vetservice.i18n import language


def id_number(first17: str) -> str:
    """A valid 居民身份证号 for the first 17 digits (stdnum ignores the last character)."""
    assert len(first17) == 17
    return first17 + ric.calc_check_digit(first17 + "0")


# ---------------------------------------------------------------------------
# Dates and months.


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-28",
        "2026/11/28",
        "2026.11.28",
        "2026年11月28日",
        " 2026-11-28 ",
        "2026/11/28 00:00:00",
        "2026-11-28 00:00",
        "2026-11-28T00:00:00",
    ],
)
def test_date_spellings(text: str):
    assert parse_date(text) == dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    "text", ["2026-3-5", "2026/3/5", "2026.03.05", "2026.3.5", "2026年3月5日", "2026年03月05日"]
)
def test_dates_without_leading_zeros(text: str):
    assert parse_date(text) == dt.date(2026, 3, 5)


def test_excel_date_cells():
    assert parse_date(dt.datetime(2026, 3, 5, 0, 0)) == dt.date(2026, 3, 5)
    assert type(parse_date(dt.datetime(2026, 3, 5))) is dt.date
    assert parse_date(dt.date(2026, 3, 5)) == dt.date(2026, 3, 5)


def test_leap_days():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)
    with pytest.raises(ValidationError, match="不是真实存在的日期"):
        parse_date("2025-02-29")


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026/02/30", "2026年2月30日", "2026-13-01", "2026-04-31", "2026-00-10"]
)
def test_impossible_dates(text: str):
    with pytest.raises(ValidationError, match="不是真实存在的日期"):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["28/11/2026", "11/28/2026", "20261128", "2026-11", "明天", "2026-11-28 14:30", "26-11-28"]
)
def test_not_dates(text: str):
    with pytest.raises(ValidationError, match="不是日期"):
        parse_date(text)


def test_date_messages_in_english():
    with language("en"):
        with pytest.raises(ValidationError) as caught:
            parse_date("2026-02-30")
        assert str(caught.value) == "'2026-02-30' is not a real date"


def test_months():
    assert [parse_month(m) for m in ("2026-11", "2026/1", "2026年3月", " 2026-01 ")] == [
        "2026-11",
        "2026-01",
        "2026-03",
        "2026-01",
    ]
    assert parse_month(dt.datetime(2026, 4, 1)) == "2026-04"  # Excel's date for "2026-04"
    assert parse_month(dt.date(2026, 12, 31)) == "2026-12"
    for bad in ("2026-13", "2026-0", "2026年13月", "2026-11-28", "11/2026", "十一月"):
        with pytest.raises(ValidationError, match="不是月份"):
            parse_month(bad)


# ---------------------------------------------------------------------------
# Bools.

TRUE_WORDS = ("是", "有", "true", "TRUE", "True", "yes", "Yes", "YES", "y", "Y", "1", "√")
FALSE_WORDS = ("否", "无", "false", "FALSE", "False", "no", "No", "NO", "n", "N", "0", "×")


@pytest.mark.parametrize("word", TRUE_WORDS)
def test_true_words(word: str):
    assert parse_bool(word) is True
    assert parse_bool(f" {word} ") is True


@pytest.mark.parametrize("word", FALSE_WORDS)
def test_false_words(word: str):
    assert parse_bool(word) is False


def test_bool_cells_from_excel():
    assert parse_bool(True) is True and parse_bool(False) is False
    assert parse_bool(1) is True and parse_bool(0) is False
    assert parse_bool(1.0) is True and parse_bool(0.0) is False


@pytest.mark.parametrize("bad", ["2", "-1", "是的", "不是", "maybe", "t", "f", "ok", "对", 2, 0.5])
def test_bool_rejects(bad: object):
    with pytest.raises(ValidationError, match="是/否"):
        parse_bool(bad)


# ---------------------------------------------------------------------------
# Money: yuan with at most two decimals, always Decimal.


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234.50", "1234.50"),
        ("¥1234.5", "1234.50"),
        ("￥1,234.50", "1234.50"),
        ("¥ 1234.5", "1234.50"),
        ("1234", "1234.00"),
        ("1234.5", "1234.50"),
        ("0.05", "0.05"),
        ("12.34", "12.34"),
        ("1,000,000", "1000000.00"),
        (" 2310 ", "2310.00"),
    ],
)
def test_money_spellings(text: str, amount: str):
    value = parse_money(text)
    assert value == Decimal(amount)
    assert type(value) is Decimal and value.as_tuple().exponent == -2


def test_money_from_excel_number_cells():
    assert parse_money(1234.5) == Decimal("1234.50")
    assert str(parse_money(1234.5)) == "1234.50"
    assert parse_money(0.1) == Decimal("0.10")  # not 0.1000000000000000055511151231257827
    assert parse_money(2310) == Decimal("2310.00")
    assert parse_money(Decimal("900.5")) == Decimal("900.50")
    for cell in (1234.5, 0.1, 2310, "1.1"):
        assert not isinstance(parse_money(cell), float)


@pytest.mark.parametrize(
    "bad", ["1.234", "0.001", "1234.567", 1234.567, "-5", "-0.01", "¥-5", "一百", "1.2.3", "12a", "1e3", "."]
)
def test_money_rejects(bad: object):
    with pytest.raises(ValidationError):
        parse_money(bad)


def test_money_messages_say_why():
    with pytest.raises(ValidationError, match="两位小数"):
        parse_money("1.234")
    with pytest.raises(ValidationError, match="负"):
        parse_money("-5")


def test_money_written_out_with_two_decimals():
    assert MONEY.format(Decimal("1234.50")) == "1234.50"
    assert MONEY.format(parse_money("¥1234.5")) == "1234.50"


def test_a_fund_entry_of_zero_is_refused_on_amount():
    with pytest.raises(FieldError) as caught:
        CareFundEntry(
            unit_code="610602000000",
            entry_no="JJ-9",
            date=dt.date(2026, 1, 5),
            kind=E.FundEntryKind.DONATION,
            amount=parse_money("0"),
            counterparty="某公司",
        )
    assert caught.value.field == "amount"


# ---------------------------------------------------------------------------
# Whole numbers and codes.


def test_ints():
    assert parse_int("12") == 12
    assert parse_int(" 12 ") == 12
    assert parse_int(12) == 12
    assert parse_int(3.0) == 3  # an Excel number cell
    assert parse_int("0") == 0
    assert parse_int("1,200") == 1200
    for bad in ("3.5", 3.5, "-1", -1, "十二", "12人", True):
        with pytest.raises(ValidationError):
            parse_int(bad)


def test_codes_keep_leading_zeros_and_come_back_as_text():
    assert parse_code("610602001001") == "610602001001"
    assert parse_code("0061") == "0061"
    assert parse_code("061") == "061"
    assert parse_code(" 610602 ") == "610602"
    assert parse_code(610602001001.0) == "610602001001"  # an Excel number cell
    assert parse_code(610602) == "610602"
    for bad in ("6106-02", "610602 001", "宝塔区", "6106.02", "61060200100.5", 6.5):
        with pytest.raises(ValidationError):
            parse_code(bad)


# ---------------------------------------------------------------------------
# 居民身份证号.

LI = "612601196503120031"  # a real-shaped number of the old 延安地区 code


def test_the_helper_makes_valid_numbers():
    assert ric.is_valid(id_number("61260119650312003"))
    assert id_number("61260119650312003") == LI
    assert id_number("61260119780104123") == "61260119780104123X"


def test_valid_id_numbers():
    assert parse_id_number(LI) == LI
    assert parse_id_number(f"  {LI} ") == LI
    assert parse_id_number("6126 0119 6503 1200 31") == LI
    # A number cell is refused even when it kept every digit: Excel cuts it to
    # 15 on the next save (tests/test_damaged_values.py).
    with pytest.raises(ValidationError, match="15 位"):
        parse_id_number(int(LI))


def test_lower_case_x_is_normalised():
    assert parse_id_number("61260119781105005x") == "61260119781105005X"
    assert parse_id_number("61260119780104123x") == "61260119780104123X"


def test_wrong_check_digit():
    with pytest.raises(ValidationError, match="校验位"):
        parse_id_number("612601196503120032")
    with pytest.raises(ValidationError, match="校验位"):
        parse_id_number("612601197801041230")  # X expected


@pytest.mark.parametrize(
    "first17",
    [
        "61260119651312003",  # month 13
        "61260119650002003",  # month 00
        "61260119650230003",  # 30 February
        "61260119650332003",  # day 32
        "61260120250229003",  # 2025 is no leap year
    ],
)
def test_impossible_birth_date_with_a_right_check_digit(first17: str):
    with pytest.raises(ValidationError, match="出生日期"):
        parse_id_number(id_number(first17))


@pytest.mark.parametrize("bad", ["61260119650312003", "6126011965031200311", "", "612601650312003"])
def test_wrong_length(bad: str):
    with pytest.raises(ValidationError, match="18"):
        parse_id_number(bad)


@pytest.mark.parametrize("bad", ["61260119650312X031", "6126011965031200-1", "61260119650312003Y"])
def test_only_digits_and_a_final_x(bad: str):
    with pytest.raises(ValidationError):
        parse_id_number(bad)


def test_errors_never_show_the_whole_number():
    with pytest.raises(ValidationError) as caught:
        parse_id_number("612601196503120032")
    assert "612601196503120032" not in str(caught.value)
    assert "612601********0032" in str(caught.value)


@pytest.mark.parametrize(
    "first17",
    [
        "99999919800101001",  # no such province
        "61069919800101001",  # a known province, an unknown county code
        "61060219800101001",  # 宝塔区's code, but it did not exist in 1980
    ],
)
def test_unknown_place_code_is_only_a_warning(first17: str):
    number = id_number(first17)
    assert parse_id_number(number) == number
    warning = id_number_warning(number)
    assert warning is not None
    assert first17[:6] in warning.render()
    assert number not in warning.render()  # masked


def test_known_place_codes_give_no_warning():
    assert id_number_warning(LI) is None  # 延安地区, 1965
    assert id_number_warning(id_number("61262119580101009")) is None  # old 延长县 code
    assert id_number_warning(id_number("61060219990709006")) is None  # 宝塔区 after 1996


def test_birth_date_and_sex_from_the_number():
    assert birth_date_of(LI) == dt.date(1965, 3, 12)
    assert is_male(LI)  # 17th digit 3 is odd
    assert not is_male("610602199907090068")  # 17th digit 6 is even


# ---------------------------------------------------------------------------
# The veteran's gender and birth date against the id number.


def veteran(**fields: object) -> Veteran:
    return Veteran(id_number=LI, name="李保国", unit_code="610602001001", **fields)  # type: ignore[arg-type]


def test_gender_and_birth_date_agreeing_with_the_number():
    assert veteran(gender=E.Gender.MALE, birth_date=dt.date(1965, 3, 12)).gender is E.Gender.MALE
    assert veteran().gender is None  # both may be left empty


def test_gender_contradicting_the_number():
    with pytest.raises(FieldError) as caught:
        veteran(gender=E.Gender.FEMALE)
    assert caught.value.field == "gender"
    assert "男" in str(caught.value)
    with pytest.raises(FieldError) as caught:
        Veteran(
            id_number="610602199907090068",
            name="张小燕",
            unit_code="610602100001",
            gender=E.Gender.parse("male"),
        )
    assert caught.value.field == "gender"


def test_birth_date_contradicting_the_number():
    with pytest.raises(FieldError) as caught:
        veteran(birth_date=parse_date("1965年3月21日"))
    assert caught.value.field == "birth_date"
    assert "1965-03-12" in str(caught.value)


# ---------------------------------------------------------------------------
# Phones and masking.


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("19912345678", "19912345678"),
        (13812345678, "13812345678"),  # a number cell
        (13812345678.0, "13812345678"),
        ("0911-2345678", "0911-2345678"),
        ("09112345678", "09112345678"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "01012345678"),
        ("(0911)2345678", "09112345678"),
        ("（0911）2345678", "09112345678"),
        ("0911-2345678-801", "0911-2345678-801"),
    ],
)
def test_phones(text: object, phone: str):
    assert parse_phone(text) == phone


@pytest.mark.parametrize(
    "bad",
    ["12345678901", "10012345678", "1381234567", "138123456789", "2345678", "911-2345678", "abc", "138-1234-567a"],
)
def test_phone_rejects(bad: str):
    with pytest.raises(ValidationError):
        parse_phone(bad)


def test_masks():
    assert mask_id_number("61260119781105123X") == "612601********123X"
    assert mask_id_number(LI) == "612601********0031"
    assert mask_id_number("123") == "***"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0911-2345678") == "091*****5678"
    assert mask_phone("12345") == "*****"
    assert (
        mask_text("电话13812345678，身份证612601196503120031")
        == "电话138****5678，身份证612601********0031"
    )
    assert mask_text("身份证61260119781105123x") == "身份证612601********123x"


def test_errors_hide_quoted_values_but_keep_plain_names():
    assert (
        mask_error(
            'invalid input syntax for type integer: "李保国"; column "name" of "veterans"'
        )
        == 'invalid input syntax for type integer: "***"; column "name" of "veterans"'
    )
    assert (
        mask_error("Invalid isoformat string: '延安市宝塔区 12 号'; KeyError: 'who'")
        == "Invalid isoformat string: '***'; KeyError: 'who'"
    )
    assert mask_error("电话13812345678 “王志刚” ''") == "电话138****5678 “***” ''"


# ---------------------------------------------------------------------------
# Lists and enums.


@pytest.mark.parametrize("text", ["红色资源;党史", "红色资源；党史", "红色资源,党史", "红色资源，党史", "红色资源、党史"])
def test_every_list_separator(text: str):
    assert split_list(text) == ["红色资源", "党史"]
    assert list_type().parse(text) == ("红色资源", "党史")


def test_lists_trim_drop_empty_items_and_repeats():
    assert list_type().parse(" 红色资源 ； 党史、党史,植树, ") == ("红色资源", "党史", "植树")
    assert list_type().parse("红色资源;;") == ("红色资源",)


def test_enum_lists_by_label_and_value_in_the_enum_order():
    assert list_type(E.Handling).parse("下访;接访") == (
        E.Handling.RECEPTION,
        E.Handling.OUTREACH,
    )
    assert list_type(E.Difficulty).parse("disability、因病，因病") == (
        E.Difficulty.ILLNESS,
        E.Difficulty.DISABILITY,
    )
    assert list_type(E.Resolution).parse("资金物资，帮难解困") == (
        E.Resolution.MONEY,
        E.Resolution.ASSISTANCE,
    )
    with pytest.raises(ValidationError, match="接访"):
        list_type(E.Handling).parse("接访;电话访")


def test_text_list_items_are_checked_as_text():
    with pytest.raises(ValidationError):
        list_type().parse("红色资源;=HYPERLINK(1)")


def test_enums_by_label_and_value():
    assert E.Level.parse("县区") is E.Level.COUNTY
    assert E.Level.parse("county") is E.Level.COUNTY
    assert E.Level.parse("County") is E.Level.COUNTY  # values are case-insensitive
    assert E.Level.parse(" 村社区 ") is E.Level.VILLAGE
    assert E.StaffRole.parse("leading_group") is E.StaffRole.LEADING_GROUP
    assert E.StaffRole.parse("领导小组成员") is E.StaffRole.LEADING_GROUP
    assert E.VisitReason.parse("家庭变故/亡故") is E.VisitReason.BEREAVEMENT
    assert E.BenefitCategory.parse("农村籍60周岁以上退役士兵") is E.BenefitCategory.RURAL_AGED
    assert enum_type(E.Gender).parse("女") is E.Gender.FEMALE


def test_unknown_enum_names_the_choices():
    with pytest.raises(ValidationError) as caught:
        E.Gender.parse("男性")
    assert "男(male)" in str(caught.value) and "女(female)" in str(caught.value)
    with pytest.raises(ValidationError):
        E.Level.parse("区县")  # not the label 县区


def test_enums_and_lists_written_out():
    assert E.Level.COUNTY.display("zh") == "县区"
    assert E.Level.COUNTY.display("en") == "county"
    assert E.StaffRole.LEADING_GROUP.display("en") == "leading group"
    handling = list_type(E.Handling)
    assert handling.format((E.Handling.RECEPTION, E.Handling.OUTREACH), "zh") == "接访;下访"
    assert handling.format((E.Handling.RECEPTION, E.Handling.OUTREACH), "en") == "reception;outreach"


def test_bools_and_dates_written_out():
    assert BOOL.format(True, "zh") == "是" and BOOL.format(False, "zh") == "否"
    assert BOOL.format(True, "en") == "true" and BOOL.format(False, "en") == "false"
    assert DATE.format(parse_date("2026年3月5日")) == "2026-03-05"
    assert DATE.format(None) == ""


# ---------------------------------------------------------------------------
# Text: nothing a spreadsheet or a browser would run.


@pytest.mark.parametrize(
    "text",
    ["春节慰问", "  春节慰问 ", "荣立三等功", "1+1", "a=b", "-5", "-0.5", "3<5", "《退役军人保障法》", "临时救助；结对帮扶"],
)
def test_plain_text(text: str):
    assert parse_text(text) == text.strip()


def test_number_cells_in_text_columns():
    assert parse_text(123.0) == "123"
    assert parse_text(12) == "12"


@pytest.mark.parametrize(
    "text",
    [
        "=SUM(A1:A9)",
        "=HYPERLINK(\"http://x\")",
        "+86",
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "-cmd",
        "-A1",
        "\t=1+1",
    ],
)
def test_formula_starts_are_refused(text: str):
    with pytest.raises(ValidationError, match="公式"):
        parse_text(text)


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "张<b>强</b>", "</div>", "< img src=x>", "<!-- -->", "a<?php"]
)
def test_markup_is_refused(text: str):
    with pytest.raises(ValidationError, match="网页标记"):
        parse_text(text)


def test_control_characters_are_refused():
    with pytest.raises(ValidationError):
        parse_text("春节\x00慰问")
    with pytest.raises(ValidationError):
        TEXT.parse("春节\x1b慰问")


# ---------------------------------------------------------------------------
# What a clerk's keyboard and Excel leave in cells.


def test_codes_are_digits_only():
    for bad in ("61060200100A", "X1", "6106O2", "610602001001'--"):
        with pytest.raises(ValidationError, match="只能是数字"):
            parse_code(bad)


def test_full_width_digits_and_invisible_characters():
    assert parse_code("６１０６０２００１００１") == "610602001001"
    assert parse_code("\u200b610602001001\ufeff") == "610602001001"
    assert parse_id_number("６１２６０１１９６５０３１２００３１") == LI
    assert parse_id_number("612601\u00a019650312\u30000031") == LI
    assert parse_phone("１３８１２３４５６７８") == "13812345678"
    assert parse_date("２０２６－１１－２８") == dt.date(2026, 11, 28)
    assert parse_money("１２３４．５") == Decimal("1234.50")
    assert parse_int("１２") == 12


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("138-1234-5678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("1381-234-5678", "13812345678"),
        ("0911-2345678", "0911-2345678"),  # a landline keeps its area-code dash
    ],
)
def test_mobiles_written_with_dashes(text: str, phone: str):
    assert parse_phone(text) == phone


@pytest.mark.parametrize("bad", ["138-1234-567", "138-1234-56789", "1-3812345678x"])
def test_dashed_mobiles_still_need_11_digits(bad: str):
    with pytest.raises(ValidationError):
        parse_phone(bad)


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_id_number, "6.12601E+17"),
        (parse_code, "6.10602E+11"),
        (parse_phone, "1.38123E+10"),
    ],
)
def test_numbers_excel_cut_short(parse: object, text: object):
    with pytest.raises(ValidationError, match="科学计数法"):
        parse(text)  # type: ignore[operator]


def test_an_id_number_in_a_number_cell_shows_what_excel_kept():
    # float(612601196503120031) is 612601196503120128 exactly; Excel shows 15
    # digits and zeros, and so does the message.
    with pytest.raises(ValidationError, match="15 位有效数字") as caught:
        parse_id_number(6.126011965031201e17)  # an XLSX number cell
    assert "612601********0000" in str(caught.value)


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", " #n/a "])
def test_excel_error_values_are_refused_in_every_type(error: str):
    for value_type in (TEXT, DATE, MONEY, BOOL, list_type()):
        with pytest.raises(ValidationError, match="Excel 错误值"):
            value_type.parse(error)


def test_minus_zero_is_zero():
    for text in ("-0", "-0.00", "-0.0", -0.0):
        value = parse_money(text)
        assert value == 0 and value.as_tuple().sign == 0
        assert MONEY.format(value) == "0.00"


def test_amounts_and_counts_have_a_ceiling():
    assert parse_money("999,999,999.99") == Decimal("999999999.99")
    for bad in ("1000000000", "612601196503120031", "1" * 40 + ".5"):
        with pytest.raises(ValidationError, match="过大"):
            parse_money(bad)
    assert parse_int("99999999") == 99_999_999
    for bad in ("100000000", 10**12, 1e15):
        with pytest.raises(ValidationError, match="过大"):
            parse_int(bad)
    with pytest.raises(ValidationError, match="不是整数"):
        parse_int("9" * 5000)  # too long to be a number at all


def test_dates_before_1900_are_typos():
    assert parse_date("1900-01-01") == dt.date(1900, 1, 1)
    for bad in ("0202-05-01", "1899-12-31", dt.date(1800, 1, 1)):
        with pytest.raises(ValidationError, match="早于 1900 年"):
            parse_date(bad)
    with pytest.raises(ValidationError, match="早于 1900 年"):
        parse_month("0202-05")


@pytest.mark.parametrize("text", ["-", "--", "-5", "-0.5", "-.5"])
def test_a_leading_minus_on_a_number_or_alone_is_text(text: str):
    assert parse_text(text) == text


@pytest.mark.parametrize("text", ["-2+3+cmd|' /C calc'!A0", "-1+1", "-5岁", "-SUM(1)"])
def test_a_leading_minus_before_anything_else_is_a_formula(text: str):
    with pytest.raises(ValidationError, match="公式"):
        parse_text(text)
