"""The XLSX workbook, opened with openpyxl and checked against the JSON report.

Data on SMALL_HIERARCHY, period 2026Q3 (S = 2026-07-01, E = 2026-09-30):
stations SMALL_STATIONS, so 服务站建成率 at the
city is 7 of 10 (杨家岭社区 built the day after E, 黑家堡镇 and 黑家堡村
never), and care-fund donations of which only 5000.50 (宝塔区, on S) fall in
the period.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import openpyxl
import pytest
from fixtures import CARE_FUND_ENTRIES, CARE_FUNDS
from openpyxl.worksheet.worksheet import Worksheet

import vetservice as vs
from vetservice.i18n import Bilingual
from vetservice.indicators import GroupFigure
from vetservice.indicators.grades import Grade
from vetservice.indicators.registry import collect_indicators
from vetservice.reports.build import build_report
from vetservice.reports.full import FullReport
from vetservice.reports.json_report import report_dict
from vetservice.reports.model import GRADE_FILLS, Gap
from vetservice.reports.watch import WatchItem
from vetservice.reports.xlsx import to_xlsx
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    HJB,
    HJBC,
    SMALL_HIERARCHY,
    SMALL_STATIONS,
    YANCHANG,
    YJL,
    load_records,
    make_plugins,
)

HJB_TOWN, HJB_VILLAGE = HJB, HJBC
AREAS = ["阵地建设", "队伍建设", "经常性工作", "服务保障", "信访工作"]


@pytest.fixture
def db(sqlite_url: str) -> Iterator[vs.Database]:
    database = vs.open(sqlite_url, actor="tester")
    load_records(
        database,
        {
            "units": SMALL_HIERARCHY,
            "stations": SMALL_STATIONS,
            "care_funds": CARE_FUNDS,
            "care_fund_entries": CARE_FUND_ENTRIES,
        },
    )
    yield database
    database.close()


@pytest.fixture
def ev(db: vs.Database):
    return db.evaluate(CITY, "2026Q3", as_of=AS_OF)


# The sheets name indicators as a leader reads them; ids stay in the JSON.
ID_OF = {
    indicator.name.zh: indicator_id
    for indicator_id, (_plugin, indicator) in collect_indicators(make_plugins()).items()
}


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def header_row(ws: Worksheet, label: str = "序号") -> int:
    """The first column-header row: the row whose first cell is ``label``."""
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == label:
            return row
    raise AssertionError(f"no header {label} in {ws.title}")


def columns(ws: Worksheet, row: int) -> dict[str, int]:
    """Header label → column, from the two header rows ``row`` and ``row + 1``."""
    found = {}
    for r in (row, row + 1):
        for col in range(1, ws.max_column + 1):
            value = ws.cell(r, col).value
            if isinstance(value, str):
                found.setdefault(value, col)
    return found


def same(cell: Any, expected: Any) -> bool:
    """A cell's number equals the JSON value (money is a string there)."""
    if isinstance(expected, str):
        return Decimal(str(cell)) == Decimal(expected)
    return cell == expected and type(cell) is not str


def test_sheets_and_official_header_rows(db: vs.Database, ev):
    book = workbook(db.render(ev, "xlsx"))
    assert book.sheetnames == [
        "总览",
        "附件1",
        "附件2",
        *AREAS,
        "排名",
        "差距清单",
    ]
    report = build_report(ev, "zh")
    for number, ws in enumerate(book.worksheets, 1):
        assert ws["A1"].value == report.title or ws["A1"].value.startswith(
            report.title + "——"
        ), ws.title
        assert any(
            str(r) == f"A1:{r.coord.split(':')[1]}" and r.max_col > 1 and r.max_row == 1
            for r in ws.merged_cells.ranges
        ), ws.title
        # The 统计报表's header rows; its footer under the table.
        assert [c.value for c in ws[2] if c.value] == [
            f"表号：退役军人服务保障统计{number}表",
            "制表机关：延安市退役军人事务局",
        ], ws.title
        assert [c.value for c in ws[3] if c.value] == [
            "填报单位：延安市",
            f"报告期：{report.period_name}",
        ]
        foot = [c.value for row in ws.iter_rows() for c in row if c.value]
        assert "报出日期：2026年11月28日" in foot, ws.title
        assert ws.freeze_panes is not None
        assert int("".join(filter(str.isdigit, ws.freeze_panes))) > 3
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["A"].width >= 6
    overview = book["总览"]
    texts = [c.value for row in overview.iter_rows() for c in row if c.value]
    assert "主要指标" in texts and "情况通报" in texts and "下级单位排名" in texts
    assert all(p in {str(t).strip() for t in texts} for p in report.briefing)
    assert "报告期尚未结束，以下为阶段性数据。" not in texts  # Q3 is over by 11-28


def test_area_sheets_equal_the_json_report(db: vs.Database, ev):
    book = workbook(db.render(ev, "xlsx"))
    data = report_dict(ev, "zh")
    children = {
        child["unit"]["name"]: {i["id"]: i for i in child["indicators"]}
        for child in data["children"]
    }
    assert list(children) == ["宝塔区", "延长县"]
    seen = []
    for area in AREAS:
        ws = book[area]
        top = header_row(ws)
        cols = columns(ws, top)
        this_period = next(
            r
            for r in ws.merged_cells.ranges
            if ws.cell(r.min_row, r.min_col).value == "本期"
        )
        assert (this_period.min_row, this_period.max_row) == (top, top)
        assert (this_period.min_col, this_period.max_col) == (
            cols["数值"],
            cols["状态"],
        )
        assert ws.freeze_panes == f"C{top + 2}"
        assert ws.auto_filter.ref.startswith(f"A{top + 1}:")
        group = next(
            r
            for r in ws.merged_cells.ranges
            if ws.cell(r.min_row, r.min_col).value == "下级单位"
        )
        assert [
            ws.cell(top + 1, c).value for c in range(group.min_col, group.max_col + 1)
        ] == [
            "宝塔区",
            "延长县",
        ]
        row = top + 2
        while ws.cell(row, cols["指标"]).value in ID_OF:
            indicator = next(
                i
                for i in data["indicators"]
                if i["id"] == ID_OF[ws.cell(row, cols["指标"]).value]
            )
            seen.append(indicator["id"])
            value = ws.cell(row, cols["数值"])
            assert ws.cell(row, cols["指标"]).value == indicator["name"]
            if indicator["value"] is None:
                assert value.value == "无数据"
            else:
                assert same(value.value, indicator["value"]), indicator["id"]
                assert (
                    value.number_format
                    == {
                        "compliance": "0.0%",
                        "ratio": "0.0%",
                        "count": "#,##0",
                        "money": "#,##0.00",
                    }[indicator["kind"]]
                )
            cell = ws.cell(row, cols["状态"])
            assert cell.value in {g.display("zh") for g in Grade}
            assert cell.fill.fgColor.rgb[2:] in GRADE_FILLS.values()
            if indicator["kind"] in ("compliance", "ratio"):
                assert ws.cell(row, cols["分子"]).value == indicator["numerator"]
                assert ws.cell(row, cols["分母"]).value == indicator["denominator"]
            for name, col in zip(
                children, range(group.min_col, group.max_col + 1), strict=True
            ):
                expected = children[name][indicator["id"]]["value"]
                got = ws.cell(row, col).value
                assert got == "无数据" if expected is None else same(got, expected), (
                    indicator["id"],
                    name,
                )
            row += 1
        assert ws.auto_filter.ref.endswith(str(row - 1))
    assert sorted(seen) == sorted(i["id"] for i in data["indicators"])
    # Worked out from the records: 7 of the 10 applicable units have a station
    # by E; 5000.50 of donations fall in the period.
    ws = book["阵地建设"]
    cols = columns(ws, header_row(ws))
    row = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, cols["指标"]).value == "服务站（中心）建成率"
    )
    assert (ws.cell(row, cols["分子"]).value, ws.cell(row, cols["分母"]).value) == (
        7,
        10,
    )
    assert ws.cell(row, cols["数值"]).value == 0.7
    ws = book["服务保障"]
    cols = columns(ws, header_row(ws))
    row = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, cols["指标"]).value == "关爱基金募集额"
    )
    assert Decimal(str(ws.cell(row, cols["数值"]).value)) == Decimal("5000.50")


def test_gap_list_and_ranking(db: vs.Database, ev):
    # The full report knows each unit's 县区 and 乡镇: one gap sheet per county.
    full = db.report(CITY, "2026Q3", as_of=AS_OF)
    book = workbook(db.render(full, "xlsx"))
    data = report_dict(ev, "zh")
    rows = []
    sheets = [n for n in book.sheetnames if n.startswith("差距清单")]
    # Gaps of the city's own units (not in a county) are on a sheet of their own.
    assert sheets[:2] == ["差距清单-宝塔区", "差距清单-延长县"]
    # 2026Q3 is over on 11-28: each sheet says how its gaps stand that day
    # (杨家岭社区's station, built 10-01, is fixed; the others are still open).
    fixed = {"差距清单-宝塔区": ["整改情况"], "差距清单-延长县": ["整改情况"]}
    for name in sheets[:2]:
        ws = book[name]
        top = header_row(ws)
        assert [c.value for c in ws[top]] == [
            "序号",
            "县区",
            "乡镇（街道）",
            "村（社区）",
            "指标",
            "差距情况",
            "考核要求",
            *fixed[name],
        ]
        found = [[c.value for c in row] for row in ws.iter_rows(min_row=top + 1)]
        found = [r for r in found if isinstance(r[0], int)]  # not the footer
        assert [r[0] for r in found] == list(range(1, len(found) + 1))
        assert {r[1] for r in found} == {name.split("-")[1]}
        rows += found
    shortfalls = [
        (s["name"], i["name"], s["reason"])
        for i in data["indicators"]
        for s in i.get("shortfalls", [])
    ]
    for name in sheets[2:]:
        ws = book[name]
        top = header_row(ws)
        rows += [
            [c.value for c in row]
            for row in ws.iter_rows(min_row=top + 1)
            if isinstance(row[0].value, int)
        ]
    assert len(rows) == len(shortfalls) > 0
    assert sorted(
        (r[1:4][len([x for x in r[1:4] if x]) - 1], r[4], r[5]) for r in rows
    ) == sorted(shortfalls)
    # 杨家岭社区 in 宝塔区's 宝塔山街道; 黑家堡镇 and its 村 in 延长县 have no station.
    # The villages lie below the report's list (down to the townships): the
    # XLSX reads them too, marked fixed or not without what they miss.
    station = {
        (*r[1:4], r[7] if len(r) > 7 else None)
        for r in rows
        if r[4] == "服务站（中心）建成率"
    }
    assert station == {
        ("宝塔区", "宝塔山街道", "杨家岭社区", "已整改（截至 2026-11-28 已达标）"),
        ("延长县", "黑家堡镇", None, "截至 2026-11-28 仍未整改（未建成服务站）"),
        ("延长县", "黑家堡镇", "黑家堡村", "截至 2026-11-28 仍未整改"),
    }

    ws = book["排名"]
    top = header_row(ws, "名次")
    ranked = [[c.value for c in row] for row in ws.iter_rows(min_row=top + 1)]
    ranked = [r for r in ranked if isinstance(r[0], int)]  # not the footer
    assert sorted(r[1] for r in ranked) == [BAOTA, YANCHANG]
    report = build_report(ev, "zh")
    for line, expected in zip(ranked, report.ranking, strict=True):
        assert line[:5] == [
            expected.rank,
            expected.unit.code,
            expected.unit.name,
            expected.met,
            expected.assessed,
        ]
        assert line[5] == expected.share
        assert ws.cell(top + 1, 6).number_format == "0.0%"


def test_comparisons_breakdown_watch_list_and_scoring(db: vs.Database, ev):
    def figures(other):
        return {i: r.figures for i, r in other.results.items()}

    previous = db.evaluate(CITY, "2026Q2", as_of=AS_OF)
    last_year = db.evaluate(CITY, "2025Q3", as_of=AS_OF)
    year = db.evaluate(CITY, "2026", as_of=dt.date(2026, 9, 30))
    scoring = db.score("village_annual", CITY, "2026Q3", as_of=AS_OF)
    full = FullReport(
        ev,
        previous=figures(previous),
        last_year=figures(last_year),
        year_to_date=figures(year),
        breakdown={
            "env.station_established": [
                GroupFigure("county centres", 2, 2, 1.0),
                GroupFigure("villages", 1, 4, 0.25),
            ]
        },
        watch_list=[
            WatchItem(
                "P2",
                YJL,
                "杨家岭社区",
                dt.date(2026, 9, 15),
                "handling",
                dt.date(2026, 11, 30),
                2,
                (Bilingual("春节", "Spring Festival"),),
            ),
            WatchItem(
                "P9",
                YJL,
                "杨家岭社区",
                dt.date(2026, 8, 1),
                "decision",
                dt.date(2026, 8, 16),
                -104,
            ),
        ],
        scorings=[scoring],
    )
    book = workbook(db.render(full, "xlsx"))
    assert book.sheetnames == [
        "总览",
        "附件1",
        "附件2",
        *AREAS,
        "排名",
        "差距清单",
        "分类统计",
        "考核排名",
        "信访关注清单",
    ]
    ws = book["阵地建设"]
    top = header_row(ws)
    groups = {
        ws.cell(top, c).value: c
        for c in range(1, ws.max_column + 1)
        if ws.cell(top, c).value in ("本期", "环比", "同比", "累计", "下级单位")
    }
    assert list(groups) == ["本期", "环比", "同比", "累计", "下级单位"]
    p_value, y_value = groups["环比"], groups["同比"]
    p_change, y_change = p_value + 1, y_value + 1
    assert [
        ws.cell(top + 1, c).value for c in (p_value, p_change, y_value, y_change)
    ] == [
        "上期",
        "增减",
        "去年同期",
        "增减",
    ]
    cols = columns(ws, top)
    for row in range(top + 2, ws.max_row + 1):
        if ws.cell(row, cols["指标"]).value not in ID_OF:
            continue  # the 统计报表's footer
        indicator = ID_OF[ws.cell(row, cols["指标"]).value]
        now = ev[indicator].figure.value
        for then, value_col, change_col in (
            (previous[indicator].figure.value, p_value, p_change),
            (last_year[indicator].figure.value, y_value, y_change),
        ):
            got = ws.cell(row, value_col).value
            assert got == "无数据" if then is None else got == then
            change = ws.cell(row, change_col).value
            if now is None or then is None:
                assert change == "—"
            else:
                # A ratio's change in percentage points (个百分点).
                assert change == pytest.approx((float(now) - float(then)) * 100)
        ytd = year[indicator].figure.value
        assert ws.cell(row, groups["累计"]).value == ("无数据" if ytd is None else ytd)
    # By 2026-06-30 宝塔山街道 (built 2026-09-30) had no station yet: 6 of 10.
    row = next(
        r
        for r in range(top + 2, ws.max_row + 1)
        if ws.cell(r, cols["指标"]).value == "服务站（中心）建成率"
    )
    assert ws.cell(row, p_value).value == 0.6
    assert ws.cell(row, p_change).value == pytest.approx(10.0)
    assert "个百分点" in ws.cell(row, p_change).number_format
    assert (
        ws.cell(row, p_change).number_format
        == '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'
    )

    ws = book["分类统计"]
    top = header_row(ws, "指标")
    assert [ws.cell(top + 1, c).value for c in range(2, 8)] == [
        "分子",
        "分母",
        "比率",
    ] * 2
    assert [ws.cell(top + 2, c).value for c in range(2, 8)] == [2, 2, 1.0, 1, 4, 0.25]

    ws = book["信访关注清单"]
    top = header_row(ws)
    lines = [[c.value for c in row] for row in ws.iter_rows(min_row=top + 1)]
    lines = [r for r in lines if isinstance(r[0], int)]  # not the footer
    assert [(r[1], r[2], r[7]) for r in lines] == [("P2", YJL, 2), ("P9", YJL, -104)]
    assert lines[0][6] == dt.datetime(2026, 11, 30)
    assert lines[0][8] == "春节"
    assert ws.cell(top + 1, 7).number_format == "yyyy-mm-dd"

    ws = book["考核排名"]
    top = header_row(ws, "名次")
    scored = [[c.value for c in row] for row in ws.iter_rows(min_row=top + 2)]
    scored = [r for r in scored if isinstance(r[0], int)]  # not the footer
    # Units by name, no codes (a plain evaluation has no paths: one column).
    assert [r[1] for r in scored] == [s.unit.name for s in scoring.scores]
    assert [Decimal(str(r[2])) for r in scored] == [s.total for s in scoring.scores]


def test_formula_like_text_stays_text(ev):
    report = build_report(ev, "zh")
    baota = attrs.evolve(report.children[0], name="=1+2")
    hostile = attrs.evolve(
        report,
        children=(baota, *report.children[1:]),
        gaps=(
            Gap(
                YJL,
                '=HYPERLINK("http://example.com","x")',
                "env.x",
                "@SUM(A1)",
                "+cmd|' /C calc'!A0",
                "-2+3",
            ),
            Gap(YJL, "\t=1", "env.x", "x", "\r=2", "rule"),
        ),
    )
    content = to_xlsx(hostile)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = workbook(content)
    ws = book["差距清单"]
    top = header_row(ws)
    first = [ws.cell(top + 1, c) for c in range(2, 6)]
    assert [c.value for c in first] == [
        '=HYPERLINK("http://example.com","x")',
        "@SUM(A1)",
        "+cmd|' /C calc'!A0",
        "-2+3",
    ]
    assert all(c.data_type == "s" and c.quotePrefix for c in first)
    second = [ws.cell(top + 2, c) for c in (2, 4)]
    assert [c.value for c in second] == ["\t=1", "\r=2"]
    assert all(c.data_type == "s" for c in second)
    ws = book["阵地建设"]
    top = header_row(ws)
    assert "=1+2" in [ws.cell(top + 1, c).value for c in range(1, ws.max_column + 1)]


def test_english(db: vs.Database, ev):
    book = workbook(db.render(ev, "xlsx", lang="en"))
    assert book.sheetnames == [
        "Overview",
        "Attachment 1",
        "Attachment 2",
        "Environment",
        "Staffing",
        "Activities",
        "Services",
        "Petitions",
        "Ranking",
        "Gap list",
    ]
    ws = book["Environment"]
    assert next(c.value for c in ws[3] if c.value) == "Reporting unit: 延安市"
    top = header_row(ws, "No.")
    cols = columns(ws, top)
    for label in (
        "indicator",
        "this period",
        "value",
        "target",
        "status",
        "Units one level down",
    ):
        assert label in cols
    assert ws.cell(top + 2, cols["status"]).value in {g.display("en") for g in Grade}
    sheet = book["Gap list"]
    assert [c.value for c in sheet[header_row(sheet, "No.")]][:4] == [
        "No.",
        "unit",
        "indicator",
        "what is missing",
    ]


def test_a_village_without_children_and_a_partial_period(db: vs.Database):
    ev = db.evaluate(YJL, "2026Q4", as_of=AS_OF)
    report = build_report(ev, "zh")
    assert report.partial and not report.children
    failure = "county.plugin · vetservice_register_indicators · x.y: boom"
    book = workbook(to_xlsx(attrs.evolve(report, failures=(failure,))))
    overview = book["总览"]
    texts = [c.value for row in overview.iter_rows() for c in row if c.value]
    assert "报告期尚未结束，以下为阶段性数据。" in texts
    assert texts[texts.index("插件故障") + 1] == failure
    assert any(report.period_name in str(c.value) for c in overview[3])
    assert book["排名"].cell(header_row(book["排名"], "名次") + 1, 1).value == "无"
    ws = book["阵地建设"]
    assert "下级单位" not in columns(ws, header_row(ws))
