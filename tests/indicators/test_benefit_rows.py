"""benefit.mismatch on awkward recipient histories, against the rule written in Python.

The statement finds a payment's recipient row in two disjoint steps (rows
covering the payment's month, then the latest row for months none covers);
this checks every fact — its unit, count and standard — on histories with
overlapping rows, gaps, rows starting and ending inside a month and
payments no row covers, for a month, a quarter and a year cut short.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

import vetservice as vs
from vetservice.calendar import Period
from vetservice.testing import (
    CITY,
    HJBC,
    LQC,
    QLCS,
    SMALL_HIERARCHY,
    YJL,
    id_number,
    load_records,
)

UNITS = (YJL, LQC, QLCS, HJBC)
CATEGORIES = ("disabled", "rural_aged")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def _date(rng: random.Random) -> dt.date:
    return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))


def _history(seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    recipients, payments = [], []
    for person in range(12):
        number = id_number("612601", f"19{50 + person:02d}0101", person + 1)
        for category in rng.sample(CATEGORIES, rng.randint(1, 2)):
            starts = sorted(rng.sample(range(365), rng.randint(1, 4)))
            for start in starts:
                started = dt.date(2026, 1, 1) + dt.timedelta(days=start)
                # Ends anywhere after the start, or never: rows may overlap
                # or leave gaps.
                ended = rng.choice(
                    [None, started + dt.timedelta(days=rng.randrange(0, 200))]
                )
                recipients.append(
                    {
                        "id_number": number,
                        "unit_code": rng.choice(UNITS),
                        "category": category,
                        "standard": rng.choice((100, 120)),
                        "started_on": started,
                        "ended_on": ended,
                    }
                )
            for month in rng.sample(MONTHS, rng.randint(2, 8)):
                payments.append(
                    {
                        "id_number": number,
                        "category": category,
                        "month": month,
                        "amount": rng.choice((100, 120)),
                        "paid_on": _date(rng),
                    }
                )
    return recipients, payments


def _month(day: dt.date) -> str:
    return day.isoformat()[:7]


def _expected(
    recipients: list[dict[str, Any]], payments: list[dict[str, Any]], months: list[str]
) -> list[tuple[Any, ...]]:
    """Per payment of P: (id, category, month, unit, counted, standard) by the rule."""
    facts = []
    for p in payments:
        if p["month"] not in months:
            continue
        rows = [
            r
            for r in recipients
            if (r["id_number"], r["category"]) == (p["id_number"], p["category"])
        ]
        covering = [
            r
            for r in rows
            if _month(r["started_on"]) <= p["month"]
            and (r["ended_on"] is None or _month(r["ended_on"]) >= p["month"])
        ]
        if covering:
            row = max(covering, key=lambda r: r["started_on"])
            counted = int(p["amount"] != row["standard"])
            standard = row["standard"]
        else:
            row = max(rows, key=lambda r: r["started_on"])
            counted, standard = 1, None
        facts.append(
            (
                p["id_number"],
                p["category"],
                p["month"],
                row["unit_code"],
                counted,
                standard,
            )
        )
    return sorted(facts, key=repr)


def _csv(
    recipients: list[dict[str, Any]], payments: list[dict[str, Any]]
) -> dict[str, str]:
    rec = [
        "id_number,name,unit_code,category,monthly_standard,started_on,ended_on,verified_on"
    ]
    for r in recipients:
        ended = r["ended_on"].isoformat() if r["ended_on"] else ""
        rec.append(
            f"{r['id_number']},某,{r['unit_code']},{r['category']},{r['standard']}.00,{r['started_on']},{ended},"
        )
    pay = ["id_number,category,month,amount,paid_on"]
    for p in payments:
        pay.append(
            f"{p['id_number']},{p['category']},{p['month']},{p['amount']}.00,{p['paid_on']}"
        )
    return {
        "units": SMALL_HIERARCHY,
        "benefit_recipients": "\n".join(rec) + "\n",
        "benefit_payments": "\n".join(pay) + "\n",
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_mismatch_follows_the_rule(db: vs.Database, seed: int) -> None:
    recipients, payments = _history(seed)
    result = load_records(db, _csv(recipients, payments), today=dt.date(2026, 12, 31))
    assert not result.warnings, result.warnings[:3]
    as_of = dt.date(2026, 11, 15)
    for name in ("2026-03", "2026Q3", "2026", "2027"):
        period = Period.parse(name, as_of)
        explained = db.explain("benefit.mismatch", CITY, period, show_pii=True)
        got = sorted(
            (
                row["id_number"],
                row["category"],
                row["month"],
                row["unit_code"],
                int(row["numerator"]),
                None
                if row["monthly_standard"] is None
                else int(row["monthly_standard"]) // 100,
            )
            for row in explained.rows
        )
        expected = _expected(recipients, payments, period.months)
        assert got == expected, name
        if name == "2027":  # not begun on the as-of date: no months, no facts
            assert got == []
        else:  # some of each kind, so the check means something
            assert any(f[5] is None for f in expected) or name == "2026-03"
            assert any(f[4] == 0 for f in expected)
