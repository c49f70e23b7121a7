"""A correct county plugin: the number of villages, for 宝塔区 only."""

import vetservice as vs
from vetservice.indicators import Area, Kind, facts, indicator
from vetservice.store import TABLES

units = TABLES["units"]


@indicator(
    "good.villages",
    area=Area.ENVIRONMENT,
    kind=Kind.COUNT,
    name=("村（社区）数", "villages"),
    rule=("宝塔区的村和社区", "villages of 宝塔区"),
    scope=("610602000000",),
)
def villages(ctx):
    return facts(units.c.code, count=True).where(units.c.level == "village")


@vs.hookimpl
def vetservice_register_indicators():
    return [villages]
