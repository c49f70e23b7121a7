"""The 差距清单 workbook the dashboard downloads: gap_list_xlsx."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

import vetservice as vs
from vetservice.reports.build import build_report
from vetservice.reports.model import Gap
from vetservice.reports.xlsx import gap_list_xlsx
from vetservice.testing import CITY, SMALL_HIERARCHY, load_records

STATIONS = """\
unit_code,established_on,dedicated_space,has_organization,has_posts,has_staff,has_funding,has_support,model
610600000000,2019-06-01,是,是,是,是,是,是,
610602000000,2019-06-01,是,是,是,是,是,是,national
610602100000,2021-05-05,否,是,是,是,是,是,
"""


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def test_the_report_gaps_in_chinese(sqlite_url: str):
    with vs.open(sqlite_url) as db:
        load_records(db, {"units": SMALL_HIERARCHY, "stations": STATIONS})
        report = build_report(
            db.evaluate(CITY, "2026Q3", as_of=dt.date(2026, 11, 28)), "zh"
        )
    assert report.gaps
    wb = _open(gap_list_xlsx(report.gaps, "zh", title="延安市差距清单"))
    ws = wb.active
    assert ws.title == "差距清单"
    assert ws["A1"].value == "延安市差距清单"
    assert [c.value for c in ws[2]] == [
        "序号",
        "单位代码",
        "单位名称",
        "指标",
        "差距情况",
        "考核要求",
    ]
    rows = _rows(ws)
    assert len(rows) == len(report.gaps)
    for number, (row, gap) in enumerate(zip(rows, report.gaps, strict=True), 1):
        assert row == [
            number,
            gap.unit,
            gap.unit_name,
            gap.indicator_name,
            gap.reason,
            gap.rule,
        ]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:F{2 + len(report.gaps)}"
    assert ws.page_setup.orientation == "landscape"


def test_english_headers_and_the_default_title():
    gaps = [Gap("610602100001", "李渠村", "env.x", "Station built", "none", "rule")]
    ws = _open(gap_list_xlsx(gaps, "en")).active
    assert ws["A1"].value == "Gap list"
    assert ws["B2"].value == "unit code"
    assert _rows(ws) == [[1, "610602100001", "李渠村", "Station built", "none", "rule"]]


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "@SUM(A1)", "-2"])
def test_record_texts_stay_text(text: str):
    gap = Gap("610602100001", text, "env.x", "指标", text, "规则")
    ws = _open(gap_list_xlsx([gap], "zh")).active
    for cell in (ws["C3"], ws["E3"]):
        assert cell.data_type == "s"
        assert cell.value == text


def test_an_empty_list_says_none():
    ws = _open(gap_list_xlsx([], "zh")).active
    assert ws["A3"].value == "无"
