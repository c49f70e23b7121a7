"""An indicator id a built-in holds, next to one of its own that is fine."""

import vetservice as vs
from vetservice.indicators import Area, Kind, facts, indicator
from vetservice.store import TABLES

units = TABLES["units"]


def _count(ctx):
    return facts(units.c.code, count=True)


clash = indicator(
    "env.elements",
    area=Area.ENVIRONMENT,
    kind=Kind.COUNT,
    name=("重复的编号", "a taken id"),
    rule=("与内置指标同号", "same id as a built-in"),
)(_count)
own = indicator(
    "dup.units",
    area=Area.ENVIRONMENT,
    kind=Kind.COUNT,
    name=("单位数", "units"),
    rule=("全部单位", "every unit"),
)(_count)


@vs.hookimpl
def vetservice_register_indicators():
    return [clash, own]
