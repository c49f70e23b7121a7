"""The demo city: real hierarchy, valid records, deterministic, with the seed's shortfalls."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from stdnum.cn import ric

import vetservice as vs
import vetservice.indicators
from vetservice.demo import DEMO_END, build_demo
from vetservice.domain import KINDS
from vetservice.imports.rules import fund_shortfalls
from vetservice.store import TABLES, unit_closure

T = TABLES


def _build(tmp_path: Path, name: str, seed: int) -> vs.Database:
    db = vs.open(f"sqlite:///{tmp_path / name}")
    build_demo(db.engine, seed=seed, veterans_factor=0.1)
    return db


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> vs.Database:
    return _build(tmp_path_factory.mktemp("demo"), "demo.db", 7)


def _scalar(db: vs.Database, query: sa.Select) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def test_real_hierarchy_and_closure(demo: vs.Database):
    assert demo.count("units") == 2090
    # 1 + 13×2 + 117×3 + 1,959×4 ancestor rows (each unit with itself and its ancestors).
    assert _scalar(demo, sa.select(sa.func.count()).select_from(unit_closure)) == 8214
    assert len(demo.children("610600000000")) == 13


def test_every_kind_has_rows_and_every_id_number_is_valid(demo: vs.Database):
    counts = demo.counts()
    assert all(counts[k] > 0 for k in KINDS), counts
    with demo.engine.connect() as conn:
        ids = conn.scalars(sa.select(T["veterans"].c.id_number)).all()
    assert all(ric.calc_check_digit(i) == i[-1] for i in ids)


def test_references_resolve(demo: vs.Database):
    """The demo obeys the same references the importer enforces."""
    checks = [
        (T["veterans"], T["veterans"].c.unit_code, T["units"].c.code, T["units"]),
        (
            T["visits"],
            T["visits"].c.id_number,
            T["veterans"].c.id_number,
            T["veterans"],
        ),
        (
            T["guidance_visits"],
            T["guidance_visits"].c.staff_person_id,
            T["staff"].c.person_id,
            T["staff"],
        ),
        (
            T["care_fund_entries"],
            T["care_fund_entries"].c.unit_code,
            T["care_funds"].c.unit_code,
            T["care_funds"],
        ),
        (
            T["petitions"],
            T["petitions"].c.id_number,
            T["veterans"].c.id_number,
            T["veterans"],
        ),
    ]
    for table, column, target, _target_table in checks:
        missing = (
            sa.select(sa.func.count())
            .select_from(table)
            .where(column.is_not(None), ~sa.exists().where(target == column))
        )
        assert _scalar(demo, missing) == 0, table.name
    with demo.engine.connect() as conn:
        assert fund_shortfalls(conn) == []


def test_no_event_after_the_demo_end(demo: vs.Database):
    for kind in KINDS.values():
        table = T[kind.name]
        for field in kind.fields:
            if field.type.name == "date" and not field.future:
                late = (
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(table.c[field.name] > DEMO_END)
                )
                assert _scalar(demo, late) == 0, f"{kind.name}.{field.name}"


def test_shortfalls_the_seed_describes(demo: vs.Database):
    ev = demo.evaluate("610600000000", "2026Q3", as_of=dt.date(2026, 11, 28))
    assert (
        ev["fund.established"].numerator == 12
        and ev["fund.established"].denominator == 13
    )
    assert ev["env.all_elements"].status is not vs.indicators.Status.MET
    # Streets keep their standards better than rural townships (seed §1, §2).
    units, stations = T["units"], T["stations"]

    def share(kinds: list[str]) -> float:
        query = (
            sa.select(sa.func.avg(sa.cast(stations.c.dedicated_space, sa.Integer)))
            .join(units, units.c.code == stations.c.unit_code)
            .where(units.c.kind.in_(kinds))
        )
        with demo.engine.connect() as conn:
            return float(conn.scalar(query))

    assert (
        share(["street", "community"]) > share(["town", "township", "village"]) + 0.15
    )


def test_deterministic_for_a_seed(tmp_path: Path):
    first, again, other = (
        _build(tmp_path, f"{n}.db", s) for n, s in (("a", 3), ("b", 3), ("c", 4))
    )
    query = sa.select(T["veterans"]).order_by(T["veterans"].c.id_number).limit(50)
    rows = []
    for db in (first, again, other):
        with db.engine.connect() as conn:
            rows.append([tuple(r[1:]) for r in conn.execute(query)])
    assert first.counts() == again.counts() and rows[0] == rows[1]
    assert rows[0] != rows[2]


def test_refuses_a_database_with_units(demo: vs.Database):
    with pytest.raises(vs.ConfigurationError):
        build_demo(demo.engine)
