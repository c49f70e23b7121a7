"""What the demo's veterans receive: visits, social insurance, hardship help,
employment, benefits, placements, honours and home services; and each county's
job fairs, service contracts and care fund."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vetservice.demo.generator import DEMO_END, DEMO_START, Generator, month_end, months
from vetservice.i18n import N_

FIELDS = ["legal", "psychological", "medical", "elderly_care", "arts"]

STANDARD = {
    "disabled": 2200,
    "martyr_family": 2600,
    "duty_death_family": 2300,
    "illness_death_family": 2100,
    "demobilized": 1200,
    "ill_returned": 1100,
    "war_participant": 900,
    "rural_aged": 300,
    "other": 500,
}


def add_services(
    g: Generator, units: list[dict[str, str]], veterans: list[dict[str, Any]]
) -> None:
    counties = [u for u in units if u["level"] == "county"]
    hardship_ids: list[str] = []
    recipients = 0
    for v in g.stage(N_("visits, benefits and other services"), veterans):
        vid = v["id_number"]
        age = (DEMO_END - v["birth_date"]).days // 365
        routine: set[tuple[dt.date, str]] = set()
        if v["key_attention"]:
            for holiday in (
                dt.date(2025, 1, 25),
                dt.date(2025, 7, 30),
                dt.date(2025, 9, 28),
                dt.date(2026, 2, 12),
                dt.date(2026, 7, 30),
                dt.date(2026, 9, 28),
            ):
                if g.chance(0.75):
                    g.add(
                        "visits",
                        {
                            "id_number": vid,
                            "visited_on": holiday
                            + dt.timedelta(days=g.rng.randint(0, 3)),
                            "reason": "holiday",
                            "staff_person_id": v["contact_person_id"],
                            "note": None,
                        },
                    )
            if g.chance(0.3):
                visited = g.day()
                reason = g.rng.choice(["illness", "hardship", "routine"])
                routine.add((visited, reason))
                g.add(
                    "visits",
                    {
                        "id_number": vid,
                        "visited_on": visited,
                        "reason": reason,
                        "staff_person_id": None,
                        "note": None,
                    },
                )
        if g.scale.routine_visits:
            # Larger demos visit every veteran now and then, as many stations do.
            whole, part = divmod(g.scale.routine_visits, 1)
            for _ in range(int(whole) + g.chance(part)):
                visited = g.day()
                if (visited, "routine") not in routine:
                    routine.add((visited, "routine"))
                    g.add(
                        "visits",
                        {
                            "id_number": vid,
                            "visited_on": visited,
                            "reason": "routine",
                            "staff_person_id": None,
                            "note": None,
                        },
                    )
        if g.chance(0.2):
            status = g.rng.choices(["entered", "pending", "rejected"], [80, 12, 8])[0]
            g.add(
                "social_insurance",
                {
                    "id_number": vid,
                    "eligible": status != "rejected" or g.chance(0.3),
                    "status": status,
                    "entered_on": g.day() if status == "entered" else None,
                    "funding": g.rng.choice(["self", "employer", "government"]),
                    "explained": g.chance(0.8) if status == "rejected" else None,
                },
            )
        if g.chance(0.03):
            registered = g.day(DEMO_START, dt.date(2026, 6, 30))
            g.add(
                "hardship",
                {
                    "id_number": vid,
                    "registered_on": registered,
                    "difficulty": g.rng.choice(
                        [
                            "illness",
                            "disability",
                            "unemployment",
                            "illness;disability",
                            "disaster",
                        ]
                    ),
                    "measures": "临时救助、结对帮扶" if g.chance(0.85) else None,
                    "dibao_eligible": (eligible := g.chance(0.4)),
                    "dibao": eligible and g.chance(0.85),
                    "other_relief": g.chance(0.3),
                    "closed_on": g.until(
                        registered + dt.timedelta(days=g.rng.randint(60, 300))
                    )
                    if g.chance(0.2)
                    else None,
                },
            )
            hardship_ids.append(vid)
        if 18 <= age <= 59 and g.chance(0.45):
            status = g.rng.choices(
                ["employed", "self_employed", "seeking", "not_seeking"],
                [50, 15, 25, 10],
            )[0]
            registered = g.day(DEMO_START, dt.date(2026, 9, 30))
            wants = status == "seeking" and g.chance(0.6)
            trained = (
                registered + dt.timedelta(days=g.rng.randint(10, 120))
                if wants and g.chance(0.6)
                else None
            )
            g.add(
                "employment",
                {
                    "id_number": vid,
                    "registered_on": registered,
                    "status": status,
                    "skills": g.rng.choice(["驾驶", "电工", "厨师", "安保", None]),
                    "wanted_job": "安保" if status == "seeking" else None,
                    "wants_training": wants,
                    "trained_on": trained if trained and trained <= DEMO_END else None,
                },
            )
        if g.chance(0.05):
            recipients += 1
            _benefits(g, v)
        if v["category"] in ("transferred_cadre", "nco") and g.chance(0.08):
            received = g.day(DEMO_START, dt.date(2026, 9, 30))
            legacy = g.chance(0.2)
            g.add(
                "placements",
                {
                    "id_number": vid,
                    "type": v["category"],
                    "received_on": received,
                    "placed_on": g.until(
                        received + dt.timedelta(days=g.rng.randint(30, 200))
                    )
                    if g.chance(0.8)
                    else None,
                    "legacy": legacy,
                    "resolved_on": g.day(received, DEMO_END)
                    if legacy and g.chance(0.5)
                    else None,
                },
            )
        if g.chance(0.01):
            kind = "good_news" if g.chance(0.6) else "blessing"
            note = "荣立三等功" if kind == "good_news" else "老英雄新春祝福"
            delivered = g.day()
            if (kind, v["name"], delivered) not in g.honors:
                g.honors.add((kind, v["name"], delivered))
                g.add(
                    "honors",
                    {
                        "kind": kind,
                        "recipient": v["name"],
                        "unit_code": v["unit_code"],
                        "delivered_on": delivered,
                        "note": note,
                    },
                )
        if g.chance(0.04):
            g.add(
                "home_services",
                {
                    "id_number": vid,
                    "field": g.rng.choice(FIELDS),
                    "served_on": g.day(),
                    "provider": "签约服务团队",
                },
            )
    g.flush()
    no_fund = counties[len(counties) // 2]["code"] if counties else None
    for county in counties:
        code = county["code"]
        for year in (2025, 2026):
            # The county without a care fund held no job fair in 2026 either.
            fairs = 0 if (year == 2026 and code == no_fund) else g.rng.randint(1, 3)
            days = {
                g.day(dt.date(year, 1, 1), min(DEMO_END, dt.date(year, 12, 31)))
                for _ in range(fairs)
            }
            for held in sorted(days):
                g.add(
                    "job_fairs",
                    {
                        "unit_code": code,
                        "held_on": held,
                        "employers": g.rng.randint(10, 60),
                        "positions": g.rng.randint(50, 600),
                        "hires": g.rng.randint(10, 120),
                    },
                )
        for i, field in enumerate(FIELDS):
            if g.chance(0.08) and i > 0:
                continue
            signed = g.day(dt.date(2023, 1, 1), dt.date(2025, 12, 31))
            g.add(
                "service_contracts",
                {
                    "unit_code": code,
                    "field": field,
                    "provider": f"{county['name']}{['法律援助中心', '心理咨询站', '人民医院', '康养中心', '文化馆'][i]}",
                    "signed_on": signed,
                    "expires_on": signed
                    + dt.timedelta(days=g.rng.choice([730, 1460, 1825, 1825])),
                },
            )
        if code == no_fund:
            continue
        g.add(
            "care_funds",
            {
                "unit_code": code,
                "established_on": g.day(dt.date(2020, 6, 1), dt.date(2024, 12, 31)),
            },
        )
        _fund_entries(g, code, hardship_ids)
    g.flush()


def _fund_entries(g: Generator, county: str, hardship: list[str]) -> None:
    balance = 0
    events = sorted(g.day() for _ in range(g.rng.randint(15, 30)))
    local = [h for h in hardship if h[:6] in (county[:6], "612601")] or hardship
    for n, day in enumerate(events, 1):
        if balance < 200_000 or g.chance(0.4):
            amount = g.rng.randint(50, 500) * 10_000
            g.add(
                "care_fund_entries",
                {
                    "unit_code": county,
                    "entry_no": f"JJ{county[:6]}-{n:04d}",
                    "date": day,
                    "kind": "donation",
                    "amount": amount,
                    "counterparty": g.rng.choice(
                        ["延安市某能源公司", "爱心企业家", "县商会", "退役军人创业协会"]
                    ),
                    "publicized_on": None,
                },
            )
            balance += amount
        elif local:
            amount = min(balance, g.rng.randint(10, 60) * 10_000)
            g.add(
                "care_fund_entries",
                {
                    "unit_code": county,
                    "entry_no": f"JJ{county[:6]}-{n:04d}",
                    "date": day,
                    "kind": "grant",
                    "amount": amount,
                    "counterparty": g.rng.choice(local),
                    "publicized_on": day + dt.timedelta(days=g.rng.randint(3, 20))
                    if g.chance(0.85) and day + dt.timedelta(days=20) <= DEMO_END
                    else None,
                },
            )
            balance -= amount


def _benefits(g: Generator, v: dict[str, Any]) -> None:
    category = g.rng.choices(list(STANDARD), [10, 3, 2, 3, 5, 4, 20, 45, 8])[0]
    base = STANDARD[category] * 100
    periods = [
        (dt.date(2025, 1, 1), dt.date(2025, 7, 31), base),
        (dt.date(2025, 8, 1), dt.date(2026, 7, 31), base * 105 // 100),
        (dt.date(2026, 8, 1), None, base * 110 // 100),
    ]
    for start, end, standard in periods:
        g.add(
            "benefit_recipients",
            {
                "id_number": v["id_number"],
                "name": v["name"],
                "unit_code": v["unit_code"],
                "category": category,
                "monthly_standard": standard,
                "started_on": start,
                "ended_on": end,
                "verified_on": g.day(dt.date(2026, 1, 1), DEMO_END)
                if end is None and g.chance(0.8)
                else None,
            },
        )
        for y, m in months(start, min(end or DEMO_END, DEMO_END)):
            last = month_end(y, m)
            if last > DEMO_END:
                continue
            paid = dt.date(y, m, g.rng.randint(10, 25))
            if g.chance(0.02):
                paid = last + dt.timedelta(days=g.rng.randint(3, 20))
                if paid > DEMO_END:
                    continue
            amount = standard - 5000 if g.chance(0.01) else standard
            g.add(
                "benefit_payments",
                {
                    "id_number": v["id_number"],
                    "category": category,
                    "month": f"{y:04d}-{m:02d}",
                    "amount": amount,
                    "paid_on": paid,
                },
            )
