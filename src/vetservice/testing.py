"""Helpers for testing vetservice and county plugins with pytest.

Installed as a pytest plugin (entry point ``pytest11``), so a plugin's tests
get its fixtures (``vetservice_db``, ``load``) without importing them::

    from vetservice.testing import AS_OF, CITY, SMALL_HIERARCHY, SMALL_STATIONS

    def test_my_indicator(vetservice_db, load):
        load({"units": SMALL_HIERARCHY, "stations": SMALL_STATIONS,
              "activities": "unit_code,held_on,..."})
        result = vetservice_db.evaluate(CITY, "2026Q3", as_of=AS_OF)
        assert result["my.indicator"].value == 0.5

To load your plugin into ``vetservice_db``, override ``vetservice_plugins``
in your ``conftest.py`` or test module::

    import pytest
    from vetservice_mycounty import plugin

    @pytest.fixture
    def vetservice_plugins():
        return [plugin]

Outside the fixtures, ``load_records(db, records)`` is a plain function
doing what ``load`` does for any database, and ``make_plugins(plugin,
strict=True)`` builds a manager where every plugin mistake raises (as
``--strict-plugins``).

Records are given as CSV text (Chinese or English headers, as in records.md)
and go through the real importer, so a test's data obeys the same contract
as a clerk's files. ``SMALL_HIERARCHY`` and ``SMALL_STATIONS`` are sample
records, with the hierarchy's unit codes named (``CITY``, ``BAOTA``, ``YJL``…)
and ``AS_OF`` the day they are evaluated.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from stdnum.cn import ric

import vetservice as vs
from vetservice.imports import ImportResult
from vetservice.plugins import Plugins, create_plugin_manager

# The units of SMALL_HIERARCHY, named as the tests name them.
CITY = "610600000000"  # 延安市
BAOTA = "610602000000"  # 宝塔区
BSJ = "610602001000"  # 宝塔山街道 (street)
YJL = "610602001001"  # 杨家岭社区 (community)
LQ = "610602100000"  # 李渠镇 (town)
LQC = "610602100001"  # 李渠村 (village)
YANCHANG = "610621000000"  # 延长县
QLC = "610621001000"  # 七里村街道 (street)
QLCS = "610621001001"  # 七里村社区 (community)
HJB = "610621100000"  # 黑家堡镇 (town)
HJBC = "610621100001"  # 黑家堡村 (village)

# A small real-shaped hierarchy: 延安市, two counties, a street and a town in
# each, a community under each street and a village under each town.
SMALL_HIERARCHY = f"""\
code,name,level,parent_code,kind
{CITY},延安市,city,,
{BAOTA},宝塔区,county,{CITY},区
{BSJ},宝塔山街道,township,{BAOTA},街道
{YJL},杨家岭社区,village,{BSJ},社区
{LQ},李渠镇,township,{BAOTA},镇
{LQC},李渠村,village,{LQ},村
{YANCHANG},延长县,county,{CITY},县
{QLC},七里村街道,township,{YANCHANG},街道
{QLCS},七里村社区,village,{QLC},社区
{HJB},黑家堡镇,township,{YANCHANG},镇
{HJBC},黑家堡村,village,{HJB},村
"""

# Stations of SMALL_HIERARCHY. At the end of 2026Q3 (2026-09-30) eight are
# established: all but 杨家岭社区 (built the day after), 黑家堡镇 and 黑家堡村
# (no row). Of those, 宝塔山街道 lacks 有经费 and 李渠村 有人员 (left empty);
# 宝塔区, 宝塔山街道 and 延长县 are model stations.
SMALL_STATIONS = f"""\
unit_code,established_on,dedicated_space,has_organization,has_posts,has_staff,has_funding,has_support,model
{CITY},2019-06-01,是,是,是,是,是,是,
{BAOTA},2019-06-01,是,是,是,是,是,是,national
{BSJ},2026-09-30,是,是,是,是,否,是,provincial
{YJL},2026-10-01,是,是,是,是,是,是,
{LQ},2021-05-05,否,是,是,是,是,是,
{LQC},2020-01-01,,是,是,,是,是,
{YANCHANG},2020-01-01,是,是,是,是,是,是,national
{QLC},2020-01-01,是,是,是,是,是,是,
{QLCS},2020-01-01,是,是,是,是,是,是,
"""


def generated_hierarchy(villages_per_township: int, city: str = CITY) -> str:
    """A units CSV: a city, 4 counties, 5 townships each, N villages each (scale tests)."""
    prefix = city[:4]
    rows = ["code,name,level,parent_code,kind", f"{city},市,city,,"]
    for c in range(1, 5):
        county = f"{prefix}{c:02d}000000"
        rows.append(f"{county},县{c},county,{city},县")
        for t in range(1, 6):
            town = f"{prefix}{c:02d}{t:03d}000"
            rows.append(f"{town},镇{c}{t},township,{county},镇")
            for v in range(1, villages_per_township + 1):
                rows.append(
                    f"{prefix}{c:02d}{t:03d}{v:03d},村{c}{t}{v},village,{town},村"
                )
    return "\n".join(rows)


# Far enough in the past that no fixture date is "in the future".
FIXTURE_TODAY = dt.date(2026, 11, 28)
# The day the sample data is evaluated: 2026Q3, the period most tests report
# on, is over, and the data was imported that same day.
AS_OF = FIXTURE_TODAY


def id_number(place: str, birth: str, sequence: int, *, male: bool = True) -> str:
    """A valid 居民身份证号: 6-digit place code, YYYYMMDD birth, 3-digit sequence.

    The sequence's last digit is made odd for men and even for women.
    """
    seq = sequence * 2 + (1 if male else 0)
    body = f"{place}{birth}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def write_records(folder: Path, records: Mapping[str, str]) -> list[tuple[str, Path]]:
    """Write ``{kind: csv_text}`` into ``folder``; return (kind, path) pairs."""
    pairs = []
    for kind, text in records.items():
        path = folder / f"{kind}.csv"
        path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
        pairs.append((kind, path))
    return pairs


def load_records(
    db: vs.Database, records: Mapping[str, str], *, today: dt.date = FIXTURE_TODAY
) -> ImportResult:
    """Import ``{kind: csv_text}`` into ``db`` through the real importer, in one command."""
    with tempfile.TemporaryDirectory() as folder:
        return db.import_files(write_records(Path(folder), records), today=today)


def make_plugins(
    *plugins: object, load_entrypoints: bool = False, strict: bool = False
) -> Plugins:
    """A plugin manager with the built-ins and ``plugins`` (modules, objects or
    specs); ``strict`` as ``--strict-plugins``: any plugin mistake raises."""
    return create_plugin_manager(
        load_entrypoints=load_entrypoints, plugins=plugins, strict=strict
    )


@pytest.fixture
def vetservice_plugins() -> Iterable[object]:
    """Override to register your plugin in ``vetservice_db``: return its modules."""
    return ()


@pytest.fixture
def vetservice_db(
    tmp_path: Path, vetservice_plugins: Iterable[object]
) -> Iterator[vs.Database]:
    """A fresh SQLite database with the built-ins and ``vetservice_plugins`` loaded."""
    url = f"sqlite:///{(tmp_path / 'vetservice-test.db').as_posix()}"
    db = vs.open(url, actor="test", plugins=make_plugins(*vetservice_plugins))
    yield db
    db.close()


@pytest.fixture
def load(vetservice_db: vs.Database) -> Callable[..., ImportResult]:
    """``load({"units": SMALL_HIERARCHY, ...})`` imports into ``vetservice_db``."""

    def _load(records: Mapping[str, str], **kwargs: Any) -> ImportResult:
        return load_records(vetservice_db, records, **kwargs)

    return _load
