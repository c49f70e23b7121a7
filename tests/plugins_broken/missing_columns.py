"""Facts without a denominator column."""

import sqlalchemy as sa

import vetservice as vs
from vetservice.indicators import Area, Kind, indicator
from vetservice.store import TABLES

veterans = TABLES["veterans"]


@indicator(
    "facts.no_denominator",
    area=Area.ACTIVITIES,
    kind=Kind.COUNT,
    name=("缺列", "missing column"),
    rule=("没有分母", "no denominator"),
)
def partial(ctx):
    return sa.select(veterans.c.unit_code, sa.literal(1).label("numerator"))


@vs.hookimpl
def vetservice_register_indicators():
    return [partial]
