"""服务保障 — employment and entrepreneurship (就业创业): registration,
training and job fairs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from vetservice.i18n import N_, Message
from vetservice.indicators.builtin.common import COUNTY, T, units
from vetservice.indicators.builtin.services.rows import ID_PII, veterans, with_veteran
from vetservice.indicators.facts import (
    age_at,
    age_between,
    facts,
    per_unit,
    per_veteran,
)
from vetservice.indicators.model import (
    AT_LEAST_ALL,
    Area,
    Context,
    Indicator,
    Kind,
    indicator,
)
from vetservice.store import unit_closure

employment = T["employment"]
job_fairs = T["job_fairs"]


def _yes(column: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
    """``column IS TRUE``: the same as ``is_true`` (an empty bool is not
    true), in a form PostgreSQL can estimate from the column's statistics."""
    return column.is_(True)


@indicator(
    "emp.registered",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("就业创业登记率", "employment registration"),
    rule=(
        "18 至 59 周岁的退役军人都做了就业创业登记（了解特长和就业意愿）",
        "every veteran aged 18 to 59 has an employment registration",
    ),
    target=AT_LEAST_ALL,
    # Working age may move with the retirement-age reform: a county
    # changes it for its own subtree.
    parameters={"min_age": 18, "max_age": 59},
    source="要广泛了解退役军人爱好特长、就业意愿",
    pii=ID_PII,
)
def registered(ctx: Context) -> sa.Select[Any]:
    e = employment.alias("registration")
    # Each veteran's latest registration up to E, grouped once and joined:
    # one pass on both databases. (An IN list larger than PostgreSQL's
    # work_mem is rescanned for every veteran: minutes on a province.)
    latest = (
        sa.select(e.c.id_number, sa.func.max(e.c.registered_on).label("registered_on"))
        .where(e.c.registered_on <= ctx.end)
        .group_by(e.c.id_number)
        .subquery("latest_registration")
    )
    # Completed years of age at E, from the birth date in the id number.
    working_age = age_between(
        veterans.c.id_number,
        ctx.end,
        ctx.param("min_age", veterans.c.unit_code),
        ctx.param("max_age", veterans.c.unit_code),
    )
    # The age, not the birth date: a birth date next to a masked id number
    # would unmask it.
    age = age_at(veterans.c.id_number, ctx.end)
    return (
        per_veteran(
            veterans.c.id_number,
            veterans.c.name,
            age.label("age"),
            latest.c.registered_on,
            met=latest.c.id_number.is_not(None),
        )
        .outerjoin(latest, latest.c.id_number == veterans.c.id_number)
        .where(working_age)
    )


@indicator(
    "emp.trained",
    area=Area.SERVICES,
    kind=Kind.RATIO,
    name=("有培训意愿求职者参训率", "job seekers trained"),
    rule=(
        "最近一次登记为求职且有培训意愿的退役军人都参加了职业技能培训",
        "every job-seeking veteran who wants training has been trained",
    ),
    target=AT_LEAST_ALL,
    source="同时要发动退役军人参加各种职业技术培训，提高就业能力",
    pii=ID_PII,
)
def trained(ctx: Context) -> sa.Select[Any]:
    emp = employment
    newer = emp.alias("newer")
    # The veteran's latest registration on or before E: none newer up to E
    # (an anti-join, where a MAX per row misleads PostgreSQL's estimates).
    superseded = sa.exists().where(
        newer.c.id_number == emp.c.id_number,
        newer.c.registered_on > emp.c.registered_on,
        newer.c.registered_on <= ctx.end,
    )
    return (
        facts(
            veterans.c.unit_code,
            emp.c.id_number,
            veterans.c.name,
            emp.c.registered_on,
            emp.c.wanted_job,
            emp.c.trained_on,
            met=emp.c.trained_on <= ctx.end,
        )
        .select_from(with_veteran(emp))
        .where(
            emp.c.status == "seeking",
            _yes(emp.c.wants_training),
            emp.c.registered_on <= ctx.end,
            sa.not_(superseded),
        )
    )


def _no_job_fair(row: Mapping[str, Any]) -> Message:
    return Message(
        N_("no job fair for veterans held from {start} to {end}"),
        {"start": str(row["from_date"]), "end": str(row["to_date"])},
    )


@indicator(
    "emp.job_fairs",
    area=Area.SERVICES,
    kind=Kind.COMPLIANCE,
    name=("专场招聘会举办率", "job fairs held"),
    rule=(
        "每个县区今年至少举办一场退役军人专场招聘会",
        "every county holds at least one job fair for veterans this year",
    ),
    target=AT_LEAST_ALL,
    reason=_no_job_fair,
    source="认真筹备退役军人专场招聘会，搭建就业创业平台",
)
def fairs_held(ctx: Context) -> sa.Select[Any]:
    # Fairs counted once per ancestor of their unit, then joined to the
    # counties (rather than a count per county over its subtree).
    down = unit_closure.alias("down")
    held = (
        sa.select(down.c.ancestor, sa.func.count().label("fairs"))
        .select_from(job_fairs.join(down, down.c.descendant == job_fairs.c.unit_code))
        .where(job_fairs.c.held_on.between(ctx.year_start, ctx.end))
        .group_by(down.c.ancestor)
        .subquery("fairs_held")
    )
    fairs = sa.func.coalesce(held.c.fairs, 0)
    return per_unit(
        fairs.label("fairs"),
        sa.literal(ctx.year_start, sa.Date).label("from_date"),
        sa.literal(ctx.end, sa.Date).label("to_date"),
        met=fairs > 0,
        levels=[COUNTY],
    ).outerjoin(held, held.c.ancestor == units.c.code)


INDICATORS: tuple[Indicator, ...] = (registered, trained, fairs_held)
