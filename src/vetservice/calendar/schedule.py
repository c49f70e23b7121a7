"""The 上报 calendar: which periods of a ledger are due within a report's
period, the deadline of each, and the period a submission is for by default.

A monthly ledger for November is due by the deadline day of December (the
5th: 5 December, the whole day in China); a quarterly one for 2026Q3 by the
deadline day of October.
"""

from __future__ import annotations

import datetime as dt

import attrs

from vetservice.calendar.periods import CHINA, Month, Period


@attrs.frozen
class Due:
    """One period of a ledger that falls due: its label and its deadline."""

    frequency: str  # month, quarter
    period: str  # 2026-11, 2026Q3
    deadline: dt.date

    @property
    def cutoff(self) -> dt.datetime:
        """The first instant after the deadline day in China, in UTC."""
        return dt.datetime.combine(
            self.deadline + dt.timedelta(days=1), dt.time.min, CHINA
        ).astimezone(dt.UTC)


def deadline(period: str, deadline_day: int) -> dt.date:
    """The deadline of a month's or quarter's ledger: that day of the next month
    (the month's last day when it has fewer days)."""
    after = Month.parse(Period.parse(period, as_of=dt.date.max).months[-1]).next_first
    last = Month(after.year, after.month).last_day
    return after.replace(day=min(max(deadline_day, 1), last.day))


def due_in(period: Period, frequency: str, deadline_day: int) -> list[Due]:
    """The ledger's periods that begin within ``period`` on or before its E:
    every month of a quarter for a monthly ledger, the quarter itself for a
    quarterly one; a monthly report asks nothing of a quarterly ledger."""
    if frequency == "month":
        labels = period.months
    elif frequency == "quarter" and period.kind in ("quarter", "year"):
        first = 1 if period.kind == "year" else period.number
        last = 4 if period.kind == "year" else period.number
        labels = [
            f"{period.year:04d}Q{q}"
            for q in range(first, last + 1)
            if dt.date(period.year, 3 * q - 2, 1) <= period.end
        ]
    else:
        labels = []
    return [Due(frequency, label, deadline(label, deadline_day)) for label in labels]


def default_period(frequency: str, today: dt.date) -> str:
    """The period a ledger sent on ``today`` is for: the last month (or
    quarter) that is over."""
    if frequency == "quarter":
        quarter = (today.month - 1) // 3  # the quarter before today's
        return (
            f"{today.year - 1:04d}Q4" if quarter == 0 else f"{today.year:04d}Q{quarter}"
        )
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"
