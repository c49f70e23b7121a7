"""A correct cross-record check whose message names the veteran and the
phone: masked in the findings by where the values come from."""

import sqlalchemy as sa

import vetservice as vs
from vetservice.imports.checks import Check
from vetservice.store import TABLES

veterans = TABLES["veterans"]


def query():
    return sa.select(
        veterans.c.id_number, veterans.c.name.label("who"), veterans.c.phone
    ).order_by(veterans.c.id_number)


@vs.hookimpl
def vetservice_register_checks():
    return [Check("names.listed", "veterans", "{who} {phone}", query, ("who", "phone"))]
