"""信访 — the petitions indicators written by hand (docs/indicators.md, 信访).

Every statement reads ``petitions`` once, sums its facts per unit_code (few
rows), then rolls those sums up with one join on ``unit_closure`` to :unit
and its children (``_rollup``). Time limits are the defaults: decision 15
days after registration, handling 60 days after acceptance (90 if extended),
review or recheck answer 30 days after request.
A petition whose decision is not_accepted or transferred is closed on its
decision date (closed_on, else accepted_on); an empty decision with an
acceptance date counts as accepted. Only date arithmetic differs between the
dialects: ``date(d, '+n days')`` on SQLite, ``d + n`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

# plus(date_sql, days) → the SQL of a date that many days later.
Plus = Callable[[str, int], str]

# The closing date: the decision date for petitions not accepted or transferred.
CLOSED = (
    "CASE WHEN p.decision IN ('not_accepted', 'transferred') "
    "THEN COALESCE(p.closed_on, p.accepted_on) ELSE p.closed_on END"
)

# Decision 受理: explicit, or empty with an acceptance date.
ACCEPTED = (
    "(p.decision = 'accepted' OR (p.decision IS NULL AND p.accepted_on IS NOT NULL))"
)

RECEIVED_IN_P = "p.received_on BETWEEN :start AND :end"


def _rollup(numerator: str, denominator: str, condition: str) -> str:
    """Sum ``numerator`` and ``denominator`` over petitions meeting
    ``condition`` per unit_code, then up the hierarchy to :unit and its
    children."""
    return f"""
WITH f AS (
  SELECT p.unit_code, {numerator} AS numerator, {denominator} AS denominator
  FROM petitions p
  WHERE {condition}
  GROUP BY p.unit_code
)
SELECT c.ancestor AS code, SUM(f.numerator) AS numerator, SUM(f.denominator) AS denominator
FROM f
JOIN unit_closure c ON c.descendant = f.unit_code
JOIN units a ON a.code = c.ancestor
WHERE a.code = :unit OR a.parent_code = :unit
GROUP BY c.ancestor"""


def _count(condition: str) -> str:
    """Petitions meeting ``condition`` (numerator; denominator 0)."""
    return _rollup("COUNT(*)", "0", condition)


def _ratio(numerator: str, condition: str) -> str:
    """Petitions meeting ``condition`` (denominator) and of them ``numerator``."""
    return _rollup(
        f"SUM(CASE WHEN {numerator} THEN 1 ELSE 0 END)", "COUNT(*)", condition
    )


def _dialects(build: Callable[[Plus], str]) -> Mapping[str, str]:
    """A statement per dialect from ``build(plus)``, ``plus(date, days)`` giving SQL."""

    def sqlite(date: str, days: int) -> str:
        return f"date({date}, '{days:+d} days')"

    def postgresql(date: str, days: int) -> str:
        return f"({date} {'+' if days >= 0 else '-'} {abs(days)})"

    return {"sqlite": build(sqlite), "postgresql": build(postgresql)}


def _handling_deadline(plus: Plus) -> str:
    """accepted_on + 60 days, + 90 when extended."""
    return (
        f"CASE WHEN p.extended IS TRUE THEN {plus('p.accepted_on', 90)}"
        f" ELSE {plus('p.accepted_on', 60)} END"
    )


OPEN = _count(f"p.received_on <= :end AND ({CLOSED} IS NULL OR {CLOSED} > :end)")

# Decision due (received + 15) in P ⇔ received in [start − 15, end − 15].
ACCEPTED_ON_TIME = _dialects(
    lambda plus: _ratio(
        f"p.accepted_on <= {plus('p.received_on', 15)}",
        f"p.received_on BETWEEN {plus(':start', -15)} AND {plus(':end', -15)}",
    )
)

# Accepted, open at E, and E past the handling deadline. An accepted
# petition's closing date is closed_on.
OVERDUE = _dialects(
    lambda plus: _count(
        f"{ACCEPTED} AND p.received_on <= :end"
        " AND (p.closed_on IS NULL OR p.closed_on > :end)"
        f" AND {_handling_deadline(plus)} < :end"
    )
)

CLOSED_ON_TIME = _dialects(
    lambda plus: _ratio(
        f"p.closed_on <= {_handling_deadline(plus)}",
        f"{ACCEPTED} AND p.closed_on BETWEEN :start AND :end",
    )
)

# Open at E or closed in E's year: not closed, or closed on or after the
# year's first day (year_start <= E).
RESCREENED = _ratio(
    "p.rescreened_on BETWEEN :start AND :end",
    f"p.received_on <= :end AND ({CLOSED} IS NULL OR {CLOSED} >= :year_start)",
)

RESCREEN_FLAGS = _count(
    "p.rescreened_on BETWEEN :start AND :end AND ("
    "p.answered_per_policy IS NOT TRUE OR p.policy_implemented IS NOT TRUE"
    " OR p.solved IS NOT TRUE OR p.stable IS NOT TRUE)"
)


# A petition holds up to two answers due (review and recheck), each counted
# when its due date (request + 30) falls in P; one pass sums both.
def _review_on_time(plus: Plus) -> str:
    def due(stage: str) -> str:
        return plus(f"p.{stage}_requested_on", 30)

    def in_p(stage: str) -> str:  # due in P, as a range of request dates
        requested = f"p.{stage}_requested_on"
        return f"{requested} BETWEEN {plus(':start', -30)} AND {plus(':end', -30)}"

    def on_time(stage: str) -> str:
        return f"{in_p(stage)} AND p.{stage}_answered_on <= {due(stage)}"

    return _rollup(
        f"SUM(CASE WHEN {on_time('review')} THEN 1 ELSE 0 END"
        f" + CASE WHEN {on_time('recheck')} THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {in_p('review')} THEN 1 ELSE 0 END"
        f" + CASE WHEN {in_p('recheck')} THEN 1 ELSE 0 END)",
        f"({in_p('review')} OR {in_p('recheck')})",
    )


REVIEW_ON_TIME = _dialects(_review_on_time)

MONEY_ONLY = _ratio(
    "p.resolution = 'money'",
    f"p.resolution IS NOT NULL AND {CLOSED} BETWEEN :start AND :end",
)

LEVELS = ("county", "city", "province", "national")

QUERIES: dict[str, str | Mapping[str, str]] = {
    "pet.open": OPEN,
    "pet.accepted_on_time": ACCEPTED_ON_TIME,
    "pet.overdue": OVERDUE,
    "pet.closed_on_time": CLOSED_ON_TIME,
    "pet.rescreened": RESCREENED,
    "pet.rescreen_flags": RESCREEN_FLAGS,
    "pet.review_on_time": REVIEW_ON_TIME,
    "pet.escalated": _count(f"{RECEIVED_IN_P} AND p.escalated IS TRUE"),
    "pet.group": _count(f'{RECEIVED_IN_P} AND p."group" IS TRUE'),
    **{
        f"pet.reached.{level}": _count(
            f"{RECEIVED_IN_P} AND p.level_reached = '{level}'"
        )
        for level in LEVELS
    },
    **{
        f"pet.reached_group.{level}": _count(
            f"{RECEIVED_IN_P} AND p.level_reached = '{level}' AND p.\"group\" IS TRUE"
        )
        for level in LEVELS
    },
    "pet.repeat": _count(f"{RECEIVED_IN_P} AND p.repeat IS TRUE"),
    "pet.money_only": MONEY_ONLY,
}
