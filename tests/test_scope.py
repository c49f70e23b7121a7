"""Scope: a county clerk reads only the county's subtree, and exports only that.

宝塔区 (610602) and 延长县 (610621) under 延安市; each has veterans, visits,
petitions and benefit payments. A database opened with ``scope=宝塔区`` must
refuse every attempt to read 延长县 or the city, and its export must hold
nothing outside 宝塔区.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import vetservice as vs
from vetservice.calendar import Period
from vetservice.testing import (
    BAOTA,
    CITY,
    HJBC,
    LQC,
    QLCS,
    SMALL_HIERARCHY,
    YANCHANG,
    YJL,
    id_number,
    load_records,
)
from vetservice_cli.main import cli

B1, B2 = id_number("610602", "19700101", 1), id_number("610602", "19710101", 2)
Y1 = id_number("610621", "19720101", 3)
B3, Y2 = id_number("610602", "19730101", 4), id_number("610621", "19740101", 5)

RECORDS = {
    "units": SMALL_HIERARCHY,
    "stations": f"unit_code,established_on\n{YJL},2020-01-01\n{LQC},2020-01-01\n{QLCS},2020-01-01\n",
    "veterans": (
        "id_number,name,unit_code,plaque_approved_on,plaque_hung_on,phone\n"
        f"{B1},宝甲,{YJL},2025-01-01,,13812345678\n"
        f"{B2},宝乙,{LQC},2025-01-01,2025-02-01,\n"
        f"{Y1},延甲,{QLCS},2025-01-01,,13987654321\n"
        # 丙 and 丁: a plaque hung before approval — one finding in each county.
        f"{B3},宝丙,{LQC},2025-03-01,2025-02-01,\n"
        f"{Y2},延丁,{HJBC},2025-03-01,2025-02-01,\n"
    ),
    "visits": (
        "id_number,visited_on,reason\n"
        f"{B1},2026-07-01,holiday\n{Y1},2026-07-02,holiday\n{Y1},2026-08-01,routine\n"
    ),
    "benefit_recipients": (
        "id_number,name,category,unit_code,monthly_standard,started_on\n"
        f"{B1},宝甲,disabled,{YJL},1000.00,2025-01-01\n"
        f"{Y1},延甲,disabled,{QLCS},1200.00,2025-01-01\n"
    ),
    "benefit_payments": (
        "id_number,category,month,amount,paid_on\n"
        f"{B1},disabled,2026-07,1000.00,2026-07-05\n{Y1},disabled,2026-07,1200.00,2026-07-05\n"
    ),
    "petitions": (
        "case_no,unit_code,id_number,received_on,channel,level_reached\n"
        f"P1,{YJL},{B1},2026-07-10,visit,county\nP2,{HJBC},,2026-07-11,visit,city\n"
    ),
}


@pytest.fixture
def url(db_url: str) -> str:
    with vs.open(db_url) as full:
        load_records(full, RECORDS)
    return db_url


@pytest.fixture
def county(url: str):
    db = vs.open(url, scope=BAOTA)
    yield db
    db.close()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda db: db.evaluate(CITY, "2026Q3"),
        lambda db: db.evaluate(YANCHANG, "2026Q3"),
        lambda db: db.report(CITY, "2026Q3"),
        lambda db: db.explain("honor.plaque_hung", QLCS, "2026Q3"),
        lambda db: db.explain("pet.reached.city", CITY, "2026Q3"),
        lambda db: db.trend("honor.plaque_hung", YANCHANG, "2026Q3"),
        lambda db: db.score("village_annual", CITY, "2026"),
        lambda db: db.unit(YANCHANG),
        lambda db: db.children(CITY),
        lambda db: db.descendants(YANCHANG),
        lambda db: db.ancestors(HJBC),
        lambda db: db.export("elsewhere.db", YANCHANG),
    ],
    ids=[
        "evaluate-city",
        "evaluate-other-county",
        "report-city",
        "explain-other-village",
        "explain-city",
        "trend-other-county",
        "score-city",
        "unit",
        "children-of-city",
        "descendants",
        "ancestors",
        "export-other-county",
    ],
)
def test_every_way_out_is_refused(county: vs.Database, attempt):
    with pytest.raises(vs.OutOfScopeError) as info:
        attempt(county)
    assert "不在" in str(info.value) and BAOTA in str(info.value)


def test_reads_inside_the_scope_see_only_the_county(county: vs.Database):
    assert [u.code for u in county.top_units()] == [BAOTA]
    assert sorted(v.name for v in county.records("veterans")) == [
        "宝丙",
        "宝乙",
        "宝甲",
    ]
    assert [v.id_number for v in county.records("visits")] == [B1]
    assert [p.id_number for p in county.records("benefit_payments")] == [B1]
    assert county.count("petitions") == 1
    assert county.counts()["units"] == 5  # 宝塔区, 2 townships, 2 villages
    assert [u.code for u in county.ancestors(YJL)] == [YJL, "610602001000", BAOTA]
    ev = county.evaluate(BAOTA, "2026Q3")
    assert [c.code for c in ev.children] == ["610602001000", "610602100000"]
    # Plaques: 宝甲 not hung, 宝乙 and 宝丙 hung; 延甲 and 延丁 stay outside.
    assert (ev["honor.plaque_hung"].numerator, ev["honor.plaque_hung"].denominator) == (
        2,
        3,
    )
    rows = county.explain("honor.plaque_hung", BAOTA, "2026Q3").rows
    assert {r["unit_code"] for r in rows} == {YJL, LQC}
    scoring = county.score("village_annual", BAOTA, "2026")
    assert {s.unit.code for s in scoring.scores} == {YJL, LQC}
    with pytest.raises(vs.OutOfScopeError):
        county.trace_score(scoring, HJBC)


def test_shortfalls_and_findings_stay_inside(county: vs.Database, url: str):
    data = json.loads(county.render(county.evaluate(BAOTA, "2026Q3"), "json"))
    named = {s["unit"] for i in data["indicators"] for s in i.get("shortfalls", [])}
    assert named and all(code.startswith("610602") for code in named)
    assert all(c["unit"]["code"].startswith("610602") for c in data["children"])
    with vs.open(url) as full:
        everything = full.validate()
    inside = county.validate()
    assert [f.key for f in inside] == [(B3,)]
    assert len(everything) > len(inside)
    for finding in inside:
        keys = {
            tuple(getattr(r, k) for k in vs.KINDS[finding.kind].key)
            for r in county.records(finding.kind)
        }
        assert tuple(finding.key) in keys


def test_the_command_line_refuses_outside_units(url: str):
    result = CliRunner().invoke(
        cli,
        ["--db", url, "--scope", BAOTA, "report", "--unit", CITY, "--period", "2026Q3"],
    )
    assert result.exit_code == 2
    assert "单位 610600000000 不在权限范围 610602000000 内" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_holds_only_the_subtree(sqlite_url: str, tmp_path: Path):
    with vs.open(sqlite_url) as full:
        load_records(full, RECORDS)
        path = tmp_path / "宝塔区.db"
        counts = full.export(path, BAOTA)
        with pytest.raises(vs.StorageError):
            full.export(path, BAOTA)  # never overwrites
    assert (
        counts["veterans"] == 3 and counts["visits"] == 1 and counts["petitions"] == 1
    )
    exported = vs.open(f"sqlite:///{path.as_posix()}")
    units = {u.code for u in exported.records("units")}
    assert units == {BAOTA, "610602001000", "610602100000", YJL, LQC}
    for name in vs.KINDS:
        for record in exported.records(name):
            for field in ("unit_code", "code"):
                code = getattr(record, field, None)
                if code is not None:
                    assert code.startswith("610602"), (name, record)
            number = getattr(record, "id_number", None)
            assert number in (None, B1, B2, B3), (name, record)
    # Everything inside came along: the county's own figures are unchanged.
    with vs.open(sqlite_url, scope=BAOTA) as county:
        here = county.evaluate(BAOTA, "2026Q3")
    there = exported.evaluate(BAOTA, "2026Q3")
    assert {r.indicator.id: (r.numerator, r.denominator) for r in here} == {
        r.indicator.id: (r.numerator, r.denominator) for r in there
    }
    exported.close()


def test_export_is_audited(sqlite_url: str, tmp_path: Path):
    with vs.open(sqlite_url, actor="县局管理员") as full:
        load_records(full, RECORDS)
        full.export(tmp_path / "延长县.db", YANCHANG)
        with full.engine.connect() as conn:
            row = (
                conn.execute(
                    sa.select(vs.store.audit_log)
                    .order_by(vs.store.audit_log.c.id.desc())
                    .limit(1)
                )
                .mappings()
                .one()
            )
    assert (
        row["command"] == f"export --scope {YANCHANG}" and row["actor"] == "县局管理员"
    )
    assert row["file_name"] == "延长县.db" and len(row["file_sha256"]) == 64


def test_postgres_role_is_held_to_its_county(pg_url: str):
    import uuid

    role = f"county_{uuid.uuid4().hex[:8]}"
    with vs.open(pg_url) as full:
        load_records(full, RECORDS)
        full.grant_postgres_scope(role, BAOTA)
    with vs.open(pg_url, scope=BAOTA) as county:
        expected = county.counts()
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'SET ROLE "{role}"')
            seen = {
                name: conn.execute(
                    sa.select(sa.func.count()).select_from(vs.store.TABLES[name])
                ).scalar_one()
                for name in vs.KINDS
            }
            outside = conn.exec_driver_sql(
                "SELECT count(*) FROM veterans WHERE unit_code LIKE '610621%%'"
            ).scalar_one()
            conn.exec_driver_sql("RESET ROLE")
            conn.rollback()
            conn.exec_driver_sql(f'SET ROLE "{role}"')
            with pytest.raises(sa.exc.ProgrammingError):
                conn.exec_driver_sql("SELECT count(*) FROM audit_log")
            conn.rollback()
        assert seen == expected and seen["veterans"] == 3 and outside == 0
        # vetservice itself runs as the role, and its figures are the county's.
        as_role = pg_url.replace("postgres@", f"{role}@", 1)
        with vs.open(as_role) as county_role, vs.open(pg_url) as full:
            period = Period.parse("2026Q3", dt.date(2026, 11, 28))
            mine = county_role.evaluate(BAOTA, period)
            theirs = full.evaluate(BAOTA, period)
            assert {
                i: r.figures for i, r in mine.results.items()
            } == {i: r.figures for i, r in theirs.results.items()}
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        engine.dispose()


def test_audit_and_snapshots_under_a_scope(url: str):
    with vs.open(url) as full:
        city = full.freeze(full.evaluate(CITY, "2026Q3"))
        baota = full.freeze(full.evaluate(BAOTA, "2026Q3"))
    with vs.open(url, scope=BAOTA) as county:
        assert [s.id for s in county.snapshots()] == [baota.id]
        with pytest.raises(vs.OutOfScopeError):
            county.snapshot(city.id)
        with pytest.raises(vs.OutOfScopeError):
            county.diff_snapshot(city.id)
        with pytest.raises(vs.OutOfScopeError, match="审计日志"):
            county.audit()
