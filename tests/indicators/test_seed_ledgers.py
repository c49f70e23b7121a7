"""The rest of the seed (issue 18): households' glory plaques, 身兼数职, 书记过问检查,
接访下访, 一人一事 and 推荐省市关爱基金 — worked out by hand on SMALL_HIERARCHY,
period 2026Q3 (S = 2026-07-01, E = 2026-09-30), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

import vetservice as vs
from vetservice.calendar import DatesByYear, Period, SensitivePeriod
from vetservice.i18n import Bilingual
from vetservice.indicators import Context, Status
from vetservice.indicators.builtin.receptions import held_in_sensitive
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    YANCHANG,
    id_number,
    load_records,
)

BSJ, YJL, LQ, LQC = "610602001000", "610602001001", "610602100000", "610602100001"
QLC, QLCS = "610621001000", "610621001001"

A = {n: id_number("610602", f"1970010{n}", n) for n in range(1, 10)}

# 户编号 H1 in 杨家岭社区 is one household (A1 hung); H2 too (A4, not approved,
# hung); A5, A6, A9 have none and are households alone; A7's H1 lives in
# 李渠村, another household; A8 is approved after E.
VETERANS = f"""\
id_number,name,unit_code,household_id,plaque_approved_on,plaque_hung_on
{A[1]},甲一,{YJL},H1,2026-03-01,2026-04-01
{A[2]},甲二,{YJL},H1,2026-05-01,
{A[3]},甲三,{YJL},H2,2026-06-01,
{A[4]},甲四,{YJL},H2,,2026-08-01
{A[5]},甲五,{YJL},,2026-09-01,2026-10-05
{A[6]},甲六,{YJL},,2026-02-01,2026-09-30
{A[7]},甲七,{LQC},H1,2026-01-01,
{A[8]},甲八,{QLCS},H3,2026-10-01,
{A[9]},甲九,{QLCS},,2026-07-01,2026-07-02
"""

STATIONS = f"""\
unit_code,established_on,posts
{BAOTA},2020-01-01,2
{YANCHANG},2020-01-01,
{BSJ},2020-01-01,
{LQ},2020-01-01,
{QLC},2020-01-01,
"""
# Full-time at E: M2 at 宝塔区 (2021) and 宝塔山街道 (2022); M3 at 宝塔山街道 and
# 李渠镇, both from 2019-05-01 (the lower unit code first); M4 at 李渠镇 (no
# start date: earliest) and 七里村街道; M7 twice at 延长县 (one unit); M8's
# 李渠镇 post ended the day before E.
STAFF = f"""\
person_id,unit_code,name,role,full_time,started_on,ended_on
M1,{BAOTA},乙一,director,是,2020-01-01,
M2,{BAOTA},乙二,staff,是,2021-01-01,
M2,{BSJ},乙二,staff,是,2022-03-01,
M3,{BSJ},乙三,staff,是,2019-05-01,
M3,{LQ},乙三,staff,是,2019-05-01,
M4,{LQ},乙四,staff,是,,
M4,{QLC},乙四,staff,是,2018-01-01,
M5,{QLC},乙五,staff,是,2020-01-01,
M6,{QLC},乙六,staff,是,2020-01-01,
M7,{YANCHANG},乙七,director,是,2020-01-01,
M7,{YANCHANG},乙七,staff,是,2020-01-01,
M8,{LQ},乙八,staff,是,2020-01-01,2026-09-29
M8,{BSJ},乙八,staff,是,2020-01-01,
"""

SECRETARY_CHECKS = f"""\
unit_code,checked_on,secretary,form
{BAOTA},2026-07-15,丙一,briefing
{BSJ},2026-06-30,丙二,ask
{BSJ},2026-10-01,丙二,ask
{LQ},2026-09-30,丙三,inspection
{LQ},2026-08-01,丙三,ask
{YANCHANG},2026-07-01,丙四,过问
"""

PETITIONS = f"""\
case_no,unit_code,received_on,channel,rescreened_on,answered_per_policy,policy_implemented,solved,stable
P1,{YJL},2026-05-01,visit,2026-08-10,是,是,否,是
P2,{YJL},2026-05-01,visit,2026-09-01,是,是,是,是
P3,{QLCS},2026-06-01,letter,2026-07-20,,,,
P4,{LQC},2026-06-01,visit,2026-06-20,否,否,否,否
P5,{LQC},2026-04-01,phone,2026-09-10,是,是,是,否
P6,{QLCS},2026-06-01,visit,,,,,
"""
CASE_PLANS = """\
case_no,drafted_on,leader,due_on,closed_on
P1,2026-08-10,丁一,2026-09-10,2026-09-15
P3,2026-07-01,丁二,2026-08-01,
P3,2026-10-02,丁二,2026-11-01,
P5,2026-09-12,丁三,2026-09-30,
P2,2026-07-05,丁一,2026-07-31,2026-07-31
P4,2026-06-21,丁三,2026-06-30,
"""
# 八一 runs 07-25 to 08-05, 国庆 09-28 to 10-08 (the default sensitive periods).
RECEPTIONS = f"""\
unit_code,held_on,kind,leader,post,people,case_nos
{BAOTA},2026-07-25,接访,戊一,县长,5,P1
{BAOTA},2026-07-24,约访,戊一,县长,1,
{BSJ},2026-08-05,下访,戊二,书记,3,
{BSJ},2026-08-06,下访,戊二,书记,2,
{YANCHANG},2026-09-28,督访,戊三,副县长,,
{YANCHANG},2026-10-01,接访,戊三,副县长,,
{QLC},2026-06-30,接访,戊四,主任,,
{CITY},2026-09-30,接访,戊五,市长,8,P3;P6
"""

# Open 特别困难 cases at E: A1, A2 (two rows), A3 (closed on E), A9; A5 is
# ordinary, A6 empty (ordinary), A7 registered after E, A8 closed before E.
HARDSHIP = f"""\
id_number,registered_on,difficulty,severity,closed_on
{A[1]},2026-01-01,因病,特别困难,
{A[2]},2026-03-01,因病,special,
{A[2]},2026-04-01,因残,特别困难,
{A[3]},2026-02-01,因病,特别困难,2026-09-30
{A[5]},2026-02-01,因病,一般困难,
{A[6]},2026-02-01,因病,,
{A[7]},2026-10-01,因病,特别困难,
{A[8]},2025-05-01,因病,特别困难,2026-09-29
{A[9]},2026-01-01,失业,特别困难,
"""
RECOMMENDATIONS = f"""\
id_number,unit_code,recommended_on,fund_level,outcome,amount,publicized_on
{A[1]},{BAOTA},2026-03-01,省,获助,5000,2026-02-20
{A[3]},{BAOTA},2025-12-01,市,未获助,,
{A[2]},{BAOTA},2026-10-01,市,,,
{A[9]},{YANCHANG},2026-07-01,city,pending,,2026-06-25
{A[5]},{BAOTA},2026-08-01,province,granted,3000.00,2026-10-02
{A[6]},{BSJ},2026-09-30,市,declined,,2026-09-30
"""


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    load_records(
        db,
        {
            "units": SMALL_HIERARCHY,
            "stations": STATIONS,
            "staff": STAFF,
            "veterans": VETERANS,
            "secretary_checks": SECRETARY_CHECKS,
            "petitions": PETITIONS,
            "case_plans": CASE_PLANS,
            "receptions": RECEPTIONS,
            "hardship": HARDSHIP,
            "fund_recommendations": RECOMMENDATIONS,
        },
    )
    return db


@pytest.fixture
def ev(loaded: vs.Database) -> vs.indicators.Evaluation:
    return loaded.evaluate(CITY, "2026Q3", as_of=AS_OF)


def figures(ev, indicator_id: str) -> list[tuple[int, int | None]]:
    """(numerator, denominator) of the city, 宝塔区 and 延长县."""
    return [
        (ev.figure(indicator_id, unit).numerator, ev.figure(indicator_id, unit).denominator)
        for unit in (CITY, BAOTA, YANCHANG)
    ]


def test_plaques_are_counted_by_household(ev):
    # Households with an approved member by E: 杨家岭 H1 (A1 hung 04-01), H2 (A4,
    # not approved, hung 08-01), A5 alone (hung after E), A6 alone (hung on E),
    # 李渠村 H1 (A7, none hung), A9 alone (hung 07-02): 4 of 6. Counted by
    # veteran it would be 3 of 7 (A1, A6, A9 of A1-A3, A5-A7, A9).
    assert figures(ev, "honor.plaque_hung") == [(4, 6), (3, 5), (1, 1)]
    facts = ev["honor.plaque_hung"]
    assert facts.status is Status.NOT_MET


def test_people_full_time_at_several_units(loaded, ev):
    # M2 (counted at 宝塔区, started 2021), M3 (宝塔山街道: same day, lower code),
    # M4 (李渠镇: no start date is the earliest); M7 holds two posts at one unit,
    # M8's second post ended before E.
    assert figures(ev, "staff.multi_post") == [(3, None), (3, None), (0, None)]
    baota = loaded.evaluate(BAOTA, "2026Q3", as_of=AS_OF)
    assert [baota.figure("staff.multi_post", u).numerator for u in (BSJ, LQ)] == [1, 1]
    assert ev["staff.multi_post"].status is Status.NOT_MET


def test_a_person_counts_full_time_at_one_unit_only(ev):
    # 宝塔区: M1 and M2 = 2 of 2 posts, a director: met. 延长县: M7 once (two
    # rows, one person) < 2: not met (counting rows it would be met).
    assert (ev["staff.county_centre"].numerator, ev["staff.county_centre"].denominator) == (1, 2)
    # 宝塔山街道: M3, M8 = 2 (M2 counts at 宝塔区); 李渠镇: M4 only = 1 (M3 counts
    # at 宝塔山街道, M8 ended); 七里村街道: M5, M6 = 2 (M4 counts at 李渠镇).
    result = ev["staff.township_fulltime"]
    assert (result.numerator, result.denominator) == (2, 3)
    assert [(s.unit, s.reason.render("zh")) for s in result.shortfalls] == [
        (LQ, "专职人员 1 人，应不少于 2 人")
    ]


def test_secretary_checks(ev):
    # Counties and townships: 宝塔区 (07-15), 李渠镇 (two) and 延长县 (07-01) were
    # checked in P; 宝塔山街道 only before and after P; 七里村街道, 黑家堡镇 never.
    assert figures(ev, "lead.secretary_checked") == [(3, 6), (2, 3), (1, 3)]
    result = ev["lead.secretary_checked"]
    assert result.status is Status.NOT_MET
    assert sorted(s.unit for s in result.shortfalls) == [BSJ, QLC, "610621100000"]
    assert result.shortfalls[0].reason.render("zh") == "报告期内书记没有过问检查退役军人工作"


def test_receptions_by_kind_and_in_sensitive_periods(ev):
    # In P: 接访 宝塔区 07-25 and 延安市 09-30; 约访 宝塔区 07-24; 下访 宝塔山街道
    # 08-05 and 08-06; 督访 延长县 09-28 (06-30 and 10-01 fall outside P).
    assert figures(ev, "pet.receptions.reception") == [(2, None), (1, None), (0, None)]
    assert figures(ev, "pet.receptions.appointment") == [(1, None), (1, None), (0, None)]
    assert figures(ev, "pet.receptions.outreach") == [(2, None), (2, None), (0, None)]
    assert figures(ev, "pet.receptions.supervision") == [(1, None), (0, None), (1, None)]
    # Inside 八一 (07-25, 08-05: its first and last day) and 国庆 (09-28, 09-30).
    assert figures(ev, "pet.receptions_sensitive") == [(4, None), (2, None), (1, None)]
    assert ev["pet.receptions_sensitive"].status is Status.NO_TARGET


def test_a_sensitive_period_with_a_scope_concerns_only_its_units(loaded):
    # A county's own period on 07-24 and 08-06: only 宝塔区's subtree.
    own = SensitivePeriod(
        id="baota.meeting",
        name=Bilingual("宝塔区会议", "Baota meeting"),
        rule=DatesByYear(
            ((dt.date(2026, 7, 24), dt.date(2026, 7, 24)), (dt.date(2026, 8, 6), dt.date(2026, 8, 6)))
        ),
        scope=BAOTA,
    )
    elsewhere = SensitivePeriod(
        id="yanchang.meeting",
        name=Bilingual("延长县会议", "Yanchang meeting"),
        rule=DatesByYear(((dt.date(2026, 9, 30), dt.date(2026, 9, 30)),)),
        scope=YANCHANG,
    )
    ctx = Context(Period.parse("2026Q3", AS_OF), "pet.receptions_sensitive", {})
    query = held_in_sensitive(ctx, [own, elsewhere]).subquery()
    with loaded.engine.connect() as conn:
        rows = conn.execute(
            sa.select(query.c.unit_code, query.c.held_on).order_by(query.c.held_on)
        ).all()
    # 07-24 (宝塔区) and 08-06 (宝塔山街道, under 宝塔区); the city's 09-30 is
    # outside 延长县's subtree.
    assert [(u, str(d)) for u, d in rows] == [(BAOTA, "2026-07-24"), (BSJ, "2026-08-06")]


def test_findings_need_a_case_plan(ev):
    # Re-screened in P with a check not true: P1 (solved 否; plan on the
    # re-screen day), P3 (all empty; its plans are before the re-screen and
    # after E), P5 (stable 否; plan 09-12). P2 all true, P4 re-screened before P.
    assert figures(ev, "pet.flags_planned") == [(2, 3), (2, 2), (0, 1)]


def test_case_plans_past_their_due_date(ev):
    # Due before E and not closed by then: P1 (closed 09-15 > due 09-10), P3's
    # first (never closed), P4 (due 06-30). P2 closed on its due day; P5 is
    # due on E; P3's second is due after E.
    assert figures(ev, "pet.plans_overdue") == [(3, None), (2, None), (1, None)]


def test_the_hardest_cases_are_recommended(ev):
    # Open 特别困难 at E: A1 (recommended 2026-03-01), A2 (only after E), A3
    # (closed on E, still open; recommended in 2025), A9 (07-01, 延长县).
    assert figures(ev, "fund.recommended") == [(2, 4), (1, 3), (1, 1)]


def test_recommendations_are_publicized(ev):
    # Recommended in P: A9 by 延长县 (publicized before), A5 by 宝塔区
    # (publicized after E), A6 by 宝塔山街道 (on E).
    assert figures(ev, "fund.recommendations_publicized") == [(2, 3), (1, 2), (1, 1)]


def _problems(db: vs.Database, records: dict[str, str]) -> list[str]:
    with pytest.raises(vs.ImportRejected) as caught:
        load_records(db, records)
    return [p.render("zh") for p in caught.value.problems]


def test_the_new_ledgers_refuse_bad_rows(loaded):
    assert _problems(
        loaded,
        {"receptions": f"区划代码,日期,方式,领导姓名,信访编号\n{BAOTA},2026-08-01,接访,戊一,P1;P9;P8\n"},
    ) == ["receptions.csv 第 2 行“信访编号”列：没有编号为 P9、P8 的信访事项，请先导入信访事项"]
    assert _problems(
        loaded,
        {"secretary_checks": f"区划代码,过问检查日期,书记姓名,方式\n{YJL},2026-08-01,丙五,过问\n"},
    ) == [
        "secretary_checks.csv 第 2 行“区划代码”列：单位 610602001001 是“村社区”级，这里需要“县区或乡镇街道”级单位"
    ]
    assert _problems(
        loaded, {"case_plans": "信访编号,制定日期,包案领导\nP9,2026-08-01,丁一\n"}
    ) == ["case_plans.csv 第 2 行“信访编号”列：没有编号为 P9 的信访事项，请先导入信访事项"]
    assert _problems(
        loaded,
        {
            "fund_recommendations": f"身份证号,推荐单位代码,推荐日期,基金级别,结果,金额\n{A[7]},{BAOTA},2026-08-01,省,待定,100\n"
        },
    ) == ["fund_recommendations.csv 第 2 行“金额”列：只有获助的推荐才填金额"]
    assert _problems(
        loaded,
        {"case_plans": "信访编号,制定日期,包案领导,办结时限\nP2,2026-08-01,丁一,2026-07-01\n"},
    ) == ["case_plans.csv 第 2 行“办结时限”列：办结时限（2026-07-01）早于制定日期（2026-08-01）"]
    assert loaded.counts()["receptions"] == 8


def test_a_petition_a_reception_names_is_not_deleted(loaded, tmp_path):
    path = tmp_path / "petitions.csv"
    # P6 has no plan: only the city's reception names it.
    path.write_text("case_no\nP6\n", encoding="utf-8")
    with pytest.raises(vs.ImportRejected) as caught:
        loaded.delete_file("petitions", [path])
    shown = [p.render("zh") for p in caught.value.problems]
    assert shown == ["petitions.csv：P6 仍被 1 条领导接访下访记录引用，请先删除那些记录"]
    assert loaded.counts()["petitions"] == 6
