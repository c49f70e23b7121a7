"""The demo's generator: one seeded random source, batched writes, common values.

Everything random in the demo comes from the generator's ``rng``, taken in
the order the builder calls the stages, so a seed always gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

import attrs
from sqlalchemy.engine import Connection
from stdnum.cn import ric

from vetservice.i18n import gettext
from vetservice.store import TABLES

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


def months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    months, (y, m) = [], (start.year, start.month)
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_end(y: int, m: int) -> dt.date:
    return (dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)) - dt.timedelta(
        days=1
    )


class Generator:
    """Generates rows kind by kind and writes them in batches."""

    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        progress: Progress | None,
        scale: Scale,
    ) -> None:
        self.conn, self.rng, self.progress, self.scale = conn, rng, progress, scale
        # A second source for the ledgers added later (demo/seed_ledgers.py),
        # reseeded by the builder, so that the first draws as it always did.
        self.side = random.Random(0)
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
        """Yield ``items``, telling the progress callback how far the stage
        is; ``name`` is a message id, given in the reader's language."""
        total = len(items)
        label = gettext(name)
        for i, item in enumerate(items, 1):
            yield item
            if self.progress and (i % 200 == 0 or i == total):
                self.progress(label, i, total)
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


def is_rural(unit: dict[str, str]) -> bool:
    return unit["kind"] in ("town", "township", "village", "sumu", "gacha")
