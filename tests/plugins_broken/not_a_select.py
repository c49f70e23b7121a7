"""Facts that are SQL text, not a SELECT."""

import vetservice as vs
from vetservice.indicators import Area, Kind, indicator


@indicator(
    "facts.text_sql",
    area=Area.ACTIVITIES,
    kind=Kind.COUNT,
    name=("一段 SQL", "raw SQL"),
    rule=("字符串", "a string"),
)
def raw(ctx):
    return "SELECT unit_code, 1 AS numerator, 0 AS denominator FROM veterans"


@vs.hookimpl
def vetservice_register_indicators():
    return [raw]
