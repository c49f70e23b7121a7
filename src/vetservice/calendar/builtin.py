"""The built-in plugin contributing the default sensitive periods (敏感时期).

It implements ``vetservice_register_sensitive_periods`` exactly as a county
plugin does. Configuration (the province's and the city's 两会, a switched-off
default) is applied to what every plugin contributed by
:func:`vetservice.calendar.collect_sensitive_periods`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from vetservice.calendar.sensitive import SensitivePeriod, default_sensitive_periods

# The calendar layer sits below the plugin manager and imports only
# vetservice.errors and vetservice.i18n (tests/test_architecture.py), so it
# cannot import vetservice.hookimpl. A marker is nothing but the project name
# ("vetservice", vetservice.hookspecs.PROJECT), so this one marks the same
# hooks; a test checks that the two names agree.
hookimpl = pluggy.HookimplMarker("vetservice")


@hookimpl
def vetservice_register_sensitive_periods() -> Iterable[SensitivePeriod]:
    return default_sensitive_periods()
