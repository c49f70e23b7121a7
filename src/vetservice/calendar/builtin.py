"""The built-in plugin contributing the default sensitive periods (敏感时期).

It implements ``vetservice_register_sensitive_periods`` exactly as a county
plugin does. Configuration (the province's and the city's 两会, a switched-off
default) is applied to what every plugin contributed by
:func:`vetservice.calendar.collect_sensitive_periods`.
"""

from __future__ import annotations

from collections.abc import Iterable

from vetservice.calendar.sensitive import SensitivePeriod, default_sensitive_periods
from vetservice.markers import hookimpl


@hookimpl
def vetservice_register_sensitive_periods() -> Iterable[SensitivePeriod]:
    return default_sensitive_periods()
