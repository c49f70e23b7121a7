"""SQLite and PostgreSQL give identical figures for every built-in indicator.

The same generated city (the demo with a tenth of its rows, same seed) is
built on both backends; every indicator is evaluated at the city, a county
and a township for a quarter, a month and a year, and every figure,
status and shortfall must agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import vetservice as vs
from vetservice.calendar import Period
from vetservice.demo import DEMO_END, build_demo

UNITS = ("610600000000", "610621000000", "610602001000")
PERIODS = ("2026Q3", "2026-11", "2025")


def _figures(db: vs.Database) -> dict[tuple[str, str, str, str], Any]:
    found: dict[tuple[str, str, str, str], Any] = {}
    for name in PERIODS:
        period = Period.parse(name, DEMO_END)
        for unit in UNITS:
            evaluation = db.evaluate(unit, period)
            assert not evaluation.failures
            for indicator_id, result in evaluation.results.items():
                for code, f in result.figures.items():
                    found[(name, unit, indicator_id, code)] = (
                        f.numerator,
                        f.denominator,
                        f.value,
                        f.status.value,
                    )
                found[(name, unit, indicator_id, "shortfalls")] = [
                    (s.unit, str(s.reason)) for s in result.shortfalls
                ]
    return found


@pytest.fixture
def both(sqlite_url: str, pg_url: str) -> Iterator[list[vs.Database]]:
    databases = [vs.open(url) for url in (sqlite_url, pg_url)]
    for db in databases:
        build_demo(db.engine, seed=11, rows_factor=0.1)
    yield databases
    for db in databases:
        db.close()


@pytest.mark.postgresql
def test_every_builtin_figure_is_the_same_on_sqlite_and_postgresql(
    both: list[vs.Database],
):
    sqlite, postgresql = both
    assert sqlite.counts() == postgresql.counts()
    on_sqlite, on_postgresql = _figures(sqlite), _figures(postgresql)
    differ = [k for k in on_sqlite if on_sqlite[k] != on_postgresql.get(k)]
    assert not differ, [(k, on_sqlite[k], on_postgresql.get(k)) for k in differ[:10]]
    # The comparison means something: the data gives real figures of every status.
    statuses = {v[3] for k, v in on_sqlite.items() if k[3] != "shortfalls"}
    assert {"met", "not_met", "no_data", "no_target"} <= statuses
    assert sum(1 for k, v in on_sqlite.items() if k[3] == "shortfalls" and v) > 50
    assert len(on_sqlite) == len(on_postgresql) > 68 * len(UNITS) * len(PERIODS)
