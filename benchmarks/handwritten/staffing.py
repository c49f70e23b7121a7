"""队伍建设 (staffing) indicators, each written by hand as one statement.

Staff are counted among rows active at ``:end`` (started_on empty or on/before,
ended_on empty or on/after); full-time workers are directors and staff with
full_time true. Every statement builds its facts (``unit_code, numerator,
denominator``) and rolls them up with one join on unit_closure to ``:unit``
and its children. Parameters are at their defaults (2 full-time workers,
1 grid worker or group leader, 3 or 2 volunteers).
"""

from __future__ import annotations

from .common import MONTHS, ROLLUP

ACTIVE = "(started_on IS NULL OR started_on <= :end) AND (ended_on IS NULL OR ended_on >= :end)"

# Per unit at :end: directors and full-time workers.
FULLTIME = f"""
WITH counts AS (
    SELECT unit_code,
           SUM(CASE WHEN role = 'director' THEN 1 ELSE 0 END) AS directors,
           SUM(CASE WHEN role IN ('director', 'staff') AND full_time THEN 1 ELSE 0 END) AS fulltime
    FROM staff
    WHERE {ACTIVE}
    GROUP BY unit_code
)"""

# Per unit at :end: grid workers, group leaders and volunteers.
GROUPS = f"""
WITH counts AS (
    SELECT unit_code,
           SUM(CASE WHEN role = 'leading_group' AND group_role = 'grid_worker' THEN 1 ELSE 0 END)
               AS grid_workers,
           SUM(CASE WHEN role = 'leading_group' AND group_role = 'group_leader' THEN 1 ELSE 0 END)
               AS group_leaders,
           SUM(CASE WHEN role = 'volunteer' THEN 1 ELSE 0 END) AS volunteers
    FROM staff
    WHERE {ACTIVE}
    GROUP BY unit_code
)"""


MONTH_OF = {
    "sqlite": "substr(visited_on, 1, 7)",
    "postgresql": "to_char(visited_on, 'YYYY-MM')",
}

MONTHLY_GUIDANCE = """
WITH applicable AS (
    SELECT u.code
    FROM units AS u
    JOIN units AS p ON p.code = u.parent_code
    JOIN stations AS s ON s.unit_code = p.code
    WHERE u.level = 'village' AND p.level = 'township' AND s.established_on <= :end
),
visited AS (
    SELECT unit_code, COUNT(DISTINCT {month_of}) AS months
    FROM guidance_visits
    WHERE visited_on BETWEEN :start AND :end
    GROUP BY unit_code
),
facts AS (
    SELECT a.code AS unit_code,
           COALESCE(v.months, 0) AS numerator,
           {months} AS denominator
    FROM applicable AS a
    LEFT JOIN visited AS v ON v.unit_code = a.code
)"""

QUERIES: dict = {
    "staff.county_centre": FULLTIME
    + """,
facts AS (
    SELECT s.unit_code,
           CASE WHEN COALESCE(c.directors, 0) >= 1
                 AND COALESCE(c.fulltime, 0) >= COALESCE(s.posts, 2) THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM stations AS s
    JOIN units AS u ON u.code = s.unit_code
    LEFT JOIN counts AS c ON c.unit_code = s.unit_code
    WHERE s.established_on <= :end AND u.level = 'county'
)"""
    + ROLLUP,
    "staff.township_fulltime": FULLTIME
    + """,
facts AS (
    SELECT s.unit_code,
           CASE WHEN COALESCE(c.fulltime, 0) >= 2 THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM stations AS s
    JOIN units AS u ON u.code = s.unit_code
    LEFT JOIN counts AS c ON c.unit_code = s.unit_code
    WHERE s.established_on <= :end AND u.level = 'township'
)"""
    + ROLLUP,
    "staff.dedicated": """
WITH facts AS (
    SELECT w.unit_code,
           SUM(CASE WHEN w.other_duties THEN 0 ELSE 1 END) AS numerator,
           COUNT(*) AS denominator
    FROM staff AS w
    JOIN stations AS s ON s.unit_code = w.unit_code
    JOIN units AS u ON u.code = w.unit_code
    WHERE s.established_on <= :end AND u.level = 'township'
      AND w.role IN ('director', 'staff') AND w.full_time
      AND (w.started_on IS NULL OR w.started_on <= :end)
      AND (w.ended_on IS NULL OR w.ended_on >= :end)
    GROUP BY w.unit_code
)"""
    + ROLLUP,
    "staff.monthly_guidance": {
        dialect: MONTHLY_GUIDANCE.format(
            month_of=MONTH_OF[dialect], months=MONTHS[dialect]
        )
        + ROLLUP
        for dialect in ("sqlite", "postgresql")
    },
    "staff.community_group": GROUPS
    + """,
facts AS (
    SELECT u.code AS unit_code,
           CASE WHEN COALESCE(c.grid_workers, 0) >= 1 AND COALESCE(c.volunteers, 0) >= 3
                THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM units AS u
    LEFT JOIN counts AS c ON c.unit_code = u.code
    WHERE u.level = 'village' AND u.kind = 'community'
)"""
    + ROLLUP,
    "staff.village_group": GROUPS
    + """,
facts AS (
    SELECT u.code AS unit_code,
           CASE WHEN COALESCE(c.group_leaders, 0) >= 1 AND COALESCE(c.volunteers, 0) >= 2
                THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM units AS u
    LEFT JOIN counts AS c ON c.unit_code = u.code
    WHERE u.level = 'village' AND u.kind = 'village'
)"""
    + ROLLUP,
    "staff.volunteers_military": """
WITH facts AS (
    SELECT w.unit_code,
           SUM(CASE WHEN w.military_experience THEN 1 ELSE 0 END) AS numerator,
           COUNT(*) AS denominator
    FROM staff AS w
    JOIN units AS u ON u.code = w.unit_code
    WHERE u.level = 'village' AND w.role = 'volunteer'
      AND (w.started_on IS NULL OR w.started_on <= :end)
      AND (w.ended_on IS NULL OR w.ended_on >= :end)
    GROUP BY w.unit_code
)"""
    + ROLLUP,
}
