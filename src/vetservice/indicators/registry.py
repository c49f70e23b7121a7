"""Collect indicators and overrides from the plugins, checking the contract.

A plugin's item that breaks the contract (an id a built-in or an earlier
plugin holds, a scope that is no unit code, a target outside its kind's
range, an override of an unknown indicator or parameter) is refused alone
and recorded as a failure of that plugin (see
:mod:`vetservice.indicators.validation`); ``strict`` raises instead.
"""

from __future__ import annotations

import re

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.errors import DuplicateIndicatorError
from vetservice.i18n import N_, Bilingual, Message
from vetservice.indicators.model import Indicator, Override
from vetservice.indicators.validation import indicator_problems, override_problems
from vetservice.plugins import Failure, Plugins
from vetservice.store import TABLES, reading, unit_closure

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


def for_unit(
    registry: Registry, engine: Engine, unit: str, plugins: Plugins | None = None
) -> Registry:
    """The indicators a report of ``unit`` shows, as they apply there.

    A plugin's scoped indicator only when ``unit`` lies inside its scope or
    above it (then with coverage): another county's report never lists it
    as 无数据. With ``plugins``, an indicator a plugin's override changes at
    or under ``unit`` carries the local standard in its rule (the value in
    force, "本地标准：…（plugin）"), so gap-list headings and the report show
    the effective value. One statement, whatever the number of plugins.
    """
    overrides = collect_plugin_overrides(plugins, registry) if plugins else []
    scopes = {code for _, i in registry.values() for code in i.scope}
    codes = scopes | {o.unit for _, o in overrides}
    if not codes:
        return registry
    with reading(engine) as conn:
        related = _related(conn, unit, codes)
    kept = {
        k: (plugin, i)
        for k, (plugin, i) in registry.items()
        if not i.scope or any(c in related for c in i.scope)
    }
    for indicator_id, (plugin, i) in kept.items():
        local = [(p, o, related[o.unit]) for p, o in overrides if o.unit in related]
        local = [entry for entry in local if entry[1].indicator == indicator_id]
        if local:
            kept[indicator_id] = (plugin, localized(i, local))
    return kept


def _related(conn: Connection, unit: str, codes: set[str]) -> dict[str, Related]:
    """Of ``codes``, those at or above ``unit`` (depth ≤ 0, nearest 0) and
    those below it (depth > 0), with their names."""
    closure = unit_closure
    units = TABLES["units"]
    above = sa.and_(closure.c.ancestor.in_(codes), closure.c.descendant == unit)
    below = sa.and_(closure.c.ancestor == unit, closure.c.descendant.in_(codes))
    other = sa.case(
        (closure.c.descendant == unit, closure.c.ancestor), else_=closure.c.descendant
    )
    rows = conn.execute(
        sa.select(
            other,
            sa.case(
                (closure.c.descendant == unit, -closure.c.depth), else_=closure.c.depth
            ),
            units.c.name,
        )
        .join(units, units.c.code == other)
        .where(sa.or_(above, below))
    )
    return {code: Related(int(depth), name) for code, depth, name in rows}


@attrs.frozen
class Related:
    depth: int  # ≤ 0: at or above the report's unit (0 itself); > 0 below
    name: str


def localized(
    indicator: Indicator, local: list[tuple[str, Override, Related]]
) -> Indicator:
    """The indicator with the local standards of ``local`` in its rule: the
    nearest override at or above the unit replaces the rule's values; those
    below are named after it."""
    in_force = sorted((e for e in local if e[2].depth <= 0), key=lambda e: -e[2].depth)
    below = sorted((e for e in local if e[2].depth > 0), key=lambda e: e[2].name)
    texts = {}
    for lang in ("zh", "en"):
        text = indicator.rule.render(lang)
        if in_force:
            plugin, override, _ = in_force[0]
            text = Message(
                N_("local standard: {rule} ({plugin})"),
                {
                    "rule": with_values(indicator, override, text, lang),
                    "plugin": plugin,
                },
            ).render(lang)
        for plugin, override, where in below:
            text = Message(
                N_("{rule}; {unit}: {local} ({plugin})"),
                {
                    "rule": text,
                    "unit": where.name,
                    "local": with_values(
                        indicator, override, indicator.rule.render(lang), lang
                    ),
                    "plugin": plugin,
                },
            ).render(lang)
        texts[lang] = text
    return attrs.evolve(indicator, rule=Bilingual(texts["zh"], texts["en"]))


def with_values(indicator: Indicator, override: Override, text: str, lang: str) -> str:
    """The rule's text with the override's parameters and target in it: a
    ``{name}`` placeholder or the default's number written once in the text
    is replaced; otherwise the value is added after the text."""
    for name, value in override.parameters.items():
        default = indicator.parameters.get(name)
        number = re.compile(rf"(?<![\d.]){re.escape(str(default))}(?![\d.])")
        if "{" + name + "}" in text:
            text = text.replace("{" + name + "}", str(value))
        elif default is not None and len(number.findall(text)) == 1:
            text = number.sub(str(value), text)
        else:
            text = Message(
                N_("{rule}, {name} = {value}"),
                {"rule": text, "name": name, "value": value},
            ).render(lang)
    if override.target is not None:
        text = Message(
            N_("{rule}, target {target}"),
            {"rule": text, "target": override.target.describe(indicator.kind)},
        ).render(lang)
    return text
