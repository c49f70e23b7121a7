"""The public helpers a county plugin writes its facts with, on SQLite and PostgreSQL.

Each value is worked out by hand from the calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

import vetservice as vs
from vetservice.calendar import Period
from vetservice.errors import ConfigurationError
from vetservice.indicators import (
    Context,
    age_at,
    age_between,
    days_between,
    facts,
    months,
)

D = dt.date


def _one(db: vs.Database, expression: Any) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(sa.select(expression)).scalar_one()


def _date(day: dt.date) -> Any:
    return sa.literal(day, sa.Date)


@pytest.mark.parametrize(
    ("first", "second", "days"),
    [
        (D(2026, 9, 30), D(2026, 10, 11), 11),
        (D(2026, 10, 11), D(2026, 9, 30), -11),
        (D(2024, 2, 28), D(2024, 3, 1), 2),  # a leap year's 29 February between
        (D(2025, 12, 31), D(2026, 1, 1), 1),
    ],
)
def test_days_between(db: vs.Database, first: dt.date, second: dt.date, days: int):
    assert _one(db, days_between(_date(first), _date(second))) == days


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        ("19650312", D(2026, 3, 11), 60),  # the day before the birthday
        ("19650312", D(2026, 3, 12), 61),  # on it
        ("19600229", D(2025, 2, 28), 64),  # born on 29 February: 65 only on 1 March
        ("19600229", D(2025, 3, 1), 65),
    ],
)
def test_age_at(db: vs.Database, born: str, on: dt.date, age: int):
    id_number = sa.literal(f"612601{born}0031", sa.String)
    assert _one(db, age_at(id_number, on)) == age


def test_age_between_takes_both_bounds(db: vs.Database):
    on = D(2026, 11, 28)

    def within(born: str) -> bool:
        expression = age_between(sa.literal(f"612601{born}0031"), on, 16, 60)
        return bool(_one(db, sa.case((expression, 1), else_=0)))

    assert within("20101128")  # 16 today
    assert not within("20101129")  # 16 tomorrow
    assert within("19651129")  # 60, 61 tomorrow
    assert not within("19651128")  # 61 today


def test_months_of_a_quarter_cut_at_the_as_of_date(db: vs.Database):
    ctx = Context(Period.parse("2026Q3", D(2026, 8, 15)), "x", {})
    table = months(ctx)
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.month)).all()
    # September has not begun on 15 August; August ends at E.
    assert [tuple(r) for r in rows] == [
        ("2026-07", D(2026, 7, 1), D(2026, 7, 31)),
        ("2026-08", D(2026, 8, 1), D(2026, 8, 15)),
    ]
    ended = months(ctx, ended=True)
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(ended.c.month)).scalars().all() == ["2026-07"]


def test_facts_take_exactly_one_way_of_counting():
    unit = sa.literal("610602000000").label("unit_code")
    with pytest.raises(ConfigurationError):
        facts(unit, met=sa.true(), count=True)
    with pytest.raises(ConfigurationError):
        facts(unit)
