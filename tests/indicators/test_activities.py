"""经常性工作 indicators, worked out by hand on SMALL_HIERARCHY, period 2026Q3 (E = 2026-09-30)."""

from __future__ import annotations

import datetime as dt

import pytest

import vetservice as vs
from vetservice.testing import SMALL_HIERARCHY, id_number, load_records

CITY, BAOTA, YANCHANG = "610600000000", "610602000000", "610621000000"
V1, V2, V3 = (id_number("612601", "19700101", n) for n in (1, 2, 3))

RECORDS = {
    "units": SMALL_HIERARCHY,
    "stations": "unit_code,established_on\n610602001000,2020-01-01\n610602100000,2020-01-01\n610621001000,2020-01-01\n",
    "staff": "person_id,unit_code,name,role,ended_on\nS1,610602001000,张一,staff,\nS2,610602100000,李一,staff,2026-09-29\n",
    "activities": """\
unit_code,held_on,type,title
610602001000,2026-07-01,study,学习
610602001000,2026-07-15,party,党日
610602001000,2026-08-01,honor,送光荣牌
610602001000,2026-08-10,visit,慰问
610602001000,2026-09-30,volunteer,植树
610602001000,2026-09-30,culture,篮球
610602100000,2026-06-30,study,六月学习
610602100000,2026-07-02,study,七月学习
610602100000,2026-10-01,party,十月党日
610621100000,2026-08-01,study,没有服务站的镇
""",
    "veterans": f"""\
id_number,name,unit_code,party_member,branch_enrolled,key_attention,in_volunteer_team,contact_person_id,plaque_approved_on,plaque_hung_on
{V1},甲,610602001001,是,是,是,是,S1,2026-01-01,2026-09-30
{V2},乙,610602100001,是,否,是,否,S2,2026-09-30,2026-10-01
{V3},丙,610621100001,否,,否,,,2026-10-01,
""",
    "visits": f"id_number,visited_on,reason\n{V1},2026-07-30,holiday\n{V2},2026-06-30,routine\n{V3},2026-10-01,holiday\n",
    "honors": "kind,recipient,unit_code,delivered_on\ngood_news,王某,610602001001,2026-07-01\ngood_news,赵某,610602001001,2026-10-01\nblessing,钱某,610602001001,2026-08-01\n",
}


@pytest.fixture
def ev(db: vs.Database):
    load_records(db, RECORDS)
    return db.evaluate(CITY, "2026Q3", as_of=dt.date(2026, 11, 28))


def test_counts_only_at_stations_and_in_the_period(ev):
    # study: 宝塔山街道 07-01, 李渠镇 07-02 (06-30 before S; 黑家堡镇 has no station).
    assert ev["act.count.study"].value == 2
    assert [
        ev[f"act.count.{t}"].value
        for t in ("party", "honor", "visit", "volunteer", "culture", "special")
    ] == [1, 1, 1, 1, 1, 0]
    assert ev.figure("act.count.study", YANCHANG).value == 0


def test_regularity_and_all_kinds(ev):
    # 宝塔山街道 July, August, September; 李渠镇 July only; 七里村街道 none: 4 of 9.
    result = ev["act.regularity"]
    assert (result.numerator, result.denominator) == (4, 9)
    assert ev.figure("act.regularity", BAOTA).value == 4 / 6
    kinds = ev["act.all_kinds"]
    assert (kinds.numerator, kinds.denominator) == (1, 3)
    assert [(s.unit, s.reason.render("zh")) for s in kinds.shortfalls] == [
        ("610602100000", "缺少：党建、荣誉激励、走访慰问、志愿服务、文体"),
        ("610621001000", "缺少：学习教育、党建、荣誉激励、走访慰问、志愿服务、文体"),
    ]


def test_veteran_ratios(ev):
    assert (
        ev["party.branch_enrolled"].numerator,
        ev["party.branch_enrolled"].denominator,
    ) == (1, 2)
    # Approved on or before E: 甲 (hung on E) and 乙 (hung after E); 丙 approved after E.
    assert (ev["honor.plaque_hung"].numerator, ev["honor.plaque_hung"].denominator) == (
        1,
        2,
    )
    # 乙's contact S2 left the day before E.
    assert (ev["visit.key_contact"].numerator, ev["visit.key_contact"].denominator) == (
        1,
        2,
    )
    assert (ev["visit.key_visited"].numerator, ev["visit.key_visited"].denominator) == (
        1,
        2,
    )
    assert ev["visit.holiday"].value == 1
    assert (
        ev["act.veteran_volunteers"].numerator,
        ev["act.veteran_volunteers"].denominator,
    ) == (1, 3)
    assert ev["honor.good_news"].value == 1
    assert ev.figure("party.branch_enrolled", YANCHANG).value is None
