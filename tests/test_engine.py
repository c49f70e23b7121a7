"""The engine: set-based statements, plugin isolation, overrides, targets, scope."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

import vetservice as vs
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual, Message
from vetservice.indicators import (
    AT_LEAST_ALL,
    Area,
    Indicator,
    Kind,
    Override,
    Status,
    Target,
)
from vetservice.store import TABLES
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    YANCHANG,
    generated_hierarchy,
    load_records,
    make_plugins,
)

units = TABLES["units"]


@pytest.mark.parametrize("backend", ["sqlite_url", "pg_url"])
def test_statements_do_not_grow_with_units(backend: str, request: pytest.FixtureRequest):
    counts = []
    for villages in (4, 49):  # 105 and 1,005 units
        url = request.getfixturevalue(backend)
        with vs.open(url) as db:
            table = TABLES["units"]
            with db.engine.begin() as conn:
                conn.execute(table.delete())
            load_records(db, {"units": generated_hierarchy(villages)})
            assert db.count("units") == 1 + 4 + 20 + 20 * villages
            ev = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
            assert not ev.failures
            counts.append(ev.statements)
    assert counts[0] == counts[1]


def _dummy(ctx: Any) -> sa.Select[Any]:
    return sa.select(
        units.c.code.label("unit_code"),
        sa.case((units.c.kind == "town", 1), else_=0).label("numerator"),
        sa.literal(1).label("denominator"),
    ).where(units.c.level == "township")


def _county_of_ctx_param(ctx: Any) -> sa.Select[Any]:
    # numerator: 1 where the unit's parameter "k" equals 3
    return sa.select(
        units.c.code.label("unit_code"),
        sa.case((ctx.param("k", units.c.code) == 3, 1), else_=0).label("numerator"),
        sa.literal(1).label("denominator"),
    ).where(units.c.level == "village")


class LocalPlugin:
    """A county plugin written the way county IT staff would."""

    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        return [
            Indicator(
                id="local.towns", area=Area.ENVIRONMENT, kind=Kind.RATIO,
                name=Bilingual("镇占比", "towns"), rule=Bilingual("镇", "towns"),
                facts=_dummy, target=AT_LEAST_ALL,
            ),
            Indicator(
                id="local.param", area=Area.STAFFING, kind=Kind.RATIO,
                name=Bilingual("参数", "param"), rule=Bilingual("参数", "param"),
                facts=_county_of_ctx_param, parameters={"k": 2},
            ),
        ]

    @hookimpl
    def vetservice_register_overrides(self) -> list[Override]:
        return [
            Override("local.param", BAOTA, {"k": 3}),
            # nearer ancestor wins: one town of 宝塔区 back to 2
            Override("local.param", "610602100000", {"k": 2}),
            Override("local.towns", YANCHANG, target=Target(">=", 0.5)),
        ]


class BrokenPlugin:
    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        raise RuntimeError("county table missing for 612601198001011233")


class BadQueryPlugin:
    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        def facts(ctx: Any) -> sa.Select[Any]:
            return sa.select(sa.text("no_such_column AS unit_code"))

        return [
            Indicator(
                id="local.broken", area=Area.ENVIRONMENT, kind=Kind.COUNT,
                name=Bilingual("坏", "broken"), rule=Bilingual("坏", "broken"), facts=facts,
            )
        ]


def _open(url: str, *plugins: object) -> vs.Database:
    db = vs.open(url, plugins=make_plugins(*plugins))
    load_records(db, {"units": SMALL_HIERARCHY})
    return db


def test_plugin_indicators_overrides_and_targets(db_url: str):
    db = _open(db_url, LocalPlugin())
    ev = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    towns = ev["local.towns"]
    # 4 townships: 2 towns, 2 streets (kind street).
    assert (towns.numerator, towns.denominator, towns.value) == (2, 4, 0.5)
    assert towns.plugin != "vetservice.builtin"
    # 延长县 has its own target >= 50%: met; 宝塔区 keeps 100%: not met.
    assert ev.figure("local.towns", YANCHANG).status is Status.MET
    assert ev.figure("local.towns", BAOTA).status is Status.NOT_MET
    assert ev.figure("local.towns", CITY).status is Status.NOT_MET
    # k = 3 in 宝塔区 except under 李渠镇 (nearest override: 2): 杨家岭社区 only.
    param = ev["local.param"]
    assert (param.numerator, param.denominator) == (1, 4)
    assert ev.figure("local.param", BAOTA).numerator == 1
    assert ev.figure("local.param", YANCHANG).numerator == 0


def test_a_failing_plugin_is_isolated(db_url: str):
    db = _open(db_url, BrokenPlugin(), BadQueryPlugin())
    ev = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    hooks = {(f.hook, f.indicator) for f in ev.failures}
    assert ("vetservice_register_indicators", None) in hooks
    assert ("facts", "local.broken") in hooks
    assert ev["local.broken"].status is Status.FAILED
    # The rest is produced, and personal data in the error is masked.
    assert ev["env.station_established"].status is Status.NO_DATA or ev[
        "env.station_established"
    ].status is Status.NOT_MET
    message = next(f.error for f in ev.failures if f.hook == "vetservice_register_indicators")
    assert "612601198001011233" not in message and "612601********1233" in message


def test_duplicate_indicator_ids_name_both_plugins(sqlite_url: str):
    class Twin:
        @hookimpl
        def vetservice_register_indicators(self) -> list[Indicator]:
            return [
                Indicator(
                    id="env.elements", area=Area.ENVIRONMENT, kind=Kind.COUNT,
                    name=Bilingual("重复", "dup"), rule=Bilingual("重复", "dup"), facts=_dummy,
                )
            ]

    # The built-in wins; the twin is refused and named, nothing else stops.
    db = vs.open(sqlite_url, plugins=make_plugins(Twin()))
    plugin, found = db.indicators()["env.elements"]
    assert plugin == "vetservice.builtin" and found.name.zh != "重复"
    (failure,) = [f for f in db.plugins.failures if f.indicator == "env.elements"]
    assert "Twin" in failure.plugin and "vetservice.builtin" in failure.error
    # --strict-plugins: the clash is an error.
    strict = vs.open(sqlite_url, plugins=make_plugins(Twin(), strict=True))
    with pytest.raises(vs.DuplicateIndicatorError) as caught:
        strict.indicators()
    assert "vetservice.builtin" in str(caught.value) and "Twin" in str(caught.value)


def test_scoped_indicator_reports_coverage(db_url: str):
    class Scoped:
        @hookimpl
        def vetservice_register_indicators(self) -> list[Indicator]:
            return [
                Indicator(
                    id="baota.towns", area=Area.ENVIRONMENT, kind=Kind.RATIO,
                    name=Bilingual("宝塔镇", "baota towns"), rule=Bilingual("镇", "towns"),
                    facts=_dummy, scope=(BAOTA,),
                )
            ]

    db = _open(db_url, Scoped())
    ev = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    result = ev["baota.towns"]
    # Only 宝塔区's two townships count: 李渠镇 is a town.
    assert (result.numerator, result.denominator) == (1, 2)
    coverage = result.figure.coverage
    assert coverage is not None and (coverage.reporting, coverage.of) == (1, 2)
    assert ev.figure("baota.towns", YANCHANG).value is None


def test_unknown_unit_is_a_clear_error(sqlite_url: str):
    db = _open(sqlite_url)
    with pytest.raises(vs.NotFoundError):
        db.evaluate("999999999999", "2026Q3", as_of=AS_OF)
    with pytest.raises(vs.ConfigurationError):
        db.evaluate(CITY, "2026Q5", as_of=AS_OF)


def test_reason_is_required_for_compliance():
    with pytest.raises(vs.ConfigurationError):
        Indicator(
            id="x", area=Area.ENVIRONMENT, kind=Kind.COMPLIANCE,
            name=Bilingual("x", "x"), rule=Bilingual("x", "x"), facts=_dummy,
        )


def test_message_objects_render_late():
    assert Message("missing: {items}", {"items": Bilingual("甲", "a")}).render("en") == "missing: a"
