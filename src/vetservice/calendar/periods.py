"""Reporting periods: a month ``2026-11``, a quarter ``2026Q4`` (or ``2026-Q4``), a year ``2026``.

A period has a first day S and a last day E, both inclusive, where E is the
period's own last day or the as-of date, whichever is earlier; a period cut
short by the as-of date is *partial* (indicators.md, "Periods").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

import attrs

from vetservice.errors import ConfigurationError
from vetservice.i18n import N_

CHINA = ZoneInfo("Asia/Shanghai")

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def today_in_china() -> dt.date:
    """Today's date in Asia/Shanghai, the default as-of date."""
    return dt.datetime.now(CHINA).date()


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@attrs.frozen(order=True)
class Month:
    """A calendar month: ``Month(2026, 7)`` is July 2026, ``key`` '2026-07'."""

    year: int
    number: int

    @classmethod
    def parse(cls, key: str) -> Month:
        """'YYYY-MM' as a month."""
        return cls(int(key[:4]), int(key[5:7]))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.number, 1)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.year, self.number)

    @property
    def next_first(self) -> dt.date:
        """The first day of the following month."""
        return dt.date(self.year + self.number // 12, self.number % 12 + 1, 1)

    def __str__(self) -> str:
        return self.key


@attrs.frozen
class Period:
    """A calendar period, cut at the as-of date."""

    kind: str  # "month", "quarter" or "year"
    year: int
    number: int  # month 1-12, quarter 1-4, or 1 for a year
    as_of: dt.date

    @classmethod
    def parse(cls, text: str, as_of: dt.date | None = None) -> Period:
        as_of = as_of or today_in_china()
        text = text.strip()
        if m := _MONTH.match(text):
            if 1 <= int(m[2]) <= 12:
                return cls("month", int(m[1]), int(m[2]), as_of)
        elif m := _QUARTER.match(text):
            return cls("quarter", int(m[1]), int(m[2]), as_of)
        elif m := _YEAR.match(text):
            return cls("year", int(m[1]), 1, as_of)
        raise ConfigurationError(
            N_(
                "'{value}' is not a period; write a month 2026-11, a quarter 2026Q4 or a year 2026"
            ),
            value=text,
        )

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}Q{self.number}"
        return f"{self.year:04d}"

    @property
    def first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[
            self.kind
        ]

    @property
    def last_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number, "year": 12}[self.kind]

    @property
    def start(self) -> dt.date:
        """S: the period's first day."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def full_end(self) -> dt.date:
        return month_end(self.year, self.last_month)

    @property
    def end(self) -> dt.date:
        """E: the period's last day or the as-of date, whichever is earlier."""
        return min(self.full_end, self.as_of)

    @property
    def partial(self) -> bool:
        return self.end < self.full_end

    @property
    def started(self) -> bool:
        return self.start <= self.as_of

    @property
    def months(self) -> list[str]:
        """The calendar months of the period that begin on or before E, as 'YYYY-MM'."""
        return [
            f"{self.year:04d}-{m:02d}"
            for m in range(self.first_month, self.last_month + 1)
            if dt.date(self.year, m, 1) <= self.end
        ]

    @property
    def each_month(self) -> tuple[Month, ...]:
        """The calendar months of the period that begin on or before E."""
        return tuple(Month.parse(key) for key in self.months)

    @property
    def year_start(self) -> dt.date:
        """1 January of E's year ("in E's year" runs from here to E)."""
        return dt.date(self.end.year, 1, 1)

    def previous(self) -> Period:
        """The period before (环比), with the same as-of date."""
        if self.kind == "year":
            return Period("year", self.year - 1, 1, self.as_of)
        count = 12 if self.kind == "month" else 4
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1, self.as_of)
        return Period(self.kind, self.year - 1, count, self.as_of)

    def last_year(self) -> Period:
        """The same period a year earlier (同比), cut at the same day of the year
        when this one is not over, so both cover as many days."""
        as_of = self.as_of
        shifted = (
            as_of.replace(year=as_of.year - 1)
            if (as_of.month, as_of.day) != (2, 29)
            else as_of.replace(year=as_of.year - 1, day=28)
        )
        return Period(self.kind, self.year - 1, self.number, shifted)

    def year_to_date(self) -> Period:
        """From 1 January to E (累计)."""
        return Period("year", self.year, 1, min(self.as_of, self.full_end))

    def as_of_year(self) -> Period:
        """From 1 January of the as-of date's year to the as-of date: where
        the to-do lists and the gaps' 整改情况 stand."""
        return Period("year", self.as_of.year, 1, self.as_of)

    def __str__(self) -> str:
        return self.label
