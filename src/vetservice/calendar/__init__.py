"""Calendar: reporting periods, legal deadlines and sensitive periods."""

from vetservice.calendar.periods import Month, Period, today_in_china
from vetservice.calendar.sensitive import (
    DatesByYear,
    FixedDates,
    LunarDates,
    Rule,
    SensitiveOccurrence,
    SensitivePeriod,
    collect_sensitive_periods,
    configure_sensitive_periods,
    default_sensitive_periods,
    load_sensitive_config,
    periods_between,
    sensitive_on,
)

__all__ = [
    "DatesByYear",
    "FixedDates",
    "LunarDates",
    "Month",
    "Period",
    "Rule",
    "SensitiveOccurrence",
    "SensitivePeriod",
    "collect_sensitive_periods",
    "configure_sensitive_periods",
    "default_sensitive_periods",
    "load_sensitive_config",
    "periods_between",
    "sensitive_on",
    "today_in_china",
]
