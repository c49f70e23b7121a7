"""The ledgers of the rest of the seed written by hand: receptions, case
plans and recommendations to the province's and city's care funds.

Receptions sit in the unit that held them, plans at their petition's unit,
recommendations at the recommending unit, the hardest cases at the veteran's.
The sensitive periods are the defaults, written out here: 元旦 12-31 to
01-03, 全国两会 03-01 to 03-15, 八一 07-25 to 08-05, 国庆 09-28 to 10-08 every
year, and 春节 (lunar 腊月廿三 to 正月十五) for 2024-2027 from the published
calendar.
"""

from __future__ import annotations

from collections.abc import Mapping

from .common import ROLLUP

KINDS = ("reception", "appointment", "outreach", "supervision")

MONTH_DAY = {
    "sqlite": "strftime('%m-%d', r.held_on)",
    "postgresql": "to_char(r.held_on, 'MM-DD')",
}
SPRING_FESTIVAL = (
    ("2024-02-02", "2024-02-24"),
    ("2025-01-22", "2025-02-12"),
    ("2026-02-10", "2026-03-03"),
    ("2027-01-30", "2027-02-20"),
)
DATE = {"sqlite": "'{day}'", "postgresql": "DATE '{day}'"}


def _sensitive(dialect: str) -> str:
    md = MONTH_DAY[dialect]
    fixed = (
        f"{md} >= '12-31' OR {md} <= '01-03'"
        f" OR {md} BETWEEN '03-01' AND '03-15'"
        f" OR {md} BETWEEN '07-25' AND '08-05'"
        f" OR {md} BETWEEN '09-28' AND '10-08'"
    )
    day = DATE[dialect]
    lunar = " OR ".join(
        f"r.held_on BETWEEN {day.format(day=a)} AND {day.format(day=b)}"
        for a, b in SPRING_FESTIVAL
    )
    return f"({fixed} OR {lunar})"


def _receptions(condition: str) -> str:
    return f"""
WITH facts AS (
    SELECT r.unit_code, COUNT(*) AS numerator, 0 AS denominator
    FROM receptions AS r
    WHERE r.held_on BETWEEN :start AND :end AND {condition}
    GROUP BY r.unit_code
)""" + ROLLUP


FLAGS_PLANNED = """
WITH facts AS (
    SELECT p.unit_code,
           CASE WHEN EXISTS (
               SELECT 1 FROM case_plans AS c
               WHERE c.case_no = p.case_no
                 AND c.drafted_on >= p.rescreened_on AND c.drafted_on <= :end
           ) THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM petitions AS p
    WHERE p.rescreened_on BETWEEN :start AND :end
      AND (p.answered_per_policy IS NOT TRUE OR p.policy_implemented IS NOT TRUE
           OR p.solved IS NOT TRUE OR p.stable IS NOT TRUE)
)""" + ROLLUP

PLANS_OVERDUE = """
WITH facts AS (
    SELECT p.unit_code, 1 AS numerator, 0 AS denominator
    FROM case_plans AS c
    JOIN petitions AS p ON p.case_no = c.case_no
    WHERE c.due_on < :end AND (c.closed_on IS NULL OR c.closed_on > c.due_on)
)""" + ROLLUP

# Per veteran with an open 特别困难 case at :end (registered on or before,
# not closed before it): recommended in :end's year?
RECOMMENDED = """
WITH hardest AS (
    SELECT DISTINCT h.id_number
    FROM hardship AS h
    WHERE h.severity = 'special' AND h.registered_on <= :end
      AND (h.closed_on IS NULL OR h.closed_on >= :end)
),
facts AS (
    SELECT v.unit_code,
           CASE WHEN EXISTS (
               SELECT 1 FROM fund_recommendations AS r
               WHERE r.id_number = v.id_number
                 AND r.recommended_on BETWEEN :year_start AND :end
           ) THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM hardest AS x
    JOIN veterans AS v ON v.id_number = x.id_number
)""" + ROLLUP

RECOMMENDATIONS_PUBLICIZED = """
WITH facts AS (
    SELECT unit_code, CASE WHEN publicized_on <= :end THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM fund_recommendations
    WHERE recommended_on BETWEEN :start AND :end
)""" + ROLLUP

QUERIES: dict[str, str | Mapping[str, str]] = {
    **{f"pet.receptions.{kind}": _receptions(f"r.kind = '{kind}'") for kind in KINDS},
    "pet.receptions_sensitive": {
        dialect: _receptions(_sensitive(dialect)) for dialect in ("sqlite", "postgresql")
    },
    "pet.flags_planned": FLAGS_PLANNED,
    "pet.plans_overdue": PLANS_OVERDUE,
    "fund.recommended": RECOMMENDED,
    "fund.recommendations_publicized": RECOMMENDATIONS_PUBLICIZED,
}
