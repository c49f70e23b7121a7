"""台账的历史: past periods read the state ledgers as they stood at E.

Worked by hand on SMALL_HIERARCHY and SMALL_STATIONS. ``env.five_haves`` in
宝塔区's subtree counts the stations established by E:

- 2026Q2 (E = 06-30): 宝塔区 (all five), 李渠镇 (all five), 李渠村 (有人员
  empty) → 2/3; 宝塔山街道 opens on 09-30, 杨家岭社区 on 10-01.
- 2026Q3 (E = 09-30): the same and 宝塔山街道 (lacks 有经费) → 2/4.

李渠村 gets its 有人员 from 2026-08-15: Q2 and the Q3 report's 上期 stay
2/3, Q3 becomes 3/4 (李渠镇's subtree: 1/2 → 2/2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

import vetservice as vs
from vetservice.domain.personal import Personal
from vetservice.i18n import Bilingual
from vetservice.indicators import Area, Indicator, Kind
from vetservice.markers import hookimpl
from vetservice.store.schema import HISTORY
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    HJB,
    LQ,
    LQC,
    SMALL_HIERARCHY,
    SMALL_STATIONS,
    load_records,
    make_plugins,
)

HEADER = (
    "unit_code,established_on,dedicated_space,has_organization,has_posts,"
    "has_staff,has_funding,has_support,model,生效日期"
)


def station(
    staff: str = "是", funding: str = "是", support: str = "是", since: str = ""
) -> str:
    """李渠村's station row with the given 有人员, 有经费, 有保障 and 生效日期."""
    return (
        f"{HEADER}\n{LQC},2020-01-01,,是,是,{staff},{funding},{support},,{since}\n"
    )


def five_haves(db: vs.Database, period: str, unit: str = BAOTA) -> tuple[int, int]:
    figure = db.evaluate(unit, period, as_of=AS_OF)["env.five_haves"].figures[unit]
    assert figure.denominator is not None
    return figure.numerator, figure.denominator


def history_rows(db: vs.Database) -> list[dict[str, Any]]:
    table = HISTORY["stations"]
    with vs.store.reading(db.engine) as conn:
        rows = [dict(r) for r in conn.execute(sa.select(table)).mappings()]
    return sorted(rows, key=lambda r: r["valid_from"] or dt.date.min)


def counts(result: Any) -> dict[str, int]:
    (only,) = result.files
    assert not only.problems, [p.render() for p in only.problems]
    return {k: v for k, v in only.counts.items() if v}


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    load_records(db, {"units": SMALL_HIERARCHY, "stations": SMALL_STATIONS})
    return db


def test_a_change_from_a_day_shows_in_the_periods_after_it_only(loaded: vs.Database):
    assert five_haves(loaded, "2026Q2") == (2, 3)
    assert five_haves(loaded, "2026Q3") == (2, 4)

    changed = load_records(loaded, {"stations": station(since="2026-08-15")})
    assert counts(changed) == {"updated": 1}

    assert five_haves(loaded, "2026Q2") == (2, 3)
    assert five_haves(loaded, "2026Q3") == (3, 4)
    assert five_haves(loaded, "2026Q2", LQ) == (1, 2)
    assert five_haves(loaded, "2026Q3", LQ) == (2, 2)
    # The 2026Q3 report compares with 2026Q2 as it was.
    report = loaded.report(BAOTA, "2026Q3", as_of=AS_OF)
    assert report.previous["env.five_haves"][BAOTA].numerator == 2
    assert report.previous["env.five_haves"][BAOTA].denominator == 3
    assert report["env.five_haves"].figures[BAOTA].numerator == 3
    # The version replaced is kept until the day before.
    (old,) = history_rows(loaded)
    assert old["unit_code"] == LQC
    assert old["has_staff"] is None
    assert old["valid_from"] is None  # imported without 生效日期: always so
    assert old["valid_to"] == dt.date(2026, 8, 14)


def test_the_same_day_again_corrects_that_version(loaded: vs.Database):
    load_records(loaded, {"stations": station(since="2026-08-15")})
    corrected = load_records(
        loaded, {"stations": station(support="否", since="2026-08-15")}
    )
    assert counts(corrected) == {"updated": 1}
    # Still one earlier version; the corrected one lacks 有保障.
    assert len(history_rows(loaded)) == 1
    assert five_haves(loaded, "2026Q3") == (2, 4)
    assert five_haves(loaded, "2026Q2") == (2, 3)
    (now,) = loaded.records("stations", unit_code=LQC)
    assert (now.has_staff, now.has_support) == (True, False)
    assert now.valid_from == dt.date(2026, 8, 15)


def test_values_unchanged_write_nothing_whatever_the_date(loaded: vs.Database):
    again = load_records(
        loaded, {"stations": station(staff="", since="2026-08-15")}
    )
    assert counts(again) == {"unchanged": 1}
    assert history_rows(loaded) == []


def test_a_change_without_a_date_takes_effect_on_the_import_day(
    loaded: vs.Database,
):
    changed = load_records(
        loaded, {"stations": station()}, today=dt.date(2026, 10, 20)
    )
    assert counts(changed) == {"updated": 1}
    (old,) = history_rows(loaded)
    assert old["valid_to"] == dt.date(2026, 10, 19)
    # E of 2026Q3 is before the import day: still 2/4. In 2026-10 (E = 10-31)
    # 杨家岭社区 (all five) has opened and 李渠村 is complete: 4/5.
    assert five_haves(loaded, "2026Q3") == (2, 4)
    assert five_haves(loaded, "2026-10") == (4, 5)


def test_a_back_dated_version_goes_between_its_neighbours(loaded: vs.Database):
    load_records(loaded, {"stations": station(since="2026-08-15")})
    back = load_records(
        loaded, {"stations": station(funding="否", since="2026-05-01")}
    )
    assert counts(back) == {"updated": 1}
    versions = [
        (r["valid_from"], r["valid_to"], r["has_staff"], r["has_funding"])
        for r in history_rows(loaded)
    ]
    assert versions == [
        (None, dt.date(2026, 4, 30), None, True),
        (dt.date(2026, 5, 1), dt.date(2026, 8, 14), True, False),
    ]
    # Q1 reads the first version, Q2 the one from 05-01 (lacks 有经费): both
    # leave 李渠村 short; Q3 reads the current one.
    assert five_haves(loaded, "2026Q1", LQ) == (1, 2)
    assert five_haves(loaded, "2026Q2", LQ) == (1, 2)
    assert five_haves(loaded, "2026Q3", LQ) == (2, 2)


def test_a_new_record_dated_exists_only_from_that_day(loaded: vs.Database):
    # 黑家堡镇 has no station row; one comes in, valid from 2026-08-01.
    row = f"{HEADER}\n{HJB},2019-01-01,是,是,是,是,是,是,,2026-08-01\n"
    assert counts(load_records(loaded, {"stations": row})) == {"added": 1}
    for period, expected in (("2026Q2", False), ("2026Q3", True)):
        result = loaded.evaluate(HJB, period, as_of=AS_OF)
        figure = result["env.station_established"].figures[HJB]
        assert (figure.numerator == 1) is expected, period


def test_records_as_of_shows_the_state_on_a_day(loaded: vs.Database):
    load_records(loaded, {"stations": station(since="2026-08-15")})
    before = loaded.list_records("stations", unit=LQC, as_of=dt.date(2026, 8, 14))
    after = loaded.list_records("stations", unit=LQC, as_of=dt.date(2026, 8, 15))
    staff = [f.name for f in before.fields].index("has_staff")
    assert [row[staff] for row in before.rows] == [None]
    assert [row[staff] for row in after.rows] == [True]
    with pytest.raises(vs.ConfigurationError, match="历史版本"):
        loaded.list_records("activities", as_of=dt.date(2026, 8, 14))


def test_deleting_a_record_removes_its_history(loaded: vs.Database, tmp_path):
    load_records(loaded, {"stations": station(since="2026-08-15")})
    keys = tmp_path / "stations.csv"
    keys.write_text(f"unit_code\n{LQC}\n", encoding="utf-8")
    loaded.delete_file("stations", keys)
    assert history_rows(loaded) == []


def test_a_dated_change_into_a_signed_off_period_is_refused(loaded: vs.Database):
    signed = loaded.sign_off(BAOTA, "2026Q2")
    at = signed.at.strftime("%Y-%m-%d %H:%M")
    # From 2026-05-01: 2026Q2 (E = 06-30) would read it.
    with pytest.raises(vs.ImportRejected) as refused:
        load_records(loaded, {"stations": station(since="2026-05-01")})
    assert [p.render("zh") for p in refused.value.problems] == [
        f"stations.csv 第 2 行“生效日期”列：{BAOTA} 2026Q2 已由 {signed.actor} 于 {at} 审核锁定，"
        "这一行会改变该期数字，不能写入"
    ]
    assert history_rows(loaded) == []
    # From 2026-08-15 leaves 2026Q2 as it was signed.
    later = load_records(loaded, {"stations": station(since="2026-08-15")})
    assert counts(later) == {"updated": 1}
    assert five_haves(loaded, "2026Q2") == (2, 3)


def test_a_county_export_carries_its_earlier_versions(
    loaded: vs.Database, tmp_path
):
    load_records(loaded, {"stations": station(since="2026-08-15")})
    loaded.export(tmp_path / "宝塔区.db", BAOTA)
    with vs.open(f"sqlite:///{(tmp_path / '宝塔区.db').as_posix()}") as county:
        assert five_haves(county, "2026Q2") == (2, 3)
        assert five_haves(county, "2026Q3") == (3, 4)
        assert len(history_rows(county)) == 1
    loaded.export(tmp_path / "延长县.db", "610621000000")
    with vs.open(f"sqlite:///{(tmp_path / '延长县.db').as_posix()}") as other:
        assert history_rows(other) == []


def _staffed_villages(ctx: Any) -> sa.Select[Any]:
    """A county's own indicator, written with an alias of the stations table:
    villages whose station has 有人员."""
    units, st = vs.store.TABLES["units"], vs.store.TABLES["stations"].alias("st")
    return (
        sa.select(
            units.c.code.label("unit_code"),
            sa.case((st.c.has_staff.is_(True), 1), else_=0).label("numerator"),
            sa.literal(1).label("denominator"),
        )
        .select_from(units)
        .join(st, st.c.unit_code == units.c.code)
        .where(units.c.level == "village")
    )


class StaffedVillages:
    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        return [
            Indicator(
                id="t.staffed",
                area=Area.ENVIRONMENT,
                kind=Kind.RATIO,
                name=Bilingual("村站有人员", "staffed villages"),
                rule=Bilingual("村站有人员", "staffed"),
                facts=_staffed_villages,
            )
        ]


def test_a_county_plugin_reads_the_past_with_no_change(db_url: str):
    with vs.open(db_url, plugins=make_plugins(StaffedVillages())) as db:
        load_records(db, {"units": SMALL_HIERARCHY, "stations": SMALL_STATIONS})
        load_records(db, {"stations": station(since="2026-08-15")})
        # Village stations: 杨家岭社区 (有人员), 李渠村 (empty until 08-15),
        # 七里村社区 (有人员) — 2 of 3 in 2026Q2, 3 of 3 in 2026Q3.
        for period, expected in (("2026Q2", (2, 3)), ("2026Q3", (3, 3))):
            figure = db.evaluate(CITY, period, as_of=AS_OF)["t.staffed"].figures[CITY]
            assert (figure.numerator, figure.denominator) == expected, period


def test_personal_columns_are_found_through_the_versions():
    """Reading a ledger as of E must not unmask it: the lineage of a fact
    column still leads to the personal field, through an alias too."""
    from vetservice.indicators.facts import is_true, per_veteran
    from vetservice.indicators.personal import personal_columns
    from vetservice.store.history import as_of

    veterans = vs.store.TABLES["veterans"]
    other = veterans.alias("other")
    facts = per_veteran(
        veterans.c.name,
        veterans.c.phone,
        other.c.id_number.label("contact"),
        met=is_true(veterans.c.party_member),
    ).join(other, other.c.id_number == veterans.c.contact_person_id)
    past = as_of(facts, dt.date(2026, 6, 30), {"veterans"})
    assert "veterans_history" in str(past)
    assert personal_columns(past.subquery("facts")) == personal_columns(facts) == {
        "name": Personal.NAME,
        "phone": Personal.PHONE,
        "contact": Personal.ID_NUMBER,
    }
