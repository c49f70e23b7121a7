"""信访 indicators, worked out by hand; period 2026Q3 (S = 2026-07-01, E = 2026-09-30)."""

from __future__ import annotations

import pytest

import vetservice as vs
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    YANCHANG,
    load_records,
)

PETITIONS = """\
case_no,unit_code,received_on,channel,group,level_reached,decision,accepted_on,extended,closed_on,review_requested_on,review_answered_on,recheck_requested_on,recheck_answered_on,resolution,escalated,repeat,rescreened_on,answered_per_policy,policy_implemented,solved,stable
P1,610602001001,2026-06-16,visit,,county,,2026-07-01,,2026-08-20,,,,,money,,,,,,,
P2,610602001001,2026-09-15,online,,county,,2026-10-01,,,,,,,,,,,,,,
P3,610602001001,2026-05-01,letter,,county,accepted,2026-05-10,否,,,,,,,,,2026-09-30,是,是,否,是
P4,610602001001,2026-05-01,visit,是,city,accepted,2026-05-10,是,2026-08-09,,,,,money;care,是,是,,,,,
P5,610602001001,2026-07-01,visit,是,province,not_accepted,2026-07-05,,,2026-07-10,2026-08-09,2026-08-20,2026-09-25,,是,,,,,,
P6,610621001001,2026-09-30,phone,,national,,,,,,,,,,,,,,,,
P7,610621001001,2026-10-01,phone,,county,,,,,,,,,,,,,,,,
"""


@pytest.fixture
def ev(db: vs.Database):
    load_records(db, {"units": SMALL_HIERARCHY, "petitions": PETITIONS})
    return db.evaluate(CITY, "2026Q3", as_of=AS_OF)


def pair(result):
    return (result.numerator, result.denominator)


def test_open_and_overdue(ev):
    # Open at E: P2 (decided after E), P3, P6; P5 is closed on its decision (not accepted).
    assert ev["pet.open"].value == 3
    assert (
        ev.figure("pet.open", BAOTA).value == 2
        and ev.figure("pet.open", YANCHANG).value == 1
    )
    # P3: accepted 05-10, 60 days end 07-09 < E. P4 (extended to 08-08) was closed.
    assert ev["pet.overdue"].value == 1


def test_time_limits(ev):
    # Decision due in P: P1 (07-01, decided 07-01), P5 (07-16, decided 07-05), P2 (09-30, decided 10-01).
    assert pair(ev["pet.accepted_on_time"]) == (2, 3)
    # Accepted and closed in P: P1 on time; P4 due 08-08 (60 + 30), closed 08-09.
    assert pair(ev["pet.closed_on_time"]) == (1, 2)
    # P5: review due 08-09 answered 08-09; recheck due 09-19 answered 09-25.
    assert pair(ev["pet.review_on_time"]) == (1, 2)


def test_rescreening(ev):
    # Open at E or closed in 2026 by E: P1-P6 (P7 received after E); re-screened in P: P3.
    assert pair(ev["pet.rescreened"]) == (1, 6)
    assert ev["pet.rescreen_flags"].value == 1  # P3: not solved


def test_counts_of_received(ev):
    # Received in P: P2 (county), P5, P6.
    assert ev["pet.escalated"].value == 1 and ev["pet.group"].value == 1
    assert [
        ev[f"pet.reached.{lv}"].value
        for lv in ("county", "city", "province", "national")
    ] == [1, 0, 1, 1]
    assert [
        ev[f"pet.reached_group.{lv}"].value
        for lv in ("county", "city", "province", "national")
    ] == [0, 0, 1, 0]
    assert ev["pet.repeat"].value == 0


def test_money_only(ev):
    # Closed in P with a resolution: P1 (money only), P4 (money and care).
    result = ev["pet.money_only"]
    assert pair(result) == (1, 2) and result.status is vs.indicators.Status.NOT_MET
