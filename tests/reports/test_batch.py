"""The batch report: every format for a unit and each child, each agreeing with the JSON.

The fixture ledgers of all 21 kinds go in through the CLI; ``report
--each-child`` writes five files per unit; each file is opened with its own
library and every indicator's figure is compared with the JSON report.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from fixtures import FILES

from vetservice.indicators import Kind
from vetservice.reports.format import value_text
from vetservice.testing import BAOTA, CITY, YANCHANG
from vetservice_cli.main import cli

UNITS = {CITY: "延安市", BAOTA: "宝塔区", YANCHANG: "延长县"}
FORMATS = ("html", "xlsx", "docx", "md", "json")
AREAS = ("阵地建设", "队伍建设", "经常性工作", "服务保障", "信访工作")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    url = f"sqlite:///{(folder / 'batch.db').as_posix()}"
    files = [str(p) for p in FILES]

    def run(*args: str) -> Any:
        result = CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result

    run("import", "--today", "2026-11-28", "auto", *files)
    run(
        "--as-of",
        "2026-11-28",
        "report",
        "--unit",
        "610600000000",
        "--period",
        "2026Q3",
        "--each-child",
        "--out",
        str(folder / "reports"),
    )
    return folder / "reports"


def indicators(out: Path, code: str) -> dict[str, dict[str, Any]]:
    data = json.loads((out / f"{code}-{UNITS[code]}.json").read_text(encoding="utf-8"))
    return {i["id"]: i for i in data["indicators"]}


def shown(entry: dict[str, Any]) -> str:
    return value_text(Kind(entry["kind"]), entry["value"], "zh")


def test_every_unit_gets_every_format(out: Path):
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{code}-{name}.{ext}" for code, name in UNITS.items() for ext in FORMATS
    )


@pytest.mark.parametrize("code", UNITS)
def test_xlsx_numbers_equal_the_json(out: Path, code: str):
    expected = indicators(out, code)
    book = openpyxl.load_workbook(
        io.BytesIO((out / f"{code}-{UNITS[code]}.xlsx").read_bytes())
    )
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            cells = {c.column: c for c in row}
            by_name = {e["name"]: i for i, e in expected.items()}
            ids = [
                by_name[c.value]
                for c in row
                if isinstance(c.value, str) and c.value in by_name
            ]
            if ids and ws.title in AREAS:
                header = next(
                    r for r in range(1, ws.max_row) if ws.cell(r, 1).value == "序号"
                )
                labels: dict[Any, int] = {}
                for r in (header, header + 1):
                    for c in range(1, ws.max_column + 1):
                        labels.setdefault(ws.cell(r, c).value, c)  # 本期 comes first
                found[ids[0]] = cells[labels["数值"]].value
    assert set(found) == set(expected)
    for indicator_id, value in found.items():
        want = expected[indicator_id]["value"]
        if want is None:
            assert value == "无数据", indicator_id
        elif isinstance(want, str):  # money
            assert Decimal(str(value)) == Decimal(want), indicator_id
        else:
            assert value == want, indicator_id


@pytest.mark.parametrize("code", UNITS)
def test_docx_attachment_shows_the_json_values(out: Path, code: str):
    """附件1 lists the indicators with a target that are short somewhere, each
    with the unit's own figure beside its target."""
    expected = {e["name"]: e for e in indicators(out, code).values()}
    document = docx.Document(str(out / f"{code}-{UNITS[code]}.docx"))
    grid = document.tables[0]
    header = [c.text for c in grid.rows[0].cells]
    assert header[:3] == ["指标", "目标", UNITS[code]]
    seen = set()
    for row in grid.rows[1:]:
        name, _target, value = (c.text for c in row.cells[:3])
        assert expected[name]["target"] is not None, name
        assert value == shown(expected[name]), name
        seen.add(name)
    short = {n for n, e in expected.items() if e["status"] == "not_met"}
    assert short <= seen


@pytest.mark.parametrize("code", UNITS)
def test_html_rows_show_the_json_values(out: Path, code: str):
    expected = indicators(out, code)
    root = ET.fromstring(
        (out / f"{code}-{UNITS[code]}.html").read_text(encoding="utf-8")
    )
    rows = {
        r.get("data-indicator"): r
        for r in root.iter("tr")
        if r.get("id", "").startswith("ind-")
    }
    assert set(rows) == set(expected)
    for indicator_id, row in rows.items():
        cell = next(
            td for td in row.iter("td") if "value" in td.get("class", "").split()
        )
        assert "".join(cell.itertext()).strip() == shown(expected[indicator_id]), (
            indicator_id
        )


@pytest.mark.parametrize("code", UNITS)
def test_markdown_rows_show_the_json_values(out: Path, code: str):
    text = (out / f"{code}-{UNITS[code]}.md").read_text(encoding="utf-8")
    for entry in indicators(out, code).values():
        assert f"| {entry['name']} | {shown(entry)} |" in text, entry["id"]
