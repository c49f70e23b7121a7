"""Sensitive periods (敏感时期): the defaults, configuration, the plugin hook.

Dates worked by hand from the published calendars: 春节 2026 is 17 Feb and
腊月 of the lunar year before has 29 days (no 年三十), so 腊月廿三 is 10 Feb,
7 days before; 正月十五 is 17 Feb + 14 days = 3 Mar. 春节 2027 is 6 Feb,
腊月 again 29 days: 廿三 is 30 Jan, 十五 is 20 Feb. 春节 2024 is 10 Feb after
a 30-day 腊月 (年三十 on 9 Feb), so 廿三 is 2 Feb, 8 days before.
"""

from __future__ import annotations

import datetime as dt

import pytest

from vetservice import hookspecs
from vetservice.calendar import (
    DatesByYear,
    FixedDates,
    LunarDates,
    Period,
    SensitivePeriod,
    collect_sensitive_periods,
    default_sensitive_periods,
    periods_between,
    sensitive_on,
)
from vetservice.calendar import builtin as calendar_builtin
from vetservice.calendar.sensitive import lunar_to_solar
from vetservice.errors import ConfigurationError, PluginContractError, ValidationError
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual
from vetservice.testing import make_plugins

D = dt.date
AS_OF = D(2027, 12, 31)


def spans(occurrences):
    return [(o.id, o.start, o.end) for o in occurrences]


def ids(occurrences):
    return [o.id for o in occurrences]


def period(pid, rule, zh="县两会", en="county Two Sessions"):
    return SensitivePeriod(id=pid, name=Bilingual(zh, en), rule=rule)


# -- the defaults -----------------------------------------------------------


def test_defaults_in_the_order_of_the_spec_without_unconfigured_lianghui():
    periods = default_sensitive_periods()
    assert [p.id for p in periods] == [
        "new_year",
        "spring_festival",
        "national_lianghui",
        "bayi",
        "national_day",
    ]
    assert [p.name.render("zh") for p in periods] == ["元旦", "春节", "全国两会", "八一", "国庆"]


@pytest.mark.parametrize(
    ("year", "new_year", "xiaonian", "lantern"),
    [
        (2026, D(2026, 2, 17), D(2026, 2, 10), D(2026, 3, 3)),
        (2027, D(2027, 2, 6), D(2027, 1, 30), D(2027, 2, 20)),
        (2024, D(2024, 2, 10), D(2024, 2, 2), D(2024, 2, 24)),
    ],
)
def test_spring_festival_runs_from_layue_23_to_zhengyue_15(year, new_year, xiaonian, lantern):
    assert lunar_to_solar(year, 1, 1) == new_year
    assert lunar_to_solar(year - 1, 12, 23) == xiaonian
    assert lantern == new_year + dt.timedelta(days=14)
    spring = {p.id: p for p in default_sensitive_periods()}["spring_festival"]
    assert [(o.start, o.end) for o in spring.occurrences(year)] == [(xiaonian, lantern)]


@pytest.mark.parametrize(
    "new_year",
    [D(1990, 1, 27), D(2000, 2, 5), D(2020, 1, 25), D(2021, 2, 12), D(2022, 2, 1),
     D(2023, 1, 22), D(2025, 1, 29), D(2028, 1, 26), D(2030, 2, 3)],
)
def test_lunar_new_year_matches_published_dates(new_year: dt.date):
    assert lunar_to_solar(new_year.year, 1, 1) == new_year


def test_lunar_day_30_of_a_29_day_month_is_its_last_day():
    # 腊月 of lunar 2025 has 29 days: 除夕 is 廿九, 16 Feb 2026.
    eve = LunarDates("12-30", "12-30")
    assert eve.ranges(2026) == ((D(2026, 2, 16), D(2026, 2, 16)),)


def test_new_year_crosses_the_year():
    new_year = {p.id: p for p in default_sensitive_periods()}["new_year"]
    assert [(o.start, o.end) for o in new_year.occurrences(2026)] == [
        (D(2025, 12, 31), D(2026, 1, 3)),
        (D(2026, 12, 31), D(2027, 1, 3)),
    ]
    periods = default_sensitive_periods()
    assert spans(sensitive_on(periods, D(2027, 1, 2))) == [
        ("new_year", D(2026, 12, 31), D(2027, 1, 3))
    ]
    assert sensitive_on(periods, D(2026, 12, 30)) == []
    assert ids(sensitive_on(periods, D(2027, 1, 4))) == []


def test_overlapping_periods_are_all_reported():
    # 正月十五 2026 is 3 Mar, inside 全国两会.
    periods = default_sensitive_periods()
    assert ids(sensitive_on(periods, D(2026, 3, 3))) == ["spring_festival", "national_lianghui"]
    assert ids(sensitive_on(periods, D(2026, 3, 4))) == ["national_lianghui"]


def test_fixed_defaults_first_and_last_days_are_inclusive():
    periods = default_sensitive_periods()
    for day, expected in [
        (D(2026, 7, 24), []), (D(2026, 7, 25), ["bayi"]), (D(2026, 8, 5), ["bayi"]),
        (D(2026, 8, 6), []), (D(2026, 9, 28), ["national_day"]), (D(2026, 10, 8), ["national_day"]),
        (D(2026, 10, 9), []), (D(2026, 3, 15), ["national_lianghui"]), (D(2026, 3, 16), []),
    ]:
        assert ids(sensitive_on(periods, day)) == expected, day


# -- periods_between --------------------------------------------------------


def test_periods_between_on_each_quarter_of_2026():
    periods = default_sensitive_periods()

    def quarter(label):
        q = Period.parse(label, as_of=AS_OF)
        return spans(periods_between(periods, q.start, q.end))

    assert quarter("2026Q1") == [
        ("new_year", D(2025, 12, 31), D(2026, 1, 3)),
        ("spring_festival", D(2026, 2, 10), D(2026, 3, 3)),
        ("national_lianghui", D(2026, 3, 1), D(2026, 3, 15)),
    ]
    assert quarter("2026Q2") == []
    assert quarter("2026Q3") == [
        ("bayi", D(2026, 7, 25), D(2026, 8, 5)),
        ("national_day", D(2026, 9, 28), D(2026, 10, 8)),
    ]
    assert quarter("2026Q4") == [
        ("national_day", D(2026, 9, 28), D(2026, 10, 8)),
        ("new_year", D(2026, 12, 31), D(2027, 1, 3)),
    ]


def test_periods_between_across_years_lists_each_occurrence_once():
    found = periods_between(default_sensitive_periods(), D(2026, 12, 1), D(2027, 3, 1))
    assert spans(found) == [
        ("new_year", D(2026, 12, 31), D(2027, 1, 3)),
        ("spring_festival", D(2027, 1, 30), D(2027, 2, 20)),
        ("national_lianghui", D(2027, 3, 1), D(2027, 3, 15)),
    ]


def test_periods_between_refuses_a_reversed_range():
    with pytest.raises(ValidationError):
        periods_between(default_sensitive_periods(), D(2026, 3, 1), D(2026, 2, 1))


def test_an_occurrence_describes_itself_in_both_languages():
    (spring,) = periods_between(default_sensitive_periods(), D(2026, 2, 20), D(2026, 2, 20))
    assert spring.describe().render("zh") == "春节（2026-02-10 至 2026-03-03）"
    assert spring.describe().render("en") == "Spring Festival (2026-02-10 to 2026-03-03)"


# -- configuration ----------------------------------------------------------


def test_provincial_and_city_lianghui_exist_once_configured():
    periods = default_sensitive_periods(
        {
            "province_lianghui": {
                "2026": ("2026-01-20", "2026-01-25"),
                2027: (D(2027, 1, 18), D(2027, 1, 22)),
            },
            "city_lianghui": ("2026-02-26", "2026-03-01"),
        }
    )
    assert [p.id for p in periods][2:5] == ["national_lianghui", "province_lianghui", "city_lianghui"]
    assert [p.name.render("zh") for p in periods][3:5] == ["省两会", "市两会"]
    assert spans(sensitive_on(periods, D(2026, 1, 22))) == [
        ("province_lianghui", D(2026, 1, 20), D(2026, 1, 25))
    ]
    assert ids(sensitive_on(periods, D(2027, 1, 18))) == ["province_lianghui"]
    assert ids(sensitive_on(periods, D(2028, 1, 10))) == []
    assert ids(sensitive_on(periods, D(2026, 3, 1))) == [
        "spring_festival", "city_lianghui", "national_lianghui"
    ]


def test_switching_off_and_changing_a_default():
    periods = default_sensitive_periods(
        {
            "bayi": None,
            "national_day": ("09-25", "10-08"),
            "spring_festival": LunarDates("12-08", "01-15"),  # from 腊八
        }
    )
    assert "bayi" not in [p.id for p in periods]
    assert sensitive_on(periods, D(2026, 8, 1)) == []
    assert ids(sensitive_on(periods, D(2026, 9, 25))) == ["national_day"]
    assert spans(sensitive_on(periods, D(2026, 1, 26))) == [
        ("spring_festival", D(2026, 1, 26), D(2026, 3, 3))
    ]


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"bayii": None}, ["bayii", "bayi", "new_year"]),
        ({"bayi": ("07-25", "13-01")}, ["bayi", "13-01"]),
        ({"new_year": ("12-31", "02-29")}, ["new_year", "02-29"]),
        ({"province_lianghui": {"2026": ("2027-01-20", "2027-01-25")}}, ["province_lianghui", "2026", "2027-01-20"]),
        ({"province_lianghui": {"2026": ("2026-01-25", "2026-01-20")}}, ["2026-01-25", "2026-01-20"]),
        ({"city_lianghui": "2026-01-20"}, ["city_lianghui", "2026-01-20"]),
        ({"city_lianghui": {"2026": ("2026-01-20",)}}, ["city_lianghui"]),
        ({"city_lianghui": ("2026-01-20", "2026-13-01")}, ["2026-13-01"]),
    ],
)
def test_bad_configuration_is_refused_naming_the_period(config, words):
    with pytest.raises(ConfigurationError) as e:
        default_sensitive_periods(config)
    for lang in ("zh", "en"):
        text = e.value.message.render(lang)
        assert all(w in text for w in words), text


def test_a_period_needs_an_id_a_bilingual_name_and_a_rule():
    with pytest.raises(ValidationError):
        period("local.x", object())
    with pytest.raises(ValidationError):
        period(" ", FixedDates("05-01", "05-05"))
    with pytest.raises(TypeError):
        SensitivePeriod(id="local.x", name="县两会", rule=FixedDates("05-01", "05-05"))


def test_any_object_with_ranges_is_a_rule():
    class FirstWeekOfMay:
        def ranges(self, year):
            return [(D(year, 5, 1), D(year, 5, 7))]

    local = period("local.may", FirstWeekOfMay(), "五一", "May Day week")
    assert spans(sensitive_on([local], D(2026, 5, 3))) == [("local.may", D(2026, 5, 1), D(2026, 5, 7))]


# -- plugins ----------------------------------------------------------------


class Baota:
    @hookimpl
    def vetservice_register_sensitive_periods(self):
        return [
            period(
                "baota.lianghui",
                DatesByYear({"2026": ("2026-01-10", "2026-01-14")}),
                "宝塔区两会",
                "Baota district Two Sessions",
            )
        ]


class AlsoBaota:
    @hookimpl
    def vetservice_register_sensitive_periods(self):
        return [period("baota.lianghui", FixedDates("01-10", "01-14"))]


class OwnBayi:
    @hookimpl
    def vetservice_register_sensitive_periods(self):
        return [period("bayi", FixedDates("07-20", "08-05"), "八一", "Army Day")]


class Broken:
    @hookimpl
    def vetservice_register_sensitive_periods(self):
        return ["2026-05-01"]


def test_the_built_in_plugin_contributes_the_defaults():
    assert calendar_builtin.hookimpl.project_name == hookspecs.PROJECT
    periods = collect_sensitive_periods(make_plugins())
    assert periods == default_sensitive_periods()


def test_a_plugin_adds_a_local_period_and_configuration_applies_to_it():
    periods = collect_sensitive_periods(make_plugins(Baota()))
    assert [p.id for p in periods][-1] == "baota.lianghui"
    assert spans(sensitive_on(periods, D(2026, 1, 12))) == [
        ("baota.lianghui", D(2026, 1, 10), D(2026, 1, 14))
    ]
    moved = collect_sensitive_periods(
        make_plugins(Baota()),
        {"baota.lianghui": {"2027": ("2027-01-08", "2027-01-12")}, "new_year": None},
    )
    assert ids(periods_between(moved, D(2026, 12, 1), D(2027, 1, 31))) == [
        "baota.lianghui", "spring_festival"
    ]


@pytest.mark.parametrize(
    ("plugins", "first", "second"),
    [((Baota(), AlsoBaota()), "Baota", "AlsoBaota"), ((OwnBayi(),), "vetservice.builtin", "OwnBayi")],
)
def test_a_duplicate_id_is_refused_as_the_later_plugins_failure(plugins, first, second):
    """The built-in (else the first plugin) keeps the id; the other plugin's
    period is refused, named, and nothing else is lost."""
    registry = make_plugins(*plugins)
    periods = collect_sensitive_periods(registry)
    kept = {p.id: p for p in periods}
    defaults = {p.id: p for p in default_sensitive_periods()}
    assert set(kept) - set(defaults) == ({"baota.lianghui"} if first == "Baota" else set())
    if first == "Baota":  # Baota's dates, not AlsoBaota's every year
        assert kept["baota.lianghui"].name.zh == "宝塔区两会"
    else:  # the built-in 八一 period, not OwnBayi's
        assert kept["bayi"] == defaults["bayi"]
    [failure] = registry.failures
    assert failure.plugin.rsplit(".", 1)[-1] == second
    assert failure.hook == "vetservice_register_sensitive_periods"
    assert first in failure.error and second in failure.error
    assert failure.error.index(first) < failure.error.index(second)


@pytest.mark.parametrize(
    ("plugins", "first", "second"),
    [((Baota(), AlsoBaota()), "Baota", "AlsoBaota"), ((OwnBayi(),), "vetservice.builtin", "OwnBayi")],
)
def test_strict_plugins_refuse_a_duplicate_id_naming_both(plugins, first, second):
    with pytest.raises(PluginContractError) as e:
        collect_sensitive_periods(make_plugins(*plugins, strict=True))
    text = str(e.value)
    assert first in text and second in text
    assert text.index(first) < text.index(second)
    assert "被注册了两次" in e.value.message.render("zh")


def test_a_plugin_returning_something_else_is_recorded_as_a_failure():
    plugins = make_plugins(Broken())
    periods = collect_sensitive_periods(plugins)
    assert [p.id for p in periods] == [p.id for p in default_sensitive_periods()]
    assert [(f.plugin.rsplit(".", 1)[-1], f.hook) for f in plugins.failures] == [
        ("Broken", "vetservice_register_sensitive_periods")
    ]
