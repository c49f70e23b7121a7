"""Sensitive periods (敏感时期): stretches of the year when petitions are watched closely.

indicators.md ("Reports add a watch list"): an open petition whose next
deadline falls inside a sensitive period goes on the watch list. The defaults
are 元旦 (31 Dec – 3 Jan), 春节 (lunar 腊月廿三 – 正月十五), 全国两会
(1 – 15 Mar), 八一 (25 Jul – 5 Aug) and 国庆 (28 Sep – 8 Oct); the province's
and the city's 两会 have no default dates and exist only once configured.
Configuration changes or switches off any period by id, and plugins add
their own through ``vetservice_register_sensitive_periods()``.

A period is an id, a Chinese and English name and a *rule*: any object whose
``ranges(year)`` gives the (first day, last day) ranges, both inclusive, that
touch that calendar year. Three rules are shipped: :class:`FixedDates` (the
same month-days every year, possibly crossing the new year),
:class:`LunarDates` (lunar month-days) and :class:`DatesByYear` (dates set
year by year).

Lunar dates come from ``lunar-python`` (6tail/lunar-python, MIT, pure Python,
no dependencies, released regularly). ``lunardate`` was set aside because it
is GPL-3.0 and this project is MIT; ``borax`` (MIT) would also do. The three
agree on 腊月廿三, 正月初一 and 正月十五 for every lunar year 1900–2099, and
the tests pin 春节 2026 and 2027 to the published dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs

from vetservice.domain.values import one_or_many, scope_problem
from vetservice.errors import ConfigurationError, ValidationError
from vetservice.i18n import N_, Bilingual, Message

HOOK = "vetservice_register_sensitive_periods"

DateRange = tuple[dt.date, dt.date]
MonthDay = tuple[int, int]

_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")
_FULL_DATE = re.compile(r"^\s*\d{4}-")


@runtime_checkable
class Rule(Protocol):
    """When a sensitive period falls: anything with this one method."""

    def ranges(self, year: int) -> Iterable[DateRange]:
        """The (first day, last day) ranges, both inclusive, that touch ``year``."""
        ...


def _month_day(value: Any, *, lunar: bool = False) -> MonthDay:
    """``"07-25"`` or ``(7, 25)`` as (month, day); the day must exist in every year."""
    match = _MONTH_DAY.match(value) if isinstance(value, str) else None
    if match:
        month, day = int(match[1]), int(match[2])
    elif (
        isinstance(value, tuple | list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        month, day = value
    else:
        month = day = 0
    if lunar:
        valid = 1 <= month <= 12 and 1 <= day <= 30
    else:
        try:
            dt.date(2001, month, day)  # not a leap year: 02-29 is refused
            valid = True
        except ValueError:
            valid = False
    if not valid:
        if lunar:
            raise ConfigurationError(
                N_("'{value}' is not a lunar month and day; write it as 12-23"),
                value=value,
            )
        raise ConfigurationError(
            N_(
                "'{value}' is not a month and day that every year has; write it as 07-25"
            ),
            value=value,
        )
    return month, day


def _lunar_month_day(value: Any) -> MonthDay:
    return _month_day(value, lunar=True)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as e:
        raise ConfigurationError(
            N_("'{value}' is not a date; write it as 2026-11-28"), value=value
        ) from e


def _date_range(value: Any) -> DateRange:
    days = (
        list(value)
        if isinstance(value, Iterable) and not isinstance(value, str)
        else []
    )
    if len(days) != 2:
        raise ConfigurationError(
            N_(
                "'{value}' is not a first and a last day; write them as 2026-01-20, 2026-01-25"
            ),
            value=value,
        )
    start, end = _date(days[0]), _date(days[1])
    if start > end:
        raise ConfigurationError(
            N_("{start} is after {end}; give the first day, then the last"),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    return start, end


def _date_ranges(value: Any) -> tuple[DateRange, ...]:
    """A mapping year → (first, last), or (first, last) pairs, as sorted ranges."""
    if isinstance(value, Mapping):
        ranges = []
        for year, days in value.items():
            start, end = _date_range(days)
            if str(year).strip() != str(start.year):
                raise ConfigurationError(
                    N_("the dates given for {year} start in {start}"),
                    year=year,
                    start=start.isoformat(),
                )
            ranges.append((start, end))
    elif isinstance(value, Iterable) and not isinstance(value, str):
        ranges = [_date_range(days) for days in value]
    else:
        ranges = [_date_range(value)]  # refused with the reason
    return tuple(sorted(set(ranges)))


@attrs.frozen
class FixedDates:
    """The same month-days every year, e.g. 八一: ``FixedDates("07-25", "08-05")``.

    An end before the start crosses the new year (元旦: ``"12-31"`` to
    ``"01-03"``); then two ranges touch each year.
    """

    start: MonthDay = attrs.field(converter=_month_day)
    end: MonthDay = attrs.field(converter=_month_day)

    @property
    def crosses_year(self) -> bool:
        return self.end < self.start

    def ranges(self, year: int) -> tuple[DateRange, ...]:
        if not self.crosses_year:
            return ((dt.date(year, *self.start), dt.date(year, *self.end)),)
        return (
            (dt.date(year - 1, *self.start), dt.date(year, *self.end)),
            (dt.date(year, *self.start), dt.date(year + 1, *self.end)),
        )


@functools.lru_cache(maxsize=1024)
def lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    """The solar date of a lunar date (a day past the month's end is its last day).

    ``year`` is the lunar year, which begins on 正月初一 of that solar year;
    ``month`` is never a leap month (腊月 is 12).
    """
    from lunar_python import Lunar, LunarMonth  # type: ignore[import-untyped]

    last = LunarMonth.fromYm(year, month).getDayCount()
    solar = Lunar.fromYmd(year, month, min(day, last)).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@attrs.frozen
class LunarDates:
    """Lunar month-days, e.g. 春节: ``LunarDates("12-23", "01-15")`` (腊月廿三 – 正月十五).

    An end before the start crosses the lunar new year: the period then runs
    from the start in one lunar year to the end in the next. Day 30 of a
    29-day month means its last day.
    """

    start: MonthDay = attrs.field(converter=_lunar_month_day)
    end: MonthDay = attrs.field(converter=_lunar_month_day)

    @property
    def crosses_year(self) -> bool:
        return self.end < self.start

    def ranges(self, year: int) -> tuple[DateRange, ...]:
        found = []
        # A lunar year starts between 21 Jan and 20 Feb, so only the lunar
        # years around ``year`` can touch it.
        for lunar_year in (year - 1, year, year + 1):
            first_year = lunar_year - 1 if self.crosses_year else lunar_year
            start = lunar_to_solar(first_year, *self.start)
            end = lunar_to_solar(lunar_year, *self.end)
            if start.year <= year <= end.year:
                found.append((start, end))
        return tuple(found)


@attrs.frozen
class DatesByYear:
    """Dates set year by year, e.g. the province's 两会.

    Built from a mapping year → (first day, last day), as configuration gives
    it (``{"2026": ("2026-01-20", "2026-01-25")}``), or from (first, last)
    pairs; dates are ``datetime.date`` or ISO text. A year without dates has
    no such period.
    """

    dates: tuple[DateRange, ...] = attrs.field(converter=_date_ranges)

    def ranges(self, year: int) -> tuple[DateRange, ...]:
        return tuple((s, e) for s, e in self.dates if s.year <= year <= e.year)


def _is_rule(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Rule):
        raise ValidationError(
            N_("the rule of sensitive period {id} has no ranges(year) method"),
            id=getattr(instance, "id", "?"),
        )


def _is_id(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValidationError(
            N_("'{value}' is not a sensitive period id; write e.g. baota.lianghui"),
            value=value,
        )


@attrs.frozen(kw_only=True)
class SensitivePeriod:
    """A sensitive period (敏感时期) and the rule that dates it each year.

    Attributes:
        id: stable id such as ``spring_festival``; a plugin prefixes its own
            (``baota.lianghui``).
        name: Chinese and English names.
        rule: gives the dated ranges touching a year (:class:`FixedDates`,
            :class:`LunarDates`, :class:`DatesByYear` or any :class:`Rule`).
        scope: unit codes whose subtrees alone the period concerns (a
            county's own 两会); empty means everywhere.
    """

    id: str = attrs.field(validator=_is_id)
    name: Bilingual = attrs.field(validator=attrs.validators.instance_of(Bilingual))
    rule: Rule = attrs.field(validator=_is_rule)
    scope: tuple[str, ...] = attrs.field(default=(), converter=one_or_many)

    def applies_to(self, ancestors: Iterable[str]) -> bool:
        """Whether a unit with these ancestors (itself included) is in the scope."""
        return not self.scope or any(code in self.scope for code in ancestors)

    def occurrences(self, year: int) -> list[SensitiveOccurrence]:
        """The dated occurrences touching ``year``, earliest first."""
        days = {(start, end) for start, end in self.rule.ranges(year)}
        return sorted(
            (SensitiveOccurrence(self, start, end) for start, end in days),
            key=_chronological,
        )


@attrs.frozen
class SensitiveOccurrence:
    """One dated occurrence of a sensitive period, first and last day inclusive."""

    period: SensitivePeriod
    start: dt.date
    end: dt.date

    @property
    def id(self) -> str:
        return self.period.id

    @property
    def name(self) -> Bilingual:
        return self.period.name

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.start <= end and start <= self.end

    def describe(self) -> Message:
        """E.g. "春节（2026-02-10 至 2026-03-03）", in the reader's language."""
        return Message(
            N_("{name} ({start} to {end})"),
            {
                "name": self.name,
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            },
        )


def _chronological(occurrence: SensitiveOccurrence) -> tuple[dt.date, dt.date, str]:
    return occurrence.start, occurrence.end, occurrence.id


# The defaults in indicators.md's order; a None rule has no default dates
# and is added only when configuration gives it some.
_DEFAULTS: tuple[tuple[str, Bilingual, Rule | None], ...] = (
    ("new_year", Bilingual("元旦", "New Year's Day"), FixedDates("12-31", "01-03")),
    (
        "spring_festival",
        Bilingual("春节", "Spring Festival"),
        LunarDates("12-23", "01-15"),
    ),
    (
        "national_lianghui",
        Bilingual("全国两会", "national Two Sessions"),
        FixedDates("03-01", "03-15"),
    ),
    ("province_lianghui", Bilingual("省两会", "provincial Two Sessions"), None),
    ("city_lianghui", Bilingual("市两会", "city Two Sessions"), None),
    ("bayi", Bilingual("八一", "Army Day"), FixedDates("07-25", "08-05")),
    ("national_day", Bilingual("国庆", "National Day"), FixedDates("09-28", "10-08")),
)

DEFAULT_IDS: tuple[str, ...] = tuple(pid for pid, _, _ in _DEFAULTS)


def _configured_rule(value: Any) -> Rule:
    """A rule from configuration: a rule, year → dates, or two month-days or dates."""
    if isinstance(value, Rule):
        return value
    if isinstance(value, Mapping):
        return DatesByYear(value)
    if isinstance(value, tuple | list) and len(value) == 2:
        if all(isinstance(v, dt.date) or _FULL_DATE.match(str(v)) for v in value):
            return DatesByYear([value])
        return FixedDates(*value)
    raise ConfigurationError(
        N_(
            "'{value}' is not a sensitive period rule; give two month-days (07-25, 08-05), dates by year or None to switch it off"
        ),
        value=value,
    )


def configure_sensitive_periods(
    periods: Iterable[SensitivePeriod], config: Mapping[str, Any] | None
) -> tuple[SensitivePeriod, ...]:
    """``periods`` changed by ``config``, a mapping period id → setting.

    A setting is None (switch the period off), two month-days
    (``("07-20", "08-05")``, crossing the new year when the second comes
    first), a mapping year → (first day, last day), a single (first day, last
    day), or any :class:`Rule` (e.g. :class:`LunarDates`). ``province_lianghui``
    and ``city_lianghui`` are added when given dates; any other unknown id
    is refused.
    """
    result = {p.id: p for p in periods}
    names = {pid: name for pid, name, _ in _DEFAULTS}
    for key, value in (config or {}).items():
        if key not in result and key not in names:
            raise ConfigurationError(
                N_("there is no sensitive period {id} to configure; known: {known}"),
                id=key,
                known=", ".join(dict.fromkeys([*names, *result])),
            )
        if value is None:
            result.pop(key, None)
            continue
        try:
            rule = _configured_rule(value)
        except ConfigurationError as e:
            raise ConfigurationError(
                N_("sensitive period {id}: {error}"), id=key, error=e.message
            ) from e
        if key in result:
            result[key] = attrs.evolve(result[key], rule=rule)
        else:
            result[key] = SensitivePeriod(id=key, name=names[key], rule=rule)
    return tuple(result.values())


def load_sensitive_config(path: str | Path) -> dict[str, Any]:
    """Read a configuration file (YAML) of sensitive periods: id → setting.

    Example file::

        province_lianghui:
          2026: [2026-01-20, 2026-01-25]
        city_lianghui:
          2026: [2026-02-26, 2026-03-01]
        bayi: null                       # switched off
        national_day: ["09-25", "10-08"]
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ConfigurationError(
            N_("cannot read the sensitive periods file {path}: {error}"),
            path=str(path),
            error=str(e).splitlines()[0],
        ) from e
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigurationError(
            N_("the sensitive periods file {path} must map period ids to settings"),
            path=str(path),
        )
    return {str(k): v for k, v in data.items()}


def default_sensitive_periods(
    config: Mapping[str, Any] | None = None,
) -> tuple[SensitivePeriod, ...]:
    """The default sensitive periods, changed by ``config``.

    Example::

        default_sensitive_periods({
            "province_lianghui": {"2026": ("2026-01-20", "2026-01-25")},
            "bayi": None,                         # switched off
            "national_day": ("09-25", "10-08"),   # other dates
        })

    See :func:`configure_sensitive_periods` for the settings.
    """
    defaults = [
        SensitivePeriod(id=pid, name=name, rule=rule)
        for pid, name, rule in _DEFAULTS
        if rule is not None
    ]
    configured = {p.id: p for p in configure_sensitive_periods(defaults, config)}
    return tuple(configured[pid] for pid in DEFAULT_IDS if pid in configured)


class _Collector(Protocol):
    # vetservice.plugins.Plugins; the calendar layer does not import it.
    def collect_by_id(
        self, hook: str, expected: type, duplicate: str
    ) -> dict[str, tuple[str, Any]]: ...

    def refuse(
        self, plugin: str, hook: str, error: str, item: str | None = None
    ) -> None: ...


def collect_sensitive_periods(
    plugins: _Collector, config: Mapping[str, Any] | None = None
) -> tuple[SensitivePeriod, ...]:
    """Every plugin's sensitive periods, then ``config`` applied to them.

    A plugin returning something that is not a :class:`SensitivePeriod` is
    recorded as its failure; two plugins registering one id is an error
    naming both; a period whose scope is not unit codes (the characters of
    one code) is refused alone, as a failure of its plugin.
    """
    registry = plugins.collect_by_id(
        HOOK,
        SensitivePeriod,
        N_("sensitive period {id} is registered twice: by {first} and by {second}"),
    )
    kept = []
    for plugin, period in registry.values():
        problem = scope_problem(period.id, period.scope)
        if problem is not None:
            plugins.refuse(plugin, HOOK, problem.render(), period.id)
            continue
        kept.append(period)
    return configure_sensitive_periods(kept, config)


def periods_between(
    periods: Iterable[SensitivePeriod], start: dt.date, end: dt.date
) -> list[SensitiveOccurrence]:
    """The occurrences overlapping ``start`` … ``end`` (inclusive), earliest first."""
    if start > end:
        raise ValidationError(
            N_("{start} is after {end}; give the first day, then the last"),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    found: dict[tuple[dt.date, dt.date, str], SensitiveOccurrence] = {}
    for period in periods:
        for year in range(start.year, end.year + 1):
            for occurrence in period.occurrences(year):
                if occurrence.overlaps(start, end):
                    found[_chronological(occurrence)] = occurrence
    return [found[key] for key in sorted(found)]


def sensitive_on(
    periods: Iterable[SensitivePeriod], day: dt.date
) -> list[SensitiveOccurrence]:
    """The occurrences that ``day`` falls in (several may overlap), earliest first."""
    return periods_between(periods, day, day)
