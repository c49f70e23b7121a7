"""经常性工作 indicators, worked out by hand on SMALL_HIERARCHY.

Units: 延安市 (city); 宝塔区 (county) with 宝塔山街道 (street, community
杨家岭社区) and 李渠镇 (town, village 李渠村); 延长县 (county) with 七里村街道
(street, community 七里村社区) and 黑家堡镇 (town, village 黑家堡村).

Main period 2026Q3: S = 2026-07-01, E = 2026-09-30 (as of 2026-11-28), three
months. Partial period: 2026Q4 as of 2026-10-01, so S = E = 2026-10-01 and one
month (2026-10).
"""

from __future__ import annotations

import datetime as dt

import pytest

import vetservice as vs
from vetservice.domain.identity import mask_id_number
from vetservice.indicators import Explanation, Override, Status, Target
from vetservice.testing import (
    AS_OF,
    BAOTA,
    BSJ,
    CITY,
    HJB,
    HJBC,
    LQ,
    LQC,
    QLC,
    QLCS,
    SMALL_HIERARCHY,
    YANCHANG,
    YJL,
    id_number,
    load_records,
    make_plugins,
)

PARTIAL_AS_OF = dt.date(2026, 10, 1)

V1, V2, V3, V4, V5, V6, V7 = (id_number("612601", "19700101", n) for n in range(1, 8))
SOLDIER = id_number("610602", "20000101", 9)  # a serving soldier who gets a 喜报

# Stations at E = 2026-09-30: 延安市, 宝塔区, 宝塔山街道, 杨家岭社区 (established
# on E itself), 延长县, 七里村街道 = 6 (宝塔区 subtree 3, 延长县 subtree 2).
# Not stations: 李渠镇 (established 2026-10-01, the day after E; a station in
# the partial Q4), 李渠村 (row with no date), 黑家堡镇 and 黑家堡村 (no row).
STATIONS = f"""\
unit_code,established_on
{CITY},2019-01-01
{BAOTA},2019-01-01
{BSJ},2020-01-01
{YJL},2026-09-30
{LQ},2026-10-01
{LQC},
{YANCHANG},2020-01-01
{QLC},2020-01-01
"""

ACTIVITIES = f"""\
unit_code,held_on,type,title,participants
{BSJ},2026-06-30,study,六月学习,10
{BSJ},2026-07-01,study,七一学习,12
{BSJ},2026-07-15,party,主题党日,8
{BSJ},2026-08-01,honor,送光荣牌,5
{BSJ},2026-08-10,visit,走访慰问,4
{BSJ},2026-09-30,volunteer,植树,20
{BSJ},2026-09-30,culture,篮球赛,16
{BSJ},2026-10-01,special,重阳联谊,30
{BSJ},2026-10-02,study,十月学习,9
{BAOTA},2026-08-20,special,红色寻访,25
{BAOTA},2026-08-21,study,政策宣讲,40
{YJL},2026-07-05,culture,棋类比赛,6
{LQ},2026-07-10,study,李渠学习,7
{LQ},2026-10-01,party,李渠党日,9
{LQC},2026-08-05,volunteer,李渠村志愿服务,5
{HJB},2026-08-01,visit,黑家堡慰问,3
{CITY},2026-09-15,honor,市级表彰,100
{QLC},2026-07-01,study,七里村学习,10
{QLC},2026-07-20,study,七里村再学习,10
{QLC},2026-07-21,volunteer,七里村志愿服务,10
{QLC},2026-07-22,visit,七里村慰问,10
{QLC},2026-07-23,party,七里村党日,10
{QLC},2026-07-24,honor,七里村送喜报,10
"""

STAFF = f"""\
person_id,unit_code,name,role,started_on,ended_on
S1,{BSJ},张一,staff,,
S2,{LQ},李一,staff,,2026-09-29
S3,{QLC},王一,staff,2026-10-01,
S4,{HJBC},郑一,volunteer,2026-09-30,
"""

VETERANS = f"""\
id_number,name,unit_code,party_member,branch_enrolled,key_attention,in_volunteer_team,contact_person_id,plaque_approved_on,plaque_hung_on
{V1},甲,{YJL},是,是,是,是,S1,2026-01-01,2026-09-30
{V2},乙,{LQC},是,否,是,否,S2,2026-09-30,2026-10-01
{V3},丙,{QLCS},否,,否,,,2026-10-01,
{V4},丁,{QLCS},是,是,是,是,S3,2025-05-01,
{V5},戊,{HJBC},是,,是,否,S4,2026-06-01,2026-06-20
{V6},己,{HJBC},否,,,是,,,
{V7},庚,{QLCS},是,是,是,否,,,
"""

VISITS = f"""\
id_number,visited_on,reason,staff_person_id
{V1},2026-07-01,holiday,S1
{V2},2026-06-30,routine,S2
{V2},2026-10-01,holiday,S2
{V4},2026-09-30,illness,
{V5},2026-08-15,holiday,S4
{V5},2026-09-29,holiday,S4
{V6},2026-09-10,holiday,
"""

HONORS = f"""\
kind,recipient,unit_code,delivered_on,note
good_news,王某,{YJL},2026-07-01,三等功
good_news,赵某,{YJL},2026-10-01,
good_news,孙某,{QLCS},2026-09-30,
good_news,钱某,{QLCS},2026-06-30,
blessing,李某,{LQC},2026-08-01,
good_news,{SOLDIER},{BAOTA},2026-08-08,优秀士兵
"""

RECORDS = {
    "units": SMALL_HIERARCHY,
    "stations": STATIONS,
    "activities": ACTIVITIES,
    "staff": STAFF,
    "veterans": VETERANS,
    "visits": VISITS,
    "honors": HONORS,
}


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    load_records(db, RECORDS)
    return db


@pytest.fixture
def ev(loaded: vs.Database):
    return loaded.evaluate(CITY, "2026Q3", as_of=AS_OF)


def figures(ev, indicator: str, unit: str | None = None):
    f = ev[indicator].figure if unit is None else ev.figure(indicator, unit)
    return f.numerator, f.denominator, f.value, f.status


def reasons(result) -> list[tuple[str, str]]:
    return [(s.unit, s.reason.render("zh")) for s in result.shortfalls]


# ---------------------------------------------------------------------------
# act.count.TYPE


def test_counts_only_at_stations_and_in_the_period(ev):
    # In Q3 at stations (宝塔山街道 06-30 is the day before S, 10-01 and 10-02 after
    # E; 李渠镇 07-10 is not counted, its station dates from 10-01; 李渠村's station
    # has no date; 黑家堡镇 has no station):
    # study: 宝塔山街道 07-01 (S), 宝塔区 08-21 | 七里村街道 07-01, 07-20 = 2 + 2
    # party: 宝塔山街道 07-15 | 七里村街道 07-23 = 1 + 1
    # honor: 宝塔山街道 08-01 | 七里村街道 07-24, and the city centre 09-15 = 1 + 1 + 1
    # visit: 宝塔山街道 08-10 | 七里村街道 07-22 (黑家堡镇 not) = 1 + 1
    # volunteer: 宝塔山街道 09-30 (E) | 七里村街道 07-21 (李渠村 not) = 1 + 1
    # culture: 宝塔山街道 09-30 (E), 杨家岭社区 07-05 (station established on E) | none
    # special: 宝塔区 08-20 (宝塔山街道 10-01 is after E) | none
    expected = {
        "study": (4, 2, 2),
        "party": (2, 1, 1),
        "honor": (3, 1, 1),
        "visit": (2, 1, 1),
        "volunteer": (2, 1, 1),
        "culture": (2, 2, 0),
        "special": (1, 1, 0),
    }
    for kind, (city, baota, yanchang) in expected.items():
        indicator = f"act.count.{kind}"
        assert figures(ev, indicator) == (city, None, city, Status.NO_TARGET), kind
        assert figures(ev, indicator, BAOTA) == (baota, None, baota, Status.NO_TARGET)
        assert figures(ev, indicator, YANCHANG)[:3] == (yanchang, None, yanchang)


def test_counts_at_a_unit_without_a_station_are_zero(loaded: vs.Database):
    ev = loaded.evaluate(YANCHANG, "2026Q3", as_of=AS_OF)
    # 黑家堡镇 held a visit on 08-01 but has no station: 0, not no data.
    assert figures(ev, "act.count.visit", HJB) == (0, None, 0, Status.NO_TARGET)
    assert figures(ev, "act.count.visit", QLC)[2] == 1


# ---------------------------------------------------------------------------
# act.regularity


def test_regularity_rolls_up_as_sums(ev):
    # (station, month) pairs with an activity, months 07, 08, 09:
    # 延安市 09 = 1; 宝塔区 08 = 1; 宝塔山街道 07, 08, 09 = 3; 杨家岭社区 07 = 1;
    # 延长县 none = 0; 七里村街道 07 = 1 (six activities, one month).
    # 宝塔区 subtree: 5 of 3 stations × 3 months = 5/9; 延长县: 1 of 2 × 3 = 1/6;
    # city: 1 + 5 + 1 = 7 of 6 × 3 = 18.
    assert figures(ev, "act.regularity") == (7, 18, 7 / 18, Status.NOT_MET)
    assert figures(ev, "act.regularity", BAOTA) == (5, 9, 5 / 9, Status.NOT_MET)
    assert figures(ev, "act.regularity", YANCHANG) == (1, 6, 1 / 6, Status.NOT_MET)
    # Not the average of the counties' ratios ((5/9 + 1/6) / 2 = 0.361 ≠ 0.389).
    assert ev["act.regularity"].value != pytest.approx((5 / 9 + 1 / 6) / 2)


def test_regularity_below_the_county(loaded: vs.Database):
    ev = loaded.evaluate(BAOTA, "2026Q3", as_of=AS_OF)
    # 宝塔山街道 (with 杨家岭社区): 3 + 1 of 2 stations × 3 months; 宝塔山街道's
    # own months all have an activity but 杨家岭社区 only July.
    assert figures(ev, "act.regularity", BSJ) == (4, 6, 4 / 6, Status.NOT_MET)
    # 李渠镇 and 李渠村 are not stations at E: no data.
    assert figures(ev, "act.regularity", LQ) == (0, 0, None, Status.NO_DATA)


def test_regularity_parameter_and_target_overrides_nearest_ancestor(db_url: str):
    class Local:
        @vs.hookimpl
        def vetservice_register_overrides(self) -> list[Override]:
            return [
                Override(
                    "act.regularity", CITY, {"min_activities": 3}, Target(">=", 0.25)
                ),
                Override(
                    "act.regularity", BAOTA, {"min_activities": 2}, Target(">=", 0.5)
                ),
            ]

    db = vs.open(db_url, plugins=make_plugins(Local()))
    try:
        load_records(db, RECORDS)
        ev = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    finally:
        db.close()
    # 宝塔区 subtree, its own override (≥ 2 a month): 宝塔区 08 (08-20, 08-21) = 1;
    # 宝塔山街道 07 (07-01, 07-15), 08 (08-01, 08-10), 09 (two on 09-30) = 3;
    # 杨家岭社区 07 has only 1 = 0. 4/9 (it would be 0/9 under the city's 3).
    # Elsewhere the city's override (≥ 3): 延安市 09 has 1 = 0; 七里村街道 07 has 6 = 1.
    # City: 0 + 4 + 1 = 5/18 = 0.278 ≥ 0.25 met; 宝塔区 0.444 < 0.5 not met
    # (its own target); 延长县 1/6 < 0.25 (the city's target) not met.
    assert figures(ev, "act.regularity") == (5, 18, 5 / 18, Status.MET)
    assert figures(ev, "act.regularity", BAOTA) == (4, 9, 4 / 9, Status.NOT_MET)
    assert ev.figure("act.regularity", BAOTA).target == Target(">=", 0.5)
    assert figures(ev, "act.regularity", YANCHANG) == (1, 6, 1 / 6, Status.NOT_MET)
    assert ev.figure("act.regularity", YANCHANG).target == Target(">=", 0.25)
    # Other indicators keep their defaults.
    assert ev.figure("act.all_kinds", BAOTA).target == Target(">=", 1.0)


# ---------------------------------------------------------------------------
# act.all_kinds


def test_all_kinds_with_reasons(ev):
    # Six stations; only 宝塔山街道 held all six core kinds in Q3 (07-01 study …
    # 09-30 volunteer and culture). 宝塔区 1 of 3, 延长县 0 of 2, city 1 of 6.
    assert figures(ev, "act.all_kinds") == (1, 6, 1 / 6, Status.NOT_MET)
    assert figures(ev, "act.all_kinds", BAOTA) == (1, 3, 1 / 3, Status.NOT_MET)
    assert figures(ev, "act.all_kinds", YANCHANG) == (0, 2, 0.0, Status.NOT_MET)
    assert reasons(ev["act.all_kinds"]) == [
        (CITY, "缺少：学习教育、党建、走访慰问、志愿服务、文体"),  # honor only
        (BAOTA, "缺少：党建、荣誉激励、走访慰问、志愿服务、文体"),  # study, special
        (YJL, "缺少：学习教育、党建、荣誉激励、走访慰问、志愿服务"),  # culture only
        (YANCHANG, "缺少：学习教育、党建、荣誉激励、走访慰问、志愿服务、文体"),
        (QLC, "缺少：文体"),
    ]
    assert ev["act.all_kinds"].shortfalls[-1].reason.render("en") == "missing: culture"


# ---------------------------------------------------------------------------
# Veterans: volunteers, party branches, plaques, contact, visits.


def test_veteran_volunteers(ev):
    # All 7 veterans; in a team: 甲, 丁, 己 (丙's empty cell is not true).
    # 宝塔区: 甲, 乙 → 1/2; 延长县: 丙 丁 戊 己 庚 → 2/5; city 3/7 (≠ (1/2 + 2/5) / 2).
    assert figures(ev, "act.veteran_volunteers") == (3, 7, 3 / 7, Status.NO_TARGET)
    assert figures(ev, "act.veteran_volunteers", BAOTA) == (1, 2, 0.5, Status.NO_TARGET)
    assert figures(ev, "act.veteran_volunteers", YANCHANG) == (
        2,
        5,
        0.4,
        Status.NO_TARGET,
    )
    assert ev["act.veteran_volunteers"].value != pytest.approx((1 / 2 + 2 / 5) / 2)


def test_party_branch_enrolled(ev):
    # Party members: 甲 (enrolled), 乙 (no) | 丁 (yes), 戊 (empty: no), 庚 (yes).
    assert figures(ev, "party.branch_enrolled") == (3, 5, 0.6, Status.NOT_MET)
    assert figures(ev, "party.branch_enrolled", BAOTA) == (1, 2, 0.5, Status.NOT_MET)
    assert figures(ev, "party.branch_enrolled", YANCHANG) == (
        2,
        3,
        2 / 3,
        Status.NOT_MET,
    )


def test_party_branch_below_the_county(loaded: vs.Database):
    ev = loaded.evaluate(YANCHANG, "2026Q3", as_of=AS_OF)
    assert figures(ev, "party.branch_enrolled", QLC) == (2, 2, 1.0, Status.MET)
    assert figures(ev, "party.branch_enrolled", HJB) == (0, 1, 0.0, Status.NOT_MET)
    # 黑家堡镇's one key veteran, 戊, has a serving contact: S4 started on E itself.
    assert figures(ev, "visit.key_contact", HJB) == (1, 1, 1.0, Status.MET)


def test_plaque_hung(ev):
    # Approved on or before E: 甲 (01-01), 乙 (on E), 丁 (2025-05-01), 戊 (06-01);
    # 丙 approved the day after E is not counted. Hung by E: 甲 (on E), 戊;
    # 乙 hung the day after E. 宝塔区 甲 乙 → 1/2; 延长县 丁 戊 → 1/2.
    assert figures(ev, "honor.plaque_hung") == (2, 4, 0.5, Status.NOT_MET)
    assert figures(ev, "honor.plaque_hung", BAOTA) == (1, 2, 0.5, Status.NOT_MET)
    assert figures(ev, "honor.plaque_hung", YANCHANG) == (1, 2, 0.5, Status.NOT_MET)


def test_good_news(ev):
    # Good news in Q3: 王某 07-01 (S), 孙某 09-30 (E), the soldier 08-08.
    # Not: 赵某 10-01, 钱某 06-30 (outside), 李某 (a blessing, not good news).
    assert figures(ev, "honor.good_news") == (3, None, 3, Status.NO_TARGET)
    assert figures(ev, "honor.good_news", BAOTA)[2] == 2
    assert figures(ev, "honor.good_news", YANCHANG)[2] == 1


def test_key_contact(ev):
    # Key veterans: 甲 (S1 serving), 乙 (S2 left 09-29, the day before E),
    # 丁 (S3 starts 10-01, the day after E), 戊 (S4 started on E), 庚 (no contact).
    assert figures(ev, "visit.key_contact") == (2, 5, 0.4, Status.NOT_MET)
    assert figures(ev, "visit.key_contact", BAOTA) == (1, 2, 0.5, Status.NOT_MET)
    assert figures(ev, "visit.key_contact", YANCHANG) == (1, 3, 1 / 3, Status.NOT_MET)


def test_key_visited_and_holiday_visits(ev):
    # Visited in Q3: 甲 07-01 (S), 丁 09-30 (E), 戊 08-15 and 09-29 (once counted);
    # 乙 only 06-30 and 10-01 (outside); 庚 never. 宝塔区 1/2, 延长县 2/3.
    assert figures(ev, "visit.key_visited") == (3, 5, 0.6, Status.NOT_MET)
    assert figures(ev, "visit.key_visited", BAOTA) == (1, 2, 0.5, Status.NOT_MET)
    assert figures(ev, "visit.key_visited", YANCHANG) == (2, 3, 2 / 3, Status.NOT_MET)
    # Holiday visits in Q3: 甲 07-01 | 戊 08-15, 戊 09-29, 己 09-10 (not a key
    # veteran, still counted); 乙's holiday visit on 10-01 is after E.
    assert figures(ev, "visit.holiday") == (4, None, 4, Status.NO_TARGET)
    assert figures(ev, "visit.holiday", BAOTA)[2] == 1
    assert figures(ev, "visit.holiday", YANCHANG)[2] == 3


# ---------------------------------------------------------------------------
# A partial period, an empty database, drill-through, sources.


def test_partial_period_cut_at_as_of(loaded: vs.Database):
    ev = loaded.evaluate(CITY, "2026Q4", as_of=PARTIAL_AS_OF)
    assert ev.period.partial and ev.period.end == PARTIAL_AS_OF
    # Stations at E = 10-01: the six of Q3 and 李渠镇 (established that day) = 7.
    # Activities on 10-01: 宝塔山街道 special, 李渠镇 party; 10-02 study is after E.
    assert ev["act.count.special"].value == 1
    assert ev["act.count.party"].value == 1
    assert ev["act.count.study"].value == 0
    # One month (2026-10): 宝塔山街道 and 李渠镇 active: 2 of 7 station-months;
    # 宝塔区 2 of 4 (宝塔区, 宝塔山街道, 杨家岭社区, 李渠镇); 延长县 0 of 2.
    assert figures(ev, "act.regularity") == (2, 7, 2 / 7, Status.NOT_MET)
    assert figures(ev, "act.regularity", BAOTA) == (2, 4, 0.5, Status.NOT_MET)
    assert figures(ev, "act.regularity", YANCHANG) == (0, 2, 0.0, Status.NOT_MET)
    assert figures(ev, "act.all_kinds")[:2] == (0, 7)
    # 丁's contact S3 serves from 10-01 = E: 甲, 丁, 戊 of 5.
    assert figures(ev, "visit.key_contact")[:2] == (3, 5)
    # 乙 visited on 10-01 (a holiday visit): 1 of 5 key veterans.
    assert figures(ev, "visit.key_visited")[:2] == (1, 5)
    assert ev["visit.holiday"].value == 1
    assert ev["honor.good_news"].value == 1  # 赵某 10-01
    # Approved by 10-01: 甲 乙 丙 丁 戊; hung by 10-01: 甲, 乙 (that day), 戊.
    assert figures(ev, "honor.plaque_hung")[:2] == (3, 5)


def test_no_records_means_no_data_or_zero(db: vs.Database):
    load_records(db, {"units": SMALL_HIERARCHY})
    ev = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    for indicator in (
        "act.regularity",
        "act.veteran_volunteers",
        "act.all_kinds",
        "party.branch_enrolled",
        "honor.plaque_hung",
        "visit.key_contact",
        "visit.key_visited",
    ):
        for unit in (CITY, BAOTA, YANCHANG):
            assert figures(ev, indicator, unit) == (0, 0, None, Status.NO_DATA), (
                indicator
            )
    assert not ev["act.all_kinds"].shortfalls
    for indicator in (
        *(f"act.count.{t}" for t in ("study", "special")),
        "honor.good_news",
        "visit.holiday",
    ):
        for unit in (CITY, BAOTA, YANCHANG):
            assert figures(ev, indicator, unit) == (0, None, 0, Status.NO_TARGET)


def test_explain_key_visited_masks_id_numbers(loaded: vs.Database):
    explanation = loaded.explain("visit.key_visited", YANCHANG, "2026Q3", as_of=AS_OF)
    rows = sorted(explanation.rows, key=lambda r: (r["unit_code"], r["name"]))
    assert [
        (
            r["unit_code"],
            r["name"],
            r["id_number"],
            r["visits"],
            r["last_visit"],
            r["numerator"],
        )
        for r in rows
    ] == [
        # Names masked by lineage (veterans.name is declared personal).
        (QLCS, "丁*", mask_id_number(V4), 1, dt.date(2026, 9, 30), 1),
        (QLCS, "庚*", mask_id_number(V7), 0, None, 0),
        (HJBC, "戊*", mask_id_number(V5), 2, dt.date(2026, 9, 29), 1),
    ]
    assert rows[0]["id_number"] == "612601********" + V4[-4:]
    assert (explanation.numerator, explanation.denominator) == (2, 3)
    shown = loaded.explain(
        "visit.key_visited", YANCHANG, "2026Q3", as_of=AS_OF, show_pii=True
    )
    assert {r["id_number"] for r in shown.rows} == {V4, V5, V7}


def test_explain_good_news_masks_the_recipient_name_or_id_number(
    loaded: vs.Database,
):
    """honors.recipient is personal (a name or an id number): masked in
    drill-through as a name or as an id number, shown whole with show_pii."""

    def table(explanation: Explanation) -> list[tuple[object, ...]]:
        rows = sorted(explanation.rows, key=lambda r: r["delivered_on"])
        return [
            (
                r["unit_code"],
                r["recipient"],
                r["recipient_id_number"],
                r["delivered_on"],
            )
            for r in rows
        ]

    explanation = loaded.explain("honor.good_news", BAOTA, "2026Q3", as_of=AS_OF)
    assert table(explanation) == [
        (YJL, "王*", None, dt.date(2026, 7, 1)),
        (BAOTA, None, mask_id_number(SOLDIER), dt.date(2026, 8, 8)),
    ]
    assert explanation.numerator == 2
    shown = loaded.explain(
        "honor.good_news", BAOTA, "2026Q3", as_of=AS_OF, show_pii=True
    )
    assert table(shown) == [
        (YJL, "王某", None, dt.date(2026, 7, 1)),
        (BAOTA, None, SOLDIER, dt.date(2026, 8, 8)),
    ]


def test_explain_regularity_lists_station_months(loaded: vs.Database):
    explanation = loaded.explain("act.regularity", YANCHANG, "2026Q3", as_of=AS_OF)
    rows = sorted(
        (r["unit_code"], r["month"], r["activities"], r["numerator"])
        for r in explanation.rows
    )
    assert rows == [
        (YANCHANG, "2026-07", 0, 0),
        (YANCHANG, "2026-08", 0, 0),
        (YANCHANG, "2026-09", 0, 0),
        (QLC, "2026-07", 6, 1),
        (QLC, "2026-08", 0, 0),
        (QLC, "2026-09", 0, 0),
    ]
