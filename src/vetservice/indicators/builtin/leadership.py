"""书记第一责任人 — county and township Party secretaries looking into
veterans' work (seed §2, "加强工作力量"); registered with 队伍建设."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.i18n import N_, Message
from vetservice.indicators.builtin.common import COUNTY, TOWNSHIP, T, units
from vetservice.indicators.facts import facts, in_period
from vetservice.indicators.model import AT_LEAST_ALL, Area, Context, Kind, indicator

checks = T["secretary_checks"]


def _no_check(row: Mapping[str, Any]) -> Message:
    return Message(N_("no check by the Party secretary in the period"))


@indicator(
    "lead.secretary_checked",
    area=Area.STAFFING,
    kind=Kind.COMPLIANCE,
    name=("书记过问检查退役军人工作率", "secretaries looking into veterans' work"),
    rule=(
        "县区、乡镇（街道）书记在报告期内至少过问、听取汇报或实地检查退役军人工作一次",
        "the county's or township's Party secretary asked about, was briefed on or"
        " inspected veterans' work at least once in the period",
    ),
    target=AT_LEAST_ALL,
    reason=_no_check,
    source="各级书记要认真履行第一责任人的责任，经常过问、了解和检查退役军人工作情况",
)
def secretary_checked(ctx: Context) -> sa.Select[Any]:
    held = (
        sa.select(
            checks.c.unit_code,
            sa.func.count().label("checks"),
            sa.func.max(checks.c.checked_on).label("last_checked_on"),
        )
        .where(in_period(checks.c.checked_on, ctx))
        .group_by(checks.c.unit_code)
        .subquery("secretary_checks_held")
    )
    return (
        facts(
            units.c.code,
            sa.func.coalesce(held.c.checks, 0).label("checks"),
            held.c.last_checked_on,
            met=held.c.unit_code.is_not(None),
        )
        .select_from(units.outerjoin(held, held.c.unit_code == units.c.code))
        .where(units.c.level.in_([COUNTY, TOWNSHIP]))
    )
