"""队伍建设 indicators, worked out by hand on SMALL_HIERARCHY, period 2026Q3 (E = 2026-09-30)."""

from __future__ import annotations

import pytest

import vetservice as vs
from vetservice.indicators import Status
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    YANCHANG,
    load_records,
)

STATIONS = """\
unit_code,established_on,posts
610602000000,2020-01-01,3
610621000000,2020-01-01,
610602001000,2020-01-01,
610602100000,2020-01-01,
610621001000,2020-01-01,
"""
STAFF = """\
person_id,unit_code,name,role,full_time,other_duties,military_experience,group_role,started_on,ended_on
D1,610602000000,刘一,director,是,否,,,,
S1,610602000000,刘二,staff,是,否,,,,
S2,610602000000,刘三,staff,是,否,,,,2026-09-29
S3,610621000000,陈一,staff,是,否,,,,
T1,610602001000,张一,director,是,否,,,,
T2,610602001000,张二,staff,是,是,,,,
T3,610602100000,李一,staff,是,否,,,2026-10-01,
T4,610621001000,王一,staff,是,否,,,,
T5,610621001000,王二,staff,是,,,,,
T6,610621001000,王三,staff,否,,,,,
G1,610602001001,孙一,leading_group,,,,grid_worker,,
V1,610602001001,孙二,volunteer,,,是,,,
V2,610602001001,孙三,volunteer,,,否,,,
V3,610602001001,孙四,volunteer,,,,,,
W1,610621001001,周一,volunteer,,,否,,,
W2,610621001001,周二,volunteer,,,,,,
W3,610621001001,周三,volunteer,,,,,,
L1,610602100001,吴一,leading_group,,,,group_leader,,
V4,610602100001,吴二,volunteer,,,是,,,
V5,610602100001,吴三,volunteer,,,否,,,
V6,610621100001,郑一,volunteer,,,是,,,
"""
GUIDANCE = """\
staff_person_id,unit_code,visited_on
T1,610602001001,2026-07-01
T1,610602001001,2026-07-20
T1,610602001001,2026-09-30
T3,610602100001,2026-06-30
T3,610602100001,2026-08-15
T4,610621001001,2026-10-01
"""


@pytest.fixture
def ev(db: vs.Database) -> vs.indicators.Evaluation:
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "stations": STATIONS,
            "staff": STAFF,
            "guidance_visits": GUIDANCE,
        },
    )
    return db.evaluate(CITY, "2026Q3", as_of=AS_OF)


def reasons(result) -> list[tuple[str, str]]:
    return [(s.unit, s.reason.render("zh")) for s in result.shortfalls]


def test_county_centre(ev):
    # 宝塔区: director, 2 full-time active at E (S2 ended the day before E), posts 3: short.
    # 延长县: no director, 1 full-time, posts unknown so 2 required.
    result = ev["staff.county_centre"]
    assert (result.numerator, result.denominator, result.status) == (
        0,
        2,
        Status.NOT_MET,
    )
    assert reasons(result) == [
        (BAOTA, "专职人员 2 人，应不少于 3 人"),
        (YANCHANG, "没有主任；专职人员 1 人，应不少于 2 人"),
    ]


def test_township_fulltime_and_dedicated(ev):
    # 宝塔山街道 2 (T1, T2); 李渠镇 0 (T3 starts after E); 七里村街道 2 (T4, T5; T6 not full-time).
    result = ev["staff.township_fulltime"]
    assert (result.numerator, result.denominator) == (2, 3)
    assert reasons(result) == [("610602100000", "专职人员 0 人，应不少于 2 人")]
    assert ev.figure("staff.township_fulltime", BAOTA).value == 0.5
    # Full-time at township stations at E: T1, T2 (other duties), T4, T5 (empty = not true).
    dedicated = ev["staff.dedicated"]
    assert (dedicated.numerator, dedicated.denominator) == (3, 4)


def test_monthly_guidance(ev):
    # Villages under townships with a station: 杨家岭社区, 李渠村, 七里村社区 (黑家堡镇 has none);
    # 3 months each = 9 pairs. Visited: 杨家岭 July and September, 李渠村 August (June and
    # October are outside) = 3.
    result = ev["staff.monthly_guidance"]
    assert (result.numerator, result.denominator) == (3, 9)
    assert ev.figure("staff.monthly_guidance", BAOTA).numerator == 3
    assert ev.figure("staff.monthly_guidance", BAOTA).denominator == 6
    assert ev.figure("staff.monthly_guidance", YANCHANG).value == 0.0


def test_groups_and_volunteers(ev):
    community = ev["staff.community_group"]
    assert (community.numerator, community.denominator) == (1, 2)
    assert reasons(community) == [("610621001001", "领导小组没有网格员")]
    village = ev["staff.village_group"]
    assert (village.numerator, village.denominator) == (1, 2)
    assert reasons(village) == [
        ("610621100001", "领导小组没有村民小组长；志愿者 1 人，应不少于 2 人")
    ]
    military = ev["staff.volunteers_military"]
    # Volunteers at village level: 杨家岭 3 (V1 served), 七里村社区 3 (none), 李渠村 2 (V4), 黑家堡村 1 (V6).
    assert (military.numerator, military.denominator, military.status) == (
        3,
        9,
        Status.NO_TARGET,
    )
    assert ev.figure("staff.volunteers_military", BAOTA).value == 2 / 5


def test_local_standard_of_three(sqlite_url: str):
    from vetservice.indicators import Override
    from vetservice.testing import make_plugins

    class Local:
        @vs.hookimpl
        def vetservice_register_overrides(self) -> list[Override]:
            return [Override("staff.township_fulltime", BAOTA, {"min_fulltime": 3})]

    db = vs.open(sqlite_url, plugins=make_plugins(Local()))
    load_records(db, {"units": SMALL_HIERARCHY, "stations": STATIONS, "staff": STAFF})
    result = db.evaluate(CITY, "2026Q3", as_of=AS_OF)["staff.township_fulltime"]
    # 宝塔山街道's 2 are no longer enough in 宝塔区; 七里村街道 keeps the city's 2.
    assert (result.numerator, result.denominator) == (1, 3)
    assert reasons(result)[0] == ("610602001000", "专职人员 2 人，应不少于 3 人")
