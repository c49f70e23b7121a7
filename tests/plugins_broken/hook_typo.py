"""A misspelled hook name (indicator, not indicators)."""

import vetservice as vs


@vs.hookimpl
def vetservice_register_indicator():
    return []
