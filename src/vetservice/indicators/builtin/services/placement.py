"""服务保障 — placement (安置) of transferred cadres and NCOs, and the
legacy problems of earlier placements."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from vetservice.indicators.builtin.common import T
from vetservice.indicators.builtin.services.rows import ID_PII, veterans, with_veteran
from vetservice.indicators.facts import facts, is_true
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)

placements = T["placements"]


@indicator(
    "placement.placed",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("转业干部和士官安置率", "placements done"),
    rule=(
        "已接收的转业干部和转业士官都已安置",
        "every transferred cadre and NCO received has been placed",
    ),
    target=AT_LEAST_ALL,
    source="要坚持公开公正原则，把符合政策的转业干部和转业士官安置好",
    pii=ID_PII,
)
def placed(ctx: Context) -> sa.Select[Any]:
    pl = placements
    return (
        facts(
            veterans.c.unit_code,
            pl.c.id_number,
            veterans.c.name,
            pl.c.type,
            pl.c.received_on,
            pl.c.placed_on,
            met=pl.c.placed_on <= ctx.end,
        )
        .select_from(with_veteran(pl))
        .where(pl.c.received_on <= ctx.end)
    )


@indicator(
    "placement.legacy_resolved",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("安置遗留问题解决率", "legacy placement problems resolved"),
    rule=("安置遗留问题都已解决", "every legacy placement problem has been resolved"),
    target=AT_LEAST_ALL,
    source="要克服新官不理旧账的思想，把安置遗留问题解决好",
    pii=ID_PII,
)
def legacy_resolved(ctx: Context) -> sa.Select[Any]:
    pl = placements
    return (
        facts(
            veterans.c.unit_code,
            pl.c.id_number,
            veterans.c.name,
            pl.c.type,
            pl.c.received_on,
            pl.c.resolved_on,
            met=pl.c.resolved_on <= ctx.end,
        )
        .select_from(with_veteran(pl))
        .where(is_true(pl.c.legacy))
    )


INDICATORS: tuple[Indicator, ...] = (placed, legacy_resolved)
