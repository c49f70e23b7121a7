"""Drill-through of veterans' names, id numbers and phones, declaring no pii;
its reason puts the name and the id number into the gap list."""

import vetservice as vs
from vetservice.i18n import Message
from vetservice.indicators import AT_LEAST_ALL, Area, Kind, facts, indicator
from vetservice.store import TABLES

veterans = TABLES["veterans"]


@indicator(
    "leak.phones",
    area=Area.ACTIVITIES,
    kind=Kind.COMPLIANCE,
    name=("留有电话", "phone on file"),
    rule=("退役军人都留有电话", "every veteran has a phone on file"),
    target=AT_LEAST_ALL,
    reason=lambda row: Message(f"{row['who']} {row['card']} 没有电话"),
)
def phones(ctx):
    return facts(
        veterans.c.unit_code,
        veterans.c.name.label("who"),
        veterans.c.id_number.label("card"),
        veterans.c.phone,
        (veterans.c.name + veterans.c.id_number).label("both"),
        met=veterans.c.phone.is_not(None),
    )


@vs.hookimpl
def vetservice_register_indicators():
    return [phones]
