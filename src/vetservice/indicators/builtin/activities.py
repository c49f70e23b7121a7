"""经常性工作 — regular activities, party, honours and visits (seed §3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.domain.enums import ActivityType
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual, Message
from vetservice.indicators.builtin.common import (
    T,
    active_at,
    flag,
    in_period,
    missing_message,
    months_table,
    station_units,
    true,
    zero,
)
from vetservice.indicators.model import AT_LEAST_ALL, Area, Context, Indicator, Kind
from vetservice.store.sql import month_of

activities = T["activities"]
veterans = T["veterans"]
visits = T["visits"]
honors = T["honors"]
staff = T["staff"]

CORE_TYPES = ("study", "party", "honor", "visit", "volunteer", "culture")
SOURCE = "基层经常性工作应该怎么抓？我感到要结合实际开展以下活动"


def _count_of(activity_type: str) -> Any:
    def facts(ctx: Context) -> sa.Select[Any]:
        s = station_units(ctx).subquery()
        return (
            sa.select(
                activities.c.unit_code,
                sa.literal(1).label("numerator"),
                zero().label("denominator"),
                activities.c.held_on,
                activities.c.title,
            )
            .join(s, s.c.code == activities.c.unit_code)
            .where(
                activities.c.type == activity_type, in_period(activities.c.held_on, ctx)
            )
        )

    return facts


def _regularity(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx).subquery()
    months = months_table(ctx)
    held = sa.exists().where(
        activities.c.unit_code == s.c.code,
        month_of(activities.c.held_on) == months.c.month,
        activities.c.held_on <= ctx.end,
    )
    return sa.select(
        s.c.code.label("unit_code"),
        flag(held).label("numerator"),
        sa.literal(1).label("denominator"),
        months.c.month,
    ).select_from(s.join(months, sa.true()))


def _all_kinds(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx).subquery()
    held = {
        t: sa.exists().where(
            activities.c.unit_code == s.c.code,
            activities.c.type == t,
            in_period(activities.c.held_on, ctx),
        )
        for t in CORE_TYPES
    }
    return sa.select(
        s.c.code.label("unit_code"),
        flag(sa.and_(*held.values())).label("numerator"),
        sa.literal(1).label("denominator"),
        *(flag(condition).label(t) for t, condition in held.items()),
    )


def _missing_kinds(row: Mapping[str, Any]) -> Message:
    labels = {t: ActivityType(t) for t in CORE_TYPES}
    return missing_message(
        [Bilingual(labels[t].label, labels[t].value) for t in CORE_TYPES if not row[t]]
    )


def _veteran_ratio(
    where: sa.ColumnElement[bool], numerator: sa.ColumnElement[bool]
) -> Any:
    def facts(ctx: Context) -> sa.Select[Any]:
        return sa.select(
            veterans.c.unit_code,
            flag(numerator).label("numerator"),
            sa.literal(1).label("denominator"),
            veterans.c.id_number,
            veterans.c.name,
        ).where(where)

    return facts


def _plaque_hung(ctx: Context) -> sa.Select[Any]:
    return sa.select(
        veterans.c.unit_code,
        flag(
            sa.and_(
                veterans.c.plaque_hung_on.is_not(None),
                veterans.c.plaque_hung_on <= ctx.end,
            )
        ).label("numerator"),
        sa.literal(1).label("denominator"),
        veterans.c.id_number,
        veterans.c.name,
        veterans.c.plaque_approved_on,
        veterans.c.plaque_hung_on,
    ).where(veterans.c.plaque_approved_on <= ctx.end)


def _good_news(ctx: Context) -> sa.Select[Any]:
    return sa.select(
        honors.c.unit_code,
        sa.literal(1).label("numerator"),
        zero().label("denominator"),
        honors.c.recipient,
        honors.c.delivered_on,
    ).where(honors.c.kind == "good_news", in_period(honors.c.delivered_on, ctx))


def _key_contact(ctx: Context) -> sa.Select[Any]:
    contact = sa.exists().where(
        staff.c.person_id == veterans.c.contact_person_id,
        active_at(staff, "started_on", "ended_on", ctx.end),
    )
    return sa.select(
        veterans.c.unit_code,
        flag(contact).label("numerator"),
        sa.literal(1).label("denominator"),
        veterans.c.id_number,
        veterans.c.name,
        veterans.c.contact_person_id,
    ).where(true(veterans.c.key_attention))


def _key_visited(ctx: Context) -> sa.Select[Any]:
    visited = sa.exists().where(
        visits.c.id_number == veterans.c.id_number, in_period(visits.c.visited_on, ctx)
    )
    return sa.select(
        veterans.c.unit_code,
        flag(visited).label("numerator"),
        sa.literal(1).label("denominator"),
        veterans.c.id_number,
        veterans.c.name,
    ).where(true(veterans.c.key_attention))


def _holiday_visits(ctx: Context) -> sa.Select[Any]:
    return (
        sa.select(
            veterans.c.unit_code,
            sa.literal(1).label("numerator"),
            zero().label("denominator"),
            visits.c.id_number,
            visits.c.visited_on,
        )
        .join(veterans, veterans.c.id_number == visits.c.id_number)
        .where(visits.c.reason == "holiday", in_period(visits.c.visited_on, ctx))
    )


def _counts() -> list[Indicator]:
    return [
        Indicator(
            id=f"act.count.{t.value}",
            area=Area.ACTIVITIES,
            kind=Kind.COUNT,
            name=Bilingual(f"{t.label}活动次数", f"{t.value} activities"),
            rule=Bilingual(
                f"报告期内服务站开展的{t.label}活动",
                f"{t.value} activities held at stations in the period",
            ),
            facts=_count_of(t.value),
            source=SOURCE,
        )
        for t in ActivityType
    ]


INDICATORS = (
    *_counts(),
    Indicator(
        id="act.regularity",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual("服务站活动经常性（按月）", "monthly regularity of activities"),
        rule=Bilingual(
            "服务站每个月至少开展一次活动：有活动的（服务站，月份）÷ 服务站数 × 月数",
            "(station, month) pairs with at least one activity, over stations × months",
        ),
        facts=_regularity,
        target=AT_LEAST_ALL,
        source="有的随意性大，工作时断时续，东一榔头西一棒",
    ),
    Indicator(
        id="act.veteran_volunteers",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual("退役军人参加志愿服务队比例", "veterans in volunteer teams"),
        rule=Bilingual("参加志愿服务队的退役军人比例", "veterans in a volunteer team"),
        facts=_veteran_ratio(sa.true(), true(veterans.c.in_volunteer_team)),
        pii=("id_number",),
        source="既要发动辖区内的退役军人参加志愿者服务队",
    ),
    Indicator(
        id="act.all_kinds",
        area=Area.ACTIVITIES,
        kind=Kind.COMPLIANCE,
        name=Bilingual("六类经常性活动开展率", "all six kinds of activity"),
        rule=Bilingual(
            "报告期内学习教育、党建、荣誉激励、走访慰问、志愿服务、文体六类活动都开展过",
            "each of the six core kinds of activity held at least once in the period",
        ),
        facts=_all_kinds,
        target=AT_LEAST_ALL,
        reason=_missing_kinds,
        source=SOURCE,
    ),
    Indicator(
        id="party.branch_enrolled",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual(
            "退役军人党员编入党支部比例", "veteran party members in a branch"
        ),
        rule=Bilingual(
            "党员退役军人中已编入党支部（小组）的比例",
            "veteran party members enrolled in a branch",
        ),
        facts=_veteran_ratio(
            true(veterans.c.party_member), true(veterans.c.branch_enrolled)
        ),
        target=AT_LEAST_ALL,
        pii=("id_number",),
        source="把退役军人及时编入党支部和党小组，并落实“三会一课”",
    ),
    Indicator(
        id="honor.plaque_hung",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual("光荣牌悬挂率", "glory plaques hung"),
        rule=Bilingual(
            "审核通过的光荣牌中已悬挂的比例", "approved plaques that are hung"
        ),
        facts=_plaque_hung,
        target=AT_LEAST_ALL,
        pii=("id_number",),
        source="及时为审核通过的退役军人送光荣牌",
    ),
    Indicator(
        id="honor.good_news",
        area=Area.ACTIVITIES,
        kind=Kind.COUNT,
        name=Bilingual("送喜报次数", "good-news notices delivered"),
        rule=Bilingual(
            "报告期内送达的喜报", "good-news notices delivered in the period"
        ),
        facts=_good_news,
        source="为立功受奖的现役军人送喜报",
    ),
    Indicator(
        id="visit.key_contact",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual(
            "重点关注对象常态化联系率", "key veterans with a contact person"
        ),
        rule=Bilingual(
            "重点关注的退役军人有在岗的联系人",
            "key-attention veterans whose contact person is serving",
        ),
        facts=_key_contact,
        target=AT_LEAST_ALL,
        pii=("id_number",),
        source="“两中心两站”工作人员都与需要重点关注和关心照顾的退役军人建立常态化联系机制",
    ),
    Indicator(
        id="visit.key_visited",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual("重点关注对象走访率", "key veterans visited"),
        rule=Bilingual(
            "重点关注的退役军人报告期内至少走访一次",
            "key-attention veterans visited in the period",
        ),
        facts=_key_visited,
        target=AT_LEAST_ALL,
        pii=("id_number",),
        source="做到“九必访”“七清楚”“三记住”",
    ),
    Indicator(
        id="visit.holiday",
        area=Area.ACTIVITIES,
        kind=Kind.COUNT,
        name=Bilingual("重大节日走访慰问次数", "holiday visits"),
        rule=Bilingual(
            "报告期内事由为重大节日的走访", "visits for a major holiday in the period"
        ),
        facts=_holiday_visits,
        pii=("id_number",),
        source="特别是重大节日要专门安排走访慰问",
    ),
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
