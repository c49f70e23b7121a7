"""队伍建设 — staff, leading groups, volunteers and monthly guidance (seed §2).

Counted at E among staff rows active at E (started_on empty or ≤ E, ended_on
empty or ≥ E). Full-time workers are directors and staff with full_time true;
a person full-time at several units counts at one only, the earliest started
(身兼数职, ``staff.multi_post``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.i18n import N_, Bilingual, Message
from vetservice.indicators.builtin.common import (
    COMMUNITY,
    COUNTY,
    TOWNSHIP,
    VILLAGE,
    VILLAGE_KIND,
    T,
    station_units,
    units,
)
from vetservice.indicators.builtin.leadership import secretary_checked
from vetservice.indicators.facts import (
    active_at,
    facts,
    flag,
    is_true,
    month_of,
    months,
    per_unit,
)
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    NONE_AT_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    Reason,
    indicator,
)
from vetservice.markers import hookimpl

staff = T["staff"]


# An empty start date sorts first: the post is older than any dated one.
EARLIEST = dt.date(1900, 1, 1)


def fulltime_posts(ctx: Context) -> sa.Subquery:
    """Full-time posts at E (directors and staff with full_time true), each
    person's ranked by start date, then unit code: rank 1 is the post where
    the person counts as full-time."""
    order = (
        sa.func.coalesce(staff.c.started_on, sa.literal(EARLIEST, sa.Date)),
        staff.c.unit_code,
        staff.c.role,
    )
    return (
        sa.select(
            staff.c.id,
            staff.c.person_id,
            staff.c.name,
            staff.c.unit_code,
            staff.c.started_on,
            sa.func.row_number()
            .over(partition_by=staff.c.person_id, order_by=order)
            .label("rank"),
        )
        .where(
            staff.c.role.in_(["director", "staff"]),
            is_true(staff.c.full_time),
            active_at(staff, "started_on", "ended_on", ctx.end),
        )
        .subquery("fulltime_posts")
    )


def _counts(ctx: Context) -> sa.Subquery:
    """Per unit, at E: directors, full-time workers, grid workers, group leaders, volunteers."""
    posts = fulltime_posts(ctx)

    def count(condition: sa.ColumnElement[bool]) -> Any:
        return sa.func.sum(flag(condition))

    return (
        sa.select(
            staff.c.unit_code,
            count(staff.c.role == "director").label("directors"),
            count(posts.c.id.is_not(None)).label("fulltime"),
            count(
                sa.and_(
                    staff.c.role == "leading_group", staff.c.group_role == "grid_worker"
                )
            ).label("grid_workers"),
            count(
                sa.and_(
                    staff.c.role == "leading_group",
                    staff.c.group_role == "group_leader",
                )
            ).label("group_leaders"),
            count(staff.c.role == "volunteer").label("volunteers"),
        )
        .select_from(
            staff.outerjoin(posts, sa.and_(posts.c.id == staff.c.id, posts.c.rank == 1))
        )
        .where(active_at(staff, "started_on", "ended_on", ctx.end))
        .group_by(staff.c.unit_code)
        .subquery("staff_counts")
    )


def _n(column: Any) -> Any:
    return sa.func.coalesce(column, 0)


def _joined(parts: list[Message]) -> Message:
    """One reason, or two joined with a semicolon."""
    if len(parts) == 1:
        return parts[0]
    return Message(N_("{first}; {second}"), {"first": parts[0], "second": parts[1]})


def _too_few_fulltime(row: Mapping[str, Any]) -> Message:
    return Message(
        N_("{count} full-time workers, at least {required} required"),
        {"count": row["fulltime"], "required": row["required"]},
    )


def _county_reason(row: Mapping[str, Any]) -> Message:
    parts = []
    if not row["directors"]:
        parts.append(Message(N_("no director")))
    if row["fulltime"] < row["required"]:
        parts.append(_too_few_fulltime(row))
    return _joined(parts)


@indicator(
    "staff.county_centre",
    area=Area.STAFFING,
    kind=Kind.COMPLIANCE,
    name=("县区服务中心人员配齐率", "county centres fully staffed"),
    rule=(
        "县区服务中心有主任，专职人员不少于编制数（编制不详时不少于 2 人）",
        "the county centre has a director and full-time staff up to its posts (2 if unknown)",
    ),
    target=AT_LEAST_ALL,
    parameters={"min_fulltime": 2},
    reason=_county_reason,
    source="县区必须配齐退役军人服务中心主任及工作人员",
)
def county_centre(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx, [COUNTY]).subquery()
    c = _counts(ctx)
    required = sa.func.coalesce(s.c.posts, ctx.param("min_fulltime", s.c.code))
    return facts(
        s.c.code,
        _n(c.c.directors).label("directors"),
        _n(c.c.fulltime).label("fulltime"),
        required.label("required"),
        met=sa.and_(_n(c.c.directors) >= 1, _n(c.c.fulltime) >= required),
    ).select_from(s.outerjoin(c, c.c.unit_code == s.c.code))


@indicator(
    "staff.township_fulltime",
    area=Area.STAFFING,
    kind=Kind.COMPLIANCE,
    name=("乡镇（街道）专职人员配备达标率", "township full-time staffing"),
    rule=(
        "乡镇（街道）服务站专职人员不少于 2 人",
        "township stations have at least 2 full-time workers",
    ),
    target=AT_LEAST_ALL,
    parameters={"min_fulltime": 2},
    reason=_too_few_fulltime,
    source="乡镇、街道办必须配齐2至3名专职工作人员",
    headline=True,
)
def township_fulltime(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx, [TOWNSHIP]).subquery()
    c = _counts(ctx)
    required = ctx.param("min_fulltime", s.c.code)
    return facts(
        s.c.code,
        _n(c.c.fulltime).label("fulltime"),
        required.label("required"),
        met=_n(c.c.fulltime) >= required,
    ).select_from(s.outerjoin(c, c.c.unit_code == s.c.code))


@indicator(
    "staff.multi_post",
    area=Area.STAFFING,
    kind=Kind.COUNT,
    name=("身兼数职专职人员数", "full-time at several units"),
    rule=(
        "截至 E 在一个以上单位任专职（主任或专职工作人员）的人数，记在其最早起始的单位；"
        "此人在人员配齐、专职人员配备中只在该单位算专职",
        "people full-time (director or full-time staff) at more than one unit at E, counted at"
        " the unit where their earliest post is; only there do they count as full-time in"
        " the staffing indicators",
    ),
    target=NONE_AT_ALL,
    pii=("person_id",),
    source="有的身兼数职心思精力不集中",
)
def multi_post(ctx: Context) -> sa.Select[Any]:
    posts = fulltime_posts(ctx)
    units_held = sa.func.count(sa.distinct(posts.c.unit_code))
    people = (
        sa.select(posts.c.person_id, units_held.label("units"))
        .group_by(posts.c.person_id)
        .having(units_held > 1)
        .subquery("multi_post_people")
    )
    return (
        facts(
            posts.c.unit_code,
            posts.c.person_id,
            posts.c.name,
            posts.c.started_on,
            people.c.units,
            count=True,
        )
        .select_from(posts.join(people, people.c.person_id == posts.c.person_id))
        .where(posts.c.rank == 1)
    )


@indicator(
    "staff.dedicated",
    area=Area.STAFFING,
    kind=Kind.RATIO,
    name=("乡镇专职人员专职专用率", "full-time workers kept to veterans' work"),
    rule=(
        "乡镇（街道）专职人员中不兼做其他工作的比例",
        "full-time township workers not given other work",
    ),
    target=AT_LEAST_ALL,
    pii=("person_id",),
    source="专职工作人员必须集中精力做好退役军人工作，非特殊情况不得随意安排做非退役军人工作",
)
def dedicated(ctx: Context) -> sa.Select[Any]:
    s = station_units(ctx, [TOWNSHIP]).subquery()
    return (
        facts(
            staff.c.unit_code,
            staff.c.person_id,
            staff.c.name,
            staff.c.other_duties,
            met=sa.not_(is_true(staff.c.other_duties)),
        )
        .join(s, s.c.code == staff.c.unit_code)
        .where(
            staff.c.role.in_(["director", "staff"]),
            is_true(staff.c.full_time),
            active_at(staff, "started_on", "ended_on", ctx.end),
        )
    )


@indicator(
    "staff.monthly_guidance",
    area=Area.STAFFING,
    kind=Kind.RATIO,
    name=("专职人员每月下村（社区）指导率", "monthly guidance visits"),
    rule=(
        "有服务站的乡镇（街道）所属村（社区），每月至少有一次专职人员指导",
        "each village under a township with a station is visited at least once a month",
    ),
    target=AT_LEAST_ALL,
    source="乡镇、街道退役军人专职工作人员，每月要把所属每个社区、村跑一遍",
)
def monthly_guidance(ctx: Context) -> sa.Select[Any]:
    """(village-level unit, month) pairs under townships that have a station."""
    parent = station_units(ctx, [TOWNSHIP]).subquery("township_stations")
    period_months = months(ctx)
    visits = T["guidance_visits"]
    # The (unit, month) pairs visited in P, built once from the period's
    # visits and joined (not a search of every visit up to E per pair; and
    # not an IN, which PostgreSQL rescans per pair once the set outgrows
    # work_mem).
    visited = (
        sa.select(visits.c.unit_code, month_of(visits.c.visited_on).label("month"))
        .where(visits.c.visited_on.between(ctx.start, ctx.end))
        .distinct()
        .subquery("visited")
    )
    return (
        facts(
            units.c.code,
            period_months.c.month,
            met=visited.c.unit_code.is_not(None),
        )
        .select_from(
            units.join(parent, parent.c.code == units.c.parent_code)
            .join(period_months, sa.true())
            .outerjoin(
                visited,
                sa.and_(
                    visited.c.unit_code == units.c.code,
                    visited.c.month == period_months.c.month,
                ),
            )
        )
        .where(units.c.level == VILLAGE)
    )


def _group(
    ctx: Context, kind: str, role_column: str, role_param: str
) -> sa.Select[Any]:
    """Villages of the kind: enough members of the role in the leading group and enough volunteers."""
    c = _counts(ctx)
    members = ctx.param(role_param, units.c.code)
    volunteers = ctx.param("min_volunteers", units.c.code)
    return (
        per_unit(
            _n(c.c[role_column]).label("members"),
            members.label("required_members"),
            _n(c.c.volunteers).label("volunteers"),
            volunteers.label("required_volunteers"),
            levels=[VILLAGE],
            met=sa.and_(
                _n(c.c[role_column]) >= members, _n(c.c.volunteers) >= volunteers
            ),
        )
        .outerjoin(c, c.c.unit_code == units.c.code)
        .where(units.c.kind == kind)
    )


def _group_reason(member: Bilingual) -> Reason:
    def reason(row: Mapping[str, Any]) -> Message:
        parts = []
        if row["members"] < row["required_members"]:
            parts.append(
                Message(N_("no {member} in the leading group"), {"member": member})
            )
        if row["volunteers"] < row["required_volunteers"]:
            parts.append(
                Message(
                    N_("{count} volunteers, at least {required} required"),
                    {
                        "count": row["volunteers"],
                        "required": row["required_volunteers"],
                    },
                )
            )
        return _joined(parts)

    return reason


@indicator(
    "staff.community_group",
    area=Area.STAFFING,
    kind=Kind.COMPLIANCE,
    name=("社区领导小组和志愿者达标率", "community groups and volunteers"),
    rule=(
        "社区领导小组有网格员，志愿者不少于 3 人",
        "the community's leading group has a grid worker and it has at least 3 volunteers",
    ),
    target=AT_LEAST_ALL,
    parameters={"min_grid_workers": 1, "min_volunteers": 3},
    reason=_group_reason(Bilingual("网格员", "grid worker")),
    source="社区要把网格员纳入领导小组，并从社区至少选聘3名有当兵经历或热心退役军人工作的志愿者",
)
def community_group(ctx: Context) -> sa.Select[Any]:
    return _group(ctx, COMMUNITY, "grid_workers", "min_grid_workers")


@indicator(
    "staff.village_group",
    area=Area.STAFFING,
    kind=Kind.COMPLIANCE,
    name=("村领导小组和志愿者达标率", "village groups and volunteers"),
    rule=(
        "村领导小组有村民小组长，志愿者不少于 2 人",
        "the village's leading group has a group leader and it has at least 2 volunteers",
    ),
    target=AT_LEAST_ALL,
    parameters={"min_group_leaders": 1, "min_volunteers": 2},
    reason=_group_reason(Bilingual("村民小组长", "group leader")),
    source="村要把驻村第一书记、大学生村官和小组长纳入领导小组，并从本村至少选聘2名有当兵经历或热心退役军人工作的志愿者",
)
def village_group(ctx: Context) -> sa.Select[Any]:
    return _group(ctx, VILLAGE_KIND, "group_leaders", "min_group_leaders")


@indicator(
    "staff.volunteers_military",
    area=Area.STAFFING,
    kind=Kind.RATIO,
    name=("村（社区）志愿者有当兵经历比例", "volunteers with military experience"),
    rule=(
        "村（社区）志愿者中有当兵经历的比例",
        "village volunteers who served in the military",
    ),
    pii=("person_id",),
    source="至少选聘3名有当兵经历或热心退役军人工作的志愿者",
)
def volunteers_military(ctx: Context) -> sa.Select[Any]:
    return (
        facts(
            staff.c.unit_code,
            staff.c.person_id,
            staff.c.name,
            met=is_true(staff.c.military_experience),
        )
        .join(units, units.c.code == staff.c.unit_code)
        .where(
            units.c.level == VILLAGE,
            staff.c.role == "volunteer",
            active_at(staff, "started_on", "ended_on", ctx.end),
        )
    )


INDICATORS: tuple[Indicator, ...] = (
    county_centre,
    township_fulltime,
    multi_post,
    dedicated,
    monthly_guidance,
    community_group,
    village_group,
    volunteers_military,
    secretary_checked,
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
