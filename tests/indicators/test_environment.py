"""阵地建设 indicators, worked out by hand on SMALL_HIERARCHY.

Units (levels): 延安市 city; 宝塔区, 延长县 counties; under 宝塔区 the street
宝塔山街道 (community 杨家岭社区) and the town 李渠镇 (village 李渠村); under
延长县 the street 七里村街道 (community 七里村社区) and the town 黑家堡镇
(village 黑家堡村). Period 2026Q3: S = 2026-07-01, E = 2026-09-30.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures import ENVIRONMENT_HEADER, inspection

import vetservice as vs
from vetservice.indicators import Status
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    SMALL_STATIONS,
    YANCHANG,
    load_records,
)

# SMALL_STATIONS at E = 2026-09-30: city, 宝塔区, 宝塔山街道 (established on E itself),
# 李渠镇, 李渠村, 延长县, 七里村街道, 七里村社区 = 8. Not: 杨家岭社区 (2026-10-01,
# the day after E), 黑家堡镇 and 黑家堡村 (no row).

ENVIRONMENT = "\n".join(
    [
        ENVIRONMENT_HEADER,
        inspection(CITY, "2026-01-10"),  # 13
        inspection(BAOTA, "2026-03-01", {5}),  # superseded by the next one
        inspection(BAOTA, "2026-09-30"),  # in force at E: 13
        inspection("610602001000", "2026-07-01", {5, 12}),  # 11: no 英模画像, 特色栏目
        inspection("610602001000", "2026-10-01"),  # after E: ignored
        inspection("610602100001", "2025-12-31", {0, 1, 2}),  # 10
        inspection(YANCHANG, "2026-05-05"),  # 13
        inspection("610621001000", "2026-06-30", {12}),  # 12
        inspection("610621001001", "2026-07-15", {7, 8, 9, 10}),  # 9
        # 李渠镇 never inspected: 0 of 13.
    ]
)


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "stations": SMALL_STATIONS,
            "environment": ENVIRONMENT,
        },
    )
    return db


def test_station_established(loaded: vs.Database):
    ev = loaded.evaluate(CITY, "2026Q3", as_of=AS_OF)
    result = ev["env.station_established"]
    # Applicable: 2 counties + 4 townships + 4 villages = 10 (the city is not).
    # Established by E: 宝塔区, 宝塔山街道, 李渠镇, 李渠村, 延长县, 七里村街道, 七里村社区 = 7.
    assert (result.numerator, result.denominator, result.value) == (7, 10, 0.7)
    assert result.status is Status.NOT_MET
    assert [(s.unit, s.reason.render("zh")) for s in result.shortfalls] == [
        ("610602001001", "服务站 2026-10-01 才建成"),
        ("610621100000", "未建成服务站"),
        ("610621100001", "未建成服务站"),
    ]
    # 宝塔区: 5 applicable, 4 established; 延长县: 5 applicable, 3 established.
    assert ev.figure("env.station_established", BAOTA).value == 4 / 5
    assert ev.figure("env.station_established", YANCHANG).value == 3 / 5


def test_five_haves_and_model_stations(loaded: vs.Database):
    ev = loaded.evaluate(CITY, "2026Q3", as_of=AS_OF)
    five = ev["env.five_haves"]
    # 8 stations; 宝塔山街道 lacks 有经费, 李渠村 lacks 有人员 (empty counts as not true).
    assert (five.numerator, five.denominator) == (6, 8)
    assert [(s.unit, s.reason.render("zh")) for s in five.shortfalls] == [
        ("610602001000", "缺少：有经费"),
        ("610602100001", "缺少：有人员"),
    ]
    model = ev["env.model_stations"]
    assert (model.value, model.status) == (2, Status.NO_TARGET)
    assert ev.figure("env.model_stations", BAOTA).value == 1
    # The drill-through lists the stations counted, not every station with a 0.
    facts = loaded.explain("env.model_stations", CITY, "2026Q3", as_of=AS_OF)
    assert [(r["unit_code"], r["model"]) for r in facts.rows] == [
        (BAOTA, "national"),
        (YANCHANG, "national"),
    ]


def test_dedicated_space(loaded: vs.Database):
    ev = loaded.evaluate(CITY, "2026Q3", as_of=AS_OF)
    result = ev["env.dedicated_space"]
    # Township/village stations: 宝塔山街道 yes, 李渠镇 no, 李渠村 empty (not true),
    # 七里村街道 yes, 七里村社区 yes.
    assert (result.numerator, result.denominator) == (3, 5)
    assert [s.unit for s in result.shortfalls] == ["610602100000", "610602100001"]
    assert result.shortfalls[0].reason.render("zh") == "只在便民服务大厅设了窗口，没有独立场所"


def test_elements_ratio_rolls_up_as_sums(loaded: vs.Database):
    ev = loaded.evaluate(CITY, "2026Q3", as_of=AS_OF)
    result = ev["env.elements"]
    # City 13; 宝塔区 13 + 宝塔山街道 11 + 李渠镇 0 + 李渠村 10 = 34 of 52;
    # 延长县 13 + 七里村街道 12 + 七里村社区 9 = 34 of 39. City: 13 + 34 + 34 = 81 of 104.
    assert (result.numerator, result.denominator) == (81, 104)
    assert ev.figure("env.elements", BAOTA).value == 34 / 52
    assert ev.figure("env.elements", YANCHANG).value == 34 / 39
    # Not the average of the children's ratios:
    assert result.value != pytest.approx((13 / 13 + 34 / 52 + 34 / 39) / 3)


def test_all_elements_with_reasons(loaded: vs.Database):
    ev = loaded.evaluate(CITY, "2026Q3", as_of=AS_OF)
    result = ev["env.all_elements"]
    # Complete: city, 宝塔区, 延长县 = 3 of 8.
    assert (result.numerator, result.denominator) == (3, 8)
    assert [(s.unit, s.reason.render("zh")) for s in result.shortfalls] == [
        ("610602001000", "缺少：英模画像、特色栏目"),
        ("610602100000", "未做政治文化环境检查"),
        ("610602100001", "缺少：重要论述、组织机构和工作人员、工作职责"),
        ("610621001000", "缺少：特色栏目"),
        ("610621001001", "缺少：军旅文化作品、工作台账、活动剪影、标语口号"),
    ]
    assert result.shortfalls[0].reason.render("en") == "missing: hero portraits, local column"


def test_partial_period_cut_at_as_of(loaded: vs.Database):
    # 2026Q4 as of 2026-10-01: E = 2026-10-01, so 杨家岭社区 (established that day)
    # is now a station and the later 宝塔山街道 inspection (all 13) is in force.
    ev = loaded.evaluate(CITY, "2026Q4", as_of=dt.date(2026, 10, 1))
    assert ev.period.partial and ev.period.end == dt.date(2026, 10, 1)
    assert ev["env.station_established"].numerator == 8
    assert ev["env.all_elements"].denominator == 9
    # 宝塔山街道 now complete; 杨家岭社区 never inspected: 3 + 1 = 4 complete of 9.
    assert ev["env.all_elements"].numerator == 4


def test_no_stations_means_no_data(db: vs.Database):
    load_records(db, {"units": SMALL_HIERARCHY})
    ev = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    assert ev["env.elements"].value is None
    assert ev["env.elements"].status is Status.NO_DATA
    assert ev["env.model_stations"].value == 0
    assert ev["env.station_established"].value == 0.0


def test_explain_lists_the_facts(loaded: vs.Database):
    explanation = loaded.explain("env.all_elements", YANCHANG, "2026Q3", as_of=AS_OF)
    assert [r["unit_code"] for r in explanation.rows] == [
        "610621000000",
        "610621001000",
        "610621001001",
    ]
    assert (explanation.numerator, explanation.denominator) == (1, 3)
    assert [r["present"] for r in explanation.rows] == [13, 12, 9]
