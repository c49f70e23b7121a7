"""Gap lists cut at a depth: listed down to it, counted below it, and every
level in the XLSX (issue 15, item 4).

Worked by hand on SMALL_HIERARCHY and SMALL_STATIONS, ``env.five_haves`` in
2026Q3 (E = 09-30, as of 11-28). The stations established by E are 延安市,
宝塔区, 宝塔山街道, 李渠镇, 李渠村, 延长县, 七里村街道 and 七里村社区; two
fall short:

- 宝塔山街道 (a township: two levels below the city) lacks 有经费;
- 李渠村 (a village: three levels below the city) lacks 有人员.

So the city's report cut at 2 lists 宝塔山街道 and counts 李渠村 (1 at the
city and at 宝塔区, none at 延长县); cut at 1 it lists nothing and counts
both; 宝塔区's report (李渠村 is two levels below it) lists both.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import vetservice as vs
from vetservice.reports.attachments import gap_counts
from vetservice.reports.build import build_report
from vetservice.reports.full import LIST_DEPTH
from vetservice.testing import (
    AS_OF,
    BAOTA,
    BSJ,
    CITY,
    LQC,
    SMALL_HIERARCHY,
    SMALL_STATIONS,
    YANCHANG,
    load_records,
)
from vetservice_cli.main import cli

FIVE = "env.five_haves"


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    load_records(db, {"units": SMALL_HIERARCHY, "stations": SMALL_STATIONS})
    return db


def listed(report: vs.FullReport) -> list[str]:
    return [s.unit for s in report[FIVE].shortfalls]


def xlsx_gaps(data: bytes) -> list[tuple[str, ...]]:
    """The 差距清单 sheets' rows: the place names, what is missing and 整改情况."""
    rows = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        if not sheet.title.startswith("差距清单"):
            continue
        for row in sheet.iter_rows(values_only=True):
            if isinstance(row[0], int) and "五有" in str(row):
                rows.append(tuple(str(v or "") for v in row[1:]))
    return rows


def test_a_city_report_lists_two_levels_down_and_counts_the_rest(loaded):
    report = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    assert report.list_depth == LIST_DEPTH == 2
    assert listed(report) == [BSJ]
    assert report[FIVE].unlisted == {CITY: 1, BAOTA: 1}
    assert YANCHANG not in report[FIVE].unlisted
    # The figures do not depend on the cut.
    figure = report[FIVE].figure
    assert (figure.numerator, figure.denominator) == (6, 8)


def test_the_cut_is_chosen(loaded):
    one = loaded.report(CITY, "2026Q3", as_of=AS_OF, list_depth=1)
    assert listed(one) == []
    assert one[FIVE].unlisted == {CITY: 2, BAOTA: 2}
    every = loaded.report(CITY, "2026Q3", as_of=AS_OF, list_depth=None)
    assert listed(every) == [BSJ, LQC]
    assert every[FIVE].unlisted == {}
    assert every.deeper is None
    # A county's report reaches its villages at the default depth.
    county = loaded.report(BAOTA, "2026Q3", as_of=AS_OF)
    assert listed(county) == [BSJ, LQC]
    assert county[FIVE].unlisted == {}


def test_the_rest_is_read_as_a_stream_marked_at_the_as_of_date(loaded):
    report = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    assert report.deeper is not None
    deeper = [g for g in report.deeper() if g.result.indicator.id == FIVE]
    assert [(g.shortfall.unit, g.now) for g in deeper] == [(LQC, "short")]
    assert deeper[0].shortfall.reason.render("zh") == "缺少：有人员"
    # 李渠村 gets its 有人员 from 10-15: fixed by the as-of date (11-28).
    fixed = SMALL_STATIONS.splitlines()[0] + ",生效日期\n"
    fixed += f"{LQC},2020-01-01,,是,是,是,是,是,,2026-10-15\n"
    load_records(loaded, {"stations": fixed})
    again = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    assert again.deeper is not None
    marked = [
        (g.shortfall.unit, g.now)
        for g in again.deeper()
        if g.result.indicator.id == FIVE
    ]
    assert marked == [(LQC, "met")]


def test_every_format_agrees_on_the_cut(loaded):
    report = loaded.report(CITY, "2026Q3", as_of=AS_OF)
    every = loaded.report(CITY, "2026Q3", as_of=AS_OF, list_depth=None)
    # JSON: the listed gaps, the depth and the count of the rest.
    data = json.loads(loaded.render(report, "json"))
    entry = next(i for i in data["indicators"] if i["id"] == FIVE)
    assert [s["unit"] for s in entry["shortfalls"]] == [BSJ]
    assert entry["shortfalls_unlisted"] == 1
    assert data["gaps"]["list_depth"] == 2
    assert data["gaps"]["unlisted"] >= 1
    assert "shortfalls_unlisted" not in next(
        i
        for i in json.loads(loaded.render(every, "json"))["indicators"]
        if i["id"] == FIVE
    )
    # 附件2 counts every gap whatever the cut: 宝塔区 two, 延长县 none.
    model, full = build_report(report), build_report(every)
    assert gap_counts(model).table == gap_counts(full).table
    baota = next(r for r in gap_counts(model).table.rows if r[0] == "宝塔区")
    column = gap_counts(model).table.columns.index("“五有”达标率")
    assert baota[column] == "2"
    # The XLSX lists every level either way. 整改情况 of a gap below the cut
    # says whether it is fixed, not what it still misses.
    cut = xlsx_gaps(loaded.render(report, "xlsx"))
    whole = xlsx_gaps(loaded.render(every, "xlsx"))
    assert [row[:-1] for row in cut] == [row[:-1] for row in whole]
    assert [row[:5] for row in cut] == [
        ("宝塔区", "宝塔山街道", "", "“五有”达标率", "缺少：有经费"),
        ("宝塔区", "李渠镇", "李渠村", "“五有”达标率", "缺少：有人员"),
    ]
    assert cut[0][-1] == whole[0][-1] == "截至 2026-11-28 仍未整改（缺少：有经费）"
    assert cut[1][-1] == "截至 2026-11-28 仍未整改"
    assert whole[1][-1] == "截至 2026-11-28 仍未整改（缺少：有人员）"
    # The HTML says where the list stops.
    assert "更下级单位的" in loaded.render(report, "html")


def test_the_cli_takes_a_depth_or_all(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = vs.open(url, actor="tester")
    load_records(db, {"units": SMALL_HIERARCHY, "stations": SMALL_STATIONS})
    db.close()

    def report(*extra: str) -> dict:
        args = ["--db", url, "--as-of", AS_OF.isoformat(), "report"]
        args += ["--unit", CITY, "--period", "2026Q3"]
        result = CliRunner().invoke(
            cli, [*args, "--format", "json", "--out", str(tmp_path), *extra]
        )
        assert result.exit_code == 0, result.output
        (path,) = tmp_path.glob("*.json")
        found = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
        return found

    assert report()["gaps"]["list_depth"] == 2
    assert report("--list-depth", "all")["gaps"]["list_depth"] is None
    assert report("--list-depth", "1")["gaps"]["list_depth"] == 1
    refused = CliRunner().invoke(
        cli,
        [
            "--db",
            url,
            "report",
            "--unit",
            CITY,
            "--period",
            "2026Q3",
            "--list-depth",
            "村",
        ],
    )
    assert refused.exit_code == 2
    assert "既不是级数，也不是 all" in refused.output
