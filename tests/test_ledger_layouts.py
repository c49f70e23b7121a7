"""Ledgers as clerks really keep them import exactly the rows a clean file does.

Each layout of ``tests/ledger_layouts.py`` (a title, a 填报单位 row, a 序号
column, a two-row merged header, merged cells in the data, a 合计 row, a
footer, one sheet per 社区, an instructions sheet, an empty sheet, .xls) is
imported into one database and the clean CSV of the same records into
another; every table must then hold the same rows. What cannot be read is
refused naming the file, sheet, row and column, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from ledger_layouts import (
    Grid,
    Ledger,
    Options,
    clean_csv,
    layout,
    write_csv,
    write_xls,
    write_xlsx,
)

import vetservice as vs
from vetservice.imports.readers import workbook
from vetservice.store import TABLES
from vetservice.testing import AS_OF, SMALL_HIERARCHY, id_number, load_records
from vetservice_cli.main import cli

YJL, LQ, QLC = "610602001001", "610602100001", "610621001001"  # three 社区/村


def _veteran(n: int, village: str, male: bool = True) -> list[Any]:
    number = id_number("612601", f"19{60 + n:02d}0312", n, male=male)
    return [
        number,
        f"老兵{n}",
        "男" if male else "女",
        village,
        dt.date(1990 + n, 6, 1),
        "是" if n % 2 else "否",
    ]


VETERANS = Ledger(
    ["身份证号", "姓名", "性别", "现居村社区代码", "退役日期", "党员"],
    [
        _veteran(1, YJL),
        _veteran(2, YJL, male=False),
        _veteran(3, YJL),
        _veteran(4, LQ),
        _veteran(5, LQ),
        _veteran(6, QLC, male=False),
    ],
    merge_column="现居村社区代码",
)
STATIONS = Ledger(
    ["区划代码", "建成日期", "独立场所", "编制数"],
    [
        ["610602000000", dt.date(2019, 5, 1), "是", 5],
        ["610602001000", dt.date(2020, 3, 2), "否", 2],
        ["610602001001", dt.date(2021, 7, 1), "是", 0],
        ["610602100000", dt.date(2020, 9, 9), "是", 3],
        ["610602100001", dt.date(2022, 1, 4), "否", 1],
    ],
    group="建设情况",
)
VISITS = Ledger(
    ["身份证号", "走访日期", "走访事由", "备注"],
    [
        [VETERANS.rows[0][0], dt.date(2026, 1, 20), "重大节日", "送米面油"],
        [VETERANS.rows[1][0], dt.date(2026, 1, 20), "重大节日", "送米面油"],
        [VETERANS.rows[3][0], dt.date(2026, 3, 2), "生病住院", None],
        [VETERANS.rows[5][0], dt.date(2026, 8, 1), "日常联系", "建军节"],
    ],
    group="走访情况",
    merge_column="走访日期",
)
LEDGERS = {"veterans": VETERANS, "stations": STATIONS, "visits": VISITS}
BASE = {"units": SMALL_HIERARCHY}


def by_village(ledger: Ledger) -> dict[str, Ledger]:
    """One sheet per 社区: the veterans split by the village they live in."""
    column = ledger.headers.index("现居村社区代码")
    sheets: dict[str, Ledger] = {}
    for row in ledger.rows:
        name = {YJL: "杨家岭社区", LQ: "李渠村", QLC: "七里村社区"}[row[column]]
        part = sheets.setdefault(
            name, Ledger(ledger.headers, [], merge_column=ledger.merge_column)
        )
        part.rows.append(row)
    return sheets


def halves(ledger: Ledger) -> dict[str, Ledger]:
    middle = len(ledger.rows) // 2
    return {
        "第一批": Ledger(
            ledger.headers, ledger.rows[:middle], ledger.group, ledger.merge_column
        ),
        "第二批": Ledger(
            ledger.headers, ledger.rows[middle:], ledger.group, ledger.merge_column
        ),
    }


# ---------------------------------------------------------------------------
# Databases to compare.


def fresh(folder: Path, name: str, kinds: tuple[str, ...] = ()) -> vs.Database:
    """A database with the units and, before ``kinds``, the clean ledgers they need."""
    db = vs.open(f"sqlite:///{(folder / f'{name}.db').as_posix()}", actor="tester")
    load_records(db, BASE)
    if "visits" in kinds:
        db.import_file(
            "veterans",
            clean_csv(folder / f"{name}-veterans.csv", VETERANS),
            today=AS_OF,
        )
    return db


def records(db: vs.Database, kind: str) -> list[tuple[Any, ...]]:
    """A kind's rows, every column but the surrogate id, sorted."""
    table = TABLES[kind]
    columns = [c for c in table.columns if c.name != "id"]
    with db.engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(sa.select(*columns))), key=repr)


def clean(tmp_path: Path, kind: str) -> list[tuple[Any, ...]]:
    db = fresh(tmp_path, f"clean-{kind}", (kind,))
    db.import_file(
        kind, clean_csv(tmp_path / f"clean-{kind}.csv", LEDGERS[kind]), today=AS_OF
    )
    rows = records(db, kind)
    db.close()
    assert len(rows) == len(LEDGERS[kind].rows)
    return rows


def imported(
    tmp_path: Path, kind: str, path: Path, **kw: Any
) -> tuple[list[Any], vs.ImportResult]:
    db = fresh(tmp_path, f"layout-{path.stem}-{kind}", (kind,))
    result = db.import_file(kind, path, today=AS_OF, **kw)
    rows = records(db, kind)
    db.close()
    return rows, result


def notes_of(result: vs.ImportResult) -> str:
    return "\n".join(n.render("zh") for f in result.files for n in f.notes)


# ---------------------------------------------------------------------------
# Each layout alone, then all of them, for three kinds.

LAYOUTS = {
    "title and 填报单位 rows": Options(title=True, unit_row=True),
    "序号 column": Options(sequence=True),
    "two-row merged header": Options(sequence=True, two_rows=True),
    "merged cells in the data": Options(merged_data=True),
    "合计 row": Options(sequence=True, total=True),
    "填表人/审核人 footer": Options(footer=True),
    "line breaks in headers": Options(line_breaks=True),
    "everything at once": Options.everything(),
}


@pytest.fixture(params=["calamine", "openpyxl"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Small XLSX workbooks are read with calamine, large ones streamed with
    openpyxl (merges from the sheet's XML): both ways give the same rows."""
    if request.param == "openpyxl":
        monkeypatch.setattr(workbook, "CALAMINE_MAX_XML", -1)
    return str(request.param)


@pytest.mark.parametrize("kind", list(LEDGERS))
@pytest.mark.parametrize("name", list(LAYOUTS))
def test_a_layout_imports_what_the_clean_file_does(
    tmp_path: Path, kind: str, name: str, reader: str
):
    ledger = LEDGERS[kind]
    path = write_xlsx(
        tmp_path / f"{kind}.xlsx", {"台账": layout(ledger, LAYOUTS[name])}
    )
    rows, result = imported(tmp_path, kind, path)
    assert rows == clean(tmp_path, kind)
    assert result.files[0].added == len(ledger.rows)


def test_the_notes_say_what_was_skipped(tmp_path: Path):
    grid = layout(VETERANS, Options.everything())
    path = write_xlsx(tmp_path / "veterans.xlsx", {"杨家岭社区": grid})
    _, result = imported(tmp_path, "veterans", path)
    notes = notes_of(result)
    # Rows: 1 title, 2 填报单位, 3–4 header, 5–10 data, 11 合计, 12 blank, 13–14 footer.
    assert "工作表「杨家岭社区」：第 3–4 行为两行表头，已合并为一行" in notes
    assert "第 4 行为表头，第 1–2 行为标题，已跳过" in notes
    assert "A 列（序号）为序号，已忽略" in notes
    assert "第 11 行为合计行，已跳过" in notes
    assert "第 13–14 行为表尾（填表人、审核人等），已跳过" in notes
    # 杨家岭 ×3 and 李渠 ×2 merged down the 现居村社区代码 column.
    assert "数据区的 2 处合并单元格已按其左上角的值填充" in notes


def test_every_sheet_is_read_one_per_community(tmp_path: Path, reader: str):
    sheets = {
        name: layout(part, Options.everything())
        for name, part in by_village(VETERANS).items()
    }
    sheets = {
        "填表说明": Grid([["请按身份证上的信息填写"], ["日期写成 2026-11-28"]]),
        **sheets,
    }
    sheets["空白"] = Grid([])
    path = write_xlsx(tmp_path / "veterans.xlsx", sheets)
    rows, result = imported(tmp_path, "veterans", path)
    assert rows == clean(tmp_path, "veterans")
    report = result.files[0]
    assert (report.added, report.rows) == (6, 6)
    assert report.sheets == ["杨家岭社区", "李渠村", "七里村社区"]
    notes = notes_of(result)
    assert "工作表「填表说明」为填表说明，已跳过" in notes
    assert "工作表「空白」是空的，已跳过" in notes


def _with_bad_id_on_first_row(ledger: Ledger) -> Ledger:
    rows = [list(r) for r in ledger.rows]
    rows[0][0] = rows[0][0][:-1] + ("1" if rows[0][0][-1] != "1" else "2")
    return Ledger(ledger.headers, rows, ledger.group, ledger.merge_column)


def test_a_bad_row_on_one_sheet_hides_no_other_sheet(tmp_path: Path):
    # 杨家岭社区 and 李渠村 each begin with a wrong check digit; every sheet
    # is still read: both rows are named, and with --skip-bad-rows the other
    # four veterans of all three sheets go in (not only the first sheet's).
    parts = by_village(VETERANS)
    sheets = {
        name: layout(
            _with_bad_id_on_first_row(part) if name != "七里村社区" else part,
            Options.everything(),
        )
        for name, part in parts.items()
    }
    path = write_xlsx(tmp_path / "veterans.xlsx", sheets)
    db = fresh(tmp_path, "bad-rows")
    with pytest.raises(vs.ImportRejected) as refused:
        db.import_file("veterans", path, today=AS_OF)
    assert sorted(p.sheet for p in refused.value.problems) == ["李渠村", "杨家岭社区"]
    assert records(db, "veterans") == []
    result = db.import_file("veterans", path, today=AS_OF, skip_bad_rows=True)
    assert (result.files[0].added, result.files[0].skipped) == (4, 2)
    assert result.files[0].sheets == ["杨家岭社区", "李渠村", "七里村社区"]


def test_hidden_sheets_of_lists_are_skipped_and_hidden_records_read(tmp_path: Path):
    parts = by_village(VETERANS)
    sheets = {name: layout(part, Options(title=True)) for name, part in parts.items()}
    sheets["下拉选项"] = Grid([["男"], ["女"], ["是"], ["否"]])
    path = write_xlsx(
        tmp_path / "veterans.xlsx", sheets, hidden=("下拉选项", "七里村社区")
    )
    rows, result = imported(tmp_path, "veterans", path)
    assert rows == clean(tmp_path, "veterans")
    assert "工作表「下拉选项」是隐藏的，且不是这种台账，已跳过" in notes_of(result)


def test_a_wps_et_workbook_is_read(tmp_path: Path):
    # An .xls renamed: WPS .et files are compound documents like .xls, read by
    # calamine the same way (a real .et from WPS was not at hand).
    grid = layout(STATIONS, Options.everything())
    path = write_xls(tmp_path / "stations.xls", {"站点": grid}).rename(
        tmp_path / "stations.et"
    )
    rows, _ = imported(tmp_path, "stations", path)
    assert rows == clean(tmp_path, "stations")


def test_a_mix_of_layouts_in_one_workbook(tmp_path: Path):
    parts = list(by_village(VETERANS).items())
    options = [
        Options(title=True, sequence=True),
        Options.everything(),
        Options(footer=True, line_breaks=True),
    ]
    sheets = {
        name: layout(part, opts)
        for (name, part), opts in zip(parts, options, strict=True)
    }
    path = write_xlsx(tmp_path / "veterans.xlsx", sheets)
    rows, _ = imported(tmp_path, "veterans", path)
    assert rows == clean(tmp_path, "veterans")


@pytest.mark.parametrize("kind", list(LEDGERS))
def test_xls_workbooks_are_read(tmp_path: Path, kind: str):
    sheets = {
        name: layout(part, Options.everything())
        for name, part in halves(LEDGERS[kind]).items()
    }
    path = write_xls(tmp_path / f"{kind}.xls", sheets)
    rows, result = imported(tmp_path, kind, path)
    assert rows == clean(tmp_path, kind)
    assert result.files[0].sheets == ["第一批", "第二批"]


@pytest.mark.parametrize("kind", list(LEDGERS))
def test_csv_with_title_sequence_total_and_footer(tmp_path: Path, kind: str):
    options = Options(
        title=True,
        unit_row=True,
        sequence=True,
        total=True,
        footer=True,
        line_breaks=True,
    )
    path = write_csv(tmp_path / f"{kind}.csv", layout(LEDGERS[kind], options))
    rows, _ = imported(tmp_path, kind, path)
    assert rows == clean(tmp_path, kind)


def test_csv_of_a_two_row_header(tmp_path: Path):
    # Excel writes a merged cell's value in its first cell: 身份证号 stands in
    # the group row, and the field row is empty below it.
    path = write_csv(
        tmp_path / "veterans.csv",
        layout(VETERANS, Options(sequence=True, two_rows=True)),
    )
    rows, _ = imported(tmp_path, "veterans", path)
    assert rows == clean(tmp_path, "veterans")


# ---------------------------------------------------------------------------
# Refused, naming file, sheet, row and column; nothing written.


def rejected(tmp_path: Path, kind: str, path: Path) -> list[str]:
    db = fresh(tmp_path, f"rejected-{path.stem}", (kind,))
    before = records(db, kind)
    with pytest.raises(vs.ImportRejected) as caught:
        db.import_file(kind, path, today=AS_OF)
    assert records(db, kind) == before
    db.close()
    return [p.render("zh") for p in caught.value.problems]


def test_a_sheet_of_another_kind_is_an_error_naming_it(tmp_path: Path):
    summary = Grid([["乡镇", "人数"], ["宝塔山街道", 3], ["李渠镇", 2]])
    sheets = {"杨家岭社区": layout(VETERANS, Options(title=True)), "统计": summary}
    messages = rejected(
        tmp_path, "veterans", write_xlsx(tmp_path / "veterans.xlsx", sheets)
    )
    assert len(messages) == 1
    assert messages[0].startswith(
        "veterans.xlsx 工作表「统计」第 1 行：工作表「统计」的表头与台账种类“退役军人”不符："
        "没有一列（乡镇、人数）属于这种台账"
    )
    # A sheet of stations shares 区划代码 with veterans: its other columns are named.
    sheets = {
        "杨家岭社区": layout(VETERANS, Options(title=True)),
        "站点": layout(STATIONS, Options()),
    }
    messages = rejected(
        tmp_path, "veterans", write_xlsx(tmp_path / "mixed.xlsx", sheets)
    )
    assert messages and all(
        m.startswith("mixed.xlsx 工作表「站点」第 1 行：") for m in messages
    )
    assert "无法识别的列：建成日期、独立场所、编制数" in messages[0]


def test_a_bad_cell_on_the_third_sheet_names_sheet_row_and_column(tmp_path: Path):
    parts = by_village(VETERANS)
    broken = parts["七里村社区"].rows[0].copy()
    broken[4] = "2026-13-01"
    parts["七里村社区"] = Ledger(VETERANS.headers, [broken])
    sheets = {
        name: layout(part, Options(title=True, unit_row=True, sequence=True))
        for name, part in parts.items()
    }
    messages = rejected(
        tmp_path, "veterans", write_xlsx(tmp_path / "veterans.xlsx", sheets)
    )
    # Title, 填报单位, header: the first record is on row 4; 退役日期 is column F.
    assert messages == [
        "veterans.xlsx 工作表「七里村社区」第 4 行“退役日期”列：“2026-13-01”不是真实存在的日期"
    ]


@pytest.mark.usefixtures("reader")
def test_an_excel_error_in_a_workbook_is_named_not_read_as_empty(tmp_path: Path):
    grid = layout(VISITS, Options(title=True, sequence=True))
    grid.cells[3][3] = "#N/A"  # a VLOOKUP for 走访事由 that found nothing
    path = tmp_path / "visits.xlsx"
    write_xlsx(path, {"一季度": grid})
    messages = rejected(tmp_path, "visits", path)
    assert len(messages) == 1
    assert messages[0].startswith("visits.xlsx 工作表「一季度」第 4 行“走访事由”列：")
    assert "#N/A" in messages[0]


def test_units_one_sheet_per_township_parents_on_another_sheet(tmp_path: Path):
    header = ["区划代码", "名称", "层级", "上级代码"]
    county = [["610602000000", "宝塔区", "county", "610600000000"]]
    # The villages come first, their townships on the next sheet.
    villages = [
        ["610602001001", "杨家岭社区", "village", "610602001000"],
        ["610602100001", "李渠村", "village", "610602100000"],
    ]
    townships = [
        ["610602001000", "宝塔山街道", "township", "610602000000"],
        ["610602100000", "李渠镇", "township", "610602000000"],
    ]
    city = [["610600000000", "延安市", "city", None]]
    sheets = {
        "村社区": layout(Ledger(header, villages), Options(title=True, sequence=True)),
        "乡镇": layout(Ledger(header, townships), Options(sequence=True, footer=True)),
        "市县": Grid([header, *city, *county]),
    }
    db = vs.open(f"sqlite:///{(tmp_path / 'units.db').as_posix()}")
    db.import_file("units", write_xlsx(tmp_path / "units.xlsx", sheets), today=AS_OF)
    assert db.count("units") == 6
    # A village whose township is missing: the rule found after writing names the sheet.
    villages.append(["610602100002", "新村", "village", "610602100099"])
    sheets["村社区"] = layout(
        Ledger(header, villages), Options(title=True, sequence=True)
    )
    with pytest.raises(vs.ImportRejected) as caught:
        db.import_file("units", write_xlsx(tmp_path / "more.xlsx", sheets), today=AS_OF)
    assert [p.render("zh") for p in caught.value.problems] == [
        "more.xlsx 工作表「村社区」第 5 行“上级代码”列：没有区划代码为 610602100099 的单位"
    ]
    assert db.count("units") == 6
    db.close()


def test_a_header_merged_across_two_columns(tmp_path: Path):
    # 备注 given two columns' width: its header merged across D:E, and so
    # are some rows' notes; others are typed in D alone.
    grid = layout(VISITS, Options())
    for row in grid.cells:
        row.append(None)
    merges = [(0, 3, 0, 4), (1, 3, 1, 4), (4, 3, 4, 4)]
    path = write_xlsx(tmp_path / "visits.xlsx", {"走访": Grid(grid.cells, merges)})
    rows, _ = imported(tmp_path, "visits", path)
    assert rows == clean(tmp_path, "visits")
    grid.cells[2][4] = "另一条备注"  # typed under the merged header, not merged
    messages = rejected(
        tmp_path,
        "visits",
        write_xlsx(tmp_path / "two.xlsx", {"走访": Grid(grid.cells, merges)}),
    )
    assert messages == [
        "two.xlsx 工作表「走访」第 3 行：E 列有内容但没有表头，请给这一列补上表头或清空它"
    ]


def test_a_person_on_two_sheets_names_both(tmp_path: Path):
    parts = by_village(VETERANS)
    moved = parts["杨家岭社区"].rows[1].copy()
    moved[3] = QLC  # also listed by 七里村社区
    parts["七里村社区"] = Ledger(VETERANS.headers, [*parts["七里村社区"].rows, moved])
    sheets = {name: layout(part, Options(title=True)) for name, part in parts.items()}
    messages = rejected(
        tmp_path, "veterans", write_xlsx(tmp_path / "veterans.xlsx", sheets)
    )
    assert messages == [
        "veterans.xlsx 工作表「七里村社区」第 4 行：身份证号与 veterans.xlsx 工作表「杨家岭社区」 第 4 行重复"
    ]


def test_data_below_the_footer_is_refused_not_dropped(tmp_path: Path):
    grid = layout(VETERANS, Options(footer=True))
    grid.cells.append(_veteran(7, YJL))
    messages = rejected(
        tmp_path, "veterans", write_xlsx(tmp_path / "veterans.xlsx", {"Sheet1": grid})
    )
    assert messages == [
        "veterans.xlsx 工作表「Sheet1」第 11 行：第 11 行在表尾（第 9 行的填表人、审核人等）之下还有数据，请把它移到表尾之上"
    ]


def test_a_value_under_no_header_is_refused(tmp_path: Path):
    grid = Grid(
        [
            ["区划代码", "建成日期", None, "独立场所"],
            ["610602000000", "2019-05-01", None, "是"],
            ["610602001000", "2020-03-02", "旧址已拆", "否"],
        ]
    )
    messages = rejected(
        tmp_path, "stations", write_xlsx(tmp_path / "stations.xlsx", {"Sheet1": grid})
    )
    assert messages == [
        "stations.xlsx 工作表「Sheet1」第 3 行：C 列有内容但没有表头，请给这一列补上表头或清空它"
    ]


# ---------------------------------------------------------------------------
# --sheet and --dry-run through the command line.


@pytest.fixture
def url(tmp_path: Path) -> str:
    address = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    db = vs.open(address)
    load_records(db, BASE)
    db.close()
    return address


def run(url: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)


def test_sheet_option_reads_one_sheet(tmp_path: Path, url: str):
    sheets = {
        name: layout(part, Options(title=True))
        for name, part in by_village(VETERANS).items()
    }
    path = write_xlsx(tmp_path / "veterans.xlsx", sheets)
    result = run(
        url,
        "import",
        "--today",
        AS_OF.isoformat(),
        "--sheet",
        "李渠村",
        "veterans",
        str(path),
    )
    assert result.exit_code == 0, result.stderr
    assert "新增 2 条" in result.stdout
    missing = run(url, "import", "--sheet", "王家坪", "veterans", str(path))
    assert missing.exit_code == 2
    assert (
        "工作簿中没有名为「王家坪」的工作表；它的工作表有：杨家岭社区、李渠村、七里村社区"
        in missing.stderr
    )


def test_dry_run_counts_and_writes_nothing(tmp_path: Path, url: str):
    parts = by_village(VETERANS)
    first = write_xlsx(
        tmp_path / "first.xlsx", {"杨家岭社区": layout(parts["杨家岭社区"], Options())}
    )
    assert (
        run(
            url, "import", "--today", AS_OF.isoformat(), "veterans", str(first)
        ).exit_code
        == 0
    )
    changed = [row.copy() for row in VETERANS.rows]
    changed[0][5] = "否" if changed[0][5] == "是" else "是"  # one 党员 corrected
    everyone = write_xlsx(
        tmp_path / "everyone.xlsx",
        {"全部": layout(Ledger(VETERANS.headers, changed), Options.everything())},
    )
    engine = sa.create_engine(url)

    def state() -> tuple[Any, ...]:
        with engine.connect() as conn:
            veterans = conn.execute(sa.select(TABLES["veterans"])).all()
            audit = conn.execute(sa.text("select count(*) from audit_log")).scalar()
        return tuple(veterans), audit

    before = state()
    result = run(
        url,
        "import",
        "--today",
        AS_OF.isoformat(),
        "--dry-run",
        "veterans",
        str(everyone),
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "everyone.xlsx（试导入，未写入）：将新增 3 条，更新 1 条，未变 2 条；有问题 0 行"
        in result.stdout
    )
    assert "第 11 行为合计行，已跳过" in result.stdout
    assert state() == before
    engine.dispose()
