"""经常性工作 (activities, party, honours, visits) indicators, each written by
hand as one statement.

Activities count only at stations (units with a stations row established on
or before ``:end``); veterans' facts are placed in the veteran's unit, visits
in the visited veteran's unit, honours in the unit they name. Every statement
builds its facts (``unit_code, numerator, denominator``, summed per unit) and
rolls them up with one join on unit_closure to ``:unit`` and its children.
"""

from __future__ import annotations

from .common import MONTHS, ROLLUP

ACTIVITY_TYPES = ("study", "party", "honor", "visit", "volunteer", "culture", "special")

COUNT_OF_TYPE = """
WITH facts AS (
    SELECT a.unit_code, COUNT(*) AS numerator, 0 AS denominator
    FROM activities AS a
    JOIN stations AS s ON s.unit_code = a.unit_code
    WHERE s.established_on <= :end
      AND a.type = '{type}'
      AND a.held_on BETWEEN :start AND :end
    GROUP BY a.unit_code
)"""


MONTH_OF = {
    "sqlite": "substr(held_on, 1, 7)",
    "postgresql": "to_char(held_on, 'YYYY-MM')",
}

# (station, month) pairs with at least one activity, over stations × months.
REGULARITY = """
WITH active_months AS (
    SELECT unit_code, COUNT(DISTINCT {month_of}) AS months
    FROM activities
    WHERE held_on BETWEEN :start AND :end
    GROUP BY unit_code
),
facts AS (
    SELECT s.unit_code,
           COALESCE(m.months, 0) AS numerator,
           {months} AS denominator
    FROM stations AS s
    LEFT JOIN active_months AS m ON m.unit_code = s.unit_code
    WHERE s.established_on <= :end
)"""

QUERIES: dict = {
    **{f"act.count.{t}": COUNT_OF_TYPE.format(type=t) + ROLLUP for t in ACTIVITY_TYPES},
    "act.regularity": {
        dialect: REGULARITY.format(month_of=MONTH_OF[dialect], months=MONTHS[dialect])
        + ROLLUP
        for dialect in ("sqlite", "postgresql")
    },
    "act.veteran_volunteers": """
WITH facts AS (
    SELECT unit_code,
           SUM(CASE WHEN in_volunteer_team THEN 1 ELSE 0 END) AS numerator,
           COUNT(*) AS denominator
    FROM veterans
    GROUP BY unit_code
)"""
    + ROLLUP,
    "act.all_kinds": """
WITH kinds AS (
    SELECT unit_code, COUNT(DISTINCT type) AS kinds
    FROM activities
    WHERE type IN ('study', 'party', 'honor', 'visit', 'volunteer', 'culture')
      AND held_on BETWEEN :start AND :end
    GROUP BY unit_code
),
facts AS (
    SELECT s.unit_code,
           CASE WHEN k.kinds = 6 THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM stations AS s
    LEFT JOIN kinds AS k ON k.unit_code = s.unit_code
    WHERE s.established_on <= :end
)"""
    + ROLLUP,
    "party.branch_enrolled": """
WITH facts AS (
    SELECT unit_code,
           SUM(CASE WHEN branch_enrolled THEN 1 ELSE 0 END) AS numerator,
           COUNT(*) AS denominator
    FROM veterans
    WHERE party_member
    GROUP BY unit_code
)"""
    + ROLLUP,
    # One fact per household: a village's veterans with one 户编号, or a
    # veteran without one alone.
    "honor.plaque_hung": """
WITH facts AS (
    SELECT unit_code,
           MAX(CASE WHEN plaque_hung_on <= :end THEN 1 ELSE 0 END) AS numerator,
           1 AS denominator
    FROM veterans
    GROUP BY unit_code, COALESCE('h:' || household_id, 'v:' || id_number)
    HAVING MAX(CASE WHEN plaque_approved_on <= :end THEN 1 ELSE 0 END) = 1
)"""
    + ROLLUP,
    "honor.good_news": """
WITH facts AS (
    SELECT unit_code, COUNT(*) AS numerator, 0 AS denominator
    FROM honors
    WHERE kind = 'good_news' AND delivered_on BETWEEN :start AND :end
    GROUP BY unit_code
)"""
    + ROLLUP,
    "visit.key_contact": """
WITH serving AS (
    SELECT DISTINCT person_id
    FROM staff
    WHERE (started_on IS NULL OR started_on <= :end)
      AND (ended_on IS NULL OR ended_on >= :end)
),
facts AS (
    SELECT v.unit_code,
           SUM(CASE WHEN c.person_id IS NULL THEN 0 ELSE 1 END) AS numerator,
           COUNT(*) AS denominator
    FROM veterans AS v
    LEFT JOIN serving AS c ON c.person_id = v.contact_person_id
    WHERE v.key_attention
    GROUP BY v.unit_code
)"""
    + ROLLUP,
    "visit.key_visited": """
WITH visited AS (
    SELECT DISTINCT id_number
    FROM visits
    WHERE visited_on BETWEEN :start AND :end
),
facts AS (
    SELECT v.unit_code,
           SUM(CASE WHEN w.id_number IS NULL THEN 0 ELSE 1 END) AS numerator,
           COUNT(*) AS denominator
    FROM veterans AS v
    LEFT JOIN visited AS w ON w.id_number = v.id_number
    WHERE v.key_attention
    GROUP BY v.unit_code
)"""
    + ROLLUP,
    "visit.holiday": """
WITH facts AS (
    SELECT v.unit_code, COUNT(*) AS numerator, 0 AS denominator
    FROM visits AS w
    JOIN veterans AS v ON v.id_number = w.id_number
    WHERE w.reason = 'holiday' AND w.visited_on BETWEEN :start AND :end
    GROUP BY v.unit_code
)"""
    + ROLLUP,
}
