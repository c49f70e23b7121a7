"""The demo's ledgers of the rest of the seed: households, several posts at
once, secretaries' checks, leaders' receptions, 一人一事 plans, 困难程度 and
recommendations to the province's and city's care funds.

These draw from the generator's second random source (``g.side``) and run
after every other stage, so the rest of a seeded demo stays as it was. The
shortfalls are deliberate: rural townships' secretaries look in less often,
some people hold full-time posts at two units, some flagged petitions have
no plan or an overdue one, and not every hardest case is recommended.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from vetservice.demo.generator import (
    DEMO_END,
    DEMO_START,
    GIVEN,
    SURNAMES,
    Generator,
    is_rural,
)
from vetservice.i18n import N_
from vetservice.store import TABLES

CHECKS = ("answered_per_policy", "policy_implemented", "solved", "stable")
POSTS = ("县委书记", "县长", "副县长", "局长", "副局长")


def _name(g: Generator) -> str:
    r = g.side
    return r.choice(SURNAMES) + r.choice(GIVEN[:160]) + r.choice(GIVEN)


def _day(g: Generator, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=g.side.randint(0, max((end - start).days, 0)))


def households(g: Generator, village: list[dict[str, Any]]) -> None:
    """户编号 for a village's veterans: most have one, some share it with the
    veteran before them (two of a family); the rest are households alone."""
    n = 0
    previous: str | None = None
    for v in village:
        if g.side.random() < 0.25:
            v["household_id"] = None
            previous = None
            continue
        if previous is not None and g.side.random() < 0.2:
            v["household_id"] = previous
        else:
            n += 1
            previous = v["household_id"] = f"{n:04d}"


def _quarters() -> list[tuple[dt.date, dt.date]]:
    found, day = [], DEMO_START
    while day <= DEMO_END:
        month = day.month + 3
        nxt = dt.date(day.year + (month > 12), (month - 1) % 12 + 1, 1)
        found.append((day, min(nxt - dt.timedelta(days=1), DEMO_END)))
        day = nxt
    return found


def _months() -> list[tuple[dt.date, dt.date]]:
    found, day = [], DEMO_START
    while day <= DEMO_END:
        nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        found.append((day, min(nxt - dt.timedelta(days=1), DEMO_END)))
        day = nxt
    return found


def _multi_posts(g: Generator, units: list[dict[str, str]]) -> None:
    """Some township workers are full-time at a second township of their
    county too, from a later date (so they count at the first)."""
    staff = TABLES["staff"]
    rows = g.conn.execute(
        sa.select(staff).where(
            staff.c.role == "staff",
            staff.c.full_time.is_(True),
            staff.c.ended_on.is_(None),
        )
    ).mappings()
    by_code = {u["code"]: u for u in units}
    townships: dict[str, list[str]] = defaultdict(list)
    for u in units:
        if u["level"] == "township":
            townships[u["parent_code"]].append(u["code"])
    for row in list(rows):
        unit = by_code.get(row["unit_code"])
        if unit is None or unit["level"] != "township" or g.side.random() > 0.08:
            continue
        others = [c for c in townships[unit["parent_code"]] if c != unit["code"]]
        if not others:
            continue
        first = row["started_on"] or dt.date(2019, 1, 1)
        g.add(
            "staff",
            {
                **{k: v for k, v in row.items() if k != "id"},
                "unit_code": g.side.choice(others),
                "started_on": _day(
                    g, first + dt.timedelta(days=1), dt.date(2026, 6, 30)
                ),
                "ended_on": None,
            },
        )


def _secretary_checks(g: Generator, units: list[dict[str, str]]) -> None:
    for u in units:
        if u["level"] not in ("county", "township"):
            continue
        chance = 0.92 if u["level"] == "county" else 0.55 if is_rural(u) else 0.75
        secretary = _name(g)
        taken: set[dt.date] = set()
        for start, end in _quarters():
            if g.side.random() > chance:
                continue
            for _ in range(g.side.randint(1, 3)):
                day = _day(g, start, end)
                if day in taken:
                    continue
                taken.add(day)
                g.add(
                    "secretary_checks",
                    {
                        "unit_code": u["code"],
                        "checked_on": day,
                        "secretary": secretary,
                        "form": g.side.choice(
                            ["ask", "briefing", "briefing", "inspection"]
                        ),
                        "note": None,
                    },
                )


def _petitions(g: Generator) -> list[Any]:
    p = TABLES["petitions"]
    return list(
        g.conn.execute(
            sa.select(
                p.c.case_no,
                p.c.unit_code,
                p.c.received_on,
                p.c.rescreened_on,
                *(p.c[c] for c in CHECKS),
            )
        )
    )


def _receptions(
    g: Generator, units: list[dict[str, str]], petitions: list[Any]
) -> None:
    county_of: dict[str, str] = {}
    by_code = {u["code"]: u for u in units}
    for u in units:
        code, up = u["code"], u
        while (
            up["level"] not in ("county", "city", "province", "country")
            and up["parent_code"]
        ):
            up = by_code[up["parent_code"]]
        county_of[code] = up["code"]
    cases: dict[str, list[Any]] = defaultdict(list)
    for row in petitions:
        cases[county_of.get(row.unit_code, "")].append(row)
    rates = {"reception": 0.9, "appointment": 0.5, "outreach": 0.6, "supervision": 0.3}
    for u in units:
        if u["level"] not in ("county", "township"):
            continue
        leaders = [(_name(g), g.side.choice(POSTS)) for _ in range(3)]
        factor = 1.0 if u["level"] == "county" else 0.3
        seen: set[tuple[dt.date, str, str]] = set()
        for start, end in _months():
            for kind, rate in rates.items():
                if g.side.random() > rate * factor:
                    continue
                leader, post = g.side.choice(leaders)
                day = _day(g, start, end)
                if (day, kind, leader) in seen:
                    continue
                seen.add((day, kind, leader))
                known = [
                    r.case_no
                    for r in cases[county_of[u["code"]]]
                    if r.received_on <= day
                ]
                named = (
                    sorted(g.side.sample(known, min(len(known), g.side.randint(1, 2))))
                    if known and g.side.random() < 0.4
                    else []
                )
                g.add(
                    "receptions",
                    {
                        "unit_code": u["code"],
                        "held_on": day,
                        "kind": kind,
                        "leader": leader,
                        "post": post,
                        "people": g.side.randint(1, 12),
                        "case_nos": ";".join(named) or None,
                    },
                )


def _plan(g: Generator, case_no: str, drafted: dt.date) -> None:
    due = drafted + dt.timedelta(days=g.side.randint(20, 60))
    closed: dt.date | None = None
    roll = g.side.random()
    if roll < 0.75:
        closed = _day(g, drafted, due)
    elif roll < 0.85:
        closed = due + dt.timedelta(days=g.side.randint(1, 30))
    g.add(
        "case_plans",
        {
            "case_no": case_no,
            "drafted_on": drafted,
            "leader": _name(g),
            "measures": g.side.choice(
                ["政策解释、定期回访", "协调落实待遇", "帮难解困、思想疏导"]
            ),
            "due_on": due,
            "closed_on": closed if closed is not None and closed <= DEMO_END else None,
        },
    )


def _case_plans(g: Generator, petitions: list[Any]) -> None:
    for row in petitions:
        flagged = row.rescreened_on is not None and not all(
            getattr(row, c) for c in CHECKS
        )
        if flagged and g.side.random() < 0.75:
            _plan(
                g,
                row.case_no,
                _day(
                    g,
                    row.rescreened_on,
                    min(row.rescreened_on + dt.timedelta(days=10), DEMO_END),
                ),
            )
        elif g.side.random() < 0.12:
            _plan(
                g,
                row.case_no,
                min(
                    row.received_on + dt.timedelta(days=g.side.randint(3, 20)), DEMO_END
                ),
            )


def _severity_and_recommendations(g: Generator) -> None:
    """A quarter of hardship cases are 特别困难; in each year one is open it is
    recommended by its county three times in four, and four recommendations
    in five are publicized."""
    h, v, u = TABLES["hardship"], TABLES["veterans"], TABLES["units"]
    township = u.alias("township")
    rows = list(
        g.conn.execute(
            sa.select(
                h.c.id,
                h.c.id_number,
                h.c.registered_on,
                h.c.closed_on,
                township.c.parent_code,
            )
            .join(v, v.c.id_number == h.c.id_number)
            .join(u, u.c.code == v.c.unit_code)
            .join(township, township.c.code == u.c.parent_code)
            .order_by(h.c.id)
        )
    )
    severity = []
    recommended: set[tuple[str, dt.date]] = set()
    for row in rows:
        level = g.side.choices(["special", "ordinary", None], [25, 45, 30])[0]
        severity.append({"_id": row.id, "severity": level})
        if level != "special":
            continue
        # Each year the case is open, most are recommended once.
        for year in range(row.registered_on.year, DEMO_END.year + 1):
            first = max(row.registered_on, dt.date(year, 1, 1))
            last = min(row.closed_on or DEMO_END, DEMO_END, dt.date(year, 12, 31))
            if first > last or g.side.random() > 0.75:
                continue
            _recommend(
                g, row.id_number, row.parent_code, _day(g, first, last), recommended
            )
    if severity:
        g.conn.execute(
            h.update()
            .where(h.c.id == sa.bindparam("_id"))
            .values(severity=sa.bindparam("severity")),
            severity,
        )


def _recommend(
    g: Generator,
    id_number: str,
    county: str,
    day: dt.date,
    recommended: set[tuple[str, dt.date]],
) -> None:
    if (id_number, day) in recommended:
        return
    recommended.add((id_number, day))
    outcome = g.side.choices(["granted", "declined", "pending"], [50, 20, 30])[0]
    publicized = (
        min(day + dt.timedelta(days=g.side.randint(-7, 3)), DEMO_END)
        if g.side.random() < 0.8
        else None
    )
    g.add(
        "fund_recommendations",
        {
            "id_number": id_number,
            "unit_code": county,
            "recommended_on": day,
            "fund_level": g.side.choice(["province", "city", "city"]),
            "outcome": outcome,
            # Money is stored in fen: 2,000 to 10,000 yuan.
            "amount": g.side.randint(20, 100) * 10000 if outcome == "granted" else None,
            "publicized_on": publicized,
        },
    )


def _finish_social_insurance(g: Generator, units: list[dict[str, str]]) -> None:
    """Three counties enter every eligible veteran's social insurance by
    September 2026, on different days, so that 率先完成 has a ranking."""
    si, v, u = TABLES["social_insurance"], TABLES["veterans"], TABLES["units"]
    township = u.alias("township")
    counties = sorted(x["code"] for x in units if x["level"] == "county")
    chosen = g.side.sample(counties, min(3, len(counties)))
    for county, last in zip(
        chosen,
        (dt.date(2026, 8, 12), dt.date(2026, 9, 3), dt.date(2026, 9, 18)),
        strict=False,
    ):
        ids = (
            g.conn.execute(
                sa.select(si.c.id)
                .join(v, v.c.id_number == si.c.id_number)
                .join(u, u.c.code == v.c.unit_code)
                .join(township, township.c.code == u.c.parent_code)
                .where(
                    township.c.parent_code == county,
                    si.c.eligible.is_(True),
                    sa.or_(si.c.status != "entered", si.c.entered_on > last),
                )
                .order_by(si.c.id)
            )
            .scalars()
            .all()
        )
        rows = [
            {"_id": i, "entered_on": _day(g, dt.date(2026, 3, 1), last)} for i in ids
        ]
        if rows:
            rows[-1]["entered_on"] = last  # the day the county finished
            g.conn.execute(
                si.update()
                .where(si.c.id == sa.bindparam("_id"))
                .values(status="entered", entered_on=sa.bindparam("entered_on")),
                rows,
            )


def add_seed_ledgers(g: Generator, units: list[dict[str, str]]) -> None:
    stages = [
        lambda: _finish_social_insurance(g, units),
        lambda: _multi_posts(g, units),
        lambda: _secretary_checks(g, units),
        lambda: _severity_and_recommendations(g),
    ]
    for run in g.stage(N_("secretaries, receptions and case plans"), stages):
        run()
    petitions = _petitions(g)
    _receptions(g, units, petitions)
    _case_plans(g, petitions)
    g.flush()
