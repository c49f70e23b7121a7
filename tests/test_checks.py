"""Cross-record checks: each finds exactly the record that breaks it, on both backends."""

from __future__ import annotations

import pytest

import vetservice as vs
from vetservice.imports.checks import CHECKS
from vetservice.testing import SMALL_HIERARCHY, load_records

V1 = "612601196503120031"
BASE = {
    "units": SMALL_HIERARCHY,
    "staff": "人员编号,区划代码,姓名,角色,小组职务\nS1,610602001000,张强,工作人员,\nS2,610602001001,孙梅,志愿者,\n",
    "veterans": f"身份证号,姓名,现居村社区代码\n{V1},李保国,610602001001\n",
}

# (check id, records added to BASE, key of the finding)
CASES = [
    (
        "veterans.plaque_order",
        {
            "veterans": f"身份证号,姓名,现居村社区代码,光荣牌审核通过日期,光荣牌悬挂日期\n{V1},李保国,610602001001,2020-05-01,2020-04-01\n"
        },
        (V1,),
    ),
    (
        "veterans.plaque_unapproved",
        {
            "veterans": f"身份证号,姓名,现居村社区代码,光荣牌悬挂日期\n{V1},李保国,610602001001,2020-04-01\n"
        },
        (V1,),
    ),
    (
        "veterans.branch_without_party",
        {
            "veterans": f"身份证号,姓名,现居村社区代码,党员,编入党支部\n{V1},李保国,610602001001,否,是\n"
        },
        (V1,),
    ),
    (
        "benefit_payments.outside_entitlement",
        {
            "benefit_recipients": f"身份证号,姓名,现居村社区代码,优抚类别,月发放标准,起始日期,终止日期\n{V1},李保国,610602001001,残疾军人,100,2025-03-01,2025-07-31\n",
            "benefit_payments": f"身份证号,优抚类别,发放月份,金额,发放日期\n{V1},残疾军人,2025-02,100,2025-02-10\n{V1},残疾军人,2025-07,100,2025-07-10\n{V1},残疾军人,2025-08,100,2025-08-10\n",
        },
        None,
    ),
    (
        "hardship.closed_before_registered",
        {
            "hardship": f"身份证号,建档日期,困难类型,销号日期\n{V1},2026-03-01,因病,2026-01-01\n"
        },
        (V1, "2026-03-01"),
    ),
    (
        "placements.placed_before_received",
        {
            "placements": f"身份证号,安置类型,接收日期,安置日期\n{V1},转业士官,2026-03-01,2026-01-01\n"
        },
        (V1,),
    ),
    (
        "placements.resolved_without_legacy",
        {
            "placements": f"身份证号,安置类型,接收日期,解决日期\n{V1},转业士官,2026-03-01,2026-04-01\n"
        },
        (V1,),
    ),
    (
        "social_insurance.date_without_entry",
        {
            "social_insurance": f"身份证号,符合条件,状态,录入日期\n{V1},是,待录入,2026-01-01\n"
        },
        (V1,),
    ),
    (
        "environment.no_station",
        {
            "environment": "区划代码,检查日期,"
            + ",".join(["是"] * 0)
            + "重要论述,组织领导机构和工作人员,工作职责,工作制度,服务规范,十位英模画像,政治理论学习书籍,军旅题材优秀文化作品,工作台账资料,工作活动剪影,军队标语口号,“四个最美”和老兵风采,本单位特色栏目\n610602001000,2026-01-01"
            + ",是" * 13
            + "\n"
        },
        None,
    ),
    (
        "care_fund_entries.before_fund",
        {
            "care_funds": "区划代码,成立日期\n610602000000,2026-01-01\n",
            "care_fund_entries": "基金所属县区代码,凭证号,日期,收支类型,金额,捐赠方或受助人\n610602000000,J1,2025-12-31,捐赠收入,10,甲\n",
        },
        ("610602000000", "J1"),
    ),
    ("staff.group_role_outside_group", {"staff": "人员编号,区划代码,姓名,角色,小组职务\nS2,610602001001,孙梅,志愿者,网格员\n"}, ("S2", "610602001001", "volunteer")),
    (
        "guidance_visits.outside_township",
        {
            "guidance_visits": "人员编号,村社区代码,日期\nS1,610602001001,2026-01-05\nS1,610602100001,2026-01-06\n"
        },
        None,
    ),
]


def test_every_check_has_a_case():
    assert {c.id for c in CHECKS} - {case[0] for case in CASES} <= {
        # Refused at import now; found in databases filled before that
        # (tests/test_damaged_values.py writes such rows directly).
        "petitions.closed_before_received",
        "petitions.accepted_before_received",
        "petitions.replied_before_received",
        "petitions.review_order",
        "petitions.recheck_order",
    }


@pytest.mark.parametrize(("check", "records", "key"), CASES, ids=[c[0] for c in CASES])
def test_check_finds_the_record(
    db: vs.Database, check: str, records: dict[str, str], key: tuple | None
):
    load_records(db, BASE)
    assert db.validate() == []
    load_records(db, records)
    found = [f for f in db.validate() if f.check == check]
    keys = [tuple(str(v) for v in f.key) for f in found]
    if check == "benefit_payments.outside_entitlement":
        # February is before the entitlement started, August after it ended; July is inside.
        assert sorted(keys) == [
            (V1, "disabled", "2025-02"),
            (V1, "disabled", "2025-08"),
        ]
    elif check == "environment.no_station":
        assert keys == [("610602001000", "2026-01-01")]
    elif check == "guidance_visits.outside_township":
        # S1 works at 宝塔山街道: 杨家岭社区 is its village, 李渠村 is not.
        assert keys == [("S1", "610602100001", "2026-01-06")]
    else:
        assert keys == [key]
    assert found[0].render("zh")
