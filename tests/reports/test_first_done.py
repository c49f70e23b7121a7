"""率先完成: children ranked by the day si.entered reached 100 %, worked out by
hand on SMALL_HIERARCHY, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import vetservice as vs
from vetservice.calendar import Period
from vetservice.reports.build import build_report
from vetservice.reports.first_done import first_done
from vetservice.reports.json_report import report_dict
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    YANCHANG,
    id_number,
    load_records,
)

YJL, LQC, QLCS = "610602001001", "610602100001", "610621001001"
V = {n: id_number("610602", f"1980010{n}", n) for n in range(1, 7)}

VETERANS = f"""\
id_number,name,unit_code
{V[1]},甲一,{YJL}
{V[2]},甲二,{YJL}
{V[3]},甲三,{YJL}
{V[4]},甲四,{QLCS}
{V[5]},甲五,{QLCS}
{V[6]},甲六,{LQC}
"""
# 宝塔区: V1 07-10, V2 08-20 entered, V3 not eligible; V6 (李渠村) 08-20.
# 延长县: V4 entered, V5 still pending.
SOCIAL_INSURANCE = f"""\
id_number,eligible,status,entered_on
{V[1]},是,entered,2026-07-10
{V[2]},是,entered,2026-08-20
{V[3]},否,pending,
{V[4]},是,entered,2026-07-05
{V[5]},是,pending,
{V[6]},是,entered,2026-08-20
"""


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "veterans": VETERANS,
            "social_insurance": SOCIAL_INSURANCE,
        },
    )
    return db


def ranking(
    db: vs.Database, unit: str, period: str
) -> list[tuple[str, int, int, str | None, int | None]]:
    found = first_done(
        db.engine, db.indicators(), unit=unit, period=Period.parse(period, AS_OF)
    )
    return [
        (
            f.unit,
            f.met,
            f.applicable,
            f.done_on.isoformat() if f.done_on else None,
            f.rank,
        )
        for f in found
    ]


def test_children_ranked_by_the_day_they_finished(loaded):
    # 宝塔区 finished on its last entry (08-20); 延长县 has V5 pending.
    assert ranking(loaded, CITY, "2026Q3") == [
        (BAOTA, 3, 3, "2026-08-20", 1),
        (YANCHANG, 1, 2, None, None),
    ]
    # At the end of 2026Q2 nothing was entered yet.
    assert ranking(loaded, CITY, "2026Q2") == [
        (BAOTA, 0, 3, None, None),
        (YANCHANG, 0, 2, None, None),
    ]


def test_the_same_day_shares_a_rank_and_no_data_is_not_ranked(loaded):
    # 宝塔山街道 (V1, V2) and 李渠镇 (V6) both finished on 08-20.
    assert ranking(loaded, BAOTA, "2026Q3") == [
        ("610602001000", 2, 2, "2026-08-20", 1),
        ("610602100000", 1, 1, "2026-08-20", 1),
    ]
    # 七里村街道 (V4 entered, V5 pending) and 黑家堡镇 (no one eligible).
    assert ranking(loaded, YANCHANG, "2026Q3") == [
        ("610621001000", 1, 2, None, None),
        ("610621100000", 0, 0, None, None),
    ]


def test_the_report_carries_the_ranking(loaded):
    report = loaded.report(unit=CITY, period="2026Q3", as_of=AS_OF)
    assert report_dict(report)["first_done"] == [
        {
            "unit": BAOTA,
            "name": "宝塔区",
            "met": 3,
            "applicable": 3,
            "done_on": "2026-08-20",
            "rank": 1,
        },
        {
            "unit": YANCHANG,
            "name": "延长县",
            "met": 1,
            "applicable": 2,
            "done_on": None,
            "rank": None,
        },
    ]
    model = build_report(report, "zh")
    assert [
        (r.rank, r.name, r.done_text, r.progress_text) for r in model.first_done
    ] == [
        (1, "宝塔区", "2026年8月20日", "3/3"),
        (None, "延长县", "未完成", "1/2"),
    ]
    assert any(
        "社保接续录入率先完成的是宝塔区（2026年8月20日）" in p for p in model.briefing
    )
