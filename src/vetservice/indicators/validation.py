"""A plugin's indicators and overrides checked before any figure is shown.

Every mistake becomes a :class:`~vetservice.errors.PluginContractError` (or
a message) naming what is wrong and how to fix it; the registry refuses the
item alone and records a failure of its plugin, so nothing else is stopped.

- :func:`indicator_problems`: scope codes that are not unit codes, targets
  outside their kind's range (a ratio's target is a fraction: 0.8, or
  ``Target.percent(">=", 80)``, never 80).
- :func:`override_problems`: overrides naming unknown indicators or
  parameters, units that are not codes, targets outside the range.
- :func:`checked_reason`: a reason that returns a Message.
- :func:`checked_facts`: the facts a SELECT with ``unit_code``,
  ``numerator`` and ``denominator``, the two counts numeric by their SQL
  type (so SQLite cannot sum a text column to 0 while PostgreSQL refuses it).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.domain.values import is_unit_code, scope_problem
from vetservice.errors import PluginContractError
from vetservice.i18n import N_, Message
from vetservice.indicators.model import Context, Indicator, Kind, Override, Target
from vetservice.store.history import as_of

REQUIRED_COLUMNS = ("unit_code", "numerator", "denominator")


def target_problem(indicator: Indicator, target: Target | None) -> Message | None:
    """Why a target does not fit the indicator's kind, or None."""
    if target is None:
        return None
    value = float(target.value)
    if indicator.kind in (Kind.COMPLIANCE, Kind.RATIO) and not 0 <= value <= 1:
        return Message(
            N_(
                "target {value} of {id} is not a fraction: a {kind} target lies "
                "between 0 and 1; for {value}% write Target('{op}', {fraction}) "
                "or Target.percent('{op}', {value})"
            ),
            {
                "value": f"{value:g}",
                "id": indicator.id,
                "kind": indicator.kind,
                "op": target.op,
                "fraction": f"{value / 100:g}",
            },
        )
    if value < 0:
        return Message(
            N_("target {value} of {id} is below 0: a {kind} cannot be negative"),
            {"value": f"{value:g}", "id": indicator.id, "kind": indicator.kind},
        )
    return None


def indicator_problems(indicator: Indicator) -> list[Message]:
    """What is wrong with an indicator's declaration (empty if nothing)."""
    scope = scope_problem(indicator.id, indicator.scope)
    problems = [scope] if scope is not None else []
    target = target_problem(indicator, indicator.target)
    if target is not None:
        problems.append(target)
    return problems


def override_problems(
    override: Override, indicators: Mapping[str, tuple[str, Indicator]]
) -> list[Message]:
    """What is wrong with an override, given the indicators loaded."""
    found = indicators.get(override.indicator)
    if found is None:
        near = difflib.get_close_matches(override.indicator, indicators, n=1)
        return [
            Message(
                N_("override for {id}: no such indicator (did you mean {near}?)"),
                {"id": override.indicator, "near": near[0] if near else "-"},
            )
        ]
    indicator = found[1]
    problems = []
    if not is_unit_code(override.unit):
        problems.append(
            Message(
                N_("override for {id}: unit {unit} is not a unit code"),
                {"id": override.indicator, "unit": repr(override.unit)},
            )
        )
    unknown = [p for p in override.parameters if p not in indicator.parameters]
    if unknown:
        problems.append(
            Message(
                N_(
                    "override for {id}: {names} is no parameter of it; "
                    "its parameters are: {known}"
                ),
                {
                    "id": override.indicator,
                    "names": "、".join(unknown),
                    "known": "、".join(indicator.parameters) or "-",
                },
            )
        )
    if not override.parameters and override.target is None:
        problems.append(
            Message(
                N_("override for {id} changes nothing: give parameters or a target"),
                {"id": override.indicator},
            )
        )
    target = target_problem(indicator, override.target)
    if target is not None:
        problems.append(target)
    return problems


def _numeric(column: sa.ColumnElement[Any]) -> bool:
    kind = column.type
    # NullType: a literal_column or a function SQLAlchemy cannot type; the
    # database decides, as it does for the built-ins' sums of CASE values.
    return isinstance(kind, sa.Integer | sa.Numeric | sa.types.NullType) and not (
        isinstance(kind, sa.Boolean)
    )


def checked_facts(indicator: Indicator, ctx: Context) -> sa.Select[Any]:
    """The indicator's facts, refused when they break the contract, reading
    the state ledgers as they stood at the period's end."""
    built = indicator.facts(ctx)
    if not isinstance(built, sa.Select):
        raise PluginContractError(
            N_(
                "the facts of {id} are {got}, not a SELECT: return "
                "facts(unit, …) or sa.select(…) with the columns unit_code, "
                "numerator and denominator"
            ),
            id=indicator.id,
            got=type(built).__name__,
        )
    columns = {c.key: c for c in built.selected_columns}
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise PluginContractError(
            N_(
                "the facts of {id} lack the columns {columns}: label them, "
                "or build the query with facts(unit, …)"
            ),
            id=indicator.id,
            columns="、".join(missing),
        )
    for name in ("numerator", "denominator"):
        column = columns[name]
        if not _numeric(column):
            raise PluginContractError(
                N_(
                    "the {column} of {id} is {type}, not a number: count with "
                    "met=…, count=… or a numeric column (SQLite would sum text "
                    "as 0, PostgreSQL refuses it)"
                ),
                column=name,
                id=indicator.id,
                type=str(column.type),
            )
    # Past periods read the state ledgers as they stood at E (台账的历史).
    return as_of(built, ctx.end, ctx.dated)


def checked_reason(indicator: Indicator, row: Mapping[str, Any]) -> Message:
    """The reason a fact falls short, refused unless it is a Message (a
    reason returning None or a str would break every report format)."""
    assert indicator.reason is not None
    reason = indicator.reason(row)
    if not isinstance(reason, Message):
        raise PluginContractError(
            N_(
                "the reason of {id} returned {got}, not a Message: return "
                "Message('{{reason}}', {{'reason': Bilingual('…', '…')}})"
            ),
            id=indicator.id,
            got=type(reason).__name__,
        )
    return reason
