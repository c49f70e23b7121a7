"""All 25 record kinds from a county clerk's hand-filled ledgers, read back field by field.

The ledgers in ``tests/fixtures/records`` (and ``records_seed`` for the kinds
added after the first schema) are written to ``records.md`` with the
spellings a clerk mixes: Chinese and English headers, columns out of order,
every date, bool, enum, list and money spelling. The expected values below are
worked out by hand from those files, not from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fixtures import RECORDS as FIXTURES
from fixtures import ROWS as FIRST_ROWS
from fixtures import SEED_RECORDS, SEED_ROWS

import vetservice as vs
from vetservice.domain import ENVIRONMENT_ELEMENTS, KINDS
from vetservice.domain import enums as E
from vetservice.domain.records import (
    Activity,
    BenefitPayment,
    CareFundEntry,
    Inspection,
    Petition,
    StaffMember,
    Station,
    Unit,
    Veteran,
)
from vetservice.imports.headers import header_aliases, normalise_header
from vetservice.imports.readers import read_sheet
from vetservice.testing import FIXTURE_TODAY as TODAY

d = dt.date

# The veterans of the ledgers, by id number.
LI = "612601196503120031"  # 李保国, 杨家岭社区
WANG = "61260119781105005X"  # 王志刚, written with a lower-case x in the ledger
ZHANG = "610602199907090068"  # 张小燕, 李渠村
CHEN = "612621195801010093"  # 陈德胜, 黑家堡村
LIU = "610621200105200119"  # 刘小军, 黑家堡村


ROWS = {**FIRST_ROWS, **SEED_ROWS}
# Fields added after the fixture files were written (migrations 0006 and
# 0007): those files stay the content of the revision-0001 database the
# upgrade tests use; tests/indicators/test_seed_ledgers.py and
# tests/indicators/test_history.py import these fields.
LATER_FIELDS = {
    ("veterans", "household_id"),
    ("hardship", "severity"),
    *((kind.name, "valid_from") for kind in KINDS.values() if kind.versioned),
}


def source(kind: str) -> Path:
    """The hand-filled ledger of ``kind``."""
    return (SEED_RECORDS if kind in SEED_ROWS else FIXTURES) / f"{kind}.csv"


def ledgers(folder: Path | None = None, suffix: str = ".csv") -> list[tuple[str, Path]]:
    """Every kind's file, in alphabetical order (activities before units) on purpose:
    the importer puts them in dependency order itself."""
    if folder is None:
        return sorted((kind, source(kind)) for kind in KINDS)
    return sorted((kind, folder / f"{kind}{suffix}") for kind in KINDS)


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    result = db.import_files(ledgers(), today=TODAY)
    assert result.problems == []
    assert {f.kind: f.added for f in result.files} == ROWS
    assert {f.kind: f.rows for f in result.files} == ROWS
    return db


# ---------------------------------------------------------------------------
# What the ledgers say, worked out by hand.

UNITS = [
    Unit(code="610600000000", name="延安市", level=E.Level.CITY),
    Unit(
        code="610602000000",
        name="宝塔区",
        level=E.Level.COUNTY,
        parent_code="610600000000",
        kind=E.UnitKind.DISTRICT,
    ),
    Unit(
        code="610602001000",
        name="宝塔山街道",
        level=E.Level.TOWNSHIP,
        parent_code="610602000000",
        kind=E.UnitKind.STREET,
    ),
    Unit(
        code="610602001001",
        name="杨家岭社区",
        level=E.Level.VILLAGE,
        parent_code="610602001000",
        kind=E.UnitKind.COMMUNITY,
    ),
    Unit(
        code="610602100000",
        name="李渠镇",
        level=E.Level.TOWNSHIP,
        parent_code="610602000000",
        kind=E.UnitKind.TOWN,
    ),
    Unit(
        code="610602100001",
        name="李渠村",
        level=E.Level.VILLAGE,
        parent_code="610602100000",
        kind=E.UnitKind.VILLAGE,
    ),
    Unit(
        code="610621000000",
        name="延长县",
        level=E.Level.COUNTY,
        parent_code="610600000000",
        kind=E.UnitKind.COUNTY,
    ),
    Unit(
        code="610621100000",
        name="黑家堡镇",
        level=E.Level.TOWNSHIP,
        parent_code="610621000000",
        kind=E.UnitKind.TOWN,
    ),
    Unit(
        code="610621100001",
        name="黑家堡村",
        level=E.Level.VILLAGE,
        parent_code="610621100000",
        kind=E.UnitKind.VILLAGE,
    ),
]

STATIONS = [
    Station(  # 2019/06/01, 是 everywhere, 全国示范型
        unit_code="610602000000",
        established_on=d(2019, 6, 1),
        dedicated_space=True,
        posts=5,
        has_organization=True,
        has_posts=True,
        has_staff=True,
        has_funding=True,
        has_support=True,
        model=E.StationModel.NATIONAL,
    ),
    Station(  # 2020.03.15, 有/无, posts empty, model by English value "city"
        unit_code="610602001000",
        established_on=d(2020, 3, 15),
        dedicated_space=True,
        has_organization=True,
        has_posts=True,
        has_staff=True,
        has_funding=False,
        has_support=True,
        model=E.StationModel.CITY,
    ),
    Station(  # 2021年5月5日, √/×, no model
        unit_code="610602100000",
        established_on=d(2021, 5, 5),
        dedicated_space=False,
        has_organization=True,
        has_posts=True,
        has_staff=True,
        has_funding=True,
        has_support=False,
    ),
    Station(  # yes/no, 枫桥式
        unit_code="610602100001",
        established_on=d(2022, 1, 10),
        dedicated_space=False,
        has_organization=True,
        has_posts=True,
        has_staff=False,
        has_funding=True,
        has_support=True,
        model=E.StationModel.FENGQIAO,
    ),
]


def _inspection(unit: str, on: dt.date, flags: str, note: str | None) -> Inspection:
    """``flags``: the 13 elements in records.md order, Y for present, - for missing."""
    assert len(flags) == 13
    marks = dict(zip(ENVIRONMENT_ELEMENTS, (f == "Y" for f in flags), strict=True))
    return Inspection(unit_code=unit, checked_on=on, note=note, **marks)


ENVIRONMENT = [
    _inspection("610602000000", d(2026, 3, 5), "YYYYYYYYYYYYY", "全部到位"),
    # 2026/3/5: no hero portraits (6th) and no local column (13th)
    _inspection("610602001000", d(2026, 3, 5), "YYYYY-YYYYYY-", "缺英模画像"),
    # 2026.03.05, written 1/0: 1,1,1,1,0,0,1,0,1,1,1,0,0
    _inspection("610602100000", d(2026, 3, 5), "YYYY--Y-YYY--", None),
]

STAFF = [
    StaffMember(
        person_id="S001",
        unit_code="610602000000",
        name="刘建国",
        role=E.StaffRole.DIRECTOR,
        full_time=True,
        other_duties=False,
        military_experience=True,
        started_on=d(2019, 6, 1),
    ),
    StaffMember(
        person_id="S002",
        unit_code="610602000000",
        name="王丽",
        role=E.StaffRole.STAFF,
        full_time=True,
        other_duties=False,
        military_experience=False,
    ),
    StaffMember(  # role by English value; an end date after today is allowed
        person_id="S003",
        unit_code="610602001000",
        name="张强",
        role=E.StaffRole.STAFF,
        full_time=True,
        other_duties=True,
        military_experience=True,
        ended_on=d(2027, 6, 30),
    ),
    StaffMember(
        person_id="S004",
        unit_code="610602100000",
        name="赵军",
        role=E.StaffRole.STAFF,
        full_time=True,
        other_duties=False,
        military_experience=True,
        started_on=d(2020, 1, 1),
        ended_on=d(2025, 12, 31),
    ),
    StaffMember(
        person_id="S005",
        unit_code="610602001001",
        name="孙梅",
        role=E.StaffRole.LEADING_GROUP,
        military_experience=False,
        group_role=E.GroupRole.GRID_WORKER,
    ),
    StaffMember(
        person_id="S006",
        unit_code="610602001001",
        name="周勇",
        role=E.StaffRole.VOLUNTEER,
        military_experience=True,
    ),
    StaffMember(  # leading_group, yes, group_leader: all English
        person_id="S007",
        unit_code="610602100001",
        name="吴刚",
        role=E.StaffRole.LEADING_GROUP,
        military_experience=True,
        group_role=E.GroupRole.GROUP_LEADER,
    ),
]

# Ordered by id number, as records() orders by the key.
VETERANS = [
    Veteran(  # 女, 1999年7月9日, nco, yes/no, +86 139 1234 5678
        id_number=ZHANG,
        name="张小燕",
        gender=E.Gender.FEMALE,
        birth_date=d(1999, 7, 9),
        unit_code="610602100001",
        category=E.VeteranCategory.NCO,
        discharged_on=d(2021, 9, 1),
        party_member=True,
        branch_enrolled=False,
        phone="13912345678",
    ),
    Veteran(
        id_number=LIU,
        name="刘小军",
        gender=E.Gender.MALE,
        birth_date=d(2001, 5, 20),
        unit_code="610621100001",
        category=E.VeteranCategory.CONSCRIPT,
        discharged_on=d(2023, 9, 1),
    ),
    Veteran(
        id_number=LI,
        name="李保国",
        gender=E.Gender.MALE,
        birth_date=d(1965, 3, 12),
        unit_code="610602001001",
        category=E.VeteranCategory.NCO,
        discharged_on=d(1988, 10, 1),
        party_member=True,
        branch_enrolled=True,
        key_attention=True,
        in_volunteer_team=False,
        contact_person_id="S003",
        plaque_approved_on=d(2019, 5, 1),
        plaque_hung_on=d(2019, 6, 1),
        phone="13812345678",
    ),
    Veteran(  # lower-case x normalised; gender "male"; a landline
        id_number=WANG,
        name="王志刚",
        gender=E.Gender.MALE,
        unit_code="610602001001",
        category=E.VeteranCategory.CONSCRIPT,
        discharged_on=d(1998, 12, 1),
        party_member=False,
        key_attention=False,
        in_volunteer_team=True,
        plaque_approved_on=d(2020, 1, 1),
        phone="0911-2345678",
    ),
    Veteran(  # bools as 1/0, gender and birth date left for the id number
        id_number=CHEN,
        name="陈德胜",
        unit_code="610621100001",
        category=E.VeteranCategory.TRANSFERRED_CADRE,
        discharged_on=d(1990, 6, 1),
        party_member=True,
        branch_enrolled=True,
        key_attention=True,
        in_volunteer_team=False,
        contact_person_id="S004",
        plaque_approved_on=d(2019, 5, 1),
        plaque_hung_on=d(2019, 5, 20),
    ),
]

ACTIVITIES = [
    Activity(  # tags split on the full-width ；
        unit_code="610602000000",
        held_on=d(2026, 7, 1),
        type=E.ActivityType.STUDY,
        title="参观延安革命纪念馆",
        participants=35,
        tags=("红色资源", "党史"),
    ),
    Activity(  # type by English value, no tags
        unit_code="610602001000",
        held_on=d(2026, 7, 15),
        type=E.ActivityType.PARTY,
        title="主题党日",
        participants=20,
    ),
    Activity(  # 2026/8/1, tags split on the full-width ，
        unit_code="610602001000",
        held_on=d(2026, 8, 1),
        type=E.ActivityType.CULTURE,
        title="篮球友谊赛",
        participants=24,
        tags=("体育", "友谊"),
    ),
    Activity(  # tags split on a quoted ASCII comma
        unit_code="610602100000",
        held_on=d(2026, 9, 30),
        type=E.ActivityType.VOLUNTEER,
        title="义务植树",
        participants=12,
        tags=("红色资源", "植树"),
    ),
]

CARE_FUND_ENTRIES = [
    CareFundEntry(  # "1,234.50"
        unit_code="610602000000",
        entry_no="JJ-001",
        date=d(2026, 1, 5),
        kind=E.FundEntryKind.DONATION,
        amount=Decimal("1234.50"),
        counterparty="延安某能源公司",
    ),
    CareFundEntry(  # ¥1000 granted the same day: the balance stays 234.50
        unit_code="610602000000",
        entry_no="JJ-002",
        date=d(2026, 1, 5),
        kind=E.FundEntryKind.GRANT,
        amount=Decimal("1000.00"),
        counterparty=LI,
        publicized_on=d(2026, 1, 20),
    ),
    CareFundEntry(  # 2026年3月1日, kind by English value
        unit_code="610602000000",
        entry_no="JJ-003",
        date=d(2026, 3, 1),
        kind=E.FundEntryKind.DONATION,
        amount=Decimal("50000.00"),
        counterparty="爱心企业家",
    ),
]

BENEFIT_PAYMENTS = [
    BenefitPayment(  # 2026-01, 2310
        id_number=LI,
        category=E.BenefitCategory.DISABLED,
        month="2026-01",
        amount=Decimal("2310.00"),
        paid_on=d(2026, 1, 15),
    ),
    BenefitPayment(  # disabled, 2026/02, 2310.00
        id_number=LI,
        category=E.BenefitCategory.DISABLED,
        month="2026-02",
        amount=Decimal("2310.00"),
        paid_on=d(2026, 2, 15),
    ),
    BenefitPayment(  # 2026年1月, 900.50
        id_number=CHEN,
        category=E.BenefitCategory.WAR_PARTICIPANT,
        month="2026-01",
        amount=Decimal("900.50"),
        paid_on=d(2026, 1, 20),
    ),
]

PETITIONS = [
    Petition(
        case_no="YA2026-0001",
        unit_code="610602001001",
        id_number=LI,
        received_on=d(2026, 3, 1),
        channel=E.Channel.VISIT,
        group=False,
        level_reached=E.LevelReached.COUNTY,
        handling=(E.Handling.RECEPTION, E.Handling.APPOINTMENT),  # 接访、约访
        decision=E.Decision.ACCEPTED,
        accepted_on=d(2026, 3, 10),
        extended=False,
        replied_on=d(2026, 4, 20),
        closed_on=d(2026, 4, 20),
        outcome=E.Outcome.SUPPORTED,
        resolution=(E.Resolution.POLICY, E.Resolution.CARE),  # 政策落实;关心关爱
        escalated=False,
        repeat=False,
        rescreened_on=d(2026, 10, 10),
        answered_per_policy=True,
        policy_implemented=True,
        solved=True,
        stable=True,
        responsible="刘建国",
    ),
    Petition(  # a group petition with no petitioner's id; empty decision
        case_no="YA2026-0002",
        unit_code="610621100001",
        received_on=d(2026, 5, 1),
        channel=E.Channel.ONLINE,
        group=True,
        level_reached=E.LevelReached.CITY,
        handling=(E.Handling.RECEPTION,),
        accepted_on=d(2026, 5, 12),
        extended=True,
        escalated=True,
        repeat=False,
    ),
    Petition(  # not accepted, then reviewed and rechecked
        case_no="YA2026-0003",
        unit_code="610602100001",
        id_number=ZHANG,
        received_on=d(2026, 6, 1),
        channel=E.Channel.LETTER,
        decision=E.Decision.NOT_ACCEPTED,
        accepted_on=d(2026, 6, 10),
        replied_on=d(2026, 6, 10),
        closed_on=d(2026, 6, 10),
        outcome=E.Outcome.NOT_SUPPORTED,
        review_requested_on=d(2026, 6, 20),
        review_answered_on=d(2026, 7, 15),
        recheck_requested_on=d(2026, 7, 20),
        recheck_answered_on=d(2026, 8, 10),
        resolution=(E.Resolution.MONEY, E.Resolution.ASSISTANCE),  # 资金物资，帮难解困
        repeat=True,
        responsible="赵军",
    ),
]

FULL = {
    "units": UNITS,
    "stations": STATIONS,
    "environment": ENVIRONMENT,
    "staff": STAFF,
    "veterans": VETERANS,
    "activities": ACTIVITIES,
    "care_fund_entries": CARE_FUND_ENTRIES,
    "benefit_payments": BENEFIT_PAYMENTS,
    "petitions": PETITIONS,
}

# The other kinds: every row's key and at least two more fields, in key order.
SOME: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = {
    "guidance_visits": (
        ("staff_person_id", "unit_code", "visited_on", "note"),
        [
            ("S003", "610602001001", d(2026, 3, 5), "指导台账建立"),
            ("S003", "610602001001", d(2026, 4, 2), None),
            ("S004", "610602100001", d(2025, 11, 20), "入户走访"),
        ],
    ),
    "visits": (
        ("id_number", "visited_on", "reason", "staff_person_id", "note"),
        [
            (LI, d(2026, 2, 12), E.VisitReason.HOLIDAY, "S003", "春节慰问"),
            (LI, d(2026, 7, 30), E.VisitReason.HOLIDAY, "S003", "八一慰问"),
            (CHEN, d(2026, 5, 6), E.VisitReason.ILLNESS, None, "住院看望"),
        ],
    ),
    "honors": (
        ("kind", "recipient", "delivered_on", "unit_code", "note"),
        [
            (E.HonorKind.BLESSING, LI, d(2026, 2, 10), "610602001001", "老英雄新春祝福"),
            (E.HonorKind.GOOD_NEWS, "王二虎", d(2026, 4, 1), "610602001001", "荣立三等功"),
        ],
    ),
    "social_insurance": (
        ("id_number", "eligible", "status", "entered_on", "funding", "explained"),
        [
            (ZHANG, False, E.InsuranceStatus.REJECTED, None, E.Funding.SELF, True),
            (LI, True, E.InsuranceStatus.ENTERED, d(2025, 6, 1), E.Funding.GOVERNMENT, None),
            (WANG, True, E.InsuranceStatus.PENDING, None, None, None),
        ],
    ),
    "hardship": (
        ("id_number", "registered_on", "difficulty", "measures", "dibao_eligible", "closed_on"),
        [
            (LIU, d(2025, 8, 15), (E.Difficulty.UNEMPLOYMENT,), None, False, d(2026, 6, 30)),
            (
                CHEN,
                d(2025, 3, 1),
                (E.Difficulty.ILLNESS, E.Difficulty.DISABILITY),
                "临时救助；结对帮扶",  # text, not a list: kept as written
                True,
                None,
            ),
        ],
    ),
    "employment": (
        ("id_number", "registered_on", "status", "wanted_job", "wants_training", "trained_on"),
        [
            (ZHANG, d(2026, 3, 1), E.EmploymentStatus.SEEKING, "安保", True, d(2026, 4, 15)),
            (LIU, d(2026, 1, 10), E.EmploymentStatus.SELF_EMPLOYED, None, False, None),
        ],
    ),
    "job_fairs": (
        ("unit_code", "held_on", "employers", "positions", "hires"),
        [
            ("610602000000", d(2026, 4, 20), 35, 420, 86),
            ("610621000000", d(2025, 10, 10), 12, 150, 20),
        ],
    ),
    "care_funds": (
        ("unit_code", "established_on"),
        [("610602000000", d(2021, 12, 1)), ("610621000000", None)],
    ),
    "benefit_recipients": (
        ("id_number", "category", "started_on", "monthly_standard", "ended_on", "verified_on"),
        [
            (LI, E.BenefitCategory.DISABLED, d(2025, 1, 1), Decimal("2200.00"), d(2025, 7, 31), None),
            (LI, E.BenefitCategory.DISABLED, d(2025, 8, 1), Decimal("2310.00"), None, d(2026, 3, 1)),
            (CHEN, E.BenefitCategory.WAR_PARTICIPANT, d(2025, 1, 1), Decimal("900.50"), None, None),
        ],
    ),
    "placements": (
        ("id_number", "type", "received_on", "placed_on", "legacy", "resolved_on"),
        [
            (ZHANG, E.PlacementType.NCO, d(2026, 2, 1), None, False, None),
            (CHEN, E.PlacementType.TRANSFERRED_CADRE, d(2025, 3, 1), d(2025, 9, 1), True, d(2026, 5, 1)),
        ],
    ),
    "service_contracts": (
        ("unit_code", "field", "provider", "signed_on", "expires_on"),
        [
            ("610602000000", E.ServiceField.LEGAL, "宝塔区法律援助中心", d(2025, 1, 1), d(2027, 12, 31)),
            ("610602000000", E.ServiceField.PSYCHOLOGICAL, "延安心理咨询站", d(2025, 3, 1), None),
            ("610621000000", E.ServiceField.MEDICAL, "延长县人民医院", d(2024, 6, 1), d(2026, 5, 31)),
        ],
    ),
    "home_services": (
        ("id_number", "field", "served_on", "provider"),
        [
            (LI, E.ServiceField.LEGAL, d(2026, 3, 10), None),
            (CHEN, E.ServiceField.MEDICAL, d(2026, 6, 1), "延长县人民医院"),
        ],
    ),    "secretary_checks": (
        ("unit_code", "checked_on", "secretary", "form", "note"),
        [
            ("610602000000", d(2026, 3, 15), "高建华", E.CheckForm.BRIEFING, "听取退役军人服务中心工作汇报"),
            ("610602001000", d(2026, 4, 2), "马小林", E.CheckForm.ASK, None),
            ("610621000000", d(2026, 5, 20), "孙志强", E.CheckForm.INSPECTION, "检查服务站政治文化环境"),
        ],
    ),
    "receptions": (
        ("unit_code", "held_on", "kind", "leader", "post", "people", "case_nos"),
        [
            ("610602000000", d(2026, 3, 5), E.Handling.RECEPTION, "高建华", "县委书记", 4, ("YA2026-0001",)),
            ("610602100000", d(2026, 6, 20), E.Handling.SUPERVISION, "马小林", None, None, None),
            ("610621000000", d(2026, 5, 12), E.Handling.OUTREACH, "孙志强", "县长", 2, ("YA2026-0002", "YA2026-0003")),
        ],
    ),
    "case_plans": (
        ("case_no", "drafted_on", "leader", "measures", "due_on", "closed_on"),
        [
            ("YA2026-0001", d(2026, 3, 12), "高建华", "协调落实待遇；定期回访", d(2026, 4, 30), d(2026, 4, 20)),
            ("YA2026-0002", d(2026, 5, 15), "孙志强", "政策解释", d(2026, 12, 31), None),
        ],
    ),
    "fund_recommendations": (
        ("id_number", "recommended_on", "unit_code", "fund_level", "outcome", "amount", "publicized_on"),
        [
            (LIU, d(2026, 6, 1), "610621000000", E.FundLevel.CITY, None, None, None),
            (CHEN, d(2026, 4, 10), "610621000000", E.FundLevel.PROVINCE, E.RecommendationOutcome.GRANTED, Decimal("5000.00"), d(2026, 4, 5)),
        ],
    ),
}


# ---------------------------------------------------------------------------
# The ledgers themselves.


def _read(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def _fields_of(kind: str, header: list[str]) -> list[str]:
    aliases = header_aliases(KINDS[kind])
    return [aliases[normalise_header(h)] for h in header]


def test_the_ledgers_use_every_field_of_every_kind():
    assert set(FULL) | set(SOME) == set(KINDS)
    for kind, record_kind in KINDS.items():
        header, *rows = _read(source(kind))
        names = _fields_of(kind, header)
        assert 2 <= len(rows) <= 9, kind
        for field in record_kind.fields:
            if (kind, field.name) in LATER_FIELDS:
                continue
            assert field.name in names, (kind, field.name)
            column = names.index(field.name)
            assert any(row[column].strip() for row in rows), (kind, field.name)


# ---------------------------------------------------------------------------
# CSV import, read back field by field.


def test_every_kind_imports_with_its_counts(loaded: vs.Database):
    assert loaded.counts() == ROWS


@pytest.mark.parametrize("kind", sorted(FULL))
def test_records_read_back_as_worked_out_by_hand(loaded: vs.Database, kind: str):
    assert loaded.records(kind) == FULL[kind]


@pytest.mark.parametrize("kind", sorted(SOME))
def test_keys_and_fields_of_the_other_kinds(loaded: vs.Database, kind: str):
    fields, expected = SOME[kind]
    records = loaded.records(kind)
    assert [tuple(getattr(r, f) for f in fields) for r in records] == expected
    assert [KINDS[kind].key_of(r) for r in records] == [
        row[: len(KINDS[kind].key)] for row in expected
    ]


def test_values_have_their_python_types(loaded: vs.Database):
    for entry in loaded.records("care_fund_entries"):
        assert type(entry.amount) is Decimal and entry.amount.as_tuple().exponent == -2
    for payment in loaded.records("benefit_payments"):
        assert type(payment.amount) is Decimal and isinstance(payment.month, str)
    group = loaded.records("petitions", case_no="YA2026-0002")[0]
    assert group.effective_decision is E.Decision.ACCEPTED  # empty, but accepted_on set
    inspection = loaded.records("environment", unit_code="610602100000")[0]
    assert all(
        type(getattr(inspection, name)) is bool for name in ENVIRONMENT_ELEMENTS
    )


# ---------------------------------------------------------------------------
# The same ledgers typed into Excel.

_DATE_TEXT = re.compile(r"^(\d{4})\D(\d{1,2})\D(\d{1,2})日?$")
_MONTH_TEXT = re.compile(r"^(\d{4})\D(\d{1,2})月?$")


def _excel_cell(type_name: str, text: str) -> Any:
    """What Excel keeps when a clerk types ``text`` into a column of that type."""
    if not text:
        return None
    if type_name == "date":
        m = _DATE_TEXT.match(text)
        assert m, text
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]))
    if type_name == "month":  # Excel turns 2026-01 into the date 2026-01-01
        m = _MONTH_TEXT.match(text)
        assert m, text
        return dt.datetime(int(m[1]), int(m[2]), 1)
    if type_name == "int":
        return int(text)
    if type_name == "money":
        return float(text.replace(",", "").lstrip("¥"))
    if type_name == "bool" and text in ("1", "0"):
        return int(text)
    if type_name == "phone" and text.isdigit():
        return int(text)  # a mobile number typed into a general cell
    return text  # codes, id numbers, text, enums, lists: text cells


def csv_to_xlsx(kind: str, csv_path: Path, xlsx_path: Path) -> None:
    from openpyxl import Workbook

    header, *rows = _read(csv_path)
    types = [KINDS[kind].field(name).type.name for name in _fields_of(kind, header)]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for number, row in enumerate(rows, start=2):
        for column, (type_name, text) in enumerate(zip(types, row, strict=True), 1):
            cell = sheet.cell(number, column, _excel_cell(type_name, text))
            if type_name in ("date", "month"):
                cell.number_format = "yyyy/m/d"
            elif type_name in ("code", "id_number"):
                cell.number_format = "@"
    book.save(xlsx_path)


def test_xlsx_ledgers_import_the_same_as_csv(db: vs.Database, tmp_path: Path):
    from openpyxl import load_workbook

    for kind in KINDS:
        csv_to_xlsx(kind, source(kind), tmp_path / f"{kind}.xlsx")
    # The workbook really holds date, number and text cells.
    cells = list(load_workbook(tmp_path / "stations.xlsx").active.values)
    assert isinstance(cells[1][1], dt.datetime) and cells[1][3] == 5
    assert cells[1][0] == "610602000000"
    amounts = [row[4] for row in load_workbook(tmp_path / "care_fund_entries.xlsx").active.values]
    assert amounts[1:] == [1234.5, 1000.0, 50000.0]

    result = db.import_files(ledgers(tmp_path, ".xlsx"), today=TODAY)
    assert result.problems == [] and result.total("added") == sum(ROWS.values())
    with vs.open(f"sqlite:///{(tmp_path / 'from-csv.db').as_posix()}") as from_csv:
        from_csv.import_files(ledgers(), today=TODAY)
        for kind in KINDS:
            assert db.records(kind) == from_csv.records(kind), kind
    for kind, expected in FULL.items():
        assert db.records(kind) == expected, kind


# ---------------------------------------------------------------------------
# Re-import, corrections, deletion.


def test_reimporting_the_same_ledgers_changes_nothing(loaded: vs.Database):
    before = {kind: loaded.records(kind) for kind in KINDS}
    again = loaded.import_files(ledgers(), today=TODAY)
    for report in again.files:
        assert (report.added, report.updated, report.unchanged) == (
            0,
            0,
            ROWS[report.kind],
        ), report.kind
    assert {kind: loaded.records(kind) for kind in KINDS} == before


def _rewrite(source: Path, target: Path, change: dict[str, dict[str, str]]) -> None:
    """Copy a ledger, changing cells: {first cell of the row: {header: new text}}."""
    header, *rows = _read(source)
    for row in rows:
        for name, text in change.get(row[0], {}).items():
            row[header.index(name)] = text
    with target.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])


def test_a_corrected_ledger_updates_one_record(loaded: vs.Database, tmp_path: Path):
    # The clerk fixes 宝塔区's centre: 6 posts, not 5, and it is not yet a model.
    fixed = tmp_path / "stations.csv"
    _rewrite(
        FIXTURES / "stations.csv", fixed, {"610602000000": {"编制数": "6", "示范创建": ""}}
    )
    result = loaded.import_file("stations", fixed, today=TODAY)
    assert (result.total("added"), result.total("updated"), result.total("unchanged")) == (0, 1, 3)
    station = loaded.records("stations", unit_code="610602000000")[0]
    assert (station.posts, station.model) == (6, None)
    assert loaded.records("stations")[1:] == STATIONS[1:]

    # A petition ledger: a new person responsible, the re-screen date cleared.
    petitions = tmp_path / "petitions.csv"
    _rewrite(
        FIXTURES / "petitions.csv",
        petitions,
        {"YA2026-0001": {"责任人": "王丽", "再排查日期": ""}},
    )
    result = loaded.import_file("petitions", petitions, today=TODAY)
    assert (result.total("updated"), result.total("unchanged")) == (1, 2)
    case = loaded.records("petitions", case_no="YA2026-0001")[0]
    assert (case.responsible, case.rescreened_on) == ("王丽", None)
    assert case.resolution == PETITIONS[0].resolution


def test_delete_by_a_file_of_keys(loaded: vs.Database, tmp_path: Path):
    # Only the key columns, in English, with the clerk's own spellings.
    keys = tmp_path / "home_services.csv"
    keys.write_text(f"served_on,field,id_number\n2026/3/10,法律,{LI}\n", encoding="utf-8")
    result = loaded.delete_file("home_services", keys)
    assert result.total("deleted") == 1 and result.problems == []
    assert [(h.id_number, h.field) for h in loaded.records("home_services")] == [
        (CHEN, E.ServiceField.MEDICAL)
    ]
    # A key typed with a lower-case x finds the record stored with X.
    insurance = tmp_path / "social_insurance.csv"
    insurance.write_text("身份证号\n61260119781105005x\n", encoding="utf-8")
    assert loaded.delete_file("social_insurance", insurance).total("deleted") == 1
    assert [s.id_number for s in loaded.records("social_insurance")] == [ZHANG, LI]


def test_delete_refuses_a_veteran_still_named_by_visits(
    loaded: vs.Database, tmp_path: Path
):
    before = loaded.counts()
    keys = tmp_path / "veterans.csv"
    keys.write_text(f"身份证号\n{LI}\n", encoding="utf-8")
    with pytest.raises(vs.ImportRejected) as caught:
        loaded.delete_file("veterans", keys)
    problems = caught.value.problems
    visits = [p for p in problems if "走访慰问" in p.render()]
    assert len(visits) == 1 and visits[0].row == 2
    assert "612601********0031" in visits[0].render() and LI not in visits[0].render()
    assert "still named by 2 visits rows" in visits[0].render("en")
    assert loaded.counts() == before  # nothing removed
    assert loaded.records("veterans", id_number=LI) == [VETERANS[2]]


# ---------------------------------------------------------------------------
# Encodings: Chinese Excel saves CSV as GBK.


def test_the_gbk_ledger_is_really_gbk():
    raw = (FIXTURES / "gbk_veterans.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = raw.decode("gbk").splitlines()[0].split(",")
    assert header[:3] == ["身份证号", "姓名", "性别"]
    assert read_sheet(FIXTURES / "gbk_veterans.csv").encoding == "gb18030"


def test_gbk_and_bom_ledgers_import_like_their_utf8_twin(
    db: vs.Database, tmp_path: Path
):
    result = db.import_files(
        [
            ("veterans", FIXTURES / "gbk_veterans.csv"),
            ("staff", FIXTURES / "staff.csv"),
            ("units", FIXTURES / "units.csv"),
        ],
        today=TODAY,
    )
    assert result.problems == []
    assert db.records("veterans") == VETERANS

    # The UTF-8 twin (English headers) finds every record already as it says.
    twin = db.import_file("veterans", FIXTURES / "veterans.csv", today=TODAY)
    assert (twin.total("added"), twin.total("updated"), twin.total("unchanged")) == (0, 0, 5)

    # So does a UTF-8 copy with a byte-order mark, as Excel's "CSV UTF-8" saves it.
    bom = tmp_path / "veterans.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "veterans.csv").read_bytes())
    assert read_sheet(bom).encoding == "utf-8-sig"
    again = db.import_file("veterans", bom, today=TODAY)
    assert (again.total("added"), again.total("updated"), again.total("unchanged")) == (0, 0, 5)
    assert db.records("veterans") == VETERANS


def test_an_unknown_place_code_is_a_warning_not_an_error(
    loaded: vs.Database, tmp_path: Path
):
    from stdnum.cn import ric

    # 陕西 (61) is known, county code 0699 is not: a warning, and the row is kept.
    first17 = "61069919800101001"
    number = first17 + ric.calc_check_digit(first17 + "0")
    ledger = tmp_path / "veterans.csv"
    ledger.write_text(
        f"身份证号,姓名,现居村社区代码\n{number},高建军,610621100001\n", encoding="utf-8"
    )
    result = loaded.import_file("veterans", ledger, today=TODAY)
    assert result.total("added") == 1 and result.problems == []
    (warning,) = result.warnings
    assert warning.row == 2 and "610699" in warning.render()
    assert number not in warning.render()
