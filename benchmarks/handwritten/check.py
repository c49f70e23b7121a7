"""Check that every hand-written statement gives the library's figures.

    python -m benchmarks.handwritten.check URL [UNIT] [PERIOD...]

Exits 1 and names each indicator and unit where the two disagree.
"""

from __future__ import annotations

import sys

import sqlalchemy as sa

import vetservice as vs
from vetservice.calendar import Period
from vetservice.plugins import create_plugin_manager

from . import QUERIES, hand_statement


def hand_figures(
    conn: sa.Connection, indicator_id: str, unit: str, period: Period
) -> dict[str, tuple[int, int]]:
    statement, params = hand_statement(indicator_id, conn.dialect.name, unit, period)
    return {
        code: (int(num or 0), int(den or 0))
        for code, num, den in conn.execute(statement, params)
    }


def library_figures(
    db: vs.Database, indicator_id: str, unit: str, period: Period
) -> dict[str, tuple[int, int]]:
    result = db.evaluate(unit, period, indicators=[indicator_id])[indicator_id]
    figures = {}
    for code, figure in result.figures.items():
        numerator = figure.numerator
        if result.indicator.kind.value == "money":
            numerator = int(numerator * 100)
        figures[code] = (int(numerator), int(figure.denominator or 0))
    return figures


def check(url: str, unit: str, periods: list[str]) -> int:
    # Parameters at their defaults: no county plugin's overrides.
    db = vs.open(url, plugins=create_plugin_manager(load_entrypoints=False))
    wrong = 0
    for name in periods:
        period = Period.parse(name, None)
        for indicator_id in QUERIES:
            library = library_figures(db, indicator_id, unit, period)
            # Not one connection held across the evaluations: on SQLite its
            # transaction (BEGIN IMMEDIATE) keeps the figures store waiting
            # for the write lock until the busy timeout.
            with db.engine.connect() as conn:
                hand = hand_figures(conn, indicator_id, unit, period)
                for code, expected in library.items():
                    got = hand.get(code, (0, 0))
                    if got != expected:
                        wrong += 1
                        print(
                            f"{name} {indicator_id} {code}: hand {got} != library {expected}"
                        )
    print(f"{len(QUERIES)} statements, {len(periods)} periods, {wrong} disagreements")
    return 1 if wrong else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(
        check(
            args[0],
            args[1] if len(args) > 1 else "610600000000",
            args[2:] or ["2026Q3", "2026"],
        )
    )
