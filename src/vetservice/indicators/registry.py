"""Collect indicators and overrides from the plugins, checking the contract."""

from __future__ import annotations

from vetservice.errors import DuplicateIndicatorError
from vetservice.i18n import N_
from vetservice.indicators.model import Indicator, Override
from vetservice.plugins import Plugins

Registry = dict[str, tuple[str, Indicator]]


def collect_indicators(plugins: Plugins) -> Registry:
    """id → (plugin, indicator), in registration order; duplicate ids are refused."""
    return plugins.collect_by_id(
        "vetservice_register_indicators",
        Indicator,
        N_("indicator {id} is registered twice: by {first} and by {second}"),
        DuplicateIndicatorError,
    )


def collect_overrides(plugins: Plugins) -> list[Override]:
    return list(plugins.collect("vetservice_register_overrides", Override))
