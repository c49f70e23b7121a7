"""Collect indicators and overrides from the plugins, checking the contract.

A plugin's item that breaks the contract (an id a built-in or an earlier
plugin holds, a scope that is no unit code, a target outside its kind's
range, an override of an unknown indicator or parameter) is refused alone
and recorded as a failure of that plugin (see
:mod:`vetservice.indicators.validation`); ``strict`` raises instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.errors import DuplicateIndicatorError
from vetservice.i18n import N_
from vetservice.indicators.model import Indicator, Override
from vetservice.indicators.validation import indicator_problems, override_problems
from vetservice.plugins import Failure, Plugins
from vetservice.store import reading, unit_closure

Registry = dict[str, tuple[str, Indicator]]

INDICATORS_HOOK = "vetservice_register_indicators"
OVERRIDES_HOOK = "vetservice_register_overrides"


def collect_indicators(plugins: Plugins) -> Registry:
    """id → (plugin, indicator), in registration order; an id already taken
    (built-ins win) or a broken declaration refuses that indicator alone."""
    found = plugins.collect_by_id(
        INDICATORS_HOOK,
        Indicator,
        N_("indicator {id} is registered twice: by {first} and by {second}"),
        DuplicateIndicatorError,
    )
    registry: Registry = {}
    for indicator_id, (plugin, indicator) in found.items():
        problems = indicator_problems(indicator)
        for problem in problems:
            plugins.fail(
                Failure(plugin, INDICATORS_HOOK, problem.render(), indicator_id)
            )
        if not problems:
            registry[indicator_id] = (plugin, indicator)
    return registry


def collect_plugin_overrides(
    plugins: Plugins, registry: Registry | None = None
) -> list[tuple[str, Override]]:
    """(plugin, override) for every override that names a loaded indicator,
    its parameters and a unit code; the others are refused and named."""
    registry = collect_indicators(plugins) if registry is None else registry
    kept = []
    for plugin, override in plugins.collect(
        OVERRIDES_HOOK, Override, lambda name, item: (name, item)
    ):
        problems = override_problems(override, registry)
        for problem in problems:
            plugins.fail(
                Failure(plugin, OVERRIDES_HOOK, problem.render(), override.indicator)
            )
        if not problems:
            kept.append((plugin, override))
    return kept


def collect_overrides(plugins: Plugins) -> list[Override]:
    return [override for _, override in collect_plugin_overrides(plugins)]


def for_unit(registry: Registry, engine: Engine, unit: str) -> Registry:
    """The indicators a report of ``unit`` shows: every unscoped one, and a
    plugin's scoped one only when ``unit`` lies inside its scope or above it
    (then with coverage); another county's report never lists it as 无数据.
    One statement, whatever the number of plugins."""
    scopes = {code for _, i in registry.values() for code in i.scope}
    if not scopes:
        return registry
    closure = unit_closure
    with reading(engine) as conn:
        related = {
            code
            for (code,) in conn.execute(
                sa.select(
                    sa.case(
                        (closure.c.descendant == unit, closure.c.ancestor),
                        else_=closure.c.descendant,
                    )
                ).where(
                    sa.or_(
                        sa.and_(
                            closure.c.ancestor.in_(scopes),
                            closure.c.descendant == unit,
                        ),
                        sa.and_(
                            closure.c.ancestor == unit,
                            closure.c.descendant.in_(scopes),
                        ),
                    )
                )
            )
        }
    return {
        k: (plugin, i)
        for k, (plugin, i) in registry.items()
        if not i.scope or related.intersection(i.scope)
    }
