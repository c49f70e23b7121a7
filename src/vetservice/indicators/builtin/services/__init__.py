"""服务保障 — social insurance, hardship, employment, care funds, benefits,
placement and professional home services (seed §4).

One plugin; a module per topic, in the order of indicators.md. Rows keyed
by an id number are placed in that veteran's (or benefit recipient's) unit;
care-fund entries in the fund's county. Money numerators are integer fen.
"""

from __future__ import annotations

from collections.abc import Iterable

from vetservice.indicators.builtin.services import (
    benefits,
    care_fund,
    employment,
    home_services,
    placement,
    social,
)
from vetservice.indicators.model import Indicator
from vetservice.markers import hookimpl

INDICATORS: tuple[Indicator, ...] = (
    *social.INDICATORS,
    *employment.INDICATORS,
    *care_fund.INDICATORS,
    *benefits.INDICATORS,
    *placement.INDICATORS,
    *home_services.INDICATORS,
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
