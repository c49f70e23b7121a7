"""服务保障 — professional services at home (上门服务): contracts with the
five professional fields, and the services given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.domain.enums import ServiceField
from vetservice.i18n import N_, Bilingual, Message
from vetservice.indicators.builtin.common import COUNTY, T, missing_flags, units
from vetservice.indicators.builtin.services.rows import ID_PII, veterans, with_veteran
from vetservice.indicators.facts import active_at, facts, flag, in_period, per_unit
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)
from vetservice.store import unit_closure

contracts = T["service_contracts"]
home_services = T["home_services"]

# The five professional fields the seed names ("法律、心理、医疗、康养、文艺").
FIELD_NAMES: dict[str, Bilingual] = {
    f.value: Bilingual(f.label, f.value.replace("_", " ")) for f in ServiceField
}


def _fields_missing(row: Mapping[str, Any]) -> Message:
    missing = missing_flags(row, FIELD_NAMES)
    return Message(
        N_("no contract in force for: {fields}"),
        {
            "fields": Bilingual(
                "、".join(m.zh for m in missing), ", ".join(m.en for m in missing)
            )
        },
    )


@indicator(
    "service.fields",
    area=Area.SERVICES,
    kind=Kind.COMPLIANCE,
    name=("专业力量签约领域齐全率", "professional fields covered"),
    rule=(
        "每个县区都有在有效期内的法律、心理、医疗、康养、文艺五类专业力量签约",
        "every county has contracts in force in all five fields: legal, "
        "psychological, medical, elderly care and arts",
    ),
    target=AT_LEAST_ALL,
    reason=_fields_missing,
    source="主动与法律、心理、医疗、康养、文艺等专业人才签约",
)
def fields(ctx: Context) -> sa.Select[Any]:
    # Contracts in force at E, each field flagged once per ancestor of the
    # contract's unit, then joined to the counties (rather than five EXISTS
    # per county over its subtree).
    down = unit_closure.alias("down")
    in_force = (
        sa.select(
            down.c.ancestor,
            *(
                sa.func.max(flag(contracts.c.field == name)).label(name)
                for name in FIELD_NAMES
            ),
        )
        .select_from(contracts.join(down, down.c.descendant == contracts.c.unit_code))
        .where(
            contracts.c.field.in_(list(FIELD_NAMES)),
            active_at(contracts, "signed_on", "expires_on", ctx.end),
        )
        .group_by(down.c.ancestor)
        .subquery("fields_in_force")
    )
    covered = {name: sa.func.coalesce(in_force.c[name], 0) for name in FIELD_NAMES}
    return per_unit(
        *(f.label(name) for name, f in covered.items()),
        met=sa.and_(*(f == 1 for f in covered.values())),
        levels=[COUNTY],
    ).outerjoin(in_force, in_force.c.ancestor == units.c.code)


@indicator(
    "service.home_visits",
    area=Area.SERVICES,
    kind=Kind.COUNT,
    name=("上门服务次数", "home services"),
    rule=("本期为退役军人上门服务的次数", "home services given in the period"),
    source="组织他们到社区和乡村为退役军人送关心送服务",
    pii=ID_PII,
)
def home_visits(ctx: Context) -> sa.Select[Any]:
    hs = home_services
    return (
        facts(
            veterans.c.unit_code,
            hs.c.id_number,
            veterans.c.name,
            hs.c.field,
            hs.c.served_on,
            hs.c.provider,
            count=True,
        )
        .select_from(with_veteran(hs))
        .where(in_period(hs.c.served_on, ctx))
    )


INDICATORS: tuple[Indicator, ...] = (fields, home_visits)
