"""延长县 plugin: the county's township 考核 sheet and its own sensitive period.

- ``yanchang.township_annual`` (``township_annual.yaml``): the county bureau's
  annual assessment of its townships and streets, every item drawn from the
  built-in indicators.
- ``yanchang.county_lianghui``: the county's own 两会, a sensitive period for
  延长县's units only; its dates are set each year by the county (示例日期).
"""

from __future__ import annotations

from pathlib import Path

import vetservice as vs
from vetservice.calendar import DatesByYear, SensitivePeriod
from vetservice.i18n import Bilingual
from vetservice.scoring import ScoringSheet, load_sheet

YANCHANG = "610621000000"
SHEET = Path(__file__).with_name("township_annual.yaml")


@vs.hookimpl
def vetservice_register_scoring_sheets() -> list[ScoringSheet]:
    return [load_sheet(SHEET)]


# 县两会的日期每年由县委办通知；这里是示例日期，按通知修改或增加年份。
COUNTY_LIANGHUI = SensitivePeriod(
    id="yanchang.county_lianghui",
    name=Bilingual("延长县两会", "Yanchang county Two Sessions"),
    rule=DatesByYear(
        {
            "2026": ("2026-01-06", "2026-01-09"),
            "2027": ("2027-01-12", "2027-01-15"),
        }
    ),
    scope=(YANCHANG,),
)


@vs.hookimpl
def vetservice_register_sensitive_periods() -> list[SensitivePeriod]:
    return [COUNTY_LIANGHUI]
