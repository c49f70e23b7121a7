"""A hook wrapper: vetservice collects items plugin by plugin, so it is refused."""

import vetservice as vs


@vs.hookimpl(wrapper=True)
def vetservice_register_indicators():
    return (yield)
