"""End to end: the hand-written ledgers of ``tests/fixtures/records`` through the CLI.

Every figure below was worked out by hand from the fixture CSVs and the
definitions in ``docs/indicators.md`` (never copied from the program), for the
city 延安市 and its two counties, period 2026 with as-of 2026-11-28:

    S = 2026-01-01, E = 2026-11-28 (partial); months of P: 2026-01 … 2026-11 (11);
    months of P that end on or before E: 2026-01 … 2026-10 (10).

The hierarchy (units.csv)::

    610600000000 延安市 (city)
    ├─ 610602000000 宝塔区 (county)                 station: national model, 5 posts
    │  ├─ 610602001000 宝塔山街道 (street)          station
    │  │  └─ 610602001001 杨家岭社区 (community)    no station
    │  └─ 610602100000 李渠镇 (township)            station
    │     └─ 610602100001 李渠村 (village)          station
    └─ 610621000000 延长县 (county)                 no station
       └─ 610621100000 黑家堡镇 (township, 镇)       no station
          └─ 610621100001 黑家堡村 (village, 村)     no station

Veterans: 李保国 and 王志刚 live in 杨家岭社区, 张小燕 in 李渠村 (all 宝塔区);
陈德胜 and 刘小军 in 黑家堡村 (延长县). Staff active at E: S001 (director) and
S002 at 宝塔区, S003 at 宝塔山街道 (ends 2027-06-30), S005 (grid worker) and
S006 (volunteer) at 杨家岭社区, S007 (group leader) at 李渠村; S004 at 李渠镇
ended 2025-12-31.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures import FILES, SEED_RECORDS

from vetservice.testing import BAOTA, CITY, YANCHANG
from vetservice.version import __version__
from vetservice_cli.main import cli

AS_OF = "2026-11-28"  # as the command line takes it and the JSON writes it
PERIOD = "2026"

UNIT_NAMES = {
    "610600000000": "延安市",
    "610602000000": "宝塔区",
    "610602001000": "宝塔山街道",
    "610602001001": "杨家岭社区",
    "610602100000": "李渠镇",
    "610602100001": "李渠村",
    "610621000000": "延长县",
    "610621100000": "黑家堡镇",
    "610621100001": "黑家堡村",
}

# ---------------------------------------------------------------------------
# Kinds and targets, as indicators.md states them.

AREAS = {
    "env": "environment",
    "staff": "staffing",
    "report": "staffing",
    "lead": "staffing",
    "act": "activities",
    "party": "activities",
    "honor": "activities",
    "visit": "activities",
    "si": "services",
    "hardship": "services",
    "emp": "services",
    "fund": "services",
    "benefit": "services",
    "placement": "services",
    "service": "services",
    "pet": "petitions",
}

AT_LEAST_ALL = (">=", 1.0)  # "100%"
NONE_AT_ALL = ("<=", 0)  # "0" (counts) and "0%" (pet.money_only)

# ---------------------------------------------------------------------------
# The figures.  For ratio and compliance indicators each of (city, 宝塔区, 延长县)
# is (numerator, denominator); for counts the count; for money the yuan string.
# The value is numerator / denominator (no data when the denominator is 0), the
# count itself, or the money string; the status follows from the target.

C, R, N, M = "compliance", "ratio", "count", "money"

EXPECTED: dict[str, tuple[str, Any, tuple[Any, Any, Any]]] = {
    # --- 阵地建设 -----------------------------------------------------------
    # Applicable: the 8 county/township/village units; established: 宝塔区,
    # 宝塔山街道, 李渠镇, 李渠村.  Short: 杨家岭社区, 延长县, 黑家堡镇, 黑家堡村.
    "env.station_established": (C, AT_LEAST_ALL, ((4, 8), (4, 5), (0, 3))),
    # Stations: 宝塔区 (all five), 宝塔山街道 (有经费 无), 李渠镇 (有保障 ×),
    # 李渠村 (有人员 no).  延长县 has no station.
    "env.five_haves": (C, AT_LEAST_ALL, ((1, 4), (1, 4), (0, 0))),
    # 宝塔区's centre is 全国示范型 (宝塔山街道 市级, 李渠村 枫桥式 do not count).
    "env.model_stations": (N, None, (1, 1, 0)),
    # Township/village stations: 宝塔山街道 (有) meets; 李渠镇, 李渠村 (否/no) short.
    "env.dedicated_space": (C, AT_LEAST_ALL, ((1, 3), (1, 3), (0, 0))),
    # Inspections in force: 宝塔区 13, 宝塔山街道 11 (no 英模画像, 特色栏目),
    # 李渠镇 8 (no 服务规范, 英模画像, 军旅, 四个最美, 特色栏目), 李渠村 never: 0.
    # 32 / (13 × 4 stations).
    "env.elements": (R, AT_LEAST_ALL, ((32, 52), (32, 52), (0, 0))),
    # Only 宝塔区's inspection has all 13.
    "env.all_elements": (C, AT_LEAST_ALL, ((1, 4), (1, 4), (0, 0))),
    # --- 队伍建设 -----------------------------------------------------------
    # County-level stations: 宝塔区 only; director S001, full-time S001+S002 = 2 < 5 posts.
    "staff.county_centre": (C, AT_LEAST_ALL, ((0, 1), (0, 1), (0, 0))),
    # Township-level stations: 宝塔山街道 (S003: 1 full-time), 李渠镇 (S004 ended: 0).
    "staff.township_fulltime": (C, AT_LEAST_ALL, ((0, 2), (0, 2), (0, 0))),
    # Full-time at township stations, active at E: S003, who has other duties.
    "staff.dedicated": (R, AT_LEAST_ALL, ((0, 1), (0, 1), (0, 0))),
    # Villages under a township station: 杨家岭社区, 李渠村 (黑家堡镇 has none);
    # 2 × 11 months.  Visits in P: S003 to 杨家岭社区 in March and April (S004's
    # visit to 李渠村 is 2025-11-20).
    "staff.monthly_guidance": (R, AT_LEAST_ALL, ((2, 22), (2, 22), (0, 0))),
    # 杨家岭社区: grid worker S005, but 1 volunteer (S006) < 3.
    "staff.community_group": (C, AT_LEAST_ALL, ((0, 1), (0, 1), (0, 0))),
    # 李渠村: group leader S007, 0 volunteers; 黑家堡村: no group leader, 0 volunteers.
    "staff.village_group": (C, AT_LEAST_ALL, ((0, 2), (0, 1), (0, 1))),
    # Nobody is full-time at two units at E.
    "staff.multi_post": (N, NONE_AT_ALL, (0, 0, 0)),
    # Counties and townships: 宝塔区, 宝塔山街道, 李渠镇, 延长县, 黑家堡镇; the
    # secretary looked in at 宝塔区 (03-15), 宝塔山街道 (04-02) and 延长县 (05-20).
    "lead.secretary_checked": (C, AT_LEAST_ALL, ((3, 5), (2, 3), (1, 2))),
    # Volunteers at village-level units: S006 (当兵 是).
    "staff.volunteers_military": (R, None, ((1, 1), (1, 1), (0, 0))),
    # 上报 against the default schedule for 2026 up to E: 11 months and 4
    # quarters have begun. A county owes 信访 and 优抚金发放 monthly (2 × 11)
    # and 就业, 招聘会, 困难帮扶, 关爱基金收支 quarterly (4 × 4): 38; a township
    # 走访 and 上门服务 monthly (2 × 11) and 活动, 下村指导 quarterly (2 × 4): 30.
    # 宝塔区 38 + 2 townships × 30 = 98; 延长县 38 + 30 = 68; the city 166.
    # The fixture ledgers were imported without a scope: nothing was submitted.
    "report.completeness": (R, AT_LEAST_ALL, ((0, 166), (0, 98), (0, 68))),
    "report.timeliness": (R, AT_LEAST_ALL, ((0, 166), (0, 98), (0, 68))),
    # --- 经常性工作 ---------------------------------------------------------
    # Activities in P, all at stations: study at 宝塔区 (07-01), party (07-15) and
    # culture (08-01) at 宝塔山街道, volunteer at 李渠镇 (09-30).
    "act.count.study": (N, None, (1, 1, 0)),
    "act.count.party": (N, None, (1, 1, 0)),
    "act.count.honor": (N, None, (0, 0, 0)),
    "act.count.visit": (N, None, (0, 0, 0)),
    "act.count.volunteer": (N, None, (1, 1, 0)),
    "act.count.culture": (N, None, (1, 1, 0)),
    "act.count.special": (N, None, (0, 0, 0)),
    # (station, month): 宝塔区 Jul, 宝塔山街道 Jul + Aug, 李渠镇 Sep = 4; 4 stations × 11.
    "act.regularity": (R, AT_LEAST_ALL, ((4, 44), (4, 44), (0, 0))),
    # Veterans: 5 (3 in 宝塔区, 2 in 延长县); in the team: 王志刚 only.
    "act.veteran_volunteers": (R, None, ((1, 5), (1, 3), (0, 2))),
    # No station held all six core kinds.
    "act.all_kinds": (C, AT_LEAST_ALL, ((0, 4), (0, 4), (0, 0))),
    # Party members: 李保国 (enrolled), 张小燕 (no), 陈德胜 (enrolled).
    "party.branch_enrolled": (R, AT_LEAST_ALL, ((2, 3), (1, 2), (1, 1))),
    # Approved ≤ E: 李保国 (hung), 王志刚 (not hung), 陈德胜 (hung).
    "honor.plaque_hung": (R, AT_LEAST_ALL, ((2, 3), (1, 2), (1, 1))),
    # 喜报 to 王二虎 at 杨家岭社区 on 2026-04-01 (the 送祝福 is a blessing).
    "honor.good_news": (N, None, (1, 1, 0)),
    # Key attention: 李保国 (contact S003 active at E), 陈德胜 (S004 ended 2025-12-31).
    "visit.key_contact": (R, AT_LEAST_ALL, ((1, 2), (1, 1), (0, 1))),
    # 李保国 visited 02-12 and 07-30, 陈德胜 05-06.
    "visit.key_visited": (R, AT_LEAST_ALL, ((2, 2), (1, 1), (1, 1))),
    # 李保国's 春节 (重大节日) and 八一 (holiday) visits; 陈德胜's is 生病住院.
    "visit.holiday": (N, None, (2, 2, 0)),
    # --- 服务保障 -----------------------------------------------------------
    # Eligible: 李保国 (entered 2025-06-01), 王志刚 (pending); 张小燕 not eligible.
    "si.entered": (R, AT_LEAST_ALL, ((1, 2), (1, 2), (0, 0))),
    # Rejected: 张小燕, explained.
    "si.rejected_explained": (R, AT_LEAST_ALL, ((1, 1), (1, 1), (0, 0))),
    # Open at E: 陈德胜 (measures given); 刘小军's row closed 2026-06-30.
    "hardship.measures": (R, AT_LEAST_ALL, ((1, 1), (0, 0), (1, 1))),
    # 陈德胜: 符合低保条件 是, 享受低保 否.
    "hardship.dibao_gap": (N, NONE_AT_ALL, (1, 0, 1)),
    # Aged 18–59 at E: 王志刚 48 (no row), 张小燕 27 (row), 刘小军 25 (row);
    # 李保国 61 and 陈德胜 68 are out.
    "emp.registered": (R, AT_LEAST_ALL, ((2, 3), (1, 2), (1, 1))),
    # Latest rows: 张小燕 seeking + wants training, trained 2026-04-15; 刘小军 self-employed.
    "emp.trained": (R, AT_LEAST_ALL, ((1, 1), (1, 1), (0, 0))),
    # Job fairs in 2026: 宝塔区 on 04-20; 延长县's is 2025-10-10.
    "emp.job_fairs": (C, AT_LEAST_ALL, ((1, 2), (1, 1), (0, 1))),
    # 宝塔区 fund since 2021-12-01; 延长县 row without a date.
    "fund.established": (C, AT_LEAST_ALL, ((1, 2), (1, 1), (0, 1))),
    # 宝塔区: 1,234.50 + 50,000 donated − 1,000 granted.
    "fund.balance": (M, None, ("50234.50", "50234.50", "0.00")),
    "fund.raised": (M, None, ("51234.50", "51234.50", "0.00")),
    "fund.granted": (M, None, ("1000.00", "1000.00", "0.00")),
    # JJ-002 publicized 2026-01-20.
    "fund.publicized": (R, AT_LEAST_ALL, ((1, 1), (1, 1), (0, 0))),
    # JJ-002 to 李保国 (杨家岭社区), who has no hardship row.
    "fund.grants_to_hardship": (R, None, ((0, 1), (0, 1), (0, 0))),
    # No hardship row gives a 困难程度: nobody is 特别困难.
    "fund.recommended": (R, AT_LEAST_ALL, ((0, 0), (0, 0), (0, 0))),
    # 延长县 recommended 陈德胜 (04-10, publicized 04-05) and 刘小军 (06-01, not).
    "fund.recommendations_publicized": (R, AT_LEAST_ALL, ((1, 2), (0, 0), (1, 2))),
    # Months Jan–Oct; active rows: 李保国 (2310, from 2025-08) and 陈德胜 (900.50):
    # 20 pairs.  Paid in full and on time: 李保国 Jan, Feb; 陈德胜 Jan.
    "benefit.on_time": (R, AT_LEAST_ALL, ((3, 20), (2, 10), (1, 10))),
    # All three payments equal the standard of the row active in their month.
    "benefit.mismatch": (N, NONE_AT_ALL, (0, 0, 0)),
    # Active at E: 李保国 (verified 2026-03-01), 陈德胜 (never).
    "benefit.verified": (R, AT_LEAST_ALL, ((1, 2), (1, 1), (0, 1))),
    # 陈德胜 placed 2025-09-01; 张小燕 received 2026-02-01, not placed.
    "placement.placed": (R, AT_LEAST_ALL, ((1, 2), (0, 1), (1, 1))),
    # Legacy: 陈德胜, resolved 2026-05-01.
    "placement.legacy_resolved": (R, AT_LEAST_ALL, ((1, 1), (0, 0), (1, 1))),
    # 宝塔区: legal and psychological only; 延长县: medical expired 2026-05-31.
    "service.fields": (C, AT_LEAST_ALL, ((0, 2), (0, 1), (0, 1))),
    # 陈德胜 medical 06-01, 李保国 legal 03-10.
    "service.home_visits": (N, None, (2, 1, 1)),
    # --- 信访 ---------------------------------------------------------------
    # P1 = YA2026-0001 (杨家岭社区, accepted 03-10, closed 04-20, rescreened 10-10),
    # P2 = YA2026-0002 (黑家堡村, group, to the city, escalated, accepted 05-12,
    #      extended, open), P3 = YA2026-0003 (李渠村, not accepted 06-10 = closed,
    #      repeat, review and recheck answered in time, resolution money + assistance).
    # Open at E: P2.
    "pet.open": (N, None, (1, 0, 1)),
    # Deadlines 03-16, 05-16, 06-16 all in P; all decided in time.
    "pet.accepted_on_time": (R, AT_LEAST_ALL, ((3, 3), (2, 2), (1, 1))),
    # P2: accepted 05-12 + 60 + 30 = 08-10 < E.
    "pet.overdue": (N, NONE_AT_ALL, (1, 0, 1)),
    # Accepted and closed in P: P1, 04-20 ≤ 03-10 + 60 (P3 was not accepted).
    "pet.closed_on_time": (R, AT_LEAST_ALL, ((1, 1), (1, 1), (0, 0))),
    # Open at E or closed in 2026: P1, P2, P3; rescreened in P: P1.
    "pet.rescreened": (R, AT_LEAST_ALL, ((1, 3), (1, 2), (0, 1))),
    # P1's four checks are all 是.
    "pet.rescreen_flags": (N, NONE_AT_ALL, (0, 0, 0)),
    # No re-screen found a problem, so no plan was due.
    "pet.flags_planned": (R, AT_LEAST_ALL, ((0, 0), (0, 0), (0, 0))),
    # Plans: P1's due 04-30, closed 04-20; P2's due 12-31, after E.
    "pet.plans_overdue": (N, NONE_AT_ALL, (0, 0, 0)),
    # P3: review due 07-20 answered 07-15; recheck due 08-19 answered 08-10.
    "pet.review_on_time": (R, AT_LEAST_ALL, ((2, 2), (2, 2), (0, 0))),
    "pet.escalated": (N, NONE_AT_ALL, (1, 0, 1)),  # P2
    "pet.group": (N, NONE_AT_ALL, (1, 0, 1)),  # P2
    "pet.reached.county": (N, NONE_AT_ALL, (1, 1, 0)),  # P1 (not a group)
    "pet.reached_group.county": (N, NONE_AT_ALL, (0, 0, 0)),
    "pet.reached.city": (N, NONE_AT_ALL, (1, 0, 1)),  # P2
    "pet.reached_group.city": (N, NONE_AT_ALL, (1, 0, 1)),  # P2, a group
    "pet.reached.province": (N, NONE_AT_ALL, (0, 0, 0)),
    "pet.reached_group.province": (N, NONE_AT_ALL, (0, 0, 0)),
    "pet.reached.national": (N, NONE_AT_ALL, (0, 0, 0)),
    "pet.reached_group.national": (N, NONE_AT_ALL, (0, 0, 0)),
    "pet.repeat": (N, None, (1, 1, 0)),  # P3
    # Closed in P with a resolution: P1 {policy, care}, P3 {money, assistance}.
    "pet.money_only": (R, NONE_AT_ALL, ((0, 2), (0, 2), (0, 0))),
    # Receptions: 接访 at 宝塔区 03-05 (inside the 全国两会, 03-01 … 03-15),
    # 下访 at 延长县 05-12, 督访 at 李渠镇 06-20.
    "pet.receptions.reception": (N, None, (1, 1, 0)),
    "pet.receptions.appointment": (N, None, (0, 0, 0)),
    "pet.receptions.outreach": (N, None, (1, 0, 1)),
    "pet.receptions.supervision": (N, None, (1, 1, 0)),
    "pet.receptions_sensitive": (N, None, (1, 1, 0)),
}

# Shortfalls of the compliance indicators in the city's subtree: unit → reason.
SHORTFALLS: dict[str, dict[str, str]] = {
    "env.station_established": {
        "610602001001": "未建成服务站",
        "610621000000": "未建成服务站",
        "610621100000": "未建成服务站",
        "610621100001": "未建成服务站",
    },
    "env.five_haves": {
        "610602001000": "缺少：有经费",
        "610602100000": "缺少：有保障",
        "610602100001": "缺少：有人员",
    },
    "env.dedicated_space": {
        "610602100000": "只在便民服务大厅设了窗口，没有独立场所",
        "610602100001": "只在便民服务大厅设了窗口，没有独立场所",
    },
    "env.all_elements": {
        "610602001000": "缺少：英模画像、特色栏目",
        "610602100000": "缺少：服务规范、英模画像、军旅文化作品、四个最美和老兵风采、特色栏目",
        "610602100001": "未做政治文化环境检查",
    },
    "staff.county_centre": {"610602000000": "专职人员 2 人，应不少于 5 人"},
    "staff.township_fulltime": {
        "610602001000": "专职人员 1 人，应不少于 2 人",
        "610602100000": "专职人员 0 人，应不少于 2 人",
    },
    "staff.community_group": {"610602001001": "志愿者 1 人，应不少于 3 人"},
    "staff.village_group": {
        "610602100001": "志愿者 0 人，应不少于 2 人",
        "610621100001": "领导小组没有村民小组长；志愿者 0 人，应不少于 2 人",
    },
    "lead.secretary_checked": {
        "610602100000": "报告期内书记没有过问检查退役军人工作",
        "610621100000": "报告期内书记没有过问检查退役军人工作",
    },
    "act.all_kinds": {
        "610602000000": "缺少：党建、荣誉激励、走访慰问、志愿服务、文体",
        "610602001000": "缺少：学习教育、荣誉激励、走访慰问、志愿服务",
        "610602100000": "缺少：学习教育、党建、荣誉激励、走访慰问、文体",
        "610602100001": "缺少：学习教育、党建、荣誉激励、走访慰问、志愿服务、文体",
    },
    "emp.job_fairs": {
        "610621000000": "2026-01-01 至 2026-11-28 未举办退役军人专场招聘会"
    },
    "fund.established": {"610621000000": "未成立关爱基金，应于 2026-12-31 前成立"},
    "service.fields": {
        "610602000000": "以下领域没有有效签约：医疗、康养、文艺",
        "610621000000": "以下领域没有有效签约：法律、心理、医疗、康养、文艺",
    },
}


# ---------------------------------------------------------------------------
# Building the report through the CLI.


def build_report(url: str, out: Path, *options: str) -> dict[str, Any]:
    """Import every fixture ledger into ``url`` and return the city's JSON report
    (written with ``options`` added to the command)."""
    runner = CliRunner()
    base = ["--db", url, "--as-of", AS_OF]
    ledgers = [*FILES, *sorted(SEED_RECORDS.glob("*.csv"))]
    imported = runner.invoke(
        cli,
        [*base, "import", "auto", "--today", AS_OF, *map(str, ledgers)],
        catch_exceptions=False,
    )
    assert imported.exit_code == 0, imported.output + imported.stderr
    assert len(ledgers) == 25
    report_args = ["report", "--unit", CITY, "--period", PERIOD, "--format", "json"]
    report_args += options
    report = runner.invoke(
        cli, [*base, *report_args, "--out", str(out)], catch_exceptions=False
    )
    assert report.exit_code == 0, report.output + report.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == ["610600000000-延安市.json"]
    return json.loads((out / written[0]).read_text(encoding="utf-8"))


@pytest.fixture
def report(db_url: str, tmp_path: Path) -> dict[str, Any]:
    return build_report(db_url, tmp_path / "out")


def expected_figure(indicator_id: str, position: int) -> dict[str, Any]:
    """The figure at (city, 宝塔区, 延长县)[position], with value and status derived
    from the hand-worked numbers and indicators.md's target."""
    kind, target, figures = EXPECTED[indicator_id]
    figure = figures[position]
    if kind in (C, R):
        numerator, denominator = figure
        value = numerator / denominator if denominator else None
    else:
        numerator, denominator, value = figure, None, figure
    if kind in (C, R) and not denominator:
        status = "no_data"
    elif target is None:
        status = "no_target"
    else:
        op, bound = target
        shown = float(value)
        meets = shown >= bound if op == ">=" else shown <= bound
        status = "met" if meets else "not_met"
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "status": status,
    }


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float):
        return isinstance(actual, (int, float)) and actual == pytest.approx(expected)
    return type(actual) is type(expected) and actual == expected


def figure_mismatches(report: dict[str, Any]) -> list[str]:
    """Every figure of the report that differs from the hand-worked table."""
    by_unit = {CITY: {e["id"]: e for e in report["indicators"]}}
    for child in report["children"]:
        by_unit[child["unit"]["code"]] = {e["id"]: e for e in child["indicators"]}
    problems = []
    for indicator_id in EXPECTED:
        for position, code in enumerate((CITY, BAOTA, YANCHANG)):
            want = expected_figure(indicator_id, position)
            got = by_unit[code].get(indicator_id)
            if got is None:
                problems.append(f"{indicator_id} @ {code}: missing")
                continue
            for key, value in want.items():
                if not _same(got[key], value):
                    problems.append(
                        f"{indicator_id} @ {UNIT_NAMES[code]} {key}: "
                        f"report {got[key]!r}, by hand {value!r}"
                    )
    return problems


# ---------------------------------------------------------------------------
# The tests.


def test_every_built_in_indicator_is_in_the_table():
    listed = CliRunner().invoke(cli, ["indicators"], catch_exceptions=False)
    ids = {line.split("\t")[0] for line in listed.output.splitlines() if line}
    assert ids == set(EXPECTED) and len(EXPECTED) == 81


def test_report_structure(report: dict[str, Any]):
    assert set(report) == {
        "unit",
        "period",
        "start",
        "end",
        "as_of",
        "partial",
        "schema_version",
        "generated_at",
        "vetservice_version",
        "indicators",
        "children",
        "failures",
        "first_done",
        "sign_offs",
        "gaps",
        "watch_list",
        "overdue",
    }
    assert report["unit"] == {"code": CITY, "name": "延安市", "level": "city"}
    assert report["period"] == "2026"
    assert (report["start"], report["end"]) == ("2026-01-01", AS_OF)
    assert report["as_of"] == AS_OF and report["partial"] is True
    assert report["schema_version"] == 1
    assert report["vetservice_version"] == __version__
    generated = dt.datetime.fromisoformat(report["generated_at"])
    assert generated.utcoffset() == dt.timedelta(hours=8)
    assert report["failures"] == []
    # 率先完成 by si.entered: 宝塔区 has entered 李保国 but not 王志刚 (1 of 2);
    # 延长县 has nobody eligible. Neither has finished.
    # The to-do lists, of 2026 while it runs: E is the as-of date 11-28.
    # YA2026-0002 (accepted 05-12, extended, due 05-12 + 90 = 08-10) is open and
    # 110 days overdue (08-10 → 11-10 is 92 days, → 11-28 18 more); nothing
    # open falls due within 30 days; no gap is marked fixed while 2026 runs.
    assert report["watch_list"] == {"period_end": AS_OF, "as_of": AS_OF, "items": []}
    assert report["overdue"] == {
        "period_end": AS_OF,
        "as_of": AS_OF,
        "items": [
            {
                "case_no": "YA2026-0002",
                "unit": "610621100001",
                "name": "黑家堡村",
                "received_on": "2026-05-01",
                "stage": "handling",
                "deadline": "2026-08-10",
                "days_left": -110,
                "closed_on": None,
                "overdue_at_end": True,
            }
        ],
    }
    gaps = report["gaps"]
    assert (gaps["period_end"], gaps["as_of"]) == (AS_OF, AS_OF)
    assert gaps["items"] and all(g["resolved_on"] is None for g in gaps["items"])
    assert len(gaps["items"]) == sum(
        len(i.get("shortfalls", [])) for i in report["indicators"]
    )
    assert gaps["list_depth"] == 2
    assert gaps["unlisted"] == sum(
        i.get("shortfalls_unlisted", 0) for i in report["indicators"]
    )
    # Listed or counted, every unit short is accounted for.
    for i in report["indicators"]:
        if "shortfalls" in i:
            listed = len(i["shortfalls"]) + i["shortfalls_unlisted"]
            assert i["numerator"] + listed == i["denominator"], i["id"]
    assert report["first_done"] == [
        {"unit": BAOTA, "name": "宝塔区", "met": 1, "applicable": 2, "done_on": None, "rank": None},
        {"unit": YANCHANG, "name": "延长县", "met": 0, "applicable": 0, "done_on": None, "rank": None},
    ]

    indicators = report["indicators"]
    ids = [e["id"] for e in indicators]
    assert sorted(ids) == sorted(EXPECTED) and len(ids) == len(set(ids))
    for entry in indicators:
        kind, target, _ = EXPECTED[entry["id"]]
        keys = {
            "id",
            "area",
            "kind",
            "name",
            "rule",  # with the local standard in force
            "numerator",
            "denominator",
            "value",
            "target",
            "status",
            "plugin",
            # 环比 and 同比 of a year are both 2025 (同比 cut at 2025-11-28); a
            # year has no separate 累计.
            "previous",
            "last_year",
        }
        if kind == C:  # listed down to the townships, the villages counted
            keys |= {"shortfalls", "shortfalls_unlisted"}
        assert set(entry) == keys, entry["id"]
        for key in ("previous", "last_year"):
            assert set(entry[key]) == {"numerator", "denominator", "value"}
        assert entry["kind"] == kind, entry["id"]
        assert entry["area"] == AREAS[entry["id"].split(".")[0]], entry["id"]
        assert entry["plugin"] == "vetservice.builtin"
        assert isinstance(entry["name"], str) and entry["name"].strip()
        assert isinstance(entry["rule"], str) and entry["rule"].strip()
        if target is None:
            assert entry["target"] is None, entry["id"]
        else:
            assert entry["target"] == {"op": target[0], "value": target[1]}, entry["id"]
    names = [e["name"] for e in indicators]
    assert len(set(names)) == len(names)
    by_id = {e["id"]: e for e in indicators}
    # No petition was received in 2025.
    assert by_id["pet.group"]["previous"]["value"] == 0
    # Plaques approved by 2025-12-31: 李保国 (hung), 王志刚 (not), 陈德胜 (hung).
    assert by_id["honor.plaque_hung"]["previous"] == {
        "numerator": 2,
        "denominator": 3,
        "value": 2 / 3,
    }

    children = report["children"]
    assert sorted(c["unit"]["code"] for c in children) == [BAOTA, YANCHANG]
    for child in children:
        code = child["unit"]["code"]
        assert child["unit"] == {
            "code": code,
            "name": UNIT_NAMES[code],
            "level": "county",
        }
        assert set(child) == {"unit", "indicators"}
        assert [e["id"] for e in child["indicators"]] == ids
        for entry in child["indicators"]:
            assert set(entry) == {"id", "numerator", "denominator", "value", "status"}


def test_figures_match_the_hand_worked_table(report: dict[str, Any]):
    assert figure_mismatches(report) == []


def test_shortfalls_match_the_hand_worked_table(db_url: str, tmp_path: Path):
    report = build_report(db_url, tmp_path / "out", "--list-depth", "all")
    found = {}
    for entry in report["indicators"]:
        if entry["kind"] != C:
            continue
        units = [s["unit"] for s in entry["shortfalls"]]
        assert len(units) == len(set(units)), entry["id"]
        for shortfall in entry["shortfalls"]:
            assert shortfall["name"] == UNIT_NAMES[shortfall["unit"]]
        found[entry["id"]] = {s["unit"]: s["reason"] for s in entry["shortfalls"]}
        # Every applicable unit that falls short is listed: numerator + shortfalls
        # = denominator at the report's unit.
        assert entry["numerator"] + len(units) == entry["denominator"], entry["id"]
    assert found == SHORTFALLS


@pytest.mark.postgresql
def test_sqlite_and_postgresql_reports_are_identical(
    sqlite_url: str, pg_url: str, tmp_path: Path
):
    on_sqlite = build_report(sqlite_url, tmp_path / "sqlite")
    on_postgresql = build_report(pg_url, tmp_path / "postgresql")
    on_sqlite.pop("generated_at")
    on_postgresql.pop("generated_at")
    assert on_sqlite == on_postgresql
