"""Build a demo database on a real hierarchy with generated, believable records.

Deterministic for a seed (one ``random.Random``, no clock), bulk inserts in
batches, one transaction. The data run from 2025-01-01 to :data:`DEMO_END`
and carry the shortfalls the seed speech describes: townships and villages
weaker than county centres, streets and communities; stations missing display
elements; a few late or wrong benefit payments; overdue petitions; a county
without a care fund.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import random
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from stdnum.cn import ric

from vetservice.domain import ENVIRONMENT_ELEMENTS, UnitKind
from vetservice.errors import ConfigurationError
from vetservice.i18n import N_
from vetservice.store import TABLES, refresh_statistics, transaction
from vetservice.store.hierarchy import refresh_closure

DEMO_START = dt.date(2025, 1, 1)
DEMO_END = dt.date(2026, 11, 28)
BATCH = 10_000


@attrs.frozen
class Scale:
    """A demo's hierarchy and how many rows it generates, as multiples of the city's.

    ``veterans`` multiplies the veterans per village (and so everything kept
    per veteran); ``monthly`` the activities per station-month and the
    guidance visits per village-month (below 1 it thins months out);
    ``routine_visits`` adds that many routine visits per veteran on average.
    """

    divisions: str
    veterans: float = 1.0
    monthly: float = 1.0
    routine_visits: float = 0.0
    # A root above the file's roots (the country file has 31 provinces).
    root: tuple[str, str, str] | None = None


SCALES = {
    "city": Scale("yanan.csv"),
    # About 1,000,000 veterans and 5,000,000 event rows on 陕西省's 21,809 units.
    "province": Scale("shaanxi.csv", veterans=3.0, monthly=1.7, routine_visits=1.6),
    # The whole hierarchy (665,277 units) with a thin spread of records, for PostgreSQL.
    "country": Scale(
        "china.csv.gz",
        veterans=0.1,
        monthly=0.04,
        root=("00", "全国", "country"),
    ),
}

Progress = Callable[[str, int, int], None]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
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
FIELDS = ["legal", "psychological", "medical", "elderly_care", "arts"]
STANDARD = {
    "disabled": 2200,
    "martyr_family": 2600,
    "duty_death_family": 2300,
    "illness_death_family": 2100,
    "demobilized": 1200,
    "ill_returned": 1100,
    "war_participant": 900,
    "rural_aged": 300,
    "other": 500,
}


@attrs.frozen
class DemoSummary:
    scale: str
    seed: int
    counts: dict[str, int]


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months, (y, m) = [], (start.year, start.month)
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _month_end(y: int, m: int) -> dt.date:
    return (dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)) - dt.timedelta(
        days=1
    )


class _Generator:
    """Generates rows kind by kind and writes them in batches."""

    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        progress: Progress | None,
        scale: Scale,
    ) -> None:
        self.conn, self.rng, self.progress, self.scale = conn, rng, progress, scale
        self.counts: dict[str, int] = {}
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.used_ids: set[str] = set()
        self.townships_staff: dict[
            str, str
        ] = {}  # township code -> its first full-time worker
        self.station_units: list[dict[str, str]] = []
        self.honors: set[tuple[str, str, dt.date]] = set()

    # -- writing ------------------------------------------------------------

    def add(self, kind: str, row: dict[str, Any]) -> None:
        rows = self.pending.setdefault(kind, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(kind)

    def flush(self, kind: str | None = None) -> None:
        for name in [kind] if kind else list(self.pending):
            rows = self.pending.pop(name, [])
            if rows:
                self.conn.execute(TABLES[name].insert(), rows)
                self.counts[name] = self.counts.get(name, 0) + len(rows)

    def stage(self, name: str, items: list[Any]) -> Iterator[Any]:
        total = len(items)
        for i, item in enumerate(items, 1):
            yield item
            if self.progress and (i % 200 == 0 or i == total):
                self.progress(name, i, total)
        self.flush()

    # -- values -------------------------------------------------------------

    def times(self, n: int) -> int:
        """``n`` rows of a monthly kind, grown by the scale (never thinned: that is by month)."""
        return n if self.scale.monthly <= 1 else round(n * self.scale.monthly)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def day(self, start: dt.date = DEMO_START, end: dt.date = DEMO_END) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    @staticmethod
    def until(day: dt.date) -> dt.date | None:
        """The date if it has happened by the demo's end, else None (not yet)."""
        return day if day <= DEMO_END else None

    def name(self, female: bool = False) -> str:
        given = self.rng.choice(GIVEN[160:] if female else GIVEN[:160])
        if self.chance(0.6):
            given += self.rng.choice(GIVEN)
        return self.rng.choice(SURNAMES) + given

    def id_number(self, place: str, birth: dt.date, male: bool) -> str:
        while True:
            seq = self.rng.randint(0, 499) * 2 + (1 if male else 0)
            body = f"{place}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}"


def _rural(unit: dict[str, str]) -> bool:
    return unit["kind"] in ("town", "township", "village", "sumu", "gacha")


def build_demo(
    engine: Engine,
    *,
    scale: str = "city",
    seed: int = 0,
    progress: Progress | None = None,
    veterans_factor: float = 1.0,
    rows_factor: float = 1.0,
) -> DemoSummary:
    """Fill an empty database with a demo on the real hierarchy of ``scale``
    (city: 延安市, province: 陕西省, country: the whole country).

    ``veterans_factor`` shrinks or grows the number of veterans per village
    (tests use a small one; the default gives about 28,000 in 延安市);
    ``rows_factor`` grows veterans and monthly records together, on the
    same units (the benchmarks' 1×, 2×, 4× and 10×).
    """
    if scale not in SCALES:
        raise ConfigurationError(
            N_("unknown demo scale {scale}; choose city, province or country"),
            scale=scale,
        )
    profile = SCALES[scale]
    profile = attrs.evolve(
        profile,
        veterans=profile.veterans * veterans_factor * rows_factor,
        monthly=profile.monthly * rows_factor,
    )
    rng = random.Random(seed)
    with transaction(engine) as conn:
        if conn.scalar(sa.select(sa.func.count()).select_from(TABLES["units"])):
            raise ConfigurationError(
                N_(
                    "the database already holds units; build the demo in an empty database"
                )
            )
        g = _Generator(conn, rng, progress, profile)
        units = _units(g, profile)
        refresh_closure(conn)
        _stations_and_staff(g, units)
        veterans = _veterans(g, units)
        _activities(g, units)
        _services(g, units, veterans)
        _petitions(g, units, veterans)
    refresh_statistics(engine)
    return DemoSummary(
        scale,
        seed,
        dict(sorted(g.counts.items(), key=lambda kv: list(TABLES).index(kv[0]))),
    )


def _units(g: _Generator, scale: Scale) -> list[dict[str, str]]:
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
    for row in g.stage("units", rows):
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


def _stations_and_staff(g: _Generator, units: list[dict[str, str]]) -> None:
    by_parent: dict[str, list[dict[str, str]]] = {}
    for u in units:
        by_parent.setdefault(u["parent_code"] or "", []).append(u)
    for u in g.stage("stations", units):
        good = _good(u)
        rural = _rural(u)
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
    g: _Generator,
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
        street = not _rural(u)
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
        community = not _rural(u)
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
    g: _Generator, township: dict[str, str], staff: str, villages: list[dict[str, str]]
) -> None:
    p = (0.85 if not _rural(township) else 0.6) * min(1.0, g.scale.monthly)
    for village in villages:
        for y, m in _months(DEMO_START, DEMO_END):
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


def _veterans(g: _Generator, units: list[dict[str, str]]) -> list[dict[str, Any]]:
    villages = [u for u in units if u["level"] == "village"]
    staff_of = g.townships_staff
    veterans = []
    for u in g.stage("veterans", villages):
        count = round(
            (
                g.rng.randint(15, 45)
                if u["kind"] == "community"
                else g.rng.randint(6, 20)
            )
            * g.scale.veterans
        )
        for _ in range(count):
            male = g.chance(0.95)
            birth = g.day(dt.date(1936, 1, 1), dt.date(2004, 12, 31))
            place = "612601" if birth.year < 1996 and g.chance(0.5) else u["code"][:6]
            number = g.id_number(place, birth, male)
            party = g.chance(0.3)
            key = g.chance(0.08)
            approved = (
                g.day(dt.date(2019, 1, 1), dt.date(2026, 10, 31))
                if g.chance(0.85)
                else None
            )
            hung = (
                (approved + dt.timedelta(days=g.rng.randint(3, 90)))
                if approved and g.chance(0.9 if not _rural(u) else 0.78)
                else None
            )
            veteran = {
                "id_number": number,
                "name": g.name(not male),
                "gender": "male" if male else "female",
                "birth_date": birth,
                "unit_code": u["code"],
                "category": g.rng.choices(
                    [
                        "conscript",
                        "nco",
                        "transferred_cadre",
                        "demobilized_cadre",
                        "retired_cadre",
                        "other",
                    ],
                    [50, 30, 8, 5, 4, 3],
                )[0],
                "discharged_on": min(
                    DEMO_END,
                    dt.date(
                        min(birth.year + g.rng.randint(20, 40), 2026),
                        g.rng.randint(1, 12),
                        1,
                    ),
                ),
                "party_member": party,
                "branch_enrolled": (g.chance(0.85) if party else None),
                "key_attention": key,
                "in_volunteer_team": g.chance(0.15),
                "contact_person_id": staff_of.get(u["parent_code"] or "")
                if key and g.chance(0.85)
                else None,
                "plaque_approved_on": approved,
                "plaque_hung_on": hung if hung and hung <= DEMO_END else None,
                "phone": g.phone() if g.chance(0.9) else None,
            }
            g.add("veterans", veteran)
            veterans.append(veteran)
    return veterans


def _activities(g: _Generator, units: list[dict[str, str]]) -> None:
    for u in g.stage("activities", g.station_units):
        p = (0.9 if not _rural(u) else 0.55) * min(1.0, g.scale.monthly)
        seen: set[tuple[Any, ...]] = set()
        for y, m in _months(DEMO_START, DEMO_END):
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


def _services(
    g: _Generator, units: list[dict[str, str]], veterans: list[dict[str, Any]]
) -> None:
    counties = [u for u in units if u["level"] == "county"]
    hardship_ids: list[str] = []
    recipients = 0
    for v in g.stage("services", veterans):
        vid = v["id_number"]
        age = (DEMO_END - v["birth_date"]).days // 365
        routine: set[tuple[dt.date, str]] = set()
        if v["key_attention"]:
            for holiday in (
                dt.date(2025, 1, 25),
                dt.date(2025, 7, 30),
                dt.date(2025, 9, 28),
                dt.date(2026, 2, 12),
                dt.date(2026, 7, 30),
                dt.date(2026, 9, 28),
            ):
                if g.chance(0.75):
                    g.add(
                        "visits",
                        {
                            "id_number": vid,
                            "visited_on": holiday
                            + dt.timedelta(days=g.rng.randint(0, 3)),
                            "reason": "holiday",
                            "staff_person_id": v["contact_person_id"],
                            "note": None,
                        },
                    )
            if g.chance(0.3):
                visited = g.day()
                reason = g.rng.choice(["illness", "hardship", "routine"])
                routine.add((visited, reason))
                g.add(
                    "visits",
                    {
                        "id_number": vid,
                        "visited_on": visited,
                        "reason": reason,
                        "staff_person_id": None,
                        "note": None,
                    },
                )
        if g.scale.routine_visits:
            # Larger demos visit every veteran now and then, as many stations do.
            whole, part = divmod(g.scale.routine_visits, 1)
            for _ in range(int(whole) + g.chance(part)):
                visited = g.day()
                if (visited, "routine") not in routine:
                    routine.add((visited, "routine"))
                    g.add(
                        "visits",
                        {
                            "id_number": vid,
                            "visited_on": visited,
                            "reason": "routine",
                            "staff_person_id": None,
                            "note": None,
                        },
                    )
        if g.chance(0.2):
            status = g.rng.choices(["entered", "pending", "rejected"], [80, 12, 8])[0]
            g.add(
                "social_insurance",
                {
                    "id_number": vid,
                    "eligible": status != "rejected" or g.chance(0.3),
                    "status": status,
                    "entered_on": g.day() if status == "entered" else None,
                    "funding": g.rng.choice(["self", "employer", "government"]),
                    "explained": g.chance(0.8) if status == "rejected" else None,
                },
            )
        if g.chance(0.03):
            registered = g.day(DEMO_START, dt.date(2026, 6, 30))
            g.add(
                "hardship",
                {
                    "id_number": vid,
                    "registered_on": registered,
                    "difficulty": g.rng.choice(
                        [
                            "illness",
                            "disability",
                            "unemployment",
                            "illness;disability",
                            "disaster",
                        ]
                    ),
                    "measures": "临时救助、结对帮扶" if g.chance(0.85) else None,
                    "dibao_eligible": (eligible := g.chance(0.4)),
                    "dibao": eligible and g.chance(0.85),
                    "other_relief": g.chance(0.3),
                    "closed_on": g.until(
                        registered + dt.timedelta(days=g.rng.randint(60, 300))
                    )
                    if g.chance(0.2)
                    else None,
                },
            )
            hardship_ids.append(vid)
        if 18 <= age <= 59 and g.chance(0.45):
            status = g.rng.choices(
                ["employed", "self_employed", "seeking", "not_seeking"],
                [50, 15, 25, 10],
            )[0]
            registered = g.day(DEMO_START, dt.date(2026, 9, 30))
            wants = status == "seeking" and g.chance(0.6)
            trained = (
                registered + dt.timedelta(days=g.rng.randint(10, 120))
                if wants and g.chance(0.6)
                else None
            )
            g.add(
                "employment",
                {
                    "id_number": vid,
                    "registered_on": registered,
                    "status": status,
                    "skills": g.rng.choice(["驾驶", "电工", "厨师", "安保", None]),
                    "wanted_job": "安保" if status == "seeking" else None,
                    "wants_training": wants,
                    "trained_on": trained if trained and trained <= DEMO_END else None,
                },
            )
        if g.chance(0.05):
            recipients += 1
            _benefits(g, v)
        if v["category"] in ("transferred_cadre", "nco") and g.chance(0.08):
            received = g.day(DEMO_START, dt.date(2026, 9, 30))
            legacy = g.chance(0.2)
            g.add(
                "placements",
                {
                    "id_number": vid,
                    "type": v["category"],
                    "received_on": received,
                    "placed_on": g.until(
                        received + dt.timedelta(days=g.rng.randint(30, 200))
                    )
                    if g.chance(0.8)
                    else None,
                    "legacy": legacy,
                    "resolved_on": g.day(received, DEMO_END)
                    if legacy and g.chance(0.5)
                    else None,
                },
            )
        if g.chance(0.01):
            kind = "good_news" if g.chance(0.6) else "blessing"
            note = "荣立三等功" if kind == "good_news" else "老英雄新春祝福"
            delivered = g.day()
            if (kind, v["name"], delivered) not in g.honors:
                g.honors.add((kind, v["name"], delivered))
                g.add(
                    "honors",
                    {
                        "kind": kind,
                        "recipient": v["name"],
                        "unit_code": v["unit_code"],
                        "delivered_on": delivered,
                        "note": note,
                    },
                )
        if g.chance(0.04):
            g.add(
                "home_services",
                {
                    "id_number": vid,
                    "field": g.rng.choice(FIELDS),
                    "served_on": g.day(),
                    "provider": "签约服务团队",
                },
            )
    g.flush()
    no_fund = counties[len(counties) // 2]["code"] if counties else None
    for county in counties:
        code = county["code"]
        for year in (2025, 2026):
            # The county without a care fund held no job fair in 2026 either.
            fairs = 0 if (year == 2026 and code == no_fund) else g.rng.randint(1, 3)
            days = {
                g.day(dt.date(year, 1, 1), min(DEMO_END, dt.date(year, 12, 31)))
                for _ in range(fairs)
            }
            for held in sorted(days):
                g.add(
                    "job_fairs",
                    {
                        "unit_code": code,
                        "held_on": held,
                        "employers": g.rng.randint(10, 60),
                        "positions": g.rng.randint(50, 600),
                        "hires": g.rng.randint(10, 120),
                    },
                )
        for i, field in enumerate(FIELDS):
            if g.chance(0.08) and i > 0:
                continue
            signed = g.day(dt.date(2023, 1, 1), dt.date(2025, 12, 31))
            g.add(
                "service_contracts",
                {
                    "unit_code": code,
                    "field": field,
                    "provider": f"{county['name']}{['法律援助中心', '心理咨询站', '人民医院', '康养中心', '文化馆'][i]}",
                    "signed_on": signed,
                    "expires_on": signed
                    + dt.timedelta(days=g.rng.choice([730, 1460, 1825, 1825])),
                },
            )
        if code == no_fund:
            continue
        g.add(
            "care_funds",
            {
                "unit_code": code,
                "established_on": g.day(dt.date(2020, 6, 1), dt.date(2024, 12, 31)),
            },
        )
        _fund_entries(g, code, hardship_ids)
    g.flush()


def _fund_entries(g: _Generator, county: str, hardship: list[str]) -> None:
    balance = 0
    events = sorted(g.day() for _ in range(g.rng.randint(15, 30)))
    local = [h for h in hardship if h[:6] in (county[:6], "612601")] or hardship
    for n, day in enumerate(events, 1):
        if balance < 200_000 or g.chance(0.4):
            amount = g.rng.randint(50, 500) * 10_000
            g.add(
                "care_fund_entries",
                {
                    "unit_code": county,
                    "entry_no": f"JJ{county[:6]}-{n:04d}",
                    "date": day,
                    "kind": "donation",
                    "amount": amount,
                    "counterparty": g.rng.choice(
                        ["延安市某能源公司", "爱心企业家", "县商会", "退役军人创业协会"]
                    ),
                    "publicized_on": None,
                },
            )
            balance += amount
        elif local:
            amount = min(balance, g.rng.randint(10, 60) * 10_000)
            g.add(
                "care_fund_entries",
                {
                    "unit_code": county,
                    "entry_no": f"JJ{county[:6]}-{n:04d}",
                    "date": day,
                    "kind": "grant",
                    "amount": amount,
                    "counterparty": g.rng.choice(local),
                    "publicized_on": day + dt.timedelta(days=g.rng.randint(3, 20))
                    if g.chance(0.85) and day + dt.timedelta(days=20) <= DEMO_END
                    else None,
                },
            )
            balance -= amount


def _benefits(g: _Generator, v: dict[str, Any]) -> None:
    category = g.rng.choices(list(STANDARD), [10, 3, 2, 3, 5, 4, 20, 45, 8])[0]
    base = STANDARD[category] * 100
    periods = [
        (dt.date(2025, 1, 1), dt.date(2025, 7, 31), base),
        (dt.date(2025, 8, 1), dt.date(2026, 7, 31), base * 105 // 100),
        (dt.date(2026, 8, 1), None, base * 110 // 100),
    ]
    for start, end, standard in periods:
        g.add(
            "benefit_recipients",
            {
                "id_number": v["id_number"],
                "name": v["name"],
                "unit_code": v["unit_code"],
                "category": category,
                "monthly_standard": standard,
                "started_on": start,
                "ended_on": end,
                "verified_on": g.day(dt.date(2026, 1, 1), DEMO_END)
                if end is None and g.chance(0.8)
                else None,
            },
        )
        for y, m in _months(start, min(end or DEMO_END, DEMO_END)):
            last = _month_end(y, m)
            if last > DEMO_END:
                continue
            paid = dt.date(y, m, g.rng.randint(10, 25))
            if g.chance(0.02):
                paid = last + dt.timedelta(days=g.rng.randint(3, 20))
                if paid > DEMO_END:
                    continue
            amount = standard - 5000 if g.chance(0.01) else standard
            g.add(
                "benefit_payments",
                {
                    "id_number": v["id_number"],
                    "category": category,
                    "month": f"{y:04d}-{m:02d}",
                    "amount": amount,
                    "paid_on": paid,
                },
            )


def _petitions(
    g: _Generator, units: list[dict[str, str]], veterans: list[dict[str, Any]]
) -> None:
    petitioners = [v for v in veterans if g.chance(1 / 150)]
    for n, v in enumerate(g.stage("petitions", petitioners), 1):
        received = g.day()
        decided = received + dt.timedelta(
            days=g.rng.randint(2, 14) if g.chance(0.92) else g.rng.randint(16, 30)
        )
        decision = g.rng.choices(
            ["accepted", "not_accepted", "transferred"], [85, 10, 5]
        )[0]
        extended = decision == "accepted" and g.chance(0.1)
        limit = 60 + (30 if extended else 0)
        closed = decided + dt.timedelta(
            days=g.rng.randint(10, limit)
            if g.chance(0.9)
            else g.rng.randint(limit + 1, limit + 40)
        )
        if decision != "accepted":
            closed = decided
        if decided > DEMO_END:
            decided, decision, closed = None, None, None  # type: ignore[assignment]
        elif closed > DEMO_END or g.chance(0.05):
            closed = None  # still open (some of them overdue)
        group = g.chance(0.05)
        rescreened = g.day(dt.date(2026, 10, 1), DEMO_END) if g.chance(0.6) else None
        g.add(
            "petitions",
            {
                "case_no": f"YA{received.year}-{n:06d}",
                "unit_code": v["unit_code"],
                "id_number": v["id_number"],
                "received_on": received,
                "channel": g.rng.choice(
                    ["online", "letter", "phone", "visit", "visit"]
                ),
                "group": group,
                "level_reached": g.rng.choices(
                    ["county", "city", "province", "national"], [80, 14, 5, 1]
                )[0],
                "handling": g.rng.choice(
                    ["reception", "appointment;outreach", "reception;supervision"]
                ),
                "decision": decision,
                "accepted_on": decided,
                "extended": extended,
                "replied_on": closed,
                "closed_on": closed,
                "outcome": g.rng.choice(["supported", "explained", "not_supported"])
                if closed
                else None,
                "review_requested_on": None,
                "review_answered_on": None,
                "recheck_requested_on": None,
                "recheck_answered_on": None,
                "resolution": g.rng.choice(
                    [
                        "policy",
                        "money",
                        "care;education",
                        "policy;assistance",
                        "explanation",
                    ]
                )
                if closed
                else None,
                "escalated": g.chance(0.06),
                "repeat": g.chance(0.1),
                "rescreened_on": rescreened,
                "answered_per_policy": g.chance(0.9) if rescreened else None,
                "policy_implemented": g.chance(0.85) if rescreened else None,
                "solved": g.chance(0.8) if rescreened else None,
                "stable": g.chance(0.9) if rescreened else None,
                "responsible": g.name(),
            },
        )
