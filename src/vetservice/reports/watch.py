"""The petitions to-do lists: the watch list and the overdue cases, as of today.

A leader acts on these lists, so they are true at the as-of date (default
today), whatever period the figures are of: a petition whose deadline was
seven weeks ago is overdue today, not "11 days left" at the end of a past
quarter (issue 20). When the period is not over, E is the as-of date and the
watch list is the one of indicators.md: an open petition whose next deadline
(the decision before acceptance, the handling deadline after it) falls within
30 days, or inside a sensitive period that concerns its unit.

The overdue list holds every petition open at the as-of date whose next
deadline has passed, and, so that nothing the period's figures counted
vanishes without a word, each petition already overdue at E that has been
closed since, marked closed with its date. Both lists are one statement each,
whatever the number of units, and carry the dates they are true at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period, SensitivePeriod, sensitive_on
from vetservice.i18n import Bilingual
from vetservice.indicators import Context, Override
from vetservice.indicators.engine import ancestors
from vetservice.indicators.petition_rules import LIMITS, open_deadlines
from vetservice.store import TABLES, reading, unit_closure

WINDOW_DAYS = 30
units = TABLES["units"]

T = TypeVar("T")


@attrs.frozen
class WatchItem:
    """An open petition whose next legal deadline needs watching.

    ``stage`` is ``decision`` (受理告知, received + 15 days) or ``handling``
    (办理, accepted + 60 days, + 30 when extended); ``days_left`` counts from
    the as-of date and is never negative; ``sensitive`` names the sensitive
    periods the deadline falls in.
    """

    case_no: str
    unit: str
    unit_name: str
    received_on: dt.date
    stage: str
    deadline: dt.date
    days_left: int
    sensitive: tuple[Bilingual, ...] = ()


@attrs.frozen
class OverdueItem:
    """A petition past its next legal deadline.

    Open at the as-of date: ``closed_on`` is None and ``days_left`` (deadline
    minus the as-of date) is negative. Overdue at E and closed since:
    ``closed_on`` is its closing date (after E, on or before the as-of date)
    and ``days_left`` is None. ``overdue_at_end`` says whether the period's
    figures (``pet.overdue`` for the handling stage) saw it overdue at E.
    """

    case_no: str
    unit: str
    unit_name: str
    received_on: dt.date
    stage: str
    deadline: dt.date
    days_left: int | None
    closed_on: dt.date | None = None
    overdue_at_end: bool = False


@attrs.frozen
class DatedList(Generic[T]):
    """A to-do list and the dates it is about: true at ``as_of``, for the
    period ending ``period_end`` (E). It reads like a sequence of its items."""

    items: tuple[T, ...] = ()
    as_of: dt.date | None = None
    period_end: dt.date | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self.items[index]


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _context(period: Period, overrides: Sequence[Override]) -> Context:
    # The deadlines as pet.overdue counts them, with its county overrides.
    return Context(period, "pet.overdue", LIMITS, tuple(overrides))


def _in_subtree(cases: Any, unit: str) -> sa.Select[Any]:
    down = unit_closure.alias("down")
    return (
        sa.select(cases, units.c.name)
        .join(down, down.c.descendant == cases.c.unit_code)
        .join(units, units.c.code == cases.c.unit_code)
        .where(down.c.ancestor == unit)
    )


def watch_list(
    engine: Engine,
    *,
    unit: str,
    period: Period,
    sensitive: Sequence[SensitivePeriod] = (),
    overrides: Sequence[Override] = (),
) -> DatedList[WatchItem]:
    """Open petitions in ``unit``'s subtree to watch at ``period``'s as-of date,
    nearest deadline first: next deadline on or after that day and within
    30 days of it or inside a sensitive period."""
    today = period.as_of
    cases = open_deadlines(_context(period.as_of_year(), overrides)).subquery("cases")
    with reading(engine) as conn:
        rows = conn.execute(
            _in_subtree(cases, unit)
            .where(cases.c.deadline >= today)
            .order_by(cases.c.deadline, cases.c.case_no)
        ).all()
        chains = ancestors(conn, sorted({r.unit_code for r in rows}))
    items = []
    for row in rows:
        deadline = _date(row.deadline)
        periods = tuple(
            o.period.name
            for o in sensitive_on(sensitive, deadline)
            if o.period.applies_to(chains.get(row.unit_code, [row.unit_code]))
        )
        days_left = (deadline - today).days
        if days_left <= WINDOW_DAYS or periods:
            items.append(
                WatchItem(
                    row.case_no,
                    row.unit_code,
                    row.name,
                    _date(row.received_on),
                    row.stage,
                    deadline,
                    days_left,
                    periods,
                )
            )
    return DatedList(tuple(items), today, period.end)


def overdue_list(
    engine: Engine,
    *,
    unit: str,
    period: Period,
    overrides: Sequence[Override] = (),
) -> DatedList[OverdueItem]:
    """Petitions in ``unit``'s subtree past their next deadline: open at the
    as-of date, or overdue at E and closed since (one statement).

    Open ones come first, longest overdue first; then the closed ones by
    closing date.
    """
    today, end = period.as_of, period.end
    now = open_deadlines(_context(period.as_of_year(), overrides)).subquery("now")
    then = open_deadlines(_context(period, overrides)).subquery("then")
    # Overdue at E: the same petition in ``then`` with its deadline before E.
    was_overdue = (
        sa.select(sa.literal(1))
        .where(then.c.case_no == now.c.case_no, then.c.deadline < end)
        .exists()
    )
    still_open = sa.select(
        now.c.case_no,
        now.c.unit_code,
        now.c.received_on,
        now.c.stage,
        now.c.deadline,
        sa.literal(None, sa.Date).label("closed_on"),
        sa.case((was_overdue, 1), else_=0).label("at_end"),
    ).where(now.c.deadline < today)
    closed_since = sa.select(
        then.c.case_no,
        then.c.unit_code,
        then.c.received_on,
        then.c.stage,
        then.c.deadline,
        then.c.closed_on,
        sa.literal(1).label("at_end"),
    ).where(
        then.c.deadline < end,
        then.c.closed_on > end,
        then.c.closed_on <= today,
    )
    cases = sa.union_all(still_open, closed_since).subquery("cases")
    with reading(engine) as conn:
        rows = conn.execute(
            _in_subtree(cases, unit).order_by(
                cases.c.closed_on.is_not(None),
                cases.c.closed_on,
                cases.c.deadline,
                cases.c.case_no,
            )
        ).all()
    items = []
    for row in rows:
        deadline = _date(row.deadline)
        closed_on = _date(row.closed_on) if row.closed_on is not None else None
        items.append(
            OverdueItem(
                row.case_no,
                row.unit_code,
                row.name,
                _date(row.received_on),
                row.stage,
                deadline,
                None if closed_on else (deadline - today).days,
                closed_on,
                bool(row.at_end),
            )
        )
    return DatedList(tuple(items), today, end)
