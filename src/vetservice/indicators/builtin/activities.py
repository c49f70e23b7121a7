"""经常性工作 — regular activities, party, honours and visits (seed §3).

Sources quote the seed speech (its section 3) with Chinese punctuation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.domain.enums import ActivityType
from vetservice.markers import hookimpl
from vetservice.i18n import Bilingual, Message
from vetservice.indicators.builtin.common import (
    T,
    active_at,
    flag,
    in_period,
    missing_message,
    month_ranges,
    station_units,
    true,
    zero,
)
from vetservice.indicators.model import AT_LEAST_ALL, Area, Context, Indicator, Kind

activities = T["activities"]
veterans = T["veterans"]
visits = T["visits"]
honors = T["honors"]
staff = T["staff"]

# The six kinds of regular work the speech lists ("一是……六是"); 特色活动 is
# the optional seventh ("另外还可因地制宜开展特色活动").
CORE_TYPES = ("study", "party", "honor", "visit", "volunteer", "culture")

SEED_ACTIVITIES = "基层经常性工作应该怎么抓？我感到要结合实际开展以下活动"
SEED_BY_TYPE = {
    "study": "一是学习教育活动。利用退役军人到服务站办事或参加集体活动之时",
    "party": "二是党建活动",
    "honor": "三是荣誉激励活动",
    "visit": "四是走访慰问活动",
    "volunteer": "五是志愿服务活动",
    "culture": "六是文体活动。适时组织球类、棋类、影视欣赏、拔河比赛等活动",
    "special": "另外还可因地制宜开展特色活动、趣味活动，增强服务站的凝聚力吸引力",
}
assert set(SEED_BY_TYPE) == {t.value for t in ActivityType}

# "缺少：党建、文体" / "missing: party, culture".
KIND_NAMES = {t.value: Bilingual(t.label, t.value) for t in ActivityType}

PII = ("id_number",)


# ---------------------------------------------------------------------------
# Activities at stations.


def _count_of(activity_type: str) -> Any:
    """One fact per activity of the type held in P at a unit that is a station at E."""

    def facts(ctx: Context) -> sa.Select[Any]:
        s = station_units(ctx).subquery()
        return (
            sa.select(
                activities.c.unit_code,
                sa.literal(1).label("numerator"),
                zero().label("denominator"),
                activities.c.held_on,
                activities.c.title,
                activities.c.participants,
            )
            .join(s, s.c.code == activities.c.unit_code)
            .where(
                activities.c.type == activity_type,
                in_period(activities.c.held_on, ctx),
            )
        )

    return facts


def _regularity(ctx: Context) -> sa.Select[Any]:
    """One fact per (station, month of P): met when the station held at least
    ``min_activities`` activities (of any type) in that month, up to E."""
    s = station_units(ctx).subquery()
    months = month_ranges(ctx)
    # A date range per month (not the month of every activity up to E), so
    # each count is one short range of the (unit_code, held_on) index.
    held = (
        sa.select(sa.func.count())
        .where(
            activities.c.unit_code == s.c.code,
            activities.c.held_on.between(months.c.first_day, months.c.last_day),
        )
        .scalar_subquery()
    )
    pairs = (
        sa.select(
            s.c.code,
            months.c.month,
            held.label("activities"),
            ctx.param("min_activities", s.c.code).label("required"),
        )
        .select_from(s.join(months, sa.true()))
        .subquery("station_months")
    )
    return sa.select(
        pairs.c.code.label("unit_code"),
        flag(pairs.c.activities >= pairs.c.required).label("numerator"),
        sa.literal(1).label("denominator"),
        pairs.c.month,
        pairs.c.activities,
        pairs.c.required,
    )


# Each core kind as one bit, so the kinds a station held are one number.
KIND_BITS = {t: 1 << i for i, t in enumerate(CORE_TYPES)}


def _all_kinds(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx).subquery()
    # The core kinds each unit held in P, as a set of bits: one pass over the
    # period's activities grouped by unit, joined once to the stations (not
    # six lookups per station, each repeated in every column that shows it).
    bit = sa.case(*((activities.c.type == t, b) for t, b in KIND_BITS.items()), else_=0)
    kinds = (
        sa.select(
            activities.c.unit_code,
            sa.func.sum(sa.distinct(bit)).label("kinds"),
        )
        .where(
            activities.c.type.in_(CORE_TYPES),
            in_period(activities.c.held_on, ctx),
        )
        .group_by(activities.c.unit_code)
        .subquery("kinds_held")
    )
    held = sa.func.coalesce(kinds.c.kinds, 0)
    return sa.select(
        s.c.code.label("unit_code"),
        flag(held == sum(KIND_BITS.values())).label("numerator"),
        sa.literal(1).label("denominator"),
        *(flag(held.op("&")(b) != 0).label(t) for t, b in KIND_BITS.items()),
    ).select_from(s.outerjoin(kinds, kinds.c.unit_code == s.c.code))


def _missing_kinds(row: Mapping[str, Any]) -> Message:
    """The core kinds the station did not hold in P ("缺少：党建、文体")."""
    return missing_message([KIND_NAMES[t] for t in CORE_TYPES if not row[t]])


# ---------------------------------------------------------------------------
# Veterans, honours and visits (placed in the veteran's unit).


def _veteran_ratio(
    where: sa.ColumnElement[bool],
    numerator: sa.ColumnElement[bool],
    *shown: sa.ColumnElement[Any],
) -> Any:
    """One fact per veteran matching ``where``; ``shown`` are the fields behind it."""

    def facts(ctx: Context) -> sa.Select[Any]:
        return sa.select(
            veterans.c.unit_code,
            flag(numerator).label("numerator"),
            sa.literal(1).label("denominator"),
            veterans.c.id_number,
            veterans.c.name,
            *shown,
        ).where(where)

    return facts


def _plaque_hung(ctx: Context) -> sa.Select[Any]:
    return sa.select(
        veterans.c.unit_code,
        flag(veterans.c.plaque_hung_on <= ctx.end).label("numerator"),
        sa.literal(1).label("denominator"),
        veterans.c.id_number,
        veterans.c.name,
        veterans.c.plaque_approved_on,
        veterans.c.plaque_hung_on,
    ).where(veterans.c.plaque_approved_on <= ctx.end)


def _good_news(ctx: Context) -> sa.Select[Any]:
    # The recipient is a name or an id number (records.md): an id number is
    # shown in its own column, masked in drill-through; a name is shown as is.
    is_id = sa.func.length(honors.c.recipient) == 18
    return sa.select(
        honors.c.unit_code,
        sa.literal(1).label("numerator"),
        zero().label("denominator"),
        sa.case((is_id, None), else_=honors.c.recipient).label("recipient"),
        sa.case((is_id, honors.c.recipient), else_=None).label("recipient_id_number"),
        honors.c.delivered_on,
        honors.c.note,
    ).where(honors.c.kind == "good_news", in_period(honors.c.delivered_on, ctx))


def _key_contact(ctx: Context) -> sa.Select[Any]:
    # The contact person is any staff row (any role, any unit) with that
    # person_id that is active at E; a person may have several rows. The
    # figure needs only whether the contact is serving: one join on the
    # people serving at E (a hash join on PostgreSQL whatever their number;
    # an IN list larger than work_mem would be rescanned per veteran). The
    # name is for drill-through.
    serving = active_at(staff, "started_on", "ended_on", ctx.end)
    on_duty = sa.select(staff.c.person_id).where(serving).distinct().subquery("on_duty")
    contact_name = (
        sa.select(sa.func.max(staff.c.name))
        .where(staff.c.person_id == veterans.c.contact_person_id, serving)
        .scalar_subquery()
    )
    return (
        sa.select(
            veterans.c.unit_code,
            flag(on_duty.c.person_id.is_not(None)).label("numerator"),
            sa.literal(1).label("denominator"),
            veterans.c.id_number,
            veterans.c.name,
            veterans.c.contact_person_id,
            contact_name.label("contact_name"),
        )
        .select_from(
            veterans.outerjoin(
                on_duty, on_duty.c.person_id == veterans.c.contact_person_id
            )
        )
        .where(true(veterans.c.key_attention))
    )


def _key_visited(ctx: Context) -> sa.Select[Any]:
    # Per key veteran, lookups of the (id_number, visited_on) index: on a
    # province they beat grouping every visit of the period. The figure
    # needs only the EXISTS; the count and the last visit are for
    # drill-through.
    mine = sa.and_(
        visits.c.id_number == veterans.c.id_number,
        in_period(visits.c.visited_on, ctx),
    )
    last_visit = (
        sa.select(sa.func.max(visits.c.visited_on)).where(mine).scalar_subquery()
    )
    visits_in_p = sa.select(sa.func.count()).where(mine).scalar_subquery()
    return sa.select(
        veterans.c.unit_code,
        flag(sa.exists().where(mine)).label("numerator"),
        sa.literal(1).label("denominator"),
        veterans.c.id_number,
        veterans.c.name,
        visits_in_p.label("visits"),
        last_visit.label("last_visit"),
    ).where(true(veterans.c.key_attention))


def _holiday_visits(ctx: Context) -> sa.Select[Any]:
    return (
        sa.select(
            veterans.c.unit_code,
            sa.literal(1).label("numerator"),
            zero().label("denominator"),
            visits.c.id_number,
            veterans.c.name,
            visits.c.visited_on,
            visits.c.staff_person_id,
            visits.c.note,
        )
        .join(veterans, veterans.c.id_number == visits.c.id_number)
        .where(visits.c.reason == "holiday", in_period(visits.c.visited_on, ctx))
    )


# ---------------------------------------------------------------------------


def _counts() -> list[Indicator]:
    return [
        Indicator(
            id=f"act.count.{t.value}",
            area=Area.ACTIVITIES,
            kind=Kind.COUNT,
            name=Bilingual(f"{t.label}活动次数", f"{t.value} activities"),
            rule=Bilingual(
                f"报告期内已建成服务站（中心）开展的{t.label}活动次数；未建站单位的活动不计",
                f"{t.value} activities held in the period at units with an established station",
            ),
            facts=_count_of(t.value),
            source=SEED_BY_TYPE[t.value],
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
            "服务站每个月都开展活动：有活动的（服务站，月份）数 ÷（服务站数 × 月数）",
            "(station, month) pairs with at least one activity, over stations × months",
        ),
        facts=_regularity,
        target=AT_LEAST_ALL,
        # "≥ 1 activity" a month; a county may ask for more in its subtree.
        parameters={"min_activities": 1},
        source="有的随意性大，工作时断时续，东一榔头西一棒",
    ),
    Indicator(
        id="act.veteran_volunteers",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual("退役军人参加志愿服务队比例", "veterans in volunteer teams"),
        rule=Bilingual(
            "退役军人中参加志愿服务队的比例", "veterans who are in a volunteer team"
        ),
        facts=_veteran_ratio(
            sa.true(),
            true(veterans.c.in_volunteer_team),
            veterans.c.in_volunteer_team,
        ),
        pii=PII,
        source="既要发动辖区内的退役军人参加志愿者服务队",
    ),
    Indicator(
        id="act.all_kinds",
        area=Area.ACTIVITIES,
        kind=Kind.COMPLIANCE,
        name=Bilingual("六类经常性活动开展率", "all six kinds of activity"),
        rule=Bilingual(
            "服务站在报告期内学习教育、党建、荣誉激励、走访慰问、志愿服务、文体六类活动都至少开展一次（按季度、年度考核）",
            "the station held each of the six core kinds of activity at least once in the period (judged by quarter and year)",
        ),
        facts=_all_kinds,
        # indicators.md: "100% (quarter, year)". A target cannot depend on the
        # period's kind in the model, so a month report is judged against
        # 100% too; read this indicator on quarters and years.
        target=AT_LEAST_ALL,
        reason=_missing_kinds,
        source=SEED_ACTIVITIES,
    ),
    Indicator(
        id="party.branch_enrolled",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual(
            "退役军人党员编入党支部比例", "veteran party members in a branch"
        ),
        rule=Bilingual(
            "党员退役军人中已编入党支部（党小组）的比例",
            "veteran party members enrolled in a local party branch or group",
        ),
        facts=_veteran_ratio(
            true(veterans.c.party_member),
            true(veterans.c.branch_enrolled),
            veterans.c.branch_enrolled,
        ),
        target=AT_LEAST_ALL,
        pii=PII,
        source="把退役军人及时编入党支部和党小组，并落实“三会一课”，严格党内政治生活",
    ),
    Indicator(
        id="honor.plaque_hung",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual("光荣牌悬挂率", "glory plaques hung"),
        rule=Bilingual(
            "光荣牌审核通过的退役军人中已悬挂光荣牌的比例",
            "veterans whose glory plaque was approved and is hung",
        ),
        facts=_plaque_hung,
        target=AT_LEAST_ALL,
        pii=PII,
        source="及时为审核通过的退役军人送光荣牌",
    ),
    Indicator(
        id="honor.good_news",
        area=Area.ACTIVITIES,
        kind=Kind.COUNT,
        name=Bilingual("送喜报次数", "good-news notices delivered"),
        rule=Bilingual(
            "报告期内送达的喜报份数", "good-news notices delivered in the period"
        ),
        facts=_good_news,
        pii=("recipient_id_number",),
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
            "重点关注的退役军人都有在岗的工作人员作为联系人",
            "key-attention veterans whose contact person is serving at the end of the period",
        ),
        facts=_key_contact,
        target=AT_LEAST_ALL,
        pii=PII,
        source="“两中心两站”工作人员都与需要重点关注和关心照顾的退役军人建立常态化联系机制",
    ),
    Indicator(
        id="visit.key_visited",
        area=Area.ACTIVITIES,
        kind=Kind.RATIO,
        name=Bilingual("重点关注对象走访率", "key veterans visited"),
        rule=Bilingual(
            "重点关注的退役军人报告期内至少走访一次",
            "key-attention veterans visited at least once in the period",
        ),
        facts=_key_visited,
        target=AT_LEAST_ALL,
        pii=PII,
        source="做到“九必访”“七清楚”“三记住”",
    ),
    Indicator(
        id="visit.holiday",
        area=Area.ACTIVITIES,
        kind=Kind.COUNT,
        name=Bilingual("重大节日走访慰问次数", "holiday visits"),
        rule=Bilingual(
            "报告期内事由为重大节日的走访慰问次数",
            "visits for a major holiday in the period",
        ),
        facts=_holiday_visits,
        pii=PII,
        source="特别是重大节日要专门安排走访慰问",
    ),
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
