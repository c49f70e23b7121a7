"""Built-in indicators of one area (being written)."""

from __future__ import annotations

from collections.abc import Iterable

from vetservice.hookspecs import hookimpl
from vetservice.indicators.model import Indicator

INDICATORS: tuple[Indicator, ...] = ()


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
