"""A reason returning a str, not a Message: every report format would break."""

import vetservice as vs
from vetservice.indicators import AT_LEAST_ALL, Area, Kind, facts, indicator
from vetservice.store import TABLES

veterans = TABLES["veterans"]


@indicator(
    "reason.text",
    area=Area.ACTIVITIES,
    kind=Kind.COMPLIANCE,
    name=("留有电话", "phone on file"),
    rule=("退役军人都留有电话", "every veteran has a phone on file"),
    target=AT_LEAST_ALL,
    reason=lambda row: "没有电话",
)
def phones(ctx):
    return facts(veterans.c.unit_code, met=veterans.c.phone.is_not(None))


@vs.hookimpl
def vetservice_register_indicators():
    return [phones]
