"""Small-cell suppression: ``report --min-cell 3`` withholds counts below 3.

Fixture: 杨家岭社区 has plaques approved for 甲 and 乙 (甲 hung), 李渠村 for
丙 丁 戊 (丙 丁 hung); one group petition in 李渠村. 2026Q3 as of 2026-11-28.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

import vetservice as vs
from vetservice.reports.build import build_report
from vetservice.reports.suppress import suppress_small_cells
from vetservice.testing import (
    BAOTA,
    LQC,
    SMALL_HIERARCHY,
    YJL,
    id_number,
    load_records,
)

V = [id_number("610602", "19700101", n) for n in range(1, 6)]


@pytest.fixture
def db(sqlite_url: str):
    database = vs.open(sqlite_url)
    load_records(
        database,
        {
            "units": SMALL_HIERARCHY,
            "veterans": "id_number,name,unit_code,plaque_approved_on,plaque_hung_on\n"
            f"{V[0]},甲,{YJL},2025-01-01,2025-02-01\n{V[1]},乙,{YJL},2025-01-01,\n"
            f"{V[2]},丙,{LQC},2025-01-01,2025-02-01\n{V[3]},丁,{LQC},2025-01-01,2025-02-01\n"
            f"{V[4]},戊,{LQC},2025-01-01,\n",
            "petitions": "case_no,unit_code,received_on,channel,group,level_reached\n"
            f"P1,{LQC},2026-08-01,visit,是,county\n",
        },
    )
    yield database
    database.close()


def test_small_counts_and_small_denominators_are_withheld(db: vs.Database):
    ev = suppress_small_cells(db.evaluate(BAOTA, "2026Q3"), 3)
    plaques = ev["honor.plaque_hung"]
    # 宝塔区: 3 of 5 — shown; 宝塔山街道 (杨家岭社区): 1 of 2 — withheld; 李渠镇: 2 of 3 — shown.
    assert (plaques.numerator, plaques.denominator) == (3, 5)
    street, town = "610602001000", "610602100000"
    assert (
        plaques.figures[street].value is None
        and plaques.figures[street].suppressed == 3
    )
    assert (plaques.figures[town].numerator, plaques.figures[town].denominator) == (
        2,
        3,
    )
    # One group petition: a count of 1 is withheld; zero is not.
    assert ev["pet.group"].figure.suppressed == 3
    assert (
        ev["pet.reached.city"].figure.value == 0
        and not ev["pet.reached.city"].figure.suppressed
    )
    report = build_report(ev, "zh")
    row = report.row("honor.plaque_hung")
    assert [c.value_text for c in row.children] == ["<3", "66.7%"]
    assert report.row("pet.group").value_text == "<3"


def test_every_published_format_withholds(db: vs.Database, tmp_path: Path):
    paths = db.write_reports(
        BAOTA, "2026Q3", ["json", "md", "xlsx", "html", "docx"], tmp_path, min_cell=3
    )
    data = json.loads(
        next(p for p in paths if p.suffix == ".json").read_text(encoding="utf-8")
    )
    group = next(i for i in data["indicators"] if i["id"] == "pet.group")
    assert (group["value"], group["numerator"], group["suppressed"]) == (None, None, 3)
    markdown = next(p for p in paths if p.suffix == ".md").read_text(encoding="utf-8")
    assert "| 集体访件数 | <3 |" in markdown
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    assert "&lt;3" in html
    book = openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "<3" in values
