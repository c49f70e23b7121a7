"""上报: reporting completeness and timeliness written by hand.

What is due in a period P (docs/indicators.md, 台账上报率 and 台账及时率):
each unit at a level the schedule (``report_schedule``) names owes the kind
for every month of P that begins on or before E (monthly ledgers) and, in a
quarter's or a year's report, for every quarter of P that begins on or
before E (quarterly ledgers; a month's report asks nothing of them). A
period's ledger is due by ``deadline_day`` of the month after it: the first
of that month plus ``deadline_day - 1`` days. A submission of the kind for
that period by the unit or any unit above it covers the unit; the first one
counts. Completeness: covered at all; timeliness: covered on or before the
deadline. One fact per unit, kind and due period.

These take one bind parameter besides the others: ``:kind``, the report
period's kind (month, quarter, year), which the dates alone do not tell
when a quarter's report is cut at an as-of date in its first month.
"""

from __future__ import annotations

from collections.abc import Mapping

from .common import ROLLUP

DUES = {
    "sqlite": """
months(month_start) AS (
    SELECT date(:start)
    UNION ALL
    SELECT date(month_start, '+1 month') FROM months WHERE date(month_start, '+1 month') <= :end
),
dues(frequency, period, month_after) AS (
    SELECT 'month', strftime('%Y-%m', month_start), date(month_start, '+1 month') FROM months
    UNION ALL
    SELECT 'quarter',
           strftime('%Y', month_start) || 'Q' || ((CAST(strftime('%m', month_start) AS INTEGER) + 2) / 3),
           date(month_start, '+3 months')
    FROM months
    WHERE :kind <> 'month' AND CAST(strftime('%m', month_start) AS INTEGER) IN (1, 4, 7, 10)
)""",
    "postgresql": """
months(month_start) AS (
    SELECT CAST(:start AS date)
    UNION ALL
    SELECT CAST(month_start + INTERVAL '1 month' AS date) FROM months
    WHERE month_start + INTERVAL '1 month' <= :end
),
dues(frequency, period, month_after) AS (
    SELECT 'month', to_char(month_start, 'YYYY-MM'), CAST(month_start + INTERVAL '1 month' AS date)
    FROM months
    UNION ALL
    SELECT 'quarter',
           to_char(month_start, 'YYYY') || 'Q' || ((CAST(EXTRACT(MONTH FROM month_start) AS INTEGER) + 2) / 3),
           CAST(month_start + INTERVAL '3 months' AS date)
    FROM months
    WHERE :kind <> 'month' AND EXTRACT(MONTH FROM month_start) IN (1, 4, 7, 10)
)""",
}

DEADLINE = {
    "sqlite": "date(d.month_after, '+' || (s.deadline_day - 1) || ' days')",
    "postgresql": "d.month_after + (s.deadline_day - 1)",
}


def _statement(dialect: str, met: str) -> str:
    return f"""
WITH RECURSIVE {DUES[dialect]},
expected AS (
    SELECT u.code AS unit_code,
           {DEADLINE[dialect]} AS deadline,
           (SELECT MIN(sub.submitted_on)
            FROM submissions AS sub
            JOIN unit_closure AS c ON c.ancestor = sub.unit_code
            WHERE c.descendant = u.code AND sub.kind = s.kind AND sub.period = d.period
           ) AS submitted_on
    FROM units AS u
    JOIN report_schedule AS s ON s.level = u.level
    JOIN dues AS d ON d.frequency = s.frequency
),
facts AS (
    SELECT unit_code, CASE WHEN {met} THEN 1 ELSE 0 END AS numerator, 1 AS denominator
    FROM expected
)
{ROLLUP}"""


QUERIES: dict[str, Mapping[str, str]] = {
    "report.completeness": {d: _statement(d, "submitted_on IS NOT NULL") for d in DUES},
    "report.timeliness": {
        d: _statement(d, "submitted_on IS NOT NULL AND submitted_on <= deadline")
        for d in DUES
    },
}
