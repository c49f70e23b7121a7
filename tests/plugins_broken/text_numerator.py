"""A text column as the numerator: SQLite would sum it as 0."""

import vetservice as vs
from vetservice.indicators import Area, Kind, facts, indicator
from vetservice.store import TABLES

veterans = TABLES["veterans"]


@indicator(
    "facts.text",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("文字分子", "text numerator"),
    rule=("分子是姓名", "numerator is a name"),
)
def text(ctx):
    return facts(veterans.c.unit_code, numerator=veterans.c.name)


@vs.hookimpl
def vetservice_register_indicators():
    return [text]
