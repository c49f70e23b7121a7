"""One statement for a report's four periods, against one statement each.

    python -m benchmarks.periods URL [--runs 3]

Issue 15 (item 2) asked for each indicator's facts to be computed for 本期,
上期, 去年同期 and 累计 in one statement instead of four. This measures the two
ways that could be done, each against four statements in the same run, and
checks that both give exactly the four statements' sums:

- **Library, one statement per indicator** (every built-in indicator, sums at
  every unit, as the figures store computes them): each period's facts query
  built by the indicator as today, tagged with its period, joined with
  ``UNION ALL``, summed per (period, unit) and rolled up once, grouped by
  (period, ancestor). No indicator changes; the database still reads each
  period's facts, but once in one statement with one roll-up.
- **Hand-written, a periods table joined in** (four indicators, one of each
  shape: events in P at stations, a state at E per household, a state at E
  of staff joined to veterans, events in P joined to veterans): the facts
  read once, each fact joined to the periods it falls in, then grouped by
  (period, unit). This is the form that would change the indicator contract
  (``ctx.start`` and ``ctx.end`` become columns of the periods table).

Prints a Markdown section for results.md. Nothing here is a test: no timing
is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import visitors
from sqlalchemy.sql.selectable import CTE

from vetservice.calendar import Period
from vetservice.indicators.engine import rollup_everywhere, scoped_facts
from vetservice.indicators.model import Context, Indicator
from vetservice.store import reading, unit_closure
from vetservice.store.history import dated_ledgers
from vetservice.stored.sets import comparisons

from .run import AS_OF, open_builtin

Rows = list[tuple[Any, ...]]


def _renamed(facts: sa.Subquery, suffix: int) -> sa.Subquery:
    """``facts`` with each named CTE renamed, so that four periods' copies of
    the same query can sit in one statement (a name may appear only once)."""
    done: dict[int, CTE] = {}

    def replace(element: Any) -> Any:
        if not isinstance(element, CTE):
            return None
        if id(element) not in done:
            inner = visitors.replacement_traverse(element.element, {}, replace)
            done[id(element)] = inner.cte(
                f"{element.name}_{suffix}", recursive=element.recursive
            )
        return done[id(element)]

    return visitors.replacement_traverse(facts, {}, replace)


def union_rollup(indicator: Indicator, contexts: Sequence[Context]) -> sa.Select[Any]:
    """The indicator's sums at every unit for all ``contexts`` in one statement:
    (period index, unit, numerator, denominator, own numerator, own denominator)."""
    tagged = []
    for index, ctx in enumerate(contexts):
        facts = _renamed(scoped_facts(indicator, ctx), index)
        tagged.append(
            sa.select(
                sa.literal(index).label("period"),
                facts.c.unit_code,
                facts.c.numerator,
                facts.c.denominator,
            )
        )
    every = sa.union_all(*tagged).subquery("every_period")
    per_unit = (
        sa.select(
            every.c.period,
            every.c.unit_code,
            sa.func.sum(every.c.numerator).label("numerator"),
            sa.func.sum(every.c.denominator).label("denominator"),
        )
        .group_by(every.c.period, every.c.unit_code)
        .subquery("per_unit")
    )
    up = unit_closure.alias("up")
    own = up.c.depth == 0
    return (
        sa.select(
            per_unit.c.period,
            up.c.ancestor,
            sa.func.coalesce(sa.func.sum(per_unit.c.numerator), 0),
            sa.func.coalesce(sa.func.sum(per_unit.c.denominator), 0),
            sa.func.sum(sa.case((own, sa.func.coalesce(per_unit.c.numerator, 0)))),
            sa.func.sum(sa.case((own, sa.func.coalesce(per_unit.c.denominator, 0)))),
        )
        .join(up, up.c.descendant == per_unit.c.unit_code)
        .group_by(per_unit.c.period, up.c.ancestor)
    )


def _split(rows: Rows, count: int) -> list[Rows]:
    """Rows tagged with a period index → one sorted list per period, in the
    form :func:`rollup_everywhere` returns."""
    found: list[Rows] = [[] for _ in range(count)]
    for index, code, num, den, own_num, own_den in rows:
        found[index].append(
            (
                code,
                int(num or 0),
                int(den or 0),
                None if own_num is None else int(own_num),
                None if own_den is None else int(own_den),
            )
        )
    return [sorted(each) for each in found]


def _alternate(
    separate: Callable[[], list[Rows]], together: Callable[[], list[Rows]], runs: int
) -> tuple[float, float]:
    """Median times of the two, run alternately; their results must agree."""
    first, second = [], []
    for _ in range(runs):
        start = time.perf_counter()
        expected = separate()
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        got = together()
        second.append(time.perf_counter() - start)
        assert got == expected, "one statement disagrees with four"
    return statistics.median(first), statistics.median(second)


def library(url: str, periods: Sequence[Period], runs: int) -> None:
    db = open_builtin(url)
    times: dict[str, tuple[float, float]] = {}
    with reading(db.engine) as conn:
        dated = [dated_ledgers(conn, p.end) for p in periods]
        for indicator_id, (_plugin, indicator) in db.indicators().items():
            contexts = [
                Context(p, indicator.id, indicator.parameters, (), d)
                for p, d in zip(periods, dated, strict=True)
            ]

            def separate(
                contexts: list[Context] = contexts, indicator: Indicator = indicator
            ) -> list[Rows]:
                return [sorted(rollup_everywhere(conn, indicator, c)) for c in contexts]

            def together(
                contexts: list[Context] = contexts, indicator: Indicator = indicator
            ) -> list[Rows]:
                rows = conn.execute(union_rollup(indicator, contexts)).all()
                return _split([tuple(r) for r in rows], len(contexts))

            times[indicator_id] = _alternate(separate, together, runs)
    four = sum(t[0] for t in times.values())
    one = sum(t[1] for t in times.values())
    print("\n#### Library: every indicator, four statements or one (`UNION ALL`)\n")
    print(f"{len(times)} indicators, sums at every unit, median of {runs}.\n")
    print("| | four statements | one statement | ratio |")
    print("|---|---|---|---|")
    print(f"| all indicators | {four:.2f} s | {one:.2f} s | {one / four:.2f} |")
    slowest = sorted(times, key=lambda i: -times[i][0])[:8]
    for indicator_id in slowest:
        a, b = times[indicator_id]
        print(
            f"| `{indicator_id}` | {a * 1000:.0f} ms | {b * 1000:.0f} ms | {b / a:.2f} |"
        )


# Hand-written facts, one row per fact (unit_code, numerator, denominator):
# first for one period (:start, :end), then with the periods table joined in
# (p.k the period, p.s and p.e its first and last day).
HAND: dict[str, tuple[str, str]] = {
    "act.count.study": (
        """SELECT a.unit_code, 1 AS numerator, 0 AS denominator
    FROM activities AS a JOIN stations AS s ON s.unit_code = a.unit_code
    WHERE s.established_on <= :end AND a.type = 'study'
      AND a.held_on BETWEEN :start AND :end""",
        """SELECT p.k, a.unit_code, 1 AS numerator, 0 AS denominator
    FROM periods AS p
    JOIN activities AS a ON a.held_on BETWEEN p.s AND p.e
    JOIN stations AS s ON s.unit_code = a.unit_code
    WHERE s.established_on <= p.e AND a.type = 'study'""",
    ),
    "honor.plaque_hung": (
        """SELECT unit_code,
           MAX(CASE WHEN plaque_hung_on <= :end THEN 1 ELSE 0 END) AS numerator,
           1 AS denominator
    FROM veterans
    GROUP BY unit_code, COALESCE('h:' || household_id, 'v:' || id_number)
    HAVING MAX(CASE WHEN plaque_approved_on <= :end THEN 1 ELSE 0 END) = 1""",
        """SELECT p.k, unit_code,
           MAX(CASE WHEN plaque_hung_on <= p.e THEN 1 ELSE 0 END) AS numerator,
           1 AS denominator
    FROM veterans CROSS JOIN periods AS p
    GROUP BY p.k, unit_code, COALESCE('h:' || household_id, 'v:' || id_number)
    HAVING MAX(CASE WHEN plaque_approved_on <= p.e THEN 1 ELSE 0 END) = 1""",
    ),
    "visit.key_contact": (
        """SELECT v.unit_code,
           CASE WHEN c.person_id IS NULL THEN 0 ELSE 1 END AS numerator,
           1 AS denominator
    FROM veterans AS v
    LEFT JOIN (SELECT DISTINCT person_id FROM staff
               WHERE (started_on IS NULL OR started_on <= :end)
                 AND (ended_on IS NULL OR ended_on >= :end)) AS c
      ON c.person_id = v.contact_person_id
    WHERE v.key_attention""",
        """SELECT p.k, v.unit_code,
           CASE WHEN c.person_id IS NULL THEN 0 ELSE 1 END AS numerator,
           1 AS denominator
    FROM veterans AS v CROSS JOIN periods AS p
    LEFT JOIN (SELECT DISTINCT q.k, person_id FROM staff CROSS JOIN periods AS q
               WHERE (started_on IS NULL OR started_on <= q.e)
                 AND (ended_on IS NULL OR ended_on >= q.e)) AS c
      ON c.person_id = v.contact_person_id AND c.k = p.k
    WHERE v.key_attention""",
    ),
    "visit.key_visited": (
        """SELECT v.unit_code,
           CASE WHEN w.id_number IS NULL THEN 0 ELSE 1 END AS numerator,
           1 AS denominator
    FROM veterans AS v
    LEFT JOIN (SELECT DISTINCT id_number FROM visits
               WHERE visited_on BETWEEN :start AND :end) AS w
      ON w.id_number = v.id_number
    WHERE v.key_attention""",
        """SELECT p.k, v.unit_code,
           CASE WHEN w.id_number IS NULL THEN 0 ELSE 1 END AS numerator,
           1 AS denominator
    FROM veterans AS v CROSS JOIN periods AS p
    LEFT JOIN (SELECT DISTINCT q.k, id_number FROM periods AS q
               JOIN visits ON visited_on BETWEEN q.s AND q.e) AS w
      ON w.id_number = v.id_number AND w.k = p.k
    WHERE v.key_attention""",
    ),
}

_ROLLUP = """
SELECT {outer}up.ancestor, SUM(f.numerator), SUM(f.denominator)
FROM (SELECT {inner}unit_code, SUM(numerator) AS numerator, SUM(denominator) AS denominator
      FROM facts GROUP BY {inner}unit_code) AS f
JOIN unit_closure AS up ON up.descendant = f.unit_code
GROUP BY {outer}up.ancestor"""


def handwritten(url: str, periods: Sequence[Period], runs: int) -> None:
    engine = sa.create_engine(url)
    day = (
        (lambda d: f"DATE '{d}'")
        if engine.dialect.name == "postgresql"
        else (lambda d: f"'{d}'")
    )
    values = ", ".join(
        f"({i}, {day(p.start)}, {day(p.end)})" for i, p in enumerate(periods)
    )
    times: dict[str, tuple[float, float]] = {}
    with engine.connect() as conn:
        for indicator_id, (one, joined) in HAND.items():
            single = sa.text(
                f"WITH facts AS ({one})" + _ROLLUP.format(outer="", inner="")
            )
            every = sa.text(
                f"WITH periods(k, s, e) AS (VALUES {values}), facts AS ({joined})"
                + _ROLLUP.format(outer="f.k, ", inner="k, ")
            )

            def separate(single: Any = single) -> list[Rows]:
                return [
                    sorted(
                        tuple(r)
                        for r in conn.execute(single, {"start": p.start, "end": p.end})
                    )
                    for p in periods
                ]

            def together(every: Any = every) -> list[Rows]:
                found: list[Rows] = [[] for _ in periods]
                for k, code, num, den in conn.execute(every):
                    found[k].append((code, num, den))
                return [sorted(each) for each in found]

            times[indicator_id] = _alternate(separate, together, runs)
    print(
        "\n#### Hand-written: four statements or one with a periods table joined in\n"
    )
    print(f"Sums at every unit, median of {runs}.\n")
    print("| indicator | four statements | one statement | ratio |")
    print("|---|---|---|---|")
    for indicator_id, (a, b) in times.items():
        print(
            f"| `{indicator_id}` | {a * 1000:.0f} ms | {b * 1000:.0f} ms | {b / a:.2f} |"
        )
    four = sum(t[0] for t in times.values())
    one = sum(t[1] for t in times.values())
    print(
        f"| the four together | {four * 1000:.0f} ms | {one * 1000:.0f} ms | {one / four:.2f} |"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.periods")
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    periods = comparisons(Period.parse("2026Q3", AS_OF))
    name = sa.make_url(args.url)
    print(
        f"<!-- python -m benchmarks.periods {' '.join(argv)}; {os.cpu_count()} cores -->"
    )
    print(
        f"\n### Four periods in one statement: {name.database} ({name.get_backend_name()})"
    )
    print(f"\nPeriods: {', '.join(p.label for p in periods)}, as of {AS_OF}.")
    library(args.url, periods, args.runs)
    handwritten(args.url, periods, args.runs)


if __name__ == "__main__":
    main(sys.argv[1:])
