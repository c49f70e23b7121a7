"""The breakdown: each indicator summed by the kind of station its facts belong to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vetservice.calendar import Period
from vetservice.i18n import N_
from vetservice.indicators.engine import scoped_facts, units_table
from vetservice.indicators.model import Context, Indicator, Override
from vetservice.indicators.results import GroupFigure
from vetservice.store import reading, unit_closure
from vetservice.store.history import dated_ledgers

# Station kinds of the breakdown: (level, unit kinds) → group label.
STATION_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (N_("county centres"), "county", ()),
    (N_("streets"), "township", ("street",)),
    (N_("townships"), "township", ()),
    (N_("communities"), "village", ("community",)),
    (N_("villages"), "village", ()),
)


def _station_group(level: str, kind: str | None) -> str | None:
    for label, group_level, kinds in STATION_GROUPS:
        if level == group_level and (not kinds or kind in kinds):
            return label
    return None


def breakdown(
    engine: Engine,
    indicators: Mapping[str, tuple[str, Indicator]],
    *,
    unit: str,
    period: Period,
    overrides: Sequence[Override] = (),
) -> dict[str, list[GroupFigure]]:
    """Each indicator summed by the kind of unit its facts belong to, within ``unit``.

    One statement per indicator: the facts joined to their unit's level and
    kind, grouped. Shows at a glance whether townships and villages lag.
    """
    result: dict[str, list[GroupFigure]] = {}
    with reading(engine) as conn:
        dated = dated_ledgers(conn, period.end)
        for indicator_id, (_plugin, indicator) in indicators.items():
            ctx = Context(
                period, indicator.id, indicator.parameters, tuple(overrides), dated
            )
            facts = scoped_facts(indicator, ctx)
            up = unit_closure.alias("up")
            try:
                with conn.begin_nested():
                    rows = conn.execute(
                        sa.select(
                            units_table.c.level,
                            units_table.c.kind,
                            sa.func.coalesce(sa.func.sum(facts.c.numerator), 0),
                            sa.func.coalesce(sa.func.sum(facts.c.denominator), 0),
                        )
                        .join(up, up.c.descendant == facts.c.unit_code)
                        .join(units_table, units_table.c.code == facts.c.unit_code)
                        .where(up.c.ancestor == unit)
                        .group_by(units_table.c.level, units_table.c.kind)
                    ).all()
            except Exception:
                continue  # the report already lists the indicator as failed
            sums: dict[str, list[int]] = {}
            for level, kind, num, den in rows:
                group = _station_group(level, kind)
                if group is not None:
                    total = sums.setdefault(group, [0, 0])
                    total[0] += int(num or 0)
                    total[1] += int(den or 0)
            figures = []
            for label, _level, _kinds in STATION_GROUPS:
                if label in sums:
                    num, den = sums[label]
                    figures.append(
                        GroupFigure(label, num, den, num / den if den else None)
                    )
            result[indicator_id] = figures
    return result
