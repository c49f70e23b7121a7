"""A scope that is not unit codes: the characters of one code."""

import vetservice as vs
from vetservice.indicators import Area, Kind, facts, indicator
from vetservice.store import TABLES

units = TABLES["units"]


@indicator(
    "scope.chars",
    area=Area.ENVIRONMENT,
    kind=Kind.COUNT,
    name=("单位数", "units"),
    rule=("全部单位", "every unit"),
    scope=tuple("610602000000"),
)
def chars(ctx):
    return facts(units.c.code, count=True)


@vs.hookimpl
def vetservice_register_indicators():
    return [chars]
