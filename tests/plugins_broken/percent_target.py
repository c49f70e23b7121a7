"""A ratio's target written as 80 (meant: 80%), which would show as 8000%."""

import vetservice as vs
from vetservice.indicators import Area, Kind, Target, facts, indicator
from vetservice.store import TABLES

veterans = TABLES["veterans"]


@indicator(
    "target.eighty",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("党员比例", "party members"),
    rule=("退役军人中党员的比例", "share of party members"),
    target=Target(">=", 80),
)
def eighty(ctx):
    return facts(veterans.c.unit_code, met=veterans.c.party_member.is_(True))


@vs.hookimpl
def vetservice_register_indicators():
    return [eighty]
