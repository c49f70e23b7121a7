"""Facts a database chokes on, quoting the value: a name. PostgreSQL refuses
CAST(name AS INTEGER) with the name in its message; on SQLite the cast gives
0 and the date read from the name fails, quoting it, when the gap list is
listed."""

import sqlalchemy as sa

import vetservice as vs
from vetservice.i18n import Message
from vetservice.indicators import AT_LEAST_ALL, Area, Kind, facts, indicator
from vetservice.store import TABLES

veterans = TABLES["veterans"]


@indicator(
    "quoted.name",
    area=Area.ACTIVITIES,
    kind=Kind.COMPLIANCE,
    name=("姓名当数字", "a name as a number"),
    rule=("姓名转成数字大于 0", "the name as a number is above 0"),
    target=AT_LEAST_ALL,
    reason=lambda row: Message("{born}", {"born": row["born"]}),
)
def as_number(ctx):
    return facts(
        veterans.c.unit_code,
        sa.type_coerce(veterans.c.name, sa.Date).label("born"),
        met=sa.cast(veterans.c.name, sa.Integer) > 0,
    )


@vs.hookimpl
def vetservice_register_indicators():
    return [as_number]
