"""信访 — petitions under the 信访工作条例 (2022) time limits (seed §5).

The limits and what "open", "closed" and "accepted" mean are in
:mod:`vetservice.indicators.petition_rules`, which the reports' watch list
reads too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from vetservice.indicators.builtin.receptions import CASE_PLANS, RECEPTIONS
from vetservice.indicators.facts import add_days, facts, in_period, is_true
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    NONE_AT_ALL,
    Area,
    Context,
    Facts,
    Indicator,
    Kind,
    indicator,
)
from vetservice.indicators.petition_rules import (
    LIMITS,
    closed,
    decision,
    handling_deadline,
    open_at_end,
    p,
)
from vetservice.markers import hookimpl

SOURCE = "扎实做好接访、约访、下访、督访工作"
ESCALATION = "决不能出现不负责任、矛盾上交的现象"


# What a petition fact shows in shortfall lists and drill-through.
DETAILS = (p.c.case_no, p.c.received_on, p.c.accepted_on, p.c.closed_on)


def _counted(where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """One fact, counted, per petition matching ``where``."""
    return facts(p.c.unit_code, *DETAILS, count=True).where(where)


def _share(met: sa.ColumnElement[bool], where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """One fact per petition matching ``where``, met when ``met`` holds."""
    return facts(p.c.unit_code, *DETAILS, met=met).where(where)


def _received(ctx: Context, condition: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Petitions received in P meeting the condition, counted."""
    return _counted(sa.and_(in_period(p.c.received_on, ctx), condition))


@indicator(
    "pet.open",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("未办结信访件数", "open petitions"),
    rule=("截至 E 已登记未办结的信访", "petitions received and not closed at E"),
    parameters=LIMITS,
    source=SOURCE,
)
def open_cases(ctx: Context) -> sa.Select[Any]:
    return _counted(open_at_end(ctx))


@indicator(
    "pet.accepted_on_time",
    area=Area.PETITIONS,
    kind=Kind.RATIO,
    name=("信访按时受理（告知）率", "decided on time"),
    rule=(
        "受理（告知）期限（登记后 15 日）落在报告期内的信访中按期作出受理决定的比例",
        "petitions whose decision was due in the period and was made within 15 days",
    ),
    target=AT_LEAST_ALL,
    parameters=LIMITS,
    source=SOURCE,
)
def accepted_on_time(ctx: Context) -> sa.Select[Any]:
    due = add_days(p.c.received_on, ctx.param("decision_days", p.c.unit_code))
    on_time = sa.and_(p.c.accepted_on.is_not(None), p.c.accepted_on <= due)
    return _share(on_time, due.between(ctx.start, ctx.end))


@indicator(
    "pet.overdue",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("超期未办结信访件数", "overdue petitions"),
    rule=(
        "已受理、截至 E 未办结且超过 60 日（延期 90 日）办理期限的信访",
        "accepted petitions open at E past 60 days (90 if extended)",
    ),
    target=NONE_AT_ALL,
    parameters=LIMITS,
    source="对各类信访诉求要进行一次再排查，重点排查是否及时按照政策规定予以答复",
    headline=True,
)
def overdue(ctx: Context) -> sa.Select[Any]:
    return _counted(
        sa.and_(
            open_at_end(ctx),
            decision() == "accepted",
            sa.literal(ctx.end) > handling_deadline(ctx),
        )
    )


@indicator(
    "pet.closed_on_time",
    area=Area.PETITIONS,
    kind=Kind.RATIO,
    name=("信访按期办结率", "closed on time"),
    rule=(
        "报告期内办结的已受理信访中在办理期限内办结的比例",
        "accepted petitions closed in the period within their handling limit",
    ),
    target=AT_LEAST_ALL,
    parameters=LIMITS,
    source=SOURCE,
    headline=True,
)
def closed_on_time(ctx: Context) -> sa.Select[Any]:
    return _share(
        p.c.closed_on <= handling_deadline(ctx),
        sa.and_(decision() == "accepted", in_period(p.c.closed_on, ctx)),
    )


@indicator(
    "pet.rescreened",
    area=Area.PETITIONS,
    kind=Kind.RATIO,
    name=("信访再排查率", "petitions re-screened"),
    rule=(
        "未办结或本年办结的信访中，报告期内做过再排查的比例",
        "petitions open at E or closed this year that were re-screened in the period",
    ),
    target=AT_LEAST_ALL,
    parameters=LIMITS,
    source="对各类信访诉求要进行一次再排查",
)
def rescreened(ctx: Context) -> sa.Select[Any]:
    closing = closed()
    in_scope = sa.or_(open_at_end(ctx), closing.between(ctx.year_start, ctx.end))
    return _share(
        in_period(p.c.rescreened_on, ctx),
        sa.and_(p.c.received_on <= ctx.end, in_scope),
    )


CHECKS = ("answered_per_policy", "policy_implemented", "solved", "stable")


@indicator(
    "pet.rescreen_flags",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("再排查发现问题件数", "re-screen findings"),
    rule=(
        "报告期内再排查的信访中四项检查有一项不是“是”的",
        "petitions re-screened in the period with any of the four checks not true",
    ),
    target=NONE_AT_ALL,
    parameters=LIMITS,
    source="重点排查是否及时按照政策规定予以答复，政策规定是否落实到位，反映问题是否得到有效解决，人员思想是否出现反弹波动",
)
def rescreen_flags(ctx: Context) -> sa.Select[Any]:
    flagged = sa.or_(*(sa.not_(is_true(p.c[c])) for c in CHECKS))
    return _counted(sa.and_(in_period(p.c.rescreened_on, ctx), flagged))


@indicator(
    "pet.review_on_time",
    area=Area.PETITIONS,
    kind=Kind.RATIO,
    name=("复查复核按期答复率", "reviews answered on time"),
    rule=(
        "答复期限（申请后 30 日）落在报告期内的复查、复核中按期答复的比例",
        "reviews and rechecks due in the period answered by the due date",
    ),
    target=AT_LEAST_ALL,
    parameters=LIMITS,
    source=SOURCE,
)
def review_on_time(ctx: Context) -> sa.Select[Any]:
    # Two facts per petition at most, a review and a recheck: one fact set
    # for each stage, put together.
    stages = []
    for requested, answered in (
        ("review_requested_on", "review_answered_on"),
        ("recheck_requested_on", "recheck_answered_on"),
    ):
        due = add_days(p.c[requested], ctx.param("review_days", p.c.unit_code))
        stages.append(
            facts(
                p.c.unit_code,
                p.c.case_no,
                sa.literal(requested).label("stage"),
                due.label("due"),
                met=sa.and_(p.c[answered].is_not(None), p.c[answered] <= due),
            ).where(p.c[requested].is_not(None), due.between(ctx.start, ctx.end))
        )
    union = sa.union_all(*stages).subquery("reviews")
    return sa.select(union)


@indicator(
    "pet.escalated",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("越级信访件数", "escalated petitions"),
    rule=("报告期内登记的越级信访", "escalated petitions received in the period"),
    target=NONE_AT_ALL,
    parameters=LIMITS,
    source=ESCALATION,
)
def escalated(ctx: Context) -> sa.Select[Any]:
    return _received(ctx, is_true(p.c.escalated))


@indicator(
    "pet.group",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("集体访件数", "group petitions"),
    rule=("报告期内登记的集体访", "group petitions received in the period"),
    target=NONE_AT_ALL,
    parameters=LIMITS,
    source="确保社会大局稳定",
)
def group(ctx: Context) -> sa.Select[Any]:
    return _received(ctx, is_true(p.c.group))


LEVEL_NAMES = {
    "county": ("县", "county"),
    "city": ("市", "city"),
    "province": ("省", "province"),
    "national": ("京", "Beijing"),
}


def _reaching(condition: sa.ColumnElement[bool]) -> Facts:
    def reached(ctx: Context) -> sa.Select[Any]:
        return _received(ctx, condition)

    return reached


def _reached() -> list[Indicator]:
    """pet.reached.LEVEL and pet.reached_group.LEVEL for each level a petition reaches."""
    found = []
    for level, (zh, en) in LEVEL_NAMES.items():
        for group_only in (False, True):
            condition = p.c.level_reached == level
            if group_only:
                condition = sa.and_(condition, is_true(p.c.group))
            found.append(
                indicator(
                    f"pet.reached{'_group' if group_only else ''}.{level}",
                    area=Area.PETITIONS,
                    kind=Kind.COUNT,
                    name=(
                        f"到{zh}{'集体' if group_only else ''}信访件数",
                        f"{'group ' if group_only else ''}petitions reaching {en}",
                    ),
                    rule=(
                        f"报告期内登记、到达{zh}的{'集体' if group_only else ''}信访",
                        f"{'group ' if group_only else ''}petitions received in the period that reached {en}",
                    ),
                    target=NONE_AT_ALL,
                    source=ESCALATION,
                )(_reaching(condition))
            )
    return found


REACHED: tuple[Indicator, ...] = tuple(_reached())


@indicator(
    "pet.repeat",
    area=Area.PETITIONS,
    kind=Kind.COUNT,
    name=("重复信访件数", "repeat petitions"),
    rule=("报告期内登记的重复信访", "repeat petitions received in the period"),
    parameters=LIMITS,
    source="切实把思想扣子解开，把矛盾问题解决好",
)
def repeat(ctx: Context) -> sa.Select[Any]:
    return _received(ctx, is_true(p.c.repeat))


@indicator(
    "pet.money_only",
    area=Area.PETITIONS,
    kind=Kind.RATIO,
    name=("只给钱给物化解比例", "resolved with money only"),
    rule=(
        "报告期内办结、有化解方式的信访中只用“资金物资”的比例",
        "petitions closed in the period whose resolution is money and nothing else",
    ),
    target=NONE_AT_ALL,
    parameters=LIMITS,
    source="不能只给钱给物，更要从关心关爱、思想教育、政治引领、法制宣讲、帮难解困等方面多做工作",
)
def money_only(ctx: Context) -> sa.Select[Any]:
    return _share(
        p.c.resolution == "money",
        sa.and_(in_period(closed(), ctx), p.c.resolution.is_not(None)),
    )


INDICATORS: tuple[Indicator, ...] = (
    open_cases,
    accepted_on_time,
    overdue,
    closed_on_time,
    rescreened,
    rescreen_flags,
    *CASE_PLANS,
    review_on_time,
    escalated,
    group,
    *REACHED,
    repeat,
    money_only,
    *RECEPTIONS,
)


@hookimpl
def vetservice_register_indicators() -> Iterable[Indicator]:
    return INDICATORS
