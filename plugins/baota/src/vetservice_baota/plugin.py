"""宝塔区 plugin: a local indicator and a stricter local standard.

- ``baota.red_study``: of the study activities (学习教育) held at 宝塔区's
  stations in the period, the share that use 延安's red resources (tagged
  红色资源) — "利用延安独特的红色资源，组织他们学习".
- Townships and streets of 宝塔区 must have at least 3 full-time workers
  (the city's rule says 2 to 3): an override of ``staff.township_fulltime``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import vetservice as vs
from vetservice.indicators import (
    Area,
    Context,
    Indicator,
    Kind,
    Override,
    Target,
    facts,
    in_period,
    indicator,
)
from vetservice.store import TABLES

BAOTA = "610602000000"
RED = "红色资源"

activities = TABLES["activities"]
stations = TABLES["stations"]


def _tagged(tag: str) -> sa.ColumnElement[bool]:
    """The activity carries this tag (tags are stored ';'-joined)."""
    tags = sa.func.coalesce(activities.c.tags, "")
    # Pad both ends so that only a whole tag matches.
    return (sa.literal(";") + tags + sa.literal(";")).contains(f";{tag};")


@indicator(
    "baota.red_study",
    area=Area.ACTIVITIES,
    kind=Kind.RATIO,
    name=("学习教育活动用红色资源比例", "study activities using red resources"),
    rule=(
        "报告期内服务站学习教育活动中标注“红色资源”的比例",
        "share of study activities tagged 红色资源",
    ),
    target=Target(">=", 0.5),
    source="利用延安独特的红色资源，组织他们学习习近平新时代中国特色社会主义思想",
    scope=(BAOTA,),
)
def red_study(ctx: Context) -> sa.Select[Any]:
    """One fact per study activity held in P at a station established by E."""
    return (
        facts(
            activities.c.unit_code,
            activities.c.held_on,
            activities.c.title,
            activities.c.tags,
            met=_tagged(RED),
        )
        .join(stations, stations.c.unit_code == activities.c.unit_code)
        .where(
            activities.c.type == "study",
            in_period(activities.c.held_on, ctx),
            stations.c.established_on <= ctx.end,
        )
    )


@vs.hookimpl
def vetservice_register_indicators() -> list[Indicator]:
    return [red_study]


@vs.hookimpl
def vetservice_register_overrides() -> list[Override]:
    return [Override("staff.township_fulltime", BAOTA, {"min_fulltime": 3})]
