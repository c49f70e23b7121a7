"""阵地建设 — the stations themselves and their political-cultural environment (seed §1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.domain import ENVIRONMENT_ELEMENTS
from vetservice.i18n import N_, Bilingual, Message
from vetservice.indicators.builtin.common import (
    COUNTY,
    TOWNSHIP,
    VILLAGE,
    T,
    columns_except,
    established,
    missing_flags,
    missing_message,
    station_units,
    stations,
    units,
)
from vetservice.indicators.facts import facts, is_true, per_unit
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)
from vetservice.markers import hookimpl

SEED_ELEMENTS = "具体要能看到以下内容：一是习近平总书记关于退役军人工作的重要论述……十三是本单位特色栏目。"

# Short names for shortfall reasons ("缺少：英模画像、特色栏目").
ELEMENT_NAMES: dict[str, Bilingual] = {
    "remarks": Bilingual("重要论述", "key remarks"),
    "organization": Bilingual("组织机构和工作人员", "organisation and staff"),
    "duties": Bilingual("工作职责", "duties"),
    "rules": Bilingual("工作制度", "rules"),
    "service_norms": Bilingual("服务规范", "service norms"),
    "hero_portraits": Bilingual("英模画像", "hero portraits"),
    "theory_books": Bilingual("理论书籍", "theory books"),
    "military_culture": Bilingual("军旅文化作品", "military culture"),
    "ledgers": Bilingual("工作台账", "ledgers"),
    "activity_photos": Bilingual("活动剪影", "activity photos"),
    "slogans": Bilingual("标语口号", "slogans"),
    "four_most_beautiful": Bilingual("四个最美和老兵风采", "four most beautiful"),
    "local_column": Bilingual("特色栏目", "local column"),
}
assert list(ELEMENT_NAMES) == list(ENVIRONMENT_ELEMENTS)

FIVE_HAVES: dict[str, Bilingual] = {
    "has_organization": Bilingual("有机构", "organisation"),
    "has_posts": Bilingual("有编制", "posts"),
    "has_staff": Bilingual("有人员", "staff"),
    "has_funding": Bilingual("有经费", "funding"),
    "has_support": Bilingual("有保障", "support"),
}


def _not_established(row: Mapping[str, Any]) -> Message:
    if row["established_on"] is None:
        return Message(N_("no service station established"))
    return Message(
        N_("service station established only on {date}"),
        {"date": str(row["established_on"])},
    )


@indicator(
    "env.station_established",
    area=Area.ENVIRONMENT,
    kind=Kind.COMPLIANCE,
    name=("服务站（中心）建成率", "stations established"),
    rule=(
        "县、乡、村三级每个单位都建成服务中心（站）",
        "every county-, township- and village-level unit has a station established",
    ),
    target=AT_LEAST_ALL,
    reason=_not_established,
    source="从市县区到街道办、社区、乡镇、村“两中心两站”工作场所基本落实",
    headline=True,
)
def station_established(ctx: Context) -> sa.Select[Any]:
    return per_unit(
        stations.c.established_on,
        met=established(ctx),
        levels=[COUNTY, TOWNSHIP, VILLAGE],
    ).outerjoin(stations, stations.c.unit_code == units.c.code)


@indicator(
    "env.five_haves",
    area=Area.ENVIRONMENT,
    kind=Kind.COMPLIANCE,
    name=("“五有”达标率", "five haves"),
    rule=(
        "服务站有机构、有编制、有人员、有经费、有保障",
        "the station has organisation, posts, staff, funding and support",
    ),
    target=AT_LEAST_ALL,
    reason=lambda row: missing_message(missing_flags(row, FIVE_HAVES)),
    source="“两中心两站”是我们开展工作的主阵地",
)
def five_haves(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx).subquery()
    return facts(
        s.c.code,
        *(s.c[name] for name in FIVE_HAVES),
        met=sa.and_(*(is_true(s.c[name]) for name in FIVE_HAVES)),
    )


@indicator(
    "env.model_stations",
    area=Area.ENVIRONMENT,
    kind=Kind.COUNT,
    name=("全国示范型服务站数", "national model stations"),
    rule=("示范创建为全国示范型的服务站", "stations that are national models"),
    source="按照《规范》和观摩会的标准，一项一项落实到位",
)
def model_stations(ctx: Context) -> sa.Select[Any]:
    # One fact per national model station (the stations counted), not a zero
    # for each of the others; read from stations alone, as the level and kind
    # of the unit are not needed (the roll-up reaches the unit anyway).
    return facts(stations.c.unit_code, stations.c.model, count=True).where(
        established(ctx), stations.c.model == "national"
    )


@indicator(
    "env.dedicated_space",
    area=Area.ENVIRONMENT,
    kind=Kind.COMPLIANCE,
    name=("乡村服务站独立场所率", "dedicated space"),
    rule=(
        "乡镇和村级服务站有独立场所，而不只是便民服务大厅里的一个窗口",
        "township and village stations have their own space, not just a window in a service hall",
    ),
    target=AT_LEAST_ALL,
    reason=lambda row: Message(N_("only a window inside a general service hall")),
    source="有的在门口挂了退役军人服务站，里面却是便民服务大厅，顺便设了退役军人服务窗口",
)
def dedicated_space(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx, [TOWNSHIP, VILLAGE]).subquery()
    return facts(s.c.code, s.c.dedicated_space, met=is_true(s.c.dedicated_space))


def _inspections_in_force(ctx: Context) -> sa.Subquery:
    """Each station with the columns of its latest inspection on or before E (or NULLs)."""
    env = T["environment"]
    latest = env.alias("latest")
    s = station_units(ctx).subquery()
    newest = (
        sa.select(sa.func.max(latest.c.checked_on))
        .where(latest.c.unit_code == s.c.code, latest.c.checked_on <= ctx.end)
        .scalar_subquery()
    )
    present = [
        sa.func.coalesce(sa.cast(env.c[name], sa.Integer), 0) for name in ELEMENT_NAMES
    ]
    return (
        sa.select(
            s.c.code.label("unit_code"),
            env.c.checked_on,
            sum(present[1:], present[0]).label("present"),
            *(env.c[name] for name in ELEMENT_NAMES),
        )
        .select_from(
            s.outerjoin(
                env, sa.and_(env.c.unit_code == s.c.code, env.c.checked_on == newest)
            )
        )
        .subquery()
    )


def _missing_elements(row: Mapping[str, Any]) -> Message:
    if row["checked_on"] is None:
        return Message(N_("never inspected"))
    return missing_message(missing_flags(row, ELEMENT_NAMES))


@indicator(
    "env.elements",
    area=Area.ENVIRONMENT,
    kind=Kind.RATIO,
    name=("政治文化环境要素落实率", "environment elements present"),
    rule=(
        "现行检查中已布设的要素数 ÷（13 × 服务站数）；从未检查的服务站计 0",
        "elements present in the inspection in force, over 13 per station",
    ),
    target=AT_LEAST_ALL,
    source=SEED_ELEMENTS,
)
def elements(ctx: Context) -> sa.Select[Any]:
    inspected = _inspections_in_force(ctx)
    return facts(
        inspected.c.unit_code,
        *columns_except(inspected, "unit_code"),
        numerator=inspected.c.present,
        denominator=len(ELEMENT_NAMES),
    )


@indicator(
    "env.all_elements",
    area=Area.ENVIRONMENT,
    kind=Kind.COMPLIANCE,
    name=("政治文化环境要素齐全率", "all environment elements"),
    rule=("现行检查中 13 项要素全部具备", "the inspection in force has all 13 elements"),
    target=AT_LEAST_ALL,
    reason=_missing_elements,
    source="有的要素不全，没有严格按照《规范》逐项落实",
    headline=True,
)
def all_elements(ctx: Context) -> sa.Select[Any]:
    inspected = _inspections_in_force(ctx)
    return facts(
        inspected.c.unit_code,
        *columns_except(inspected, "unit_code"),
        met=inspected.c.present == len(ELEMENT_NAMES),
    )


INDICATORS: tuple[Indicator, ...] = (
    station_established,
    five_haves,
    model_stations,
    dedicated_space,
    elements,
    all_elements,
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
