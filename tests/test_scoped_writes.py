"""Writes under a scope (issue 19): a county clerk's import or delete that
touches any unit outside the county is refused whole, each row named, and
nothing is written — on SQLite and PostgreSQL, through the library and the CLI.

宝塔区 (610602) and 延长县 (610621) under 延安市 (the testing hierarchy).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import vetservice as vs
from vetservice.errors import ImportRejected
from vetservice.testing import (
    BAOTA,
    BSJ,
    CITY,
    LQC,
    QLCS,
    SMALL_HIERARCHY,
    YANCHANG,
    YJL,
    id_number,
    load_records,
)
from vetservice_cli.main import cli

B1 = id_number("610602", "19700101", 1)
Y1 = id_number("610621", "19720101", 3)

RECORDS = {
    "units": SMALL_HIERARCHY,
    "veterans": (f"id_number,name,unit_code\n{B1},宝甲,{YJL}\n{Y1},延甲,{QLCS}\n"),
    "visits": f"id_number,visited_on,reason\n{B1},2026-07-01,holiday\n{Y1},2026-07-02,holiday\n",
}


@pytest.fixture
def url(db_url: str) -> str:
    with vs.open(db_url) as full:
        load_records(full, RECORDS)
    return db_url


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _counts(url: str) -> dict[str, int]:
    with vs.open(url) as db:
        return db.counts()


def test_an_import_touching_another_county_is_refused_whole(url: str, tmp_path: Path):
    before = _counts(url)
    B2 = id_number("610602", "19710101", 2)
    Y2 = id_number("610621", "19740101", 5)
    file = _write(
        tmp_path,
        "veterans.csv",
        "id_number,name,unit_code\n"
        f"{B2},宝乙,{LQC}\n"  # row 2: inside, would be added
        f"{Y2},延乙,{QLCS}\n"  # row 3: a new veteran in 延长县
        f"{Y1},延甲,{YJL}\n",  # row 4: 延长县's veteran pulled into 宝塔区
    )
    with (
        vs.open(url, scope=BAOTA, actor="clerk") as db,
        pytest.raises(ImportRejected) as e,
    ):
        db.import_file("veterans", file)
    rendered = [p.render("zh") for p in e.value.problems]
    assert len(rendered) == 2
    assert rendered[0].startswith("veterans.csv 第 3 行")
    assert QLCS in rendered[0] and "权限范围" in rendered[0]
    assert rendered[1].startswith("veterans.csv 第 4 行")
    assert QLCS in rendered[1]  # the stored record's unit
    assert _counts(url) == before  # 宝乙 was not written either


def test_skip_bad_rows_does_not_let_an_outside_row_through(url: str, tmp_path: Path):
    before = _counts(url)
    file = _write(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-08-01,holiday\n{Y1},2026-08-02,holiday\n",
    )
    with vs.open(url, scope=BAOTA) as db, pytest.raises(ImportRejected) as e:
        db.import_file("visits", file, skip_bad_rows=True)
    assert [p.row for p in e.value.problems] == [3]
    assert _counts(url) == before


def test_inside_the_scope_an_import_works_and_new_units_may_be_added(
    url: str, tmp_path: Path
):
    new_town, new_village = "610602200000", "610602200001"
    units = _write(
        tmp_path,
        "units.csv",
        # The village first: its parent is new too, further down the file.
        "code,name,level,parent_code,kind\n"
        f"{new_village},新村,village,{new_town},村\n"
        f"{new_town},新镇,township,{BAOTA},镇\n"
        f"{BAOTA},宝塔区,county,{CITY},区\n",
    )
    with vs.open(url, scope=BAOTA) as db:
        result = db.import_file("units", units)
    assert (result.total("added"), result.total("unchanged")) == (2, 1)
    with vs.open(url, scope=BAOTA) as db:
        assert [u.code for u in db.children(new_town)] == [new_village]


def test_a_county_cannot_add_units_under_another_or_move_itself(
    url: str, tmp_path: Path
):
    before = _counts(url)
    units = _write(
        tmp_path,
        "units.csv",
        "code,name,level,parent_code,kind\n"
        f"610621300000,外镇,township,{YANCHANG},镇\n"  # row 2: under 延长县
        f"{BSJ},宝塔山街道,township,{YANCHANG},街道\n"  # row 3: moved out
        f"{BAOTA},宝塔区,county,,区\n",  # row 4: the scope unit moved
    )
    with vs.open(url, scope=BAOTA) as db, pytest.raises(ImportRejected) as e:
        db.import_file("units", units)
    assert [(p.row, str(p.column)) for p in e.value.problems] == [
        (2, "上级代码"),
        (3, "上级代码"),
        (4, "上级代码"),
    ]
    assert _counts(url) == before


def test_a_delete_of_another_countys_record_is_refused(url: str, tmp_path: Path):
    file = _write(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-07-01,holiday\n{Y1},2026-07-02,holiday\n",
    )
    with vs.open(url, scope=BAOTA) as db, pytest.raises(ImportRejected) as e:
        db.delete_file("visits", file)
    assert [p.row for p in e.value.problems] == [3]
    assert "不能在这里删除" in e.value.problems[0].render("zh")
    assert _counts(url)["visits"] == 2
    with vs.open(url, scope=YANCHANG) as db:
        one = _write(
            tmp_path,
            "one.csv",
            f"id_number,visited_on,reason\n{Y1},2026-07-02,holiday\n",
        )
        assert db.delete_file("visits", one).total("deleted") == 1


def test_cli_import_with_scope_names_the_rows_and_writes_nothing(
    url: str, tmp_path: Path
):
    before = _counts(url)
    file = _write(
        tmp_path, "veterans.csv", f"id_number,name,unit_code\n{Y1},延甲,{YJL}\n"
    )
    result = CliRunner().invoke(
        cli, ["--db", url, "--scope", BAOTA, "import", "veterans", str(file)]
    )
    assert result.exit_code == 2
    assert "veterans.csv 第 2 行" in result.output
    assert "nothing was imported" in result.output or "未导入" in result.output
    assert _counts(url) == before


def test_cli_import_with_scope_is_the_units_submission_for_the_period(
    url: str, tmp_path: Path
):
    file = _write(
        tmp_path,
        "visits.csv",
        f"id_number,visited_on,reason\n{B1},2026-08-03,routine\n",
    )
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            url,
            "--scope",
            BAOTA,
            "--actor",
            "宝塔区填报员",
            "import",
            "visits",
            str(file),
            "--period",
            "2026Q3",
        ],
    )
    assert result.exit_code == 0, result.output
    with vs.open(url) as db:
        sent = db.submissions()
    assert [(s.unit_code, s.kind, s.period, s.actor, s.rows) for s in sent] == [
        (BAOTA, "visits", "2026Q3", "宝塔区填报员", 1)
    ]
