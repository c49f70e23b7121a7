"""经常性工作 — regular activities, party, honours and visits (seed §3).

Sources quote the seed speech (its section 3) with Chinese punctuation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.domain.enums import ActivityType
from vetservice.i18n import Bilingual, Message
from vetservice.indicators.builtin.common import T, missing_message, station_units
from vetservice.indicators.facts import (
    active_at,
    facts,
    flag,
    in_period,
    is_true,
    months,
    per_veteran,
)
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    Area,
    Context,
    Facts,
    Indicator,
    Kind,
    indicator,
)
from vetservice.markers import hookimpl

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


def _held(activity_type: str) -> Facts:
    """One fact per activity of the type held in P at a unit that is a station at E."""

    def held(ctx: Context) -> sa.Select[Any]:
        s = station_units(ctx).subquery()
        return (
            facts(
                activities.c.unit_code,
                activities.c.held_on,
                activities.c.title,
                activities.c.participants,
                count=True,
            )
            .join(s, s.c.code == activities.c.unit_code)
            .where(
                activities.c.type == activity_type,
                in_period(activities.c.held_on, ctx),
            )
        )

    return held


# act.count.TYPE, one per activity type, in the order of ActivityType.
COUNTS: tuple[Indicator, ...] = tuple(
    indicator(
        f"act.count.{t.value}",
        area=Area.ACTIVITIES,
        kind=Kind.COUNT,
        name=(f"{t.label}活动次数", f"{t.value} activities"),
        rule=(
            f"报告期内已建成服务站（中心）开展的{t.label}活动次数；未建站单位的活动不计",
            f"{t.value} activities held in the period at units with an established station",
        ),
        source=SEED_BY_TYPE[t.value],
    )(_held(t.value))
    for t in ActivityType
)


@indicator(
    "act.regularity",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("服务站活动经常性（按月）", "monthly regularity of activities"),
    rule=(
        "服务站每个月都开展活动：有活动的（服务站，月份）数 ÷（服务站数 × 月数）",
        "(station, month) pairs with at least one activity, over stations × months",
    ),
    target=AT_LEAST_ALL,
    # "≥ 1 activity" a month; a county may ask for more in its subtree.
    parameters={"min_activities": 1},
    source="有的随意性大，工作时断时续，东一榔头西一棒",
    headline=True,
)
def regularity(ctx: Context) -> sa.Select[Any]:
    """One fact per (station, month of P): met when the station held at least
    ``min_activities`` activities (of any type) in that month, up to E."""
    s = station_units(ctx).subquery()
    period_months = months(ctx)
    # A date range per month (not the month of every activity up to E), so
    # each count is one short range of the (unit_code, held_on) index.
    held = (
        sa.select(sa.func.count())
        .where(
            activities.c.unit_code == s.c.code,
            activities.c.held_on.between(
                period_months.c.first_day, period_months.c.last_day
            ),
        )
        .scalar_subquery()
    )
    pairs = (
        sa.select(
            s.c.code,
            period_months.c.month,
            held.label("activities"),
            ctx.param("min_activities", s.c.code).label("required"),
        )
        .select_from(s.join(period_months, sa.true()))
        .subquery("station_months")
    )
    return facts(
        pairs.c.code,
        pairs.c.month,
        pairs.c.activities,
        pairs.c.required,
        met=pairs.c.activities >= pairs.c.required,
    )


@indicator(
    "act.veteran_volunteers",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("退役军人参加志愿服务队比例", "veterans in volunteer teams"),
    rule=("退役军人中参加志愿服务队的比例", "veterans who are in a volunteer team"),
    pii=PII,
    source="既要发动辖区内的退役军人参加志愿者服务队",
)
def veteran_volunteers(ctx: Context) -> sa.Select[Any]:
    return per_veteran(
        veterans.c.id_number,
        veterans.c.name,
        veterans.c.in_volunteer_team,
        met=is_true(veterans.c.in_volunteer_team),
    )


# Each core kind as one bit, so the kinds a station held are one number.
KIND_BITS = {t: 1 << i for i, t in enumerate(CORE_TYPES)}


def _missing_kinds(row: Mapping[str, Any]) -> Message:
    """The core kinds the station did not hold in P ("缺少：党建、文体")."""
    return missing_message([KIND_NAMES[t] for t in CORE_TYPES if not row[t]])


@indicator(
    "act.all_kinds",
    area=Area.ACTIVITIES,
    kind=Kind.COMPLIANCE,
    name=("六类经常性活动开展率", "all six kinds of activity"),
    rule=(
        "服务站在报告期内学习教育、党建、荣誉激励、走访慰问、志愿服务、文体六类活动都至少开展一次（按季度、年度考核）",
        "the station held each of the six core kinds of activity at least once in the period (judged by quarter and year)",
    ),
    # indicators.md: "100% (quarter, year)". A target cannot depend on the
    # period's kind in the model, so a month report is judged against
    # 100% too; read this indicator on quarters and years.
    target=AT_LEAST_ALL,
    reason=_missing_kinds,
    source=SEED_ACTIVITIES,
)
def all_kinds(ctx: Context) -> sa.Select[Any]:
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
    return facts(
        s.c.code,
        *(flag(held.op("&")(b) != 0).label(t) for t, b in KIND_BITS.items()),
        met=held == sum(KIND_BITS.values()),
    ).select_from(s.outerjoin(kinds, kinds.c.unit_code == s.c.code))


# ---------------------------------------------------------------------------
# Veterans, honours and visits (placed in the veteran's unit).


@indicator(
    "party.branch_enrolled",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("退役军人党员编入党支部比例", "veteran party members in a branch"),
    rule=(
        "党员退役军人中已编入党支部（党小组）的比例",
        "veteran party members enrolled in a local party branch or group",
    ),
    target=AT_LEAST_ALL,
    pii=PII,
    source="把退役军人及时编入党支部和党小组，并落实“三会一课”，严格党内政治生活",
)
def branch_enrolled(ctx: Context) -> sa.Select[Any]:
    return per_veteran(
        veterans.c.id_number,
        veterans.c.name,
        veterans.c.branch_enrolled,
        met=is_true(veterans.c.branch_enrolled),
    ).where(is_true(veterans.c.party_member))


@indicator(
    "honor.plaque_hung",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("光荣牌悬挂率", "glory plaques hung"),
    rule=(
        "有成员光荣牌审核通过的家庭中已悬挂光荣牌的比例（一户一牌；同一村社区户编号相同的是一户，没有户编号的退役军人单独算一户）",
        "households with a member whose glory plaque was approved where a member's plaque is hung"
        " (one plaque a family; veterans of one village with the same household number are one"
        " household, a veteran without one is a household alone)",
    ),
    target=AT_LEAST_ALL,
    pii=PII,
    source="及时为审核通过的退役军人送光荣牌",
    headline=True,
)
def plaque_hung(ctx: Context) -> sa.Select[Any]:
    v = veterans
    approved = v.c.plaque_approved_on <= ctx.end
    # Without 户编号 a veteran is a household alone; NULL groups together
    # all who have one.
    alone = sa.case((v.c.household_id.is_(None), v.c.id_number))
    households = (
        sa.select(
            v.c.unit_code,
            v.c.household_id,
            alone.label("alone"),
            sa.func.min(v.c.id_number).label("id_number"),
            sa.func.count().label("members_approved"),
            sa.func.min(v.c.plaque_approved_on).label("plaque_approved_on"),
            sa.func.min(v.c.plaque_hung_on).label("plaque_hung_on"),
        )
        .where(approved)
        .group_by(v.c.unit_code, v.c.household_id, alone)
        .subquery("households")
    )
    # A member not yet approved may have the family's plaque hung too.
    hung = (
        sa.select(v.c.unit_code, v.c.household_id)
        .where(v.c.household_id.is_not(None), v.c.plaque_hung_on <= ctx.end)
        .distinct()
        .subquery("hung_households")
    )
    h = households
    return facts(
        h.c.unit_code,
        h.c.household_id,
        h.c.id_number,
        h.c.members_approved,
        h.c.plaque_approved_on,
        h.c.plaque_hung_on,
        met=sa.or_(h.c.plaque_hung_on <= ctx.end, hung.c.unit_code.is_not(None)),
    ).select_from(
        h.outerjoin(
            hung,
            sa.and_(
                hung.c.unit_code == h.c.unit_code,
                hung.c.household_id == h.c.household_id,
            ),
        )
    )


@indicator(
    "honor.good_news",
    area=Area.ACTIVITIES,
    kind=Kind.COUNT,
    name=("送喜报次数", "good-news notices delivered"),
    rule=("报告期内送达的喜报份数", "good-news notices delivered in the period"),
    pii=("recipient_id_number",),
    source="为立功受奖的现役军人送喜报",
)
def good_news(ctx: Context) -> sa.Select[Any]:
    # The recipient is a name or an id number (records.md): each in its own
    # column, both masked in drill-through (a personal field either way).
    is_id = sa.func.length(honors.c.recipient) == 18
    return facts(
        honors.c.unit_code,
        sa.case((is_id, None), else_=honors.c.recipient).label("recipient"),
        sa.case((is_id, honors.c.recipient), else_=None).label("recipient_id_number"),
        honors.c.delivered_on,
        honors.c.note,
        count=True,
    ).where(honors.c.kind == "good_news", in_period(honors.c.delivered_on, ctx))


@indicator(
    "visit.key_contact",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("重点关注对象常态化联系率", "key veterans with a contact person"),
    rule=(
        "重点关注的退役军人都有在岗的工作人员作为联系人",
        "key-attention veterans whose contact person is serving at the end of the period",
    ),
    target=AT_LEAST_ALL,
    pii=PII,
    source="“两中心两站”工作人员都与需要重点关注和关心照顾的退役军人建立常态化联系机制",
)
def key_contact(ctx: Context) -> sa.Select[Any]:
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
        facts(
            veterans.c.unit_code,
            veterans.c.id_number,
            veterans.c.name,
            veterans.c.contact_person_id,
            contact_name.label("contact_name"),
            met=on_duty.c.person_id.is_not(None),
        )
        .select_from(
            veterans.outerjoin(
                on_duty, on_duty.c.person_id == veterans.c.contact_person_id
            )
        )
        .where(is_true(veterans.c.key_attention))
    )


@indicator(
    "visit.key_visited",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("重点关注对象走访率", "key veterans visited"),
    rule=(
        "重点关注的退役军人报告期内至少走访一次",
        "key-attention veterans visited at least once in the period",
    ),
    target=AT_LEAST_ALL,
    pii=PII,
    source="做到“九必访”“七清楚”“三记住”",
)
def key_visited(ctx: Context) -> sa.Select[Any]:
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
    return per_veteran(
        veterans.c.id_number,
        veterans.c.name,
        visits_in_p.label("visits"),
        last_visit.label("last_visit"),
        met=sa.exists().where(mine),
    ).where(is_true(veterans.c.key_attention))


@indicator(
    "visit.holiday",
    area=Area.ACTIVITIES,
    kind=Kind.COUNT,
    name=("重大节日走访慰问次数", "holiday visits"),
    rule=(
        "报告期内事由为重大节日的走访慰问次数",
        "visits for a major holiday in the period",
    ),
    pii=PII,
    source="特别是重大节日要专门安排走访慰问",
)
def holiday_visits(ctx: Context) -> sa.Select[Any]:
    return (
        facts(
            veterans.c.unit_code,
            visits.c.id_number,
            veterans.c.name,
            visits.c.visited_on,
            visits.c.staff_person_id,
            visits.c.note,
            count=True,
        )
        .join(veterans, veterans.c.id_number == visits.c.id_number)
        .where(visits.c.reason == "holiday", in_period(visits.c.visited_on, ctx))
    )


INDICATORS: tuple[Indicator, ...] = (
    *COUNTS,
    regularity,
    veteran_volunteers,
    all_kinds,
    branch_enrolled,
    plaque_hung,
    good_news,
    key_contact,
    key_visited,
    holiday_visits,
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
