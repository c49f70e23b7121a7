"""服务保障 indicators, worked out by hand on SMALL_HIERARCHY.

Units: 延安市 city; 宝塔区 (community 杨家岭社区 "BY" under 宝塔山街道, village
李渠村 "BL" under 李渠镇) and 延长县 (community 七里村社区 "YQ", village 黑家堡村
"YH"). Main period 2026Q3: S = 2026-07-01, E = 2026-09-30, E's year from
2026-01-01. The partial period is 2026Q4 as of 2026-10-01 (E = 2026-10-01).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import vetservice as vs
from vetservice.hookspecs import hookimpl
from vetservice.indicators import Override, Status
from vetservice.indicators.builtin.services import INDICATORS
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    HJBC,
    LQ,
    LQC,
    QLCS,
    SMALL_HIERARCHY,
    YANCHANG,
    YJL,
    id_number,
    load_records,
    make_plugins,
)

BY, BL = YJL, LQC  # 杨家岭社区, 李渠村
YQ, YH = QLCS, HJBC  # 七里村社区, 黑家堡村
LIQU_TOWN = LQ  # 李渠镇
Q3 = "2026Q3"

MET, NOT_MET, NO_DATA, NO_TARGET = (
    Status.MET,
    Status.NOT_MET,
    Status.NO_DATA,
    Status.NO_TARGET,
)

# Veterans, born (id number characters 7–14); numbers issued before 1996 carry
# the old 延安地区 place codes 612601 (延安市) and 612621 (延长县):
A1 = id_number("612601", "19850315", 1)  # 张一, BY
A2 = id_number("610602", "20080930", 2)  # 王二, BY: 18 exactly on E
A3 = id_number("612601", "19661001", 3)  # 李三, BY: 59 on E, 60 the day after
A7 = id_number("612601", "19660701", 7)  # 钱七, BY: 60 on E
A4 = id_number("610602", "20081001", 4)  # 赵四, BL: 17 on E, 18 the day after
A5 = id_number("612601", "19660930", 5)  # 刘五, BL: 60 exactly on E
A6 = id_number("612601", "19900101", 6)  # 陈六, BL
B1 = id_number("612621", "19800229", 1)  # 杨一, YQ
B2 = id_number("612621", "19750606", 2, male=False)  # 黄二, YQ
B3 = id_number("612621", "19951212", 3)  # 周三, YH
B4 = id_number("612621", "19880808", 4)  # 吴四, YH
# Benefit recipients who are not veterans:
F1 = id_number("612601", "19500505", 9, male=False)  # 孙大娘, BL, martyr's family
R4 = id_number("612621", "19450101", 8)  # 郑五, YH
R5 = id_number("612621", "19600101", 9)  # 冯六, YQ

VETERANS = f"""\
id_number,name,unit_code
{A1},张一,{BY}
{A2},王二,{BY}
{A3},李三,{BY}
{A7},钱七,{BY}
{A4},赵四,{BL}
{A5},刘五,{BL}
{A6},陈六,{BL}
{B1},杨一,{YQ}
{B2},黄二,{YQ}
{B3},周三,{YH}
{B4},吴四,{YH}
"""

SOCIAL_INSURANCE = f"""\
id_number,eligible,status,entered_on,funding,explained
{A1},是,entered,2026-09-30,self,
{A2},是,entered,2026-10-01,employer,
{A3},是,pending,,,
{A4},否,rejected,,,是
{A6},是,entered,2025-05-01,government,
{B1},是,entered,2026-07-01,self,
{B2},是,rejected,,,否
{B3},否,rejected,,,
{B4},是,entered,2026-08-01,self,
"""

HARDSHIP = f"""\
id_number,registered_on,difficulty,measures,dibao_eligible,dibao,other_relief,closed_on
{A1},2026-07-01,illness,医疗救助,是,否,,
{A2},2026-09-30,unemployment,,否,,,
{A3},2026-10-01,other,临时救助,,,,
{A6},2025-03-01,disability,,是,是,,2026-09-30
{A5},2025-01-01,illness,,是,,,2026-09-29
{B1},2026-01-01,unemployment,就业帮扶,是,,,
{B3},2024-06-01,education,,否,,,
{B4},2026-07-01,disaster,临时救助,,,,
{B2},2026-05-01,illness,心理疏导,否,,,
"""

EMPLOYMENT = f"""\
id_number,registered_on,status,skills,wanted_job,wants_training,trained_on
{A1},2026-03-01,employed,,,,
{A2},2026-10-01,seeking,,驾驶员,是,
{A5},2020-04-01,employed,,,,
{A6},2025-05-01,seeking,,电工,是,2025-06-01
{A6},2026-09-30,seeking,,保安,是,
{B1},2026-02-01,seeking,,厨师,是,2026-09-30
{B2},2026-04-01,seeking,,,否,
{B3},2025-01-01,seeking,,,是,2026-10-01
{B3},2026-10-02,employed,,,,
"""

JOB_FAIRS = f"""\
unit_code,held_on,employers,positions,hires
{BAOTA},2025-12-31,10,100,5
{LIQU_TOWN},2026-01-01,8,60,3
{YANCHANG},2026-10-01,12,150,9
"""

CARE_FUNDS = f"""\
unit_code,established_on
{BAOTA},2026-06-30
{YANCHANG},2026-01-01
"""

CARE_FUND_ENTRIES = f"""\
unit_code,entry_no,date,kind,amount,counterparty,publicized_on
{BAOTA},BD1,2026-06-30,donation,10000.00,延安某公司,
{BAOTA},BD2,2026-07-01,donation,5000.50,爱心人士王某,
{BAOTA},BG1,2026-07-01,grant,1200.00,{A1},2026-07-05
{BAOTA},BG2,2026-09-30,grant,800.25,{A6},2026-10-08
{BAOTA},BD3,2026-10-01,donation,3000.00,某商会,
{BAOTA},BG3,2026-10-01,grant,500.00,{A3},
{YANCHANG},YD1,2026-01-01,donation,20000,延长某企业,
{YANCHANG},YG1,2026-06-30,grant,1000.00,{B1},2026-07-02
{YANCHANG},YG2,2026-08-15,grant,2000.00,{B2},2026-08-20
{YANCHANG},YG3,2026-09-01,grant,300.00,{B3},2026-09-30
{YANCHANG},YG4,2026-09-15,grant,100.00,{B1},
"""

BENEFIT_RECIPIENTS = f"""\
id_number,name,unit_code,category,monthly_standard,started_on,ended_on,verified_on
{A1},张一,{BY},disabled,1500.00,2025-08-01,2026-07-31,2026-01-10
{A1},张一,{BY},disabled,1600.00,2026-08-01,,2026-08-05
{F1},孙大娘,{BL},martyr_family,2000.00,2026-09-01,,2025-12-31
{B1},杨一,{YQ},rural_aged,300.00,2024-01-01,2026-07-31,2025-12-31
{R4},郑五,{YH},war_participant,450.00,2020-01-01,,2026-01-01
{R5},冯六,{YQ},other,200.00,2026-09-30,,2026-10-01
"""

BENEFIT_PAYMENTS = f"""\
id_number,category,month,amount,paid_on
{A1},disabled,2026-06,1400.00,2026-06-30
{A1},disabled,2026-07,1500.00,2026-07-31
{A1},disabled,2026-08,1500.00,2026-08-10
{A1},disabled,2026-09,1600.00,2026-10-01
{A1},disabled,2026-10,1550.00,2026-10-01
{F1},martyr_family,2026-09,2000.00,2026-09-20
{B1},rural_aged,2026-07,300.00,2026-07-05
{B1},rural_aged,2026-08,300.00,2026-08-05
{R4},war_participant,2026-07,450.00,2026-07-10
{R4},war_participant,2026-08,450.00,2026-08-31
{R4},war_participant,2026-09,500.00,2026-09-10
{R5},other,2026-09,200.00,2026-09-30
"""

PLACEMENTS = f"""\
id_number,type,received_on,placed_on,legacy,resolved_on
{A1},transferred_cadre,2026-03-01,2026-09-30,,
{A2},nco,2026-09-30,2026-10-01,,
{A3},nco,2026-10-01,,,
{B1},transferred_cadre,2020-05-01,2020-12-01,是,2026-10-01
{B2},nco,2019-01-01,2019-06-01,是,2026-07-01
{B3},nco,2018-01-01,,是,
"""

SERVICE_CONTRACTS = f"""\
unit_code,field,provider,signed_on,expires_on
{BAOTA},legal,宝塔律师事务所,2026-01-01,
{BAOTA},psychological,心理咨询中心,2026-09-30,
{LIQU_TOWN},medical,李渠镇卫生院,2025-01-01,2026-09-30
{BY},elderly_care,杨家岭康养中心,2025-10-01,2026-12-31
610602001000,arts,宝塔文工团,2026-10-01,
{BAOTA},arts,延安歌舞团,2025-01-01,2026-09-29
{YANCHANG},legal,延长律师事务所,2024-01-01,
{YH},medical,黑家堡村卫生室,2026-07-01,
{CITY},arts,市文工团,2020-01-01,
"""

HOME_SERVICES = f"""\
id_number,field,served_on,provider
{A1},legal,2026-06-30,宝塔律师事务所
{A1},medical,2026-07-01,李渠镇卫生院
{A6},psychological,2026-09-30,心理咨询中心
{B2},elderly_care,2026-08-08,
{B2},arts,2026-10-01,
"""

RECORDS = {
    "units": SMALL_HIERARCHY,
    "veterans": VETERANS,
    "social_insurance": SOCIAL_INSURANCE,
    "hardship": HARDSHIP,
    "employment": EMPLOYMENT,
    "job_fairs": JOB_FAIRS,
    "care_funds": CARE_FUNDS,
    "care_fund_entries": CARE_FUND_ENTRIES,
    "benefit_recipients": BENEFIT_RECIPIENTS,
    "benefit_payments": BENEFIT_PAYMENTS,
    "placements": PLACEMENTS,
    "service_contracts": SERVICE_CONTRACTS,
    "home_services": HOME_SERVICES,
}


def _load(db: vs.Database) -> vs.Database:
    result = load_records(db, RECORDS)
    assert not result.warnings, result.warnings
    return db


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    return _load(db)


@pytest.fixture
def q3(loaded: vs.Database) -> vs.Evaluation:
    ev = loaded.evaluate(CITY, Q3, as_of=AS_OF)
    assert not ev.failures, ev.failures
    return ev


def figures(ev: Any, indicator: str) -> dict[str, tuple[Any, ...]]:
    """(numerator, denominator, value, status) at the city and each county."""
    return {
        unit: (f.numerator, f.denominator, f.value, f.status)
        for unit in (CITY, BAOTA, YANCHANG)
        for f in [ev.figure(indicator, unit)]
    }


def figures_at(ev: Any, indicator: str, unit: str) -> tuple[Any, ...]:
    f = ev.figure(indicator, unit)
    return (f.numerator, f.denominator, f.value, f.status)


def reasons(ev: Any, indicator: str) -> list[tuple[str, str]]:
    return [(s.unit, s.reason.render("zh")) for s in ev[indicator].shortfalls]


def money(text: str) -> tuple[Decimal, None, Decimal, Status]:
    return (Decimal(text), None, Decimal(text), NO_TARGET)


# ---------------------------------------------------------------------------
# 社保接续


def test_si_entered(q3: Any):
    # Eligible rows. 宝塔区: A1 entered on E (yes), A2 entered the day after E
    # (no), A3 pending (no), A6 entered 2025 (yes) → 2/4. A4 is not eligible.
    # 延长县: B1 entered on S (yes), B2 rejected (no), B4 (yes) → 2/3. B3 not
    # eligible. City 4/7 — not the average of 1/2 and 2/3.
    assert figures(q3, "si.entered") == {
        CITY: (4, 7, 4 / 7, NOT_MET),
        BAOTA: (2, 4, 0.5, NOT_MET),
        YANCHANG: (2, 3, 2 / 3, NOT_MET),
    }
    assert q3["si.entered"].value != pytest.approx((1 / 2 + 2 / 3) / 2)


def test_si_rejected_explained(q3: Any):
    # Rejected rows: A4 explained (宝塔区 1/1); B2 explained 否, B3 empty
    # (延长县 0/2). City 1/3.
    assert figures(q3, "si.rejected_explained") == {
        CITY: (1, 3, 1 / 3, NOT_MET),
        BAOTA: (1, 1, 1.0, MET),
        YANCHANG: (0, 2, 0.0, NOT_MET),
    }


# ---------------------------------------------------------------------------
# 困难家庭


def test_hardship_measures(q3: Any):
    # Open at E: 宝塔区 A1 (registered on S, measures), A2 (registered on E, no
    # measures), A6 (closed on E: still open that day, no measures) → 1/3.
    # Not: A3 (registered the day after E), A5 (closed the day before E).
    # 延长县: B1, B4, B2 with measures, B3 without → 3/4. City 4/7.
    assert figures(q3, "hardship.measures") == {
        CITY: (4, 7, 4 / 7, NOT_MET),
        BAOTA: (1, 3, 1 / 3, NOT_MET),
        YANCHANG: (3, 4, 0.75, NOT_MET),
    }
    assert q3["hardship.measures"].value != pytest.approx((1 / 3 + 3 / 4) / 2)


def test_hardship_dibao_gap(q3: Any):
    # Same open rows: A1 eligible, dibao 否 (gap); A6 eligible and on dibao;
    # A5 eligible without dibao but closed before E; B1 eligible, dibao empty
    # (gap: empty is not true). Target 0.
    assert figures(q3, "hardship.dibao_gap") == {
        CITY: (2, None, 2, NOT_MET),
        BAOTA: (1, None, 1, NOT_MET),
        YANCHANG: (1, None, 1, NOT_MET),
    }


# ---------------------------------------------------------------------------
# 就业创业


def test_emp_registered_age_bounds(q3: Any):
    # Aged 18–59 at E = 2026-09-30: born 1966-10-01 … 2008-09-30.
    # 宝塔区: A1 (registered), A2 (18 on E; registered only the day after E),
    # A3 (59; none), A6 (registered) → 2/4. Out: A7 and A5 (60), A4 (17).
    # 延长县: B1, B2, B3 registered, B4 not → 3/4. City 5/8.
    assert figures(q3, "emp.registered") == {
        CITY: (5, 8, 5 / 8, NOT_MET),
        BAOTA: (2, 4, 0.5, NOT_MET),
        YANCHANG: (3, 4, 0.75, NOT_MET),
    }


def test_age_counts_completed_years_from_the_id_number(db: vs.Database):
    leap = id_number("610602", "20080229", 11)  # 18 on 2026-03-01 (no 29 Feb)
    old = id_number("612601", "19660301", 12)  # 60 on 2026-03-01
    veterans = f"id_number,name,unit_code\n{leap},闰年生,{BY}\n{old},满六十,{BL}"
    load_records(db, {"units": SMALL_HIERARCHY, "veterans": veterans})
    # E = 2026-02-28: the leap-day boy is 17, the other 59.
    feb = db.explain("emp.registered", CITY, "2026-02", as_of=AS_OF)
    # Names are masked by lineage (veterans.name is personal); ages are not.
    assert [(r["name"], r["age"]) for r in feb.rows] == [("满**", 59)]
    # E = 2026-03-01: the boy is 18, the other 60.
    march = db.explain("emp.registered", CITY, "2026-03", as_of=dt.date(2026, 3, 1))
    assert [(r["name"], r["age"]) for r in march.rows] == [("闰**", 18)]
    assert "birth" not in march.columns  # would unmask the id number


def test_emp_trained_uses_the_latest_registration(q3: Any):
    # Latest registration on or before E, seeking and wanting training:
    # A6 2026-09-30 (its older, trained row does not count) not trained → 宝塔区 0/1;
    # B1 trained on E (yes); B3 trained the day after E (no) → 延长县 1/2.
    # Not: A1 employed, A2 registered after E, B2 wants no training. City 1/3.
    assert figures(q3, "emp.trained") == {
        CITY: (1, 3, 1 / 3, NOT_MET),
        BAOTA: (0, 1, 0.0, NOT_MET),
        YANCHANG: (1, 2, 0.5, NOT_MET),
    }


def test_emp_job_fairs(q3: Any):
    # E's year runs 2026-01-01 … 2026-09-30. 宝塔区: 李渠镇's fair on 1 January
    # counts (宝塔区's own on 2025-12-31 does not). 延长县: only 2026-10-01, after E.
    assert figures(q3, "emp.job_fairs") == {
        CITY: (1, 2, 0.5, NOT_MET),
        BAOTA: (1, 1, 1.0, MET),
        YANCHANG: (0, 1, 0.0, NOT_MET),
    }
    assert reasons(q3, "emp.job_fairs") == [
        (YANCHANG, "2026-01-01 至 2026-09-30 未举办退役军人专场招聘会")
    ]


# ---------------------------------------------------------------------------
# 关爱基金


def test_fund_money(q3: Any):
    # Balance at E: 宝塔区 10000.00 + 5000.50 − 1200.00 − 800.25 = 13000.25
    # (BD3, BG3 dated the day after E are left out); 延长县 20000 − 1000 − 2000
    # − 300 − 100 = 16600.00. City 29600.25.
    assert figures(q3, "fund.balance") == {
        CITY: money("29600.25"),
        BAOTA: money("13000.25"),
        YANCHANG: money("16600.00"),
    }
    # Raised in P: BD2 on S only (BD1 the day before S, BD3 the day after E);
    # 延长县 nothing in P: 0.00.
    assert figures(q3, "fund.raised") == {
        CITY: money("5000.50"),
        BAOTA: money("5000.50"),
        YANCHANG: money("0.00"),
    }
    # Granted in P: BG1 (on S) 1200.00 + BG2 (on E) 800.25; YG2 + YG3 + YG4 =
    # 2400.00 (YG1 the day before S is out).
    assert figures(q3, "fund.granted") == {
        CITY: money("4400.25"),
        BAOTA: money("2000.25"),
        YANCHANG: money("2400.00"),
    }


def test_fund_publicized(q3: Any):
    # Grants in P: BG1 publicized (yes), BG2 publicized after E (no) → 1/2;
    # YG2 (yes), YG3 publicized on E (yes), YG4 never (no) → 2/3. City 3/5.
    assert figures(q3, "fund.publicized") == {
        CITY: (3, 5, 0.6, NOT_MET),
        BAOTA: (1, 2, 0.5, NOT_MET),
        YANCHANG: (2, 3, 2 / 3, NOT_MET),
    }


def test_fund_grants_to_hardship(q3: Any):
    # By the recipient's unit. BG1 to A1 on the day A1's hardship row was
    # registered (yes); BG2 to A6 on the day A6's row was closed (no: closed on
    # or before the grant). YG2 to B2, YG3 to B3, YG4 to B1, all open (yes).
    assert figures(q3, "fund.grants_to_hardship") == {
        CITY: (4, 5, 0.8, NO_TARGET),
        BAOTA: (1, 2, 0.5, NO_TARGET),
        YANCHANG: (3, 3, 1.0, NO_TARGET),
    }
    assert q3.figure("fund.grants_to_hardship", BAOTA).target is None


def test_fund_established(loaded: vs.Database):
    # Month 2026-06: E = 2026-06-30, the day 宝塔区's fund was established.
    ev = loaded.evaluate(CITY, "2026-06", as_of=AS_OF)
    assert figures(ev, "fund.established")[CITY] == (2, 2, 1.0, MET)
    assert ev["fund.established"].shortfalls == []
    assert ev.figure("fund.balance", BAOTA).value == Decimal("10000.00")
    assert ev.figure("fund.balance", YANCHANG).value == Decimal("19000.00")
    # As of the day before, 宝塔区's fund is not yet established.
    ev = loaded.evaluate(CITY, "2026-06", as_of=dt.date(2026, 6, 29))
    assert figures(ev, "fund.established") == {
        CITY: (1, 2, 0.5, NOT_MET),
        BAOTA: (0, 1, 0.0, NOT_MET),
        YANCHANG: (1, 1, 1.0, MET),
    }
    assert reasons(ev, "fund.established") == [(BAOTA, "关爱基金 2026-06-30 才成立")]


# ---------------------------------------------------------------------------
# 优抚


def test_benefit_on_time(q3: Any):
    # (recipient row, month) pairs over July, August, September (all ended by E):
    # 宝塔区: A1's old row July (1500 paid 07-31, the month's last day: yes);
    # A1's new row (1600 from 1 Aug) August (paid the old 1500: no) and
    # September (paid 10-01, the day after the month: no); 孙大娘 from 1 Sep,
    # September only (yes) → 2/4.
    # 延长县: B1's row ended 07-31, July only (yes); 郑五 July, August (paid
    # 08-31: yes), September (500 ≠ 450: no); 冯六 from 09-30, September (yes)
    # → 4/5. City 6/9, not the average of 1/2 and 4/5.
    assert figures(q3, "benefit.on_time") == {
        CITY: (6, 9, 6 / 9, NOT_MET),
        BAOTA: (2, 4, 0.5, NOT_MET),
        YANCHANG: (4, 5, 0.8, NOT_MET),
    }
    assert q3["benefit.on_time"].value != pytest.approx((0.5 + 0.8) / 2)


def test_benefit_mismatch(q3: Any):
    # Payments for July–September: A1 August 1500 against the 1600 in force
    # (1); 郑五 September 500 against 450 (1); B1 August, a month no row of B1
    # covers (paid against no standard: 1). June's and October's A1 payments
    # are outside P.
    assert figures(q3, "benefit.mismatch") == {
        CITY: (3, None, 3, NOT_MET),
        BAOTA: (1, None, 1, NOT_MET),
        YANCHANG: (2, None, 2, NOT_MET),
    }


def test_benefit_verified(q3: Any):
    # Rows active at E: A1's new row (verified 08-05: yes), 孙大娘 (verified
    # 2025-12-31, the day before E's year: no); 郑五 (verified 1 January: yes),
    # 冯六 (started on E; verified the day after E: no). Ended rows are out.
    assert figures(q3, "benefit.verified") == {
        CITY: (2, 4, 0.5, NOT_MET),
        BAOTA: (1, 2, 0.5, NOT_MET),
        YANCHANG: (1, 2, 0.5, NOT_MET),
    }


# ---------------------------------------------------------------------------
# 安置


def test_placements(q3: Any):
    # Received by E: A1 placed on E (yes), A2 received on E, placed the day
    # after (no) → 1/2; A3 received after E is out. B1, B2 placed, B3 not → 2/3.
    assert figures(q3, "placement.placed") == {
        CITY: (3, 5, 0.6, NOT_MET),
        BAOTA: (1, 2, 0.5, NOT_MET),
        YANCHANG: (2, 3, 2 / 3, NOT_MET),
    }
    # Legacy cases, all in 延长县: B1 resolved the day after E (no), B2 (yes),
    # B3 (no) → 1/3; 宝塔区 has none: no data.
    assert figures(q3, "placement.legacy_resolved") == {
        CITY: (1, 3, 1 / 3, NOT_MET),
        BAOTA: (0, 0, None, NO_DATA),
        YANCHANG: (1, 3, 1 / 3, NOT_MET),
    }


# ---------------------------------------------------------------------------
# 专业力量与上门服务


def test_service_fields(q3: Any):
    # Contracts in force at E in each county's subtree. 宝塔区: legal, psychological
    # (signed on E), medical (李渠镇, expires on E), elderly care (杨家岭社区);
    # arts missing: one signed the day after E, one expired the day before.
    # 延长县: legal and medical only. The city's own arts contract counts for
    # no county.
    assert figures(q3, "service.fields") == {
        CITY: (0, 2, 0.0, NOT_MET),
        BAOTA: (0, 1, 0.0, NOT_MET),
        YANCHANG: (0, 1, 0.0, NOT_MET),
    }
    assert reasons(q3, "service.fields") == [
        (BAOTA, "以下领域没有有效签约：文艺"),
        (YANCHANG, "以下领域没有有效签约：心理、康养、文艺"),
    ]
    english = q3["service.fields"].shortfalls[1].reason.render("en")
    assert english == "no contract in force for: psychological, elderly care, arts"


def test_home_visits(q3: Any):
    # In P: A1 on S, A6 on E (宝塔区 2); B2 08-08 (延长县 1). Not: A1 the day
    # before S, B2 the day after E.
    assert figures(q3, "service.home_visits") == {
        CITY: (3, None, 3, NO_TARGET),
        BAOTA: (2, None, 2, NO_TARGET),
        YANCHANG: (1, None, 1, NO_TARGET),
    }


# ---------------------------------------------------------------------------
# A period cut short by the as-of date


def test_partial_period_cut_at_as_of(loaded: vs.Database):
    ev = loaded.evaluate(CITY, "2026Q4", as_of=dt.date(2026, 10, 1))
    assert not ev.failures
    assert ev.period.partial and ev.period.end == dt.date(2026, 10, 1)
    # A2's entry of 10-01 now counts: 宝塔区 3/4.
    assert ev.figure("si.entered", BAOTA).numerator == 3
    # Aged 18–59 at 10-01: born 1966-10-02 … 2008-10-01, so A4 is in and A3
    # out. 宝塔区: A1, A2 (registered 10-01), A6 registered; A4 not → 3/4.
    assert figures(ev, "emp.registered")[BAOTA] == (3, 4, 0.75, NOT_MET)
    # A2's 10-01 row now the latest (seeking, untrained): 宝塔区 0/2. B3's
    # training on 10-01 counts; its 10-02 row is still in the future: 延长县 2/2.
    assert figures(ev, "emp.trained") == {
        CITY: (2, 4, 0.5, NOT_MET),
        BAOTA: (0, 2, 0.0, NOT_MET),
        YANCHANG: (2, 2, 1.0, MET),
    }
    assert figures(ev, "emp.job_fairs")[CITY] == (2, 2, 1.0, MET)
    # Entries of 10-01: BD3 raised 3000.00, BG3 granted 500.00 (to A3, whose
    # hardship row was registered that same day).
    assert figures(ev, "fund.raised")[CITY] == money("3000.00")
    assert figures(ev, "fund.granted")[BAOTA] == money("500.00")
    assert figures(ev, "fund.balance")[BAOTA] == money("15500.25")
    assert figures(ev, "fund.grants_to_hardship")[CITY] == (1, 1, 1.0, NO_TARGET)
    # October has not ended: no (recipient, month) pair yet.
    assert figures(ev, "benefit.on_time")[CITY] == (0, 0, None, NO_DATA)
    # October's payment (1550 against 1600) is in P.
    assert figures(ev, "benefit.mismatch")[CITY] == (1, None, 1, NOT_MET)
    # 冯六 verified on E: 延长县 2/2.
    assert figures(ev, "benefit.verified")[YANCHANG] == (2, 2, 1.0, MET)
    # A2 placed on E, A3 received on E but not placed: 宝塔区 2/3. B1's legacy
    # case resolved on E: 2/3.
    assert figures(ev, "placement.placed")[BAOTA] == (2, 3, 2 / 3, NOT_MET)
    legacy = figures(ev, "placement.legacy_resolved")[YANCHANG]
    assert legacy == (2, 3, 2 / 3, NOT_MET)
    # 宝塔区: arts signed on E is in force, the medical contract expired the day before.
    assert reasons(ev, "service.fields")[0] == (BAOTA, "以下领域没有有效签约：医疗")
    assert figures(ev, "service.home_visits") == {
        CITY: (1, None, 1, NO_TARGET),
        BAOTA: (0, None, 0, NO_TARGET),
        YANCHANG: (1, None, 1, NO_TARGET),
    }


# ---------------------------------------------------------------------------
# No data


def test_no_records_means_no_data_or_zero(db: vs.Database):
    undated_fund = f"unit_code,established_on\n{YANCHANG},"
    load_records(db, {"units": SMALL_HIERARCHY, "care_funds": undated_fund})
    ev = db.evaluate(CITY, Q3, as_of=AS_OF)
    assert not ev.failures
    for ratio in (
        "si.entered",
        "si.rejected_explained",
        "hardship.measures",
        "emp.registered",
        "emp.trained",
        "fund.publicized",
        "fund.grants_to_hardship",
        "benefit.on_time",
        "benefit.verified",
        "placement.placed",
        "placement.legacy_resolved",
    ):
        for unit in (CITY, BAOTA, YANCHANG):
            f = ev.figure(ratio, unit)
            assert (f.value, f.status) == (None, NO_DATA), (ratio, unit)
    for count, status in (
        ("hardship.dibao_gap", MET),
        ("benefit.mismatch", MET),
        ("service.home_visits", NO_TARGET),
    ):
        assert figures(ev, count)[BAOTA] == (0, None, 0, status)
    for amount in ("fund.balance", "fund.raised", "fund.granted"):
        zero = {unit: money("0.00") for unit in (CITY, BAOTA, YANCHANG)}
        assert figures(ev, amount) == zero
        assert str(ev.figure(amount, CITY).value) == "0.00"
    # Compliance over the two counties: none meets the rule.
    assert figures(ev, "emp.job_fairs")[CITY] == (0, 2, 0.0, NOT_MET)
    # No care_funds row (宝塔区) and a row with no date (延长县) read the same.
    assert reasons(ev, "fund.established") == [
        (BAOTA, "未成立关爱基金，应于 2026-12-31 前成立"),
        (YANCHANG, "未成立关爱基金，应于 2026-12-31 前成立"),
    ]
    assert reasons(ev, "service.fields")[0] == (
        BAOTA,
        "以下领域没有有效签约：法律、心理、医疗、康养、文艺",
    )


# ---------------------------------------------------------------------------
# A county's own working age (nearest ancestor's override wins)


class RetirementAgePlugin:
    """宝塔区 counts veterans up to 60; its town 李渠镇 keeps 59."""

    @hookimpl
    def vetservice_register_overrides(self) -> list[Override]:
        return [
            Override("emp.registered", BAOTA, {"max_age": 60}),
            Override("emp.registered", LIQU_TOWN, {"max_age": 59}),
        ]


def test_emp_registered_age_override(db_url: str):
    with vs.open(db_url, plugins=make_plugins(RetirementAgePlugin())) as db:
        _load(db)
        ev = db.evaluate(CITY, Q3, as_of=AS_OF)
        baota = db.evaluate(BAOTA, Q3, as_of=AS_OF, indicators=["emp.registered"])
    # 杨家岭社区 (nearest override 宝塔区: 60): A7, 60 on E, now counts (not
    # registered). 李渠村 (nearest 李渠镇: 59): A5, 60 on E, still out.
    # 宝塔区: A1, A2, A3, A7, A6 with A1, A6 registered → 2/5. 延长县 keeps the
    # default: 3/4. City 5/9.
    assert figures(ev, "emp.registered") == {
        CITY: (5, 9, 5 / 9, NOT_MET),
        BAOTA: (2, 5, 0.4, NOT_MET),
        YANCHANG: (3, 4, 0.75, NOT_MET),
    }
    # One level down: 宝塔山街道 A1, A2, A3, A7 (A1 registered) → 1/4; 李渠镇 A6 → 1/1.
    assert figures_at(baota, "emp.registered", "610602001000") == (1, 4, 0.25, NOT_MET)
    assert figures_at(baota, "emp.registered", LIQU_TOWN) == (1, 1, 1.0, MET)


# ---------------------------------------------------------------------------
# Drill-through


def test_explain_masks_id_numbers(loaded: vs.Database):
    explanation = loaded.explain("si.entered", BAOTA, Q3, as_of=AS_OF)
    rows = sorted(explanation.rows, key=lambda r: (r["unit_code"], r["name"]))
    # Eligible rows of 宝塔区's veterans: all four in 杨家岭社区 or 李渠村.
    facts = [
        (r["unit_code"], r["name"], r["numerator"], r["denominator"]) for r in rows
    ]
    assert facts == [  # names masked by lineage: veterans.name is personal
        (BY, "张*", 1, 1),
        (BY, "李*", 0, 1),
        (BY, "王*", 0, 1),
        (BL, "陈*", 1, 1),
    ]
    assert (explanation.numerator, explanation.denominator) == (2, 4)
    assert {r["id_number"] for r in rows} == {
        n[:6] + "********" + n[-4:] for n in (A1, A2, A3, A6)
    }
    shown = loaded.explain("si.entered", BAOTA, Q3, as_of=AS_OF, show_pii=True)
    assert {r["id_number"] for r in shown.rows} == {A1, A2, A3, A6}
    # A grant's recipient is masked; a donor's name is not personal data here.
    grants = loaded.explain("fund.balance", BAOTA, Q3, as_of=AS_OF)
    by_entry = {r["entry_no"]: r for r in grants.rows}
    assert sorted(by_entry) == ["BD1", "BD2", "BG1", "BG2"]
    assert by_entry["BG1"]["recipient_id"] == A1[:6] + "********" + A1[-4:]
    assert by_entry["BG1"]["numerator"] == -120000  # fen
    assert by_entry["BD2"]["donor"] == "爱心人士王某"
    assert grants.numerator == 1300025


# ---------------------------------------------------------------------------
# Declarations


def test_declared_in_the_order_of_the_catalogue():
    # One plugin; its modules' indicators in the order of indicators.md.
    assert [i.id for i in INDICATORS] == [
        "si.entered", "si.rejected_explained",
        "hardship.measures", "hardship.dibao_gap",
        "emp.registered", "emp.trained", "emp.job_fairs",
        "fund.established", "fund.balance", "fund.raised", "fund.granted",
        "fund.publicized", "fund.grants_to_hardship",
        "fund.recommended", "fund.recommendations_publicized",
        "benefit.on_time", "benefit.mismatch", "benefit.verified",
        "placement.placed", "placement.legacy_resolved",
        "service.fields", "service.home_visits",
    ]  # fmt: skip
    assert {i.area.value for i in INDICATORS} == {"services"}
    assert [i.id for i in INDICATORS if i.headline] == ["benefit.on_time"]
