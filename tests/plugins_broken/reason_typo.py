"""A reason reading a column the facts do not have (telephone, not phone)."""

import vetservice as vs
from vetservice.i18n import Message
from vetservice.indicators import AT_LEAST_ALL, Area, Kind, facts, indicator
from vetservice.store import TABLES

veterans = TABLES["veterans"]


@indicator(
    "reason.typo",
    area=Area.ACTIVITIES,
    kind=Kind.COMPLIANCE,
    name=("留有电话", "phone on file"),
    rule=("退役军人都留有电话", "every veteran has a phone on file"),
    target=AT_LEAST_ALL,
    reason=lambda row: Message("{phone}", {"phone": row["telephone"]}),
)
def phones(ctx):
    return facts(
        veterans.c.unit_code,
        veterans.c.name.label("who"),
        veterans.c.phone,
        met=veterans.c.phone.is_not(None),
    )


@vs.hookimpl
def vetservice_register_indicators():
    return [phones]
