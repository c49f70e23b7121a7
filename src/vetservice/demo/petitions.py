"""The demo's petitions (信访事项): received, decided and closed, some late or still open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vetservice.demo.generator import DEMO_END, Generator
from vetservice.i18n import N_


def add_petitions(
    g: Generator, units: list[dict[str, str]], veterans: list[dict[str, Any]]
) -> None:
    petitioners = [v for v in veterans if g.chance(1 / 150)]
    for n, v in enumerate(g.stage(N_("petitions"), petitioners), 1):
        received = g.day()
        decided = received + dt.timedelta(
            days=g.rng.randint(2, 14) if g.chance(0.92) else g.rng.randint(16, 30)
        )
        decision = g.rng.choices(
            ["accepted", "not_accepted", "transferred"], [85, 10, 5]
        )[0]
        extended = decision == "accepted" and g.chance(0.1)
        limit = 60 + (30 if extended else 0)
        closed = decided + dt.timedelta(
            days=g.rng.randint(10, limit)
            if g.chance(0.9)
            else g.rng.randint(limit + 1, limit + 40)
        )
        if decision != "accepted":
            closed = decided
        # What the ledger shows at the demo's end.
        accepted_on: dt.date | None = decided
        shown_decision: str | None = decision
        closed_on: dt.date | None = closed
        if decided > DEMO_END:
            accepted_on, shown_decision, closed_on = None, None, None
        elif closed > DEMO_END or g.chance(0.05):
            closed_on = None  # still open (some of them overdue)
        group = g.chance(0.05)
        rescreened = g.day(dt.date(2026, 10, 1), DEMO_END) if g.chance(0.6) else None
        g.add(
            "petitions",
            {
                "case_no": f"YA{received.year}-{n:06d}",
                "unit_code": v["unit_code"],
                "id_number": v["id_number"],
                "received_on": received,
                "channel": g.rng.choice(
                    ["online", "letter", "phone", "visit", "visit"]
                ),
                "group": group,
                "level_reached": g.rng.choices(
                    ["county", "city", "province", "national"], [80, 14, 5, 1]
                )[0],
                "handling": g.rng.choice(
                    ["reception", "appointment;outreach", "reception;supervision"]
                ),
                "decision": shown_decision,
                "accepted_on": accepted_on,
                "extended": extended,
                "replied_on": closed_on,
                "closed_on": closed_on,
                "outcome": g.rng.choice(["supported", "explained", "not_supported"])
                if closed_on
                else None,
                "review_requested_on": None,
                "review_answered_on": None,
                "recheck_requested_on": None,
                "recheck_answered_on": None,
                "resolution": g.rng.choice(
                    [
                        "policy",
                        "money",
                        "care;education",
                        "policy;assistance",
                        "explanation",
                    ]
                )
                if closed_on
                else None,
                "escalated": g.chance(0.06),
                "repeat": g.chance(0.1),
                "rescreened_on": rescreened,
                "answered_per_policy": g.chance(0.9) if rescreened else None,
                "policy_implemented": g.chance(0.85) if rescreened else None,
                "solved": g.chance(0.8) if rescreened else None,
                "stable": g.chance(0.9) if rescreened else None,
                "responsible": g.name(),
            },
        )
