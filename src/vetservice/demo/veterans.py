"""The demo's veterans: a village's veterans, their id numbers, plaques and contacts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vetservice.demo.generator import DEMO_END, Generator, is_rural
from vetservice.demo.seed_ledgers import households
from vetservice.i18n import N_


def add_veterans(g: Generator, units: list[dict[str, str]]) -> list[dict[str, Any]]:
    villages = [u for u in units if u["level"] == "village"]
    staff_of = g.townships_staff
    veterans = []
    for u in g.stage(N_("veterans"), villages):
        count = round(
            (
                g.rng.randint(15, 45)
                if u["kind"] == "community"
                else g.rng.randint(6, 20)
            )
            * g.scale.veterans
        )
        village: list[dict[str, Any]] = []
        for _ in range(count):
            male = g.chance(0.95)
            birth = g.day(dt.date(1936, 1, 1), dt.date(2004, 12, 31))
            place = "612601" if birth.year < 1996 and g.chance(0.5) else u["code"][:6]
            number = g.id_number(place, birth, male)
            party = g.chance(0.3)
            key = g.chance(0.08)
            approved = (
                g.day(dt.date(2019, 1, 1), dt.date(2026, 10, 31))
                if g.chance(0.85)
                else None
            )
            hung = (
                (approved + dt.timedelta(days=g.rng.randint(3, 90)))
                if approved and g.chance(0.9 if not is_rural(u) else 0.78)
                else None
            )
            veteran = {
                "id_number": number,
                "name": g.name(not male),
                "gender": "male" if male else "female",
                "birth_date": birth,
                "unit_code": u["code"],
                "category": g.rng.choices(
                    [
                        "conscript",
                        "nco",
                        "transferred_cadre",
                        "demobilized_cadre",
                        "retired_cadre",
                        "other",
                    ],
                    [50, 30, 8, 5, 4, 3],
                )[0],
                "discharged_on": min(
                    DEMO_END,
                    dt.date(
                        min(birth.year + g.rng.randint(20, 40), 2026),
                        g.rng.randint(1, 12),
                        1,
                    ),
                ),
                "party_member": party,
                "branch_enrolled": (g.chance(0.85) if party else None),
                "key_attention": key,
                "in_volunteer_team": g.chance(0.15),
                "contact_person_id": staff_of.get(u["parent_code"] or "")
                if key and g.chance(0.85)
                else None,
                "plaque_approved_on": approved,
                "plaque_hung_on": hung if hung and hung <= DEMO_END else None,
                "phone": g.phone() if g.chance(0.9) else None,
            }
            village.append(veteran)
        households(g, village)
        for veteran in village:
            g.add("veterans", veteran)
        veterans.extend(village)
    return veterans
