"""服务保障 (services) written by hand: one statement per indicator.

Each statement computes its facts (unit_code, numerator, denominator) from
the base tables and rolls them up with one join on unit_closure to the
report's unit and its children (``_rolled``). Rows keyed by an id number
sit in the veteran's (or benefit recipient's) unit, care-fund entries in
the fund's county; compliance indicators have one fact per county.
"""

from __future__ import annotations

from collections.abc import Mapping

# The report's unit and its children, as ancestors in unit_closure.
_SCOPE = "SELECT descendant FROM unit_closure WHERE ancestor = :unit AND depth <= 1"


def _rolled(facts: str, *, ctes: str = "", recursive: bool = False) -> str:
    """``facts`` (unit_code, numerator, denominator) summed by unit, then
    over each scope unit's subtree; ``ctes`` are further WITH entries
    before it."""
    head = "WITH RECURSIVE" if recursive else "WITH"
    before = f"{ctes},\n" if ctes else ""
    return f"""{head} {before}facts(unit_code, numerator, denominator) AS (
{facts}
),
per_unit(unit_code, numerator, denominator) AS (
    SELECT unit_code, SUM(numerator), SUM(denominator) FROM facts GROUP BY unit_code
)
SELECT up.ancestor AS code, SUM(f.numerator) AS numerator, SUM(f.denominator) AS denominator
FROM per_unit f
JOIN unit_closure up ON up.descendant = f.unit_code
WHERE up.ancestor IN ({_SCOPE})
GROUP BY up.ancestor"""


def _dialects(template: str, **pieces: tuple[str, str]) -> Mapping[str, str]:
    """``template`` with each {piece} as written for SQLite and PostgreSQL."""
    return {
        "sqlite": template.format(**{k: v[0] for k, v in pieces.items()}),
        "postgresql": template.format(**{k: v[1] for k, v in pieces.items()}),
    }


# 'YYYY-MM' of a date, and a date as the number YYYYMMDD.
_MONTH_START = ("substr(:start, 1, 7)", "to_char(CAST(:start AS date), 'YYYY-MM')")
_MONTH_END = ("substr(:end, 1, 7)", "to_char(CAST(:end AS date), 'YYYY-MM')")
_END_NUMBER = (
    "CAST(strftime('%Y%m%d', :end) AS INTEGER)",
    "CAST(to_char(CAST(:end AS date), 'YYYYMMDD') AS INTEGER)",
)

# ---------------------------------------------------------------------------
# 社保接续

SI_ENTERED = _rolled("""
SELECT v.unit_code,
       CASE WHEN si.status = 'entered' AND si.entered_on <= :end THEN 1 ELSE 0 END,
       1
FROM social_insurance si
JOIN veterans v ON v.id_number = si.id_number
WHERE si.eligible IS TRUE""")

SI_REJECTED_EXPLAINED = _rolled("""
SELECT v.unit_code, CASE WHEN si.explained IS TRUE THEN 1 ELSE 0 END, 1
FROM social_insurance si
JOIN veterans v ON v.id_number = si.id_number
WHERE si.status = 'rejected'""")

# ---------------------------------------------------------------------------
# 困难退役军人家庭台账 (rows registered on or before E and not closed at E)

HARDSHIP_MEASURES = _rolled("""
SELECT v.unit_code,
       CASE WHEN COALESCE(trim(h.measures), '') <> '' THEN 1 ELSE 0 END,
       1
FROM hardship h
JOIN veterans v ON v.id_number = h.id_number
WHERE h.registered_on <= :end AND (h.closed_on IS NULL OR h.closed_on >= :end)""")

HARDSHIP_DIBAO_GAP = _rolled("""
SELECT v.unit_code, COUNT(*), 0
FROM hardship h
JOIN veterans v ON v.id_number = h.id_number
WHERE h.registered_on <= :end AND (h.closed_on IS NULL OR h.closed_on >= :end)
  AND h.dibao_eligible IS TRUE AND h.dibao IS NOT TRUE
GROUP BY v.unit_code""")

# ---------------------------------------------------------------------------
# 就业创业

# Completed years at E from the birth date in the id number (characters
# 7-14): born on or before E minus 18 years, and after E minus 60 years.
EMP_REGISTERED = _dialects(
    _rolled("""
SELECT v.unit_code,
       CASE WHEN EXISTS (SELECT 1 FROM employment e
                         WHERE e.id_number = v.id_number AND e.registered_on <= :end)
            THEN 1 ELSE 0 END,
       1
FROM veterans v
CROSS JOIN (SELECT {end_number} AS n) e_day
WHERE CAST(substr(v.id_number, 7, 8) AS INTEGER) <= e_day.n - 180000
  AND CAST(substr(v.id_number, 7, 8) AS INTEGER) > e_day.n - 600000"""),
    end_number=_END_NUMBER,
)

EMP_TRAINED = _rolled(
    """
SELECT v.unit_code, CASE WHEN e.trained_on <= :end THEN 1 ELSE 0 END, 1
FROM latest l
JOIN employment e ON e.id_number = l.id_number AND e.registered_on = l.registered_on
JOIN veterans v ON v.id_number = e.id_number
WHERE e.status = 'seeking' AND e.wants_training IS TRUE""",
    ctes="""latest(id_number, registered_on) AS (
    SELECT id_number, MAX(registered_on) FROM employment
    WHERE registered_on <= :end GROUP BY id_number
)""",
)

EMP_JOB_FAIRS = _rolled(
    """
SELECT u.code,
       CASE WHEN u.code IN (SELECT code FROM with_fair) THEN 1 ELSE 0 END,
       1
FROM units u
WHERE u.level = 'county'""",
    ctes="""with_fair(code) AS (
    SELECT DISTINCT d.ancestor FROM job_fairs jf
    JOIN unit_closure d ON d.descendant = jf.unit_code
    WHERE jf.held_on BETWEEN :year_start AND :end
)""",
)

# ---------------------------------------------------------------------------
# 关爱基金 (entries sit in the fund's county)

FUND_ESTABLISHED = _rolled("""
SELECT u.code, CASE WHEN cf.established_on <= :end THEN 1 ELSE 0 END, 1
FROM units u
LEFT JOIN care_funds cf ON cf.unit_code = u.code
WHERE u.level = 'county'""")

FUND_BALANCE = _rolled("""
SELECT unit_code,
       SUM(CASE WHEN kind = 'donation' THEN amount ELSE -amount END),
       0
FROM care_fund_entries
WHERE date <= :end
GROUP BY unit_code""")


def _fund_sum(kind: str) -> str:
    return _rolled(f"""
SELECT unit_code, SUM(amount), 0
FROM care_fund_entries
WHERE kind = '{kind}' AND date BETWEEN :start AND :end
GROUP BY unit_code""")


FUND_PUBLICIZED = _rolled("""
SELECT unit_code, CASE WHEN publicized_on <= :end THEN 1 ELSE 0 END, 1
FROM care_fund_entries
WHERE kind = 'grant' AND date BETWEEN :start AND :end""")

# By the recipient's unit; the hardship row must be registered on or before
# the grant's date and not closed on or before it.
FUND_GRANTS_TO_HARDSHIP = _rolled("""
SELECT v.unit_code,
       CASE WHEN EXISTS (SELECT 1 FROM hardship h
                         WHERE h.id_number = g.counterparty
                           AND h.registered_on <= g.date
                           AND (h.closed_on IS NULL OR h.closed_on > g.date))
            THEN 1 ELSE 0 END,
       1
FROM care_fund_entries g
JOIN veterans v ON v.id_number = g.counterparty
WHERE g.kind = 'grant' AND g.date BETWEEN :start AND :end""")

# ---------------------------------------------------------------------------
# 优抚

# The months of P that have ended on or before E: month, first_day, last_day.
_CLOSED_MONTHS_SQLITE = """month_starts(first_day) AS (
    SELECT date(:start, 'start of month')
    UNION ALL
    SELECT date(first_day, '+1 month') FROM month_starts
    WHERE date(first_day, '+1 month') <= :end
),
closed(month, first_day, last_day) AS (
    SELECT substr(first_day, 1, 7), first_day, date(first_day, '+1 month', '-1 day')
    FROM month_starts
    WHERE date(first_day, '+1 month', '-1 day') <= :end
)"""
_CLOSED_MONTHS_PG = """closed(month, first_day, last_day) AS MATERIALIZED (
    SELECT to_char(m, 'YYYY-MM'), CAST(m AS date),
           CAST(m + interval '1 month' AS date) - 1
    FROM generate_series(CAST(:start AS timestamp), CAST(:end AS timestamp),
                         interval '1 month') AS m
    WHERE CAST(m + interval '1 month' AS date) - 1 <= CAST(:end AS date)
)"""
_ON_TIME_FACTS = """
SELECT r.unit_code,
       CASE WHEN p.amount = r.monthly_standard AND p.paid_on <= c.last_day
            THEN 1 ELSE 0 END,
       1
FROM closed c
JOIN benefit_recipients r
  ON r.started_on <= c.last_day AND (r.ended_on IS NULL OR r.ended_on >= c.first_day)
LEFT JOIN benefit_payments p
  ON p.id_number = r.id_number AND p.category = r.category AND p.month = c.month"""

BENEFIT_ON_TIME = {
    "sqlite": _rolled(_ON_TIME_FACTS, ctes=_CLOSED_MONTHS_SQLITE, recursive=True),
    "postgresql": _rolled(_ON_TIME_FACTS, ctes=_CLOSED_MONTHS_PG),
}

# A payment of a month of P belongs to its id number and category's
# recipient row active in its month (the one that started last), else to
# the row that started last; it counts unless that row covers the month and
# the amount is its standard.
BENEFIT_MISMATCH = _dialects(
    _rolled(
        """
SELECT unit_code, SUM(CASE WHEN covered = 1 AND amount = monthly_standard THEN 0 ELSE 1 END), 0
FROM ranked
WHERE rank_in_payment = 1
GROUP BY unit_code""",
        ctes="""payment_rows AS (
    SELECT p.id AS payment, p.amount, r.unit_code, r.monthly_standard, r.started_on,
           CASE WHEN {started_month} <= p.month
                     AND (r.ended_on IS NULL OR {ended_month} >= p.month)
                THEN 1 ELSE 0 END AS covered
    FROM benefit_payments p
    JOIN benefit_recipients r ON r.id_number = p.id_number AND r.category = p.category
    WHERE p.month BETWEEN {month_start} AND {month_end}
),
ranked AS (
    SELECT unit_code, amount, monthly_standard, covered,
           ROW_NUMBER() OVER (PARTITION BY payment
                              ORDER BY covered DESC, started_on DESC) AS rank_in_payment
    FROM payment_rows
)""",
    ),
    started_month=("substr(r.started_on, 1, 7)", "to_char(r.started_on, 'YYYY-MM')"),
    ended_month=("substr(r.ended_on, 1, 7)", "to_char(r.ended_on, 'YYYY-MM')"),
    month_start=_MONTH_START,
    month_end=_MONTH_END,
)

BENEFIT_VERIFIED = _rolled("""
SELECT unit_code,
       CASE WHEN verified_on BETWEEN :year_start AND :end THEN 1 ELSE 0 END,
       1
FROM benefit_recipients
WHERE started_on <= :end AND (ended_on IS NULL OR ended_on >= :end)""")

# ---------------------------------------------------------------------------
# 安置

PLACEMENT_PLACED = _rolled("""
SELECT v.unit_code, CASE WHEN pl.placed_on <= :end THEN 1 ELSE 0 END, 1
FROM placements pl
JOIN veterans v ON v.id_number = pl.id_number
WHERE pl.received_on <= :end""")

PLACEMENT_LEGACY_RESOLVED = _rolled("""
SELECT v.unit_code, CASE WHEN pl.resolved_on <= :end THEN 1 ELSE 0 END, 1
FROM placements pl
JOIN veterans v ON v.id_number = pl.id_number
WHERE pl.legacy IS TRUE""")

# ---------------------------------------------------------------------------
# 上门服务

SERVICE_FIELDS = _rolled(
    """
SELECT u.code, CASE WHEN c.fields = 5 THEN 1 ELSE 0 END, 1
FROM units u
LEFT JOIN covered c ON c.code = u.code
WHERE u.level = 'county'""",
    ctes="""covered(code, fields) AS (
    SELECT d.ancestor, COUNT(DISTINCT sc.field)
    FROM service_contracts sc
    JOIN unit_closure d ON d.descendant = sc.unit_code
    WHERE sc.field IN ('legal', 'psychological', 'medical', 'elderly_care', 'arts')
      AND sc.signed_on <= :end AND (sc.expires_on IS NULL OR sc.expires_on >= :end)
    GROUP BY d.ancestor
)""",
)

SERVICE_HOME_VISITS = _rolled("""
SELECT v.unit_code, COUNT(*), 0
FROM home_services hs
JOIN veterans v ON v.id_number = hs.id_number
WHERE hs.served_on BETWEEN :start AND :end
GROUP BY v.unit_code""")

QUERIES: dict[str, str | Mapping[str, str]] = {
    "si.entered": SI_ENTERED,
    "si.rejected_explained": SI_REJECTED_EXPLAINED,
    "hardship.measures": HARDSHIP_MEASURES,
    "hardship.dibao_gap": HARDSHIP_DIBAO_GAP,
    "emp.registered": EMP_REGISTERED,
    "emp.trained": EMP_TRAINED,
    "emp.job_fairs": EMP_JOB_FAIRS,
    "fund.established": FUND_ESTABLISHED,
    "fund.balance": FUND_BALANCE,
    "fund.raised": _fund_sum("donation"),
    "fund.granted": _fund_sum("grant"),
    "fund.publicized": FUND_PUBLICIZED,
    "fund.grants_to_hardship": FUND_GRANTS_TO_HARDSHIP,
    "benefit.on_time": BENEFIT_ON_TIME,
    "benefit.mismatch": BENEFIT_MISMATCH,
    "benefit.verified": BENEFIT_VERIFIED,
    "placement.placed": PLACEMENT_PLACED,
    "placement.legacy_resolved": PLACEMENT_LEGACY_RESOLVED,
    "service.fields": SERVICE_FIELDS,
    "service.home_visits": SERVICE_HOME_VISITS,
}
