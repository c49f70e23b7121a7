"""A sensitive period whose scope lost its comma: the characters of a code."""

import vetservice as vs
from vetservice.calendar import FixedDates, SensitivePeriod
from vetservice.i18n import Bilingual


@vs.hookimpl
def vetservice_register_sensitive_periods():
    return [
        SensitivePeriod(
            id="period.chars",
            name=Bilingual("纪念日", "memorial days"),
            rule=FixedDates("10-15", "10-22"),
            scope=tuple("610602000000"),
        )
    ]
