"""阵地建设 (environment) indicators, each written by hand as one statement.

Every statement builds its facts (``unit_code, numerator, denominator``,
already summed per unit) and rolls them up with one join on unit_closure to
``:unit`` and its children. "Stations" are units with a stations row
established on or before ``:end``.
"""

from __future__ import annotations

from .common import ROLLUP

# The 13 elements of the inspection in force, as 0/1 each.
ELEMENTS = (
    "remarks",
    "organization",
    "duties",
    "rules",
    "service_norms",
    "hero_portraits",
    "theory_books",
    "military_culture",
    "ledgers",
    "activity_photos",
    "slogans",
    "four_most_beautiful",
    "local_column",
)
PRESENT = " + ".join(f"CAST(e.{name} AS INTEGER)" for name in ELEMENTS)

# Each station with its latest inspection on or before :end (NULLs if none).
IN_FORCE = f"""
WITH latest AS (
    SELECT unit_code, MAX(checked_on) AS checked_on
    FROM environment
    WHERE checked_on <= :end
    GROUP BY unit_code
),
inspected AS (
    SELECT s.unit_code, COALESCE({PRESENT}, 0) AS present
    FROM stations AS s
    LEFT JOIN latest AS l ON l.unit_code = s.unit_code
    LEFT JOIN environment AS e ON e.unit_code = l.unit_code AND e.checked_on = l.checked_on
    WHERE s.established_on <= :end
)"""

QUERIES: dict = {
    "env.station_established": """
WITH facts AS (
    SELECT u.code AS unit_code,
           CASE WHEN s.established_on <= :end THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM units AS u
    LEFT JOIN stations AS s ON s.unit_code = u.code
    WHERE u.level IN ('county', 'township', 'village')
)"""
    + ROLLUP,
    "env.five_haves": """
WITH facts AS (
    SELECT unit_code,
           CASE WHEN has_organization AND has_posts AND has_staff AND has_funding AND has_support
                THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM stations
    WHERE established_on <= :end
)"""
    + ROLLUP,
    "env.model_stations": """
WITH facts AS (
    SELECT unit_code, COUNT(*) AS numerator, 0 AS denominator
    FROM stations
    WHERE established_on <= :end AND model = 'national'
    GROUP BY unit_code
)"""
    + ROLLUP,
    "env.dedicated_space": """
WITH facts AS (
    SELECT s.unit_code,
           CASE WHEN s.dedicated_space THEN 1 ELSE 0 END AS numerator,
           1 AS denominator
    FROM stations AS s
    JOIN units AS u ON u.code = s.unit_code
    WHERE s.established_on <= :end AND u.level IN ('township', 'village')
)"""
    + ROLLUP,
    "env.elements": IN_FORCE
    + """,
facts AS (
    SELECT unit_code, present AS numerator, 13 AS denominator FROM inspected
)"""
    + ROLLUP,
    "env.all_elements": IN_FORCE
    + """,
facts AS (
    SELECT unit_code, CASE WHEN present = 13 THEN 1 ELSE 0 END AS numerator, 1 AS denominator
    FROM inspected
)"""
    + ROLLUP,
}
