"""A cross-record check whose query cannot be built (a typo in a column)."""

import vetservice as vs
from vetservice.imports.checks import Check
from vetservice.store import TABLES

veterans = TABLES["veterans"]


def query():
    return veterans.c.phone_number  # no such column: AttributeError


@vs.hookimpl
def vetservice_register_checks():
    return [Check("broken.phone", "veterans", "没有电话", query)]
