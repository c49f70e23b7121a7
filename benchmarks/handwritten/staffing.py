"""队伍建设 (staffing) indicators, each written by hand as one statement.

Staff are counted among rows active at ``:end`` (started_on empty or on/before,
ended_on empty or on/after); full-time workers are directors and staff with
full_time true, a person full-time at several units only at the earliest
started. Every statement builds its facts (``unit_code, numerator,
denominator``) and rolls them up with one join on unit_closure to ``:unit``
and its children. Parameters are at their defaults (2 full-time workers,
1 grid worker or group leader, 3 or 2 volunteers).
"""

from __future__ import annotations

from .common import MONTHS, ROLLUP

ACTIVE = "(started_on IS NULL OR started_on <= :end) AND (ended_on IS NULL OR ended_on >= :end)"

# Full-time posts at :end, and of each person's the one that counts: no
# other post of theirs started earlier (an empty start is the earliest),
# or started the same day at a lower unit code (or lower role at one unit).
POSTS = f"""
ft AS (
    SELECT id, person_id, unit_code, role, started_on
    FROM staff
    WHERE role IN ('director', 'staff') AND full_time AND {ACTIVE}
),
primary_posts AS (
    SELECT a.* FROM ft AS a
    WHERE NOT EXISTS (
        SELECT 1 FROM ft AS b
        WHERE b.person_id = a.person_id AND b.id <> a.id AND (
            (b.started_on IS NULL AND a.started_on IS NOT NULL)
            OR b.started_on < a.started_on
            OR ((b.started_on = a.started_on OR (b.started_on IS NULL AND a.started_on IS NULL))
                AND (b.unit_code < a.unit_code OR (b.unit_code = a.unit_code AND b.role < a.role)))
        )
    )
)"""

# Per unit at :end: directors and full-time workers (a person once).
FULLTIME = f"""
WITH {POSTS},
counts AS (
    SELECT unit_code, SUM(directors) AS directors, SUM(fulltime) AS fulltime
    FROM (
        SELECT unit_code, 1 AS directors, 0 AS fulltime
        FROM staff WHERE role = 'director' AND {ACTIVE}
        UNION ALL
        SELECT unit_code, 0, 1 FROM primary_posts
    ) AS x
    GROUP BY unit_code
)"""

MULTI_POST = f"""
WITH {POSTS},
facts AS (
    SELECT p.unit_code, 1 AS numerator, 0 AS denominator
    FROM primary_posts AS p
    WHERE (SELECT COUNT(DISTINCT f.unit_code) FROM ft AS f WHERE f.person_id = p.person_id) > 1
)"""

SECRETARY_CHECKED = """
WITH facts AS (
    SELECT u.code AS unit_code,
           CASE WHEN EXISTS (
               SELECT 1 FROM secretary_checks AS c
               WHERE c.unit_code = u.code AND c.checked_on BETWEEN :start AND :end
           ) THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM units AS u
    WHERE u.level IN ('county', 'township')
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
    "staff.multi_post": MULTI_POST + ROLLUP,
    "lead.secretary_checked": SECRETARY_CHECKED + ROLLUP,
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
