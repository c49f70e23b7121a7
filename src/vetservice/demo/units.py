"""The demo's hierarchy and what each unit keeps: stations, inspections, staff,
guidance visits and activities."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from importlib import resources
from typing import Any

from vetservice.demo.generator import (
    DEMO_END,
    DEMO_START,
    Generator,
    Scale,
    is_rural,
    months,
)
from vetservice.domain import ENVIRONMENT_ELEMENTS, UnitKind
from vetservice.i18n import N_

STUDY_TITLES = [
    "学习习近平新时代中国特色社会主义思想",
    "学习退役军人保障法",
    "重温入伍誓词",
    "参观延安革命纪念馆",
    "学习上级会议精神",
]
TITLES = {
    "study": STUDY_TITLES,
    "party": ["三会一课", "主题党日", "组织生活会"],
    "honor": ["送光荣牌", "送喜报", "老英雄座谈"],
    "visit": ["节日走访慰问", "看望生病老兵", "困难老兵慰问"],
    "volunteer": ["志愿服务进社区", "义务植树", "助老志愿服务"],
    "culture": ["篮球友谊赛", "象棋比赛", "观看红色影片", "拔河比赛"],
    "special": ["退役军人之家开放日", "老兵讲红色故事", "军歌嘹亮合唱"],
}


def add_units(g: Generator, scale: Scale) -> list[dict[str, str]]:
    data = (
        resources.files("vetservice") / "data" / "divisions" / scale.divisions
    ).read_bytes()
    if scale.divisions.endswith(".gz"):
        data = gzip.decompress(data)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    if scale.root:
        code, name, level = scale.root
        for row in rows:
            row["parent_code"] = row["parent_code"] or code
        rows.insert(
            0,
            {"code": code, "name": name, "level": level, "parent_code": "", "kind": ""},
        )
    units = []
    for row in g.stage(N_("units and their hierarchy"), rows):
        kind = UnitKind.parse(row["kind"]).value if row["kind"] else None
        unit = {
            "code": row["code"],
            "name": row["name"],
            "level": row["level"],
            "parent_code": row["parent_code"] or None,
            "kind": kind,
        }
        g.add("units", unit)
        units.append({**unit, "kind": kind or ""})
    return units


def _good(unit: dict[str, str]) -> float:
    """How well a unit keeps its standards: county centres, streets and communities better."""
    return {"city": 0.97, "county": 0.95, "street": 0.9, "community": 0.88}.get(
        unit["kind"] or unit["level"], 0.7
    )


def add_stations_and_staff(g: Generator, units: list[dict[str, str]]) -> None:
    by_parent: dict[str, list[dict[str, str]]] = {}
    for u in units:
        by_parent.setdefault(u["parent_code"] or "", []).append(u)
    for u in g.stage(N_("stations and staff"), units):
        good = _good(u)
        rural = is_rural(u)
        if u["level"] in ("country", "province") or (
            u["level"] == "village" and not g.chance(0.93 if rural else 0.99)
        ):
            continue
        established = g.day(dt.date(2019, 3, 1), dt.date(2024, 12, 31))
        if u["level"] == "village" and g.chance(0.02):
            established = g.day(dt.date(2026, 1, 1), DEMO_END)
        posts = g.rng.randint(4, 7) if u["level"] == "county" else None
        tidy = g.chance(good)  # a well-kept station: complete displays, five haves
        g.add(
            "stations",
            {
                "unit_code": u["code"],
                "established_on": established,
                "dedicated_space": g.chance(0.97 if not rural else 0.62),
                "posts": posts,
                # A station keeps the five haves as a whole or lacks one or two.
                **{
                    f: g.chance(1.0 if tidy else 0.7)
                    for f in (
                        "has_organization",
                        "has_posts",
                        "has_staff",
                        "has_funding",
                        "has_support",
                    )
                },
                "model": (
                    "national"
                    if g.chance(0.08)
                    else "provincial"
                    if g.chance(0.2)
                    else None
                )
                if u["level"] in ("county", "township") and not rural
                else ("fengqiao" if g.chance(0.02) else None),
            },
        )
        g.station_units.append(u)
        # Most stations were inspected in 2025, many again in 2026; a few never.
        days = set()
        if g.chance(0.93):
            days.add(g.day(DEMO_START, dt.date(2025, 12, 31)))
        if g.chance(0.6):
            days.add(g.day(dt.date(2026, 1, 1), DEMO_END))
        for checked_on in sorted(days):
            row = {"unit_code": u["code"], "checked_on": checked_on, "note": None}
            for element in ENVIRONMENT_ELEMENTS:
                weak = element in (
                    "hero_portraits",
                    "local_column",
                    "military_culture",
                    "four_most_beautiful",
                )
                if tidy:
                    present = g.chance(0.99)
                else:
                    present = g.chance(
                        0.45 if weak and rural else 0.7 if weak else 0.85
                    )
                row[element] = present
            g.add("environment", row)
        _staff(g, u, posts, by_parent)


def _staff(
    g: Generator,
    u: dict[str, str],
    posts: int | None,
    by_parent: dict[str, list[dict[str, str]]],
) -> None:
    code = u["code"]

    def person(role: str, **extra: Any) -> str:
        pid = f"S{code}-{g.counts.get('staff', 0) + len(g.pending.get('staff', [])) + 1:06d}"
        ended = (
            g.day(dt.date(2025, 2, 1), dt.date(2025, 12, 31))
            if g.chance(0.04)
            else None
        )
        g.add(
            "staff",
            {
                "person_id": pid,
                "unit_code": code,
                "name": g.name(g.chance(0.3)),
                "role": role,
                "full_time": extra.get("full_time"),
                "other_duties": extra.get("other_duties"),
                "military_experience": extra.get("military_experience", g.chance(0.5)),
                "group_role": extra.get("group_role"),
                "started_on": None
                if g.chance(0.7)
                else g.day(dt.date(2019, 1, 1), dt.date(2024, 12, 31)),
                "ended_on": ended,
            },
        )
        return pid

    if u["level"] in ("city", "county"):
        person("director", full_time=True, other_duties=False)
        for _ in range((posts or 4) - g.rng.choice([0, 0, 1, 2])):
            person("staff", full_time=True, other_duties=g.chance(0.1))
    elif u["level"] == "township":
        street = not is_rural(u)
        n = g.rng.choices(
            [1, 2, 3], weights=[0.1, 0.5, 0.4] if street else [0.4, 0.45, 0.15]
        )[0]
        first = ""
        for i in range(n):
            pid = person(
                "staff" if i else "director",
                full_time=True,
                other_duties=g.chance(0.15 if street else 0.35),
            )
            first = first or pid
        g.townships_staff[code] = first
        _guidance(g, u, first, by_parent.get(code, []))
    else:
        community = not is_rural(u)
        person("leading_group", group_role="secretary")
        if g.chance(0.9 if community else 0.75):
            person(
                "leading_group",
                group_role="grid_worker" if community else "group_leader",
            )
        if not community and g.chance(0.4):
            person("leading_group", group_role="first_secretary")
        for _ in range(g.rng.randint(1, 6) if community else g.rng.randint(0, 4)):
            person("volunteer", military_experience=g.chance(0.7))


def _guidance(
    g: Generator, township: dict[str, str], staff: str, villages: list[dict[str, str]]
) -> None:
    p = (0.85 if not is_rural(township) else 0.6) * min(1.0, g.scale.monthly)
    for village in villages:
        for y, m in months(DEMO_START, DEMO_END):
            if not g.chance(p):
                continue
            days = {dt.date(y, m, g.rng.randint(1, 28)) for _ in range(g.times(1))}
            for day in sorted(days):
                if day <= DEMO_END:
                    g.add(
                        "guidance_visits",
                        {
                            "staff_person_id": staff,
                            "unit_code": village["code"],
                            "visited_on": day,
                            "note": None,
                        },
                    )


def add_activities(g: Generator, units: list[dict[str, str]]) -> None:
    for u in g.stage(N_("activities"), g.station_units):
        p = (0.9 if not is_rural(u) else 0.55) * min(1.0, g.scale.monthly)
        seen: set[tuple[Any, ...]] = set()
        for y, m in months(DEMO_START, DEMO_END):
            if not g.chance(p):
                continue
            for _ in range(g.times(g.rng.randint(1, 3))):
                kind = g.rng.choices(list(TITLES), [25, 20, 10, 15, 12, 12, 6])[0]
                day = min(DEMO_END, dt.date(y, m, g.rng.randint(1, 28)))
                title = g.rng.choice(TITLES[kind])
                if (day, kind, title) in seen:
                    continue
                seen.add((day, kind, title))
                red = kind == "study" and g.chance(
                    0.6 if u["code"].startswith("610602") else 0.3
                )
                g.add(
                    "activities",
                    {
                        "unit_code": u["code"],
                        "held_on": day,
                        "type": kind,
                        "title": title,
                        "participants": g.rng.randint(5, 60),
                        "tags": "红色资源" if red else None,
                    },
                )
