"""Values Excel or a careless save damaged: refused with how to fix them.

Each rule with a value that passes and one that fails, worked by hand; then
the same through the importer (the problem names row and column, nothing is
written). ``tests/test_bad_input.py`` runs the file-level cases through the
command line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

import vetservice as vs
from vetservice.domain import KINDS, FieldError
from vetservice.domain import enums as E
from vetservice.domain.identity import id_number_warning, parse_id_number
from vetservice.domain.records import Petition
from vetservice.domain.text import NAME_MAX, TEXT_MAX, TITLE_MAX
from vetservice.domain.values import NAME, TEXT, TITLE, parse_code
from vetservice.errors import ValidationError
from vetservice.testing import SMALL_HIERARCHY, load_records

TODAY = dt.date(2026, 11, 28)
LI = "612601196503120031"  # male, born 1965-03-12
# What Excel keeps of LI in a number cell: 15 digits, then zeros. Its check
# digit would be 7, not 0: refused as cut.
LI_CUT = "612601196503120000"
# A valid number ending in 000: sequence 500 (a woman), check digit 0. It may
# be a real person's, or a cut 61260119650312500x whose check digit fitted
# (about one cut number in 11): accepted with a warning.
FITS = "612601196503125000"


def refused(parse: object, cell: object) -> str:
    assert callable(parse)
    with pytest.raises(ValidationError) as caught:
        parse(cell)
    return caught.value.message.render("zh")


# ---------------------------------------------------------------------------
# Id numbers.


def test_an_id_number_as_text_is_taken():
    assert parse_id_number(LI) == LI
    assert parse_id_number(FITS) == FITS


@pytest.mark.parametrize(
    "cell",
    [
        int(LI),  # written by a program as an exact integer: Excel cuts it on save
        6.12601196503120e17,  # what openpyxl gives for Excel's number cell
        float(LI),  # the .xls reader's float
        int(LI_CUT),
    ],
)
def test_an_id_number_from_a_number_cell_is_refused(cell: object):
    message = refused(parse_id_number, cell)
    assert "只保留 15 位有效数字" in message
    assert "设为“文本”" in message and "vetservice template" in message
    assert "612601********" in message and LI not in message  # masked


def test_a_cut_id_number_whose_check_digit_is_wrong_says_excel_cut_it():
    message = refused(parse_id_number, LI_CUT)
    assert "末三位是 000" in message and "截断" in message
    assert "vetservice template" in message
    # A wrong check digit without the zeros is only that.
    assert "截断" not in refused(parse_id_number, "612601196503120032")


def test_scientific_notation_says_how_to_fix_it():
    message = refused(parse_id_number, "6.12601E+17")
    assert "科学计数法" in message and "设为“文本”" in message


def test_a_valid_number_ending_in_000_is_a_warning():
    warning = id_number_warning(FITS)
    assert warning is not None
    assert "末三位是 000" in warning.render("zh")
    assert id_number_warning(LI) is None


# ---------------------------------------------------------------------------
# Division codes.


def test_a_code_from_a_number_cell_is_taken_when_exact():
    # Excel shows 610626000000 as 6.10626E+11 but keeps every digit of it.
    assert parse_code(610626000000.0) == "610626000000"
    assert parse_code(610626100001) == "610626100001"


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("6.10626E+11", "科学计数法"),  # a CSV saved from Excel's display
        (6.12601196503120e17, "只保留 15 位有效数字"),  # 18 digits in a number cell
        (610626000000.5, "只能是数字"),
    ],
)
def test_a_code_excel_damaged_is_refused(cell: object, words: str):
    assert words in refused(parse_code, cell)


# ---------------------------------------------------------------------------
# Characters lost in saving.


@pytest.mark.parametrize("name", ["王?", "王?明", "?明", "王\ufffd", "张 ? 三"])
def test_a_name_with_a_lost_character_is_refused(name: str):
    assert "保存时丢失了字符" in refused(NAME.parse, name)


@pytest.mark.parametrize("note", ["走访?户", "走访??户", "春节\ufffd问", "\ufffd"])
def test_free_text_with_a_lost_character_is_refused(note: str):
    assert "保存时丢失了字符" in refused(TEXT.parse, note)


@pytest.mark.parametrize(
    "note", ["是否需要帮扶?", "what?", "问题？已解决", "电话打不通（？）"]
)
def test_a_question_mark_that_is_one_is_kept_in_free_text(note: str):
    assert TEXT.parse(note) == note


def test_a_full_width_question_mark_is_no_lost_character():
    # A GBK save writes "?"; "？" is typed.
    assert TITLE.parse("老兵，你好吗？") == "老兵，你好吗？"


# ---------------------------------------------------------------------------
# Invisible characters, spaces, lengths.


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("王芳\u3000", "王芳"),  # trailing full-width space
        ("\u200b王芳 ", "王芳"),  # zero-width space at an edge
        ("\ufeff王芳", "王芳"),  # a byte-order mark at the start
        ("王\u3000芳", "王芳"),  # aligned with three-character names
        ("王 芳", "王芳"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("John Smith", "John Smith"),
    ],
)
def test_a_person_s_name_is_normalised(cell: str, expected: str):
    assert NAME.parse(cell) == expected


def test_full_width_spaces_inside_free_text_become_spaces():
    assert TEXT.parse("春节　慰问\u3000") == "春节 慰问"
    assert TITLE.parse("延安市\u3000宝塔区医院") == "延安市 宝塔区医院"


@pytest.mark.parametrize(
    "cell", ["王\u200b芳", "王\u200d芳", "王\u2060芳", "王\ufeff芳"]
)
def test_zero_width_characters_inside_are_refused(cell: str):
    assert "零宽字符" in refused(NAME.parse, cell)
    assert "零宽字符" in refused(TEXT.parse, cell)


@pytest.mark.parametrize(
    "cell", ["王\u202e芳", "\u202dabc", "a\u2066b\u2069", "王芳\u202c"]
)
def test_direction_overrides_are_refused(cell: str):
    assert "改变文字方向" in refused(NAME.parse, cell)
    assert "改变文字方向" in refused(TEXT.parse, cell)


@pytest.mark.parametrize("cell", ["李\x1b保国", "李\x00", "李\x85保国", "\x7f李"])
def test_control_characters_are_refused(cell: str):
    assert "控制字符" in refused(TEXT.parse, cell)


def test_a_name_takes_one_line_a_note_many():
    assert "只能写在一行" in refused(NAME.parse, "王\n芳")
    assert "只能写在一行" in refused(TITLE.parse, "宝塔区\t医院")
    assert TEXT.parse("第一次走访\n第二次走访") == "第一次走访\n第二次走访"


@pytest.mark.parametrize(
    ("value_type", "limit"), [(NAME, NAME_MAX), (TITLE, TITLE_MAX), (TEXT, TEXT_MAX)]
)
def test_maximum_lengths(value_type: object, limit: int):
    parse = value_type.parse  # type: ignore[attr-defined]
    assert parse("字" * limit) == "字" * limit
    assert f"这一列最多 {limit} 个字" in refused(parse, "字" * (limit + 1))
    # Blanks at the ends do not count.
    assert parse(" " + "字" * limit + "\u3000") == "字" * limit


def test_the_limits():
    assert (NAME_MAX, TITLE_MAX, TEXT_MAX) == (50, 100, 500)


# ---------------------------------------------------------------------------
# Petitions: received, then accepted, then closed.


def petition(**dates: dt.date | None) -> Petition:
    return Petition(
        case_no="YA2026-1",
        unit_code="610602001001",
        received_on=dates.pop("received_on", dt.date(2026, 5, 10)),
        channel=E.Channel.VISIT,
        **dates,
    )


def test_a_petition_in_order_is_taken():
    p = petition(accepted_on=dt.date(2026, 5, 10), closed_on=dt.date(2026, 5, 10))
    assert p.closed_on == dt.date(2026, 5, 10)
    petition(accepted_on=dt.date(2026, 5, 20), closed_on=dt.date(2026, 7, 1))
    petition(closed_on=dt.date(2026, 5, 11))  # never formally accepted


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"accepted_on": dt.date(2026, 5, 9)}, "accepted_on"),
        (
            {"accepted_on": dt.date(2026, 5, 20), "closed_on": dt.date(2026, 5, 19)},
            "closed_on",
        ),
        ({"closed_on": dt.date(2026, 5, 1)}, "closed_on"),
    ],
)
def test_a_petition_out_of_order_is_refused(dates: dict[str, dt.date], field: str):
    with pytest.raises(FieldError) as caught:
        petition(**dates)
    assert caught.value.field == field


# ---------------------------------------------------------------------------
# Through the importer: the row and column are named, nothing is written.


@pytest.fixture
def base(db: vs.Database) -> vs.Database:
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "veterans": f"身份证号,姓名,现居村社区代码\n{LI},李保国,610602001001\n",
        },
    )
    return db


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rejected(
    db: vs.Database, kind: str, path: Path
) -> list[tuple[int | None, str, str]]:
    before = {k: db.records(k) for k in ("veterans", "petitions", "stations")}
    with pytest.raises(vs.ImportRejected) as caught:
        db.import_file(kind, path, today=TODAY)
    assert {k: db.records(k) for k in before} == before
    return [(p.row, str(p.column), p.render("zh")) for p in caught.value.problems]


def test_an_id_number_from_a_number_cell_through_the_importer(
    base: vs.Database, tmp_path: Path
):
    path = xlsx(
        tmp_path / "veterans.xlsx",
        [
            ["身份证号", "姓名", "现居村社区代码"],
            [6.12601196503120e17, "李保国", "610602001001"],
        ],
    )
    ((row, column, message),) = rejected(base, "veterans", path)
    assert (row, column) == (2, "身份证号")
    assert "只保留 15 位有效数字" in message


def test_a_long_number_in_a_code_cell_through_the_importer(
    base: vs.Database, tmp_path: Path
):
    path = xlsx(tmp_path / "stations.xlsx", [["区划代码"], [612601196503120031]])
    ((row, column, message),) = rejected(base, "stations", path)
    assert (row, column) == (2, "区划代码")
    assert "只保留 15 位有效数字" in message


def test_a_code_in_a_number_cell_through_the_importer(
    base: vs.Database, tmp_path: Path
):
    path = xlsx(tmp_path / "stations.xlsx", [["区划代码"], [610602001000.0]])
    base.import_file("stations", path, today=TODAY)
    assert [s.unit_code for s in base.records("stations")] == ["610602001000"]


def test_a_lost_character_through_the_importer(base: vs.Database, tmp_path: Path):
    path = tmp_path / "veterans.csv"
    path.write_text(
        f"身份证号,姓名,现居村社区代码\n{LI},李保?,610602001001\n", encoding="utf-8"
    )
    ((row, column, message),) = rejected(base, "veterans", path)
    assert (row, column) == (2, "姓名")
    assert "保存时丢失了字符" in message


def test_a_cut_number_that_fits_imports_with_a_warning(
    base: vs.Database, tmp_path: Path
):
    path = tmp_path / "veterans.csv"
    path.write_text(
        f"身份证号,姓名,现居村社区代码\n{FITS},王芳,610602001001\n", encoding="utf-8"
    )
    result = base.import_file("veterans", path, today=TODAY)
    assert result.total("added") == 1
    assert any("末三位是 000" in w.render("zh") for w in result.warnings)


@pytest.mark.parametrize(
    ("dates", "column", "words"),
    [
        (
            "2026-05-10,2026-05-09,",
            "受理（告知）日期",
            "受理（告知）日期（2026-05-09）早于登记日期（2026-05-10）",
        ),
        (
            "2026-05-10,2026-05-20,2026-05-19",
            "办结日期",
            "办结日期（2026-05-19）早于受理（告知）日期（2026-05-20）",
        ),
    ],
)
def test_a_petition_out_of_order_through_the_importer(
    base: vs.Database, tmp_path: Path, dates: str, column: str, words: str
):
    path = tmp_path / "petitions.csv"
    path.write_text(
        "编号,属地代码,信访形式,登记日期,受理（告知）日期,办结日期\n"
        f"YA2026-1,610602001001,走访,{dates}\n",
        encoding="utf-8",
    )
    ((row, where, message),) = rejected(base, "petitions", path)
    assert (row, where) == (2, column)
    assert words in message


def test_the_checks_still_find_petitions_stored_before_the_rule(base: vs.Database):
    # A database filled before import refused them: the rows are written
    # directly, as an older version would have.
    from vetservice.store import TABLES

    def row(case_no: str, **dates: dt.date) -> dict[str, object]:
        empty = {f.name: None for f in KINDS["petitions"].fields}
        return {
            **empty,
            "case_no": case_no,
            "unit_code": "610602001001",
            "received_on": dt.date(2026, 3, 1),
            "channel": "online",
            **dates,
        }

    with base.engine.begin() as conn:
        conn.execute(
            TABLES["petitions"].insert(),
            [
                row("P1", closed_on=dt.date(2026, 2, 1)),
                row("P2", accepted_on=dt.date(2026, 2, 28)),
            ],
        )
    found = {(f.check, tuple(f.key)) for f in base.validate()}
    assert ("petitions.closed_before_received", ("P1",)) in found
    assert ("petitions.accepted_before_received", ("P2",)) in found
    # And they can still be read back as they were stored.
    stored = {p.case_no: p for p in base.records("petitions")}
    assert stored["P1"].closed_on == dt.date(2026, 2, 1)
    assert stored["P2"].accepted_on == dt.date(2026, 2, 28)
