"""A hook taking an argument its specification does not have."""

import vetservice as vs


@vs.hookimpl
def vetservice_register_indicators(db):
    return []
