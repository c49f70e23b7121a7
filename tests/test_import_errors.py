"""Bad rows: each gives row, column and reason, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

import vetservice as vs
from vetservice.i18n import language
from vetservice.testing import FIXTURE_TODAY as TODAY
from vetservice.testing import SMALL_HIERARCHY, load_records

V1 = "612601196503120031"  # valid, male, born 1965-03-12
VETERAN = f"身份证号,姓名,现居村社区代码\n{V1},李保国,610602001001\n"
STAFF = "人员编号,区划代码,姓名,角色\nS1,610602001000,张强,工作人员\n"
RECIPIENT = f"身份证号,姓名,现居村社区代码,优抚类别,月发放标准,起始日期\n{V1},李保国,610602001001,残疾军人,2200,2025-01-01\n"

# (case, kind, file text, row, column or None, words the Chinese reason contains)
CASES = [
    (
        "unknown column",
        "units",
        "区划代码,名称,层级,颜色\n1,甲,city,红\n",
        1,
        None,
        "无法识别的列：颜色",
    ),
    ("missing column", "units", "区划代码,名称\n1,甲\n", 1, None, "缺少必填列：层级"),
    (
        "duplicated column",
        "units",
        "区划代码,code,名称,层级\n1,1,甲,city\n",
        1,
        "code",
        "出现了两次",
    ),
    (
        "required empty",
        "veterans",
        f"身份证号,姓名,现居村社区代码\n{V1},,610602001001\n",
        2,
        "姓名",
        "必填，但为空",
    ),
    (
        "bad date",
        "stations",
        "区划代码,建成日期\n610602000000,去年\n",
        2,
        "建成日期",
        "不是日期",
    ),
    (
        "impossible date",
        "stations",
        "区划代码,建成日期\n610602000000,2026-02-30\n",
        2,
        "建成日期",
        "不是真实存在的日期",
    ),
    (
        "future date",
        "stations",
        "区划代码,建成日期\n610602000000,2026-12-01\n",
        2,
        "建成日期",
        "晚于今天",
    ),
    (
        "bad bool",
        "stations",
        "区划代码,独立场所\n610602000000,也许\n",
        2,
        "独立场所",
        "不是“是/否”",
    ),
    (
        "bad enum",
        "units",
        "区划代码,名称,层级\n1,甲,地区\n",
        2,
        "层级",
        "可选：全国(country)、省(province)",
    ),
    (
        "three decimals",
        "care_fund_entries",
        "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n610602000000,J1,2026-01-01,捐赠收入,1.234,甲\n",
        2,
        "金额",
        "超过两位小数",
    ),
    (
        "negative money",
        "care_fund_entries",
        "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n610602000000,J1,2026-01-01,捐赠收入,-5,甲\n",
        2,
        "金额",
        "为负数",
    ),
    (
        "zero grant",
        "care_fund_entries",
        "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n610602000000,J1,2026-01-01,捐赠收入,0,甲\n",
        2,
        "金额",
        "必须大于零",
    ),
    (
        "check digit",
        "veterans",
        "身份证号,姓名,现居村社区代码\n612601196503120032,甲,610602001001\n",
        2,
        "身份证号",
        "校验位错误",
    ),
    (
        "gender mismatch",
        "veterans",
        f"身份证号,姓名,性别,现居村社区代码\n{V1},甲,女,610602001001\n",
        2,
        "性别",
        "与身份证号不符",
    ),
    (
        "birth mismatch",
        "veterans",
        f"身份证号,姓名,出生日期,现居村社区代码\n{V1},甲,1965-03-13,610602001001\n",
        2,
        "出生日期",
        "与身份证号不符",
    ),
    (
        "entered without date",
        "social_insurance",
        f"身份证号,符合条件,状态\n{V1},是,已录入\n",
        2,
        "录入日期",
        "必须填写录入日期",
    ),
    (
        "end before start",
        "staff",
        "人员编号,区划代码,姓名,角色,起始日期,终止日期\nS9,610602001000,甲,工作人员,2026-05-01,2026-04-01\n",
        2,
        "终止日期",
        "早于起始日期",
    ),
    (
        "bad phone",
        "veterans",
        f"身份证号,姓名,现居村社区代码,联系电话\n{V1},甲,610602001001,12345\n",
        2,
        "联系电话",
        "不是有效的手机号",
    ),
    (
        "formula",
        "veterans",
        f"身份证号,姓名,现居村社区代码\n{V1},\"=cmd|' /C calc'!A0\",610602001001\n",
        2,
        "姓名",
        "公式符号",
    ),
    (
        "html",
        "veterans",
        f"身份证号,姓名,现居村社区代码\n{V1},<script>alert(1)</script>,610602001001\n",
        2,
        "姓名",
        "网页标记",
    ),
    (
        "duplicate key",
        "units",
        "区划代码,名称,层级\n9,甲,city\n9,乙,city\n",
        3,
        None,
        "与 units.csv 第 2 行重复",
    ),
    (
        "unknown unit",
        "stations",
        "区划代码\n610699999999\n",
        2,
        "区划代码",
        "没有区划代码为 610699999999 的单位",
    ),
    (
        "veteran not in a village",
        "veterans",
        f"身份证号,姓名,现居村社区代码\n{V1},甲,610602001000\n",
        2,
        "现居村社区代码",
        "这里需要“村社区”级单位",
    ),
    (
        "parent level",
        "units",
        "区划代码,名称,层级,上级代码\n610602001009,丙村,village,610602000000\n",
        2,
        "上级代码",
        "上级必须是“乡镇街道”级",
    ),
    (
        "unknown parent",
        "units",
        "区划代码,名称,层级,上级代码\n610602001009,丙村,village,610602009000\n",
        2,
        "上级代码",
        "没有区划代码为 610602009000 的单位",
    ),
    (
        "bad visit reason",
        "visits",
        f"身份证号,走访日期,走访事由\n{V1},2026-01-01,节日\n",
        2,
        "走访事由",
        "不是可选值之一",
    ),
    (
        "unknown contact",
        "veterans",
        f"身份证号,姓名,现居村社区代码,联系人编号\n{V1},甲,610602001001,S404\n",
        2,
        "联系人编号",
        "没有人员编号为 S404 的工作人员",
    ),
    (
        "grant to stranger",
        "care_fund_entries",
        "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n610602000000,J1,2026-01-01,帮扶支出,5,610602199907090068\n",
        2,
        "捐赠方或受助人",
        "没有身份证号为 610602********0068 的退役军人",
    ),
    (
        "fund missing",
        "care_fund_entries",
        "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n610621000000,J1,2026-01-01,捐赠收入,5,甲\n",
        2,
        "基金所属县区代码",
        "没有关爱基金记录",
    ),
    (
        "payment to stranger",
        "benefit_payments",
        f"身份证号,优抚类别,发放月份,金额,发放日期\n{V1},烈士遗属,2026-01,5,2026-01-10\n",
        2,
        "身份证号",
        "没有身份证号和优抚类别为",
    ),
    (
        "fund below zero",
        "care_fund_entries",
        "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n610602000000,J1,2026-01-01,捐赠收入,100,甲\n610602000000,J2,2026-01-02,帮扶支出,100.01,612601196503120031\n",
        3,
        "金额",
        "余额变为 -0.01 元",
    ),
    ("empty file", "units", "", None, None, "文件是空的"),
    ("only headers", "units", "区划代码,名称,层级\n", 1, None, "只有表头"),
]


@pytest.fixture
def base(db: vs.Database) -> vs.Database:
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "staff": STAFF,
            "veterans": VETERAN,
            "care_funds": "区划代码,成立日期\n610602000000,2020-01-01\n",
        },
    )
    return db


@pytest.mark.parametrize(
    ("case", "kind", "text", "row", "column", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_named_and_nothing_is_written(
    base: vs.Database,
    tmp_path: Path,
    case: str,
    kind: str,
    text: str,
    row: int | None,
    column: str | None,
    words: str,
):
    before = base.counts()
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(vs.ImportRejected) as caught:
        base.import_file(kind, path, today=TODAY)
    rendered = [p.render("zh") for p in caught.value.problems]
    assert any(words in r for r in rendered), rendered
    problem = next(p for p in caught.value.problems if words in p.render("zh"))
    assert problem.row == row
    if column is not None:
        assert problem.column is not None and column in str(problem.column), problem
    assert base.counts() == before


def test_the_unknown_veteran_of_a_visit(base: vs.Database, tmp_path: Path):
    path = tmp_path / "visits.csv"
    path.write_text(
        "身份证号,走访日期,走访事由\n610602199907090068,2026-01-01,重大节日\n",
        encoding="utf-8",
    )
    with pytest.raises(vs.ImportRejected) as caught:
        base.import_file("visits", path, today=TODAY)
    assert "没有身份证号为 610602********0068 的退役军人" in caught.value.problems[
        0
    ].render("zh")


def test_english_messages(base: vs.Database, tmp_path: Path):
    path = tmp_path / "stations.csv"
    path.write_text("区划代码,建成日期\n610602000000,2026-02-30\n", encoding="utf-8")
    with pytest.raises(vs.ImportRejected) as caught:
        base.import_file("stations", path, today=TODAY)
    with language("en"):
        assert caught.value.problems[0].render() == (
            "stations.csv, row 2, column 建成日期: '2026-02-30' is not a real date"
        )


def test_a_bad_second_file_writes_nothing_from_either(
    base: vs.Database, tmp_path: Path
):
    good, bad = tmp_path / "stations.csv", tmp_path / "activities.csv"
    good.write_text("区划代码,建成日期\n610602000000,2020-01-01\n", encoding="utf-8")
    bad.write_text(
        "区划代码,日期,活动类型,名称\n610602000000,2026-13-01,学习教育,学习\n",
        encoding="utf-8",
    )
    with pytest.raises(vs.ImportRejected):
        base.import_files([("stations", good), ("activities", bad)], today=TODAY)
    assert base.count("stations") == 0


def test_skip_bad_rows_keeps_the_good_ones(base: vs.Database, tmp_path: Path):
    path = tmp_path / "stations.csv"
    path.write_text(
        "区划代码,建成日期\n610602000000,2020-01-01\n610699999999,2020-01-01\n610621000000,昨天\n",
        encoding="utf-8",
    )
    result = base.import_file("stations", path, skip_bad_rows=True, today=TODAY)
    assert (result.total("added"), result.total("skipped")) == (1, 2)
    assert sorted(p.row for p in result.problems) == [3, 4]


def test_a_same_day_donation_covers_a_grant(base: vs.Database, tmp_path: Path):
    path = tmp_path / "care_fund_entries.csv"
    path.write_text(
        "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n"
        f"610602000000,J2,2026-01-02,帮扶支出,100,{V1}\n610602000000,J1,2026-01-02,捐赠收入,100,甲\n",
        encoding="utf-8",
    )
    assert base.import_file("care_fund_entries", path, today=TODAY).total("added") == 2


def test_row_numbers_count_blank_lines_and_multiline_cells(
    base: vs.Database, tmp_path: Path
):
    path = tmp_path / "activities.csv"
    path.write_text(
        '区划代码,日期,活动类型,名称\n\n610602000000,2026-01-01,学习教育,"学习\n教育"\n610602000000,2026-01-40,学习教育,坏\n',
        encoding="utf-8",
    )
    with pytest.raises(vs.ImportRejected) as caught:
        base.import_file("activities", path, today=TODAY)
    assert caught.value.problems[0].row == 5


def test_truncated_xlsx_and_wrong_suffix(base: vs.Database, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["区划代码", "建成日期"])
    full = tmp_path / "full.xlsx"
    book.save(full)
    broken = tmp_path / "stations.xlsx"
    broken.write_bytes(full.read_bytes()[:200])
    for path, words in (
        (broken, "不是可读取的 XLSX"),
        (tmp_path / "stations.xls", "不存在"),
    ):
        with pytest.raises(vs.ImportRejected) as caught:
            base.import_file("stations", path, today=TODAY)
        assert words in caught.value.problems[0].render("zh")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(vs.ImportRejected) as caught:
        base.import_file("stations", old, today=TODAY)
    assert "另存为 .xlsx" in caught.value.problems[0].render("zh")


def test_binary_file(base: vs.Database, tmp_path: Path):
    path = tmp_path / "stations.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(vs.ImportRejected) as caught:
        base.import_file("stations", path, today=TODAY)
    assert "UTF-8" in caught.value.problems[0].render(
        "zh"
    ) or "二进制" in caught.value.problems[0].render("zh")


def test_unknown_place_code_is_only_a_warning(base: vs.Database, tmp_path: Path):
    from vetservice.testing import id_number

    number = id_number("990101", "19800101", 1)
    path = tmp_path / "veterans.csv"
    path.write_text(
        f"身份证号,姓名,现居村社区代码\n{number},甲,610602001001\n", encoding="utf-8"
    )
    result = base.import_file("veterans", path, today=TODAY)
    assert result.total("added") == 1
    assert "地址码 990101" in result.warnings[0].render("zh")
