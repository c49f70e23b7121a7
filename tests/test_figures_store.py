"""The figures store (vetservice.stored): what it gives equals a fresh evaluation,
and every change of records, overrides or plugins is seen by the next read.

The demo city (a tenth of its rows, all 2,090 units) is built on SQLite and
PostgreSQL; for a quarter and the three periods a report sets beside it,
every indicator at every unit of every level read from the stored set must
equal the engine's evaluation from the records. The small hierarchy then
takes an import, a delete, an override and a change of plugins, each checked
against figures worked out by hand.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

import vetservice as vs
from vetservice.calendar import Period, today_in_china
from vetservice.demo import DEMO_END, build_demo
from vetservice.domain import Level
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual
from vetservice.indicators import (
    Area,
    Indicator,
    Kind,
    Override,
    Status,
    Target,
    breakdown,
    evaluate,
    evaluate_level,
)
from vetservice.indicators.registry import collect_overrides
from vetservice.reports.full import build_full_report, sheets_meant_for
from vetservice.reports.scores import stored_score
from vetservice.scoring import score
from vetservice.store import TABLES
from vetservice.store.schema import figure_scores, figure_sets
from vetservice.stored import (
    comparisons,
    default_period,
    figure_set,
    report_periods,
    stored_set,
)
from vetservice.stored.breakdown import stored_breakdown
from vetservice.stored.scores import sheet_digest
from vetservice.testing import (
    AS_OF,
    BAOTA,
    CITY,
    SMALL_HIERARCHY,
    YANCHANG,
    load_records,
    make_plugins,
)

units = TABLES["units"]
COUNTY = "610621000000"  # 延长县 in the demo


def _plain(figure: vs.indicators.Figure) -> tuple[Any, ...]:
    return (
        figure.numerator,
        figure.denominator,
        figure.value,
        figure.status,
        figure.target,
        figure.coverage,
    )


@pytest.fixture
def demo(db: vs.Database) -> vs.Database:
    build_demo(db.engine, seed=11, rows_factor=0.1)
    return db


def _listed(result: vs.indicators.IndicatorResult) -> list[tuple[Any, ...]]:
    """A shortfall list as a report shows it: unit, reason and the fact's row."""
    return [(s.unit, s.name, str(s.reason), dict(s.facts)) for s in result.shortfalls]


def test_every_stored_figure_equals_a_fresh_evaluation(demo: vs.Database):
    registry = demo.indicators()
    overrides = collect_overrides(demo.plugins)
    compared = gaps = 0
    statuses = set()
    for period in comparisons(Period.parse("2026Q3", DEMO_END)):
        kept = figure_set(demo.engine, registry, period, overrides)
        # Stored in the database, not held in memory.
        assert kept.id is not None and kept.memory is None and kept.computed
        assert not kept.failures
        for level in (Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
            fresh = evaluate_level(
                demo.engine,
                registry,
                unit=CITY,
                level=level,
                period=period,
                overrides=overrides,
            )
            read = evaluate_level(
                demo.engine,
                registry,
                unit=CITY,
                level=level,
                period=period,
                overrides=overrides,
                stored=kept,
            )
            assert [u.code for u in read.units] == [u.code for u in fresh.units]
            for indicator_id, by_unit in fresh.figures.items():
                for code, figure in by_unit.items():
                    assert _plain(read.figures[indicator_id][code]) == _plain(figure), (
                        period.label,
                        indicator_id,
                        code,
                    )
                    compared += 1
                    statuses.add(figure.status)
        # The evaluation a report shows, shortfalls and all: listed from the
        # stored gaps (every level, or two and the rest counted) with the
        # same rows, reasons and order as from the records.
        for depth in (None, 2):
            fresh_ev = evaluate(
                demo.engine, registry, unit=CITY, period=period, list_depth=depth
            )
            read_ev = evaluate(
                demo.engine,
                registry,
                unit=CITY,
                period=period,
                stored=kept,
                list_depth=depth,
            )
            for indicator_id, result in fresh_ev.results.items():
                got = read_ev[indicator_id]
                assert {c: _plain(f) for c, f in got.figures.items()} == {
                    c: _plain(f) for c, f in result.figures.items()
                }
                assert _listed(got) == _listed(result), (period.label, indicator_id)
                assert got.unlisted == result.unlisted
                gaps += len(result.shortfalls)
            # No indicator's facts run again: a statement for the gaps of
            # all indicators, one for those counted beyond the depth.
            assert read_ev.statements <= 8 < fresh_ev.statements
        # The breakdown by station kind, at the city and at a county.
        for unit in (CITY, COUNTY):
            assert stored_breakdown(
                demo.engine, kept, registry, unit=unit
            ) == breakdown(
                demo.engine, registry, unit=unit, period=period, overrides=overrides
            )
    units_count = demo.count("units")
    assert units_count == 2090
    # Every indicator at every unit (minus the levels above the city: none), four periods.
    assert compared == 4 * len(registry) * units_count
    # The comparison means something: real figures of every status among them.
    assert {Status.MET, Status.NOT_MET, Status.NO_DATA, Status.NO_TARGET} <= statuses
    assert gaps > 1000


def test_the_full_report_from_the_store_equals_one_from_the_records(demo: vs.Database):
    period = Period.parse("2026Q3", DEMO_END)
    stored = demo.report(CITY, period)
    registry = demo.indicators()
    fresh = build_full_report(
        demo.engine,
        registry,
        unit=CITY,
        period=period,
        current=lambda: evaluate(
            demo.engine, registry, unit=CITY, period=period, list_depth=2
        ),
        sensitive=demo.sensitive_periods(),
        sheets=sheets_meant_for(demo.scoring_sheets(), Level.CITY, [CITY]),
        list_depth=2,
    )
    # The gaps, listed from the stored set two levels down, and how they
    # stand at the as-of date.
    for result in fresh.evaluation:
        got = stored.evaluation[result.indicator.id]
        assert _listed(got) == _listed(result), result.indicator.id
        assert got.unlisted == result.unlisted
    assert (
        stored.resolved == fresh.resolved
        and stored.still_missing == fresh.still_missing
    )
    assert sum(len(r.shortfalls) for r in stored.evaluation) > 100
    for part in ("previous", "last_year", "year_to_date"):
        got, want = getattr(stored, part), getattr(fresh, part)
        assert got.keys() == want.keys()
        for indicator_id in want:
            assert {c: _plain(f) for c, f in got[indicator_id].items()} == {
                c: _plain(f) for c, f in want[indicator_id].items()
            }, (part, indicator_id)
    assert stored.breakdown == fresh.breakdown
    # Every village's score, line and item, though alike villages share one
    # worked out once from the stored figures.
    assert [sc.scores for sc in stored.scorings] == [sc.scores for sc in fresh.scorings]
    assert stored.scorings and len(stored.scorings[0].scores) == 1959
    assert len({s.total for s in stored.scorings[0].scores}) > 5
    # The report read five stored sets: 本期, 上期, 去年同期, 累计 (to E) and
    # the year to the as-of date, where its gaps' 整改情况 stand.
    with demo.engine.connect() as conn:
        labels = sorted(
            (p, str(d))
            for p, d in conn.execute(
                sa.select(figure_sets.c.period, figure_sets.c.as_of)
            )
        )
    assert labels == sorted(
        [
            ("2026Q3", "2026-11-28"),
            ("2026Q2", "2026-11-28"),
            ("2025Q3", "2025-11-28"),
            ("2026", "2026-09-30"),
            ("2026", "2026-11-28"),
        ]
    )


def test_the_ranking_is_kept_with_its_set_and_a_changed_sheet_scored_again(
    demo: vs.Database,
):
    period = Period.parse("2026Q3", DEMO_END)
    registry = demo.indicators()
    _, sheet = demo.scoring_sheets()["village_annual"]
    kept = figure_set(demo.engine, registry, period, collect_overrides(demo.plugins))
    fresh = score(demo.engine, sheet, registry, unit=CITY, period=period)
    first = stored_score(demo.engine, sheet, registry, kept, unit=CITY, period=period)
    with demo.engine.connect() as conn:
        kept_rows = conn.scalar(
            sa.select(sa.func.count()).where(
                figure_scores.c.set_id == kept.id,
                figure_scores.c.sheet == sheet_digest(sheet),
            )
        )
    assert kept_rows == 1959  # every village of the city
    again = stored_score(demo.engine, sheet, registry, kept, unit=CITY, period=period)
    # Read back, line by line and item by item, the same as scored afresh.
    assert again.scores == first.scores == fresh.scores
    # The unit and a probe of the kept scores, then the villages' sums or
    # their kept scores: as many statements either way, whatever the villages.
    assert first.statements == again.statements <= 4
    # A sheet with another weight is another digest: scored again, under a
    # county first (its villages kept) and then the city (the rest scored).
    line = sheet.lines[0]
    changed = attrs.evolve(
        sheet, lines=(attrs.evolve(line, weight=line.weight + 7), *sheet.lines[1:])
    )
    for unit in (BAOTA, CITY, BAOTA):
        got = stored_score(
            demo.engine, changed, registry, kept, unit=unit, period=period
        )
        want = score(demo.engine, changed, registry, unit=unit, period=period)
        assert got.scores == want.scores, unit
    # The changed weight shows: 宝塔区's villages are not all scored as before.
    before = {s.unit.code: s.total for s in again.scores}
    now = {s.unit.code: s.total for s in got.scores}
    assert now and all(code.startswith(BAOTA[:6]) for code in now)
    assert any(total != before[code] for code, total in now.items())


# -- every change is seen ---------------------------------------------------------
#
# t.community: of the villages, those whose kind is the parameter "kind"
# (default community, 社区). SMALL_HIERARCHY has four villages: 杨家岭社区 (社区) and
# 李渠村 (村) in 宝塔区, 七里村社区 (社区) and 黑家堡村 (村) in 延长县.


def _community(ctx: Any) -> sa.Select[Any]:
    return sa.select(
        units.c.code.label("unit_code"),
        sa.case((units.c.kind == ctx.param("kind", units.c.code), 1), else_=0).label(
            "numerator"
        ),
        sa.literal(1).label("denominator"),
    ).where(units.c.level == "village")


def _every_village(ctx: Any) -> sa.Select[Any]:
    return sa.select(
        units.c.code.label("unit_code"),
        sa.literal(1).label("numerator"),
        sa.literal(1).label("denominator"),
    ).where(units.c.level == "village")


def _indicator(facts: Any, parameters: dict[str, Any] | None = None) -> Indicator:
    return Indicator(
        id="t.community",
        area=Area.ENVIRONMENT,
        kind=Kind.RATIO,
        name=Bilingual("社区占比", "communities"),
        rule=Bilingual("社区", "communities"),
        facts=facts,
        parameters=parameters or {"kind": "community"},
        target=Target(">=", 0.5),
    )


class Communities:
    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        return [_indicator(_community)]


class LocalKind(Communities):
    """The same indicator; 宝塔区 counts a kind none of its villages has."""

    @hookimpl
    def vetservice_register_overrides(self) -> list[Override]:
        return [Override("t.community", BAOTA, {"kind": "none"})]


class EveryVillage:
    """Another plugin with the same indicator id, counting every village."""

    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        return [_indicator(_every_village)]


def _figures(db: vs.Database) -> dict[str, tuple[int | Any, int | None]]:
    """t.community at the city and both counties, read through the store; each
    equal to the engine's evaluation from the records."""
    evaluation = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
    registry = db.indicators()
    fresh = evaluate(
        db.engine,
        registry,
        unit=CITY,
        period=evaluation.period,
        overrides=collect_overrides(db.plugins),
    )
    for indicator_id, result in fresh.results.items():
        assert {c: _plain(f) for c, f in evaluation[indicator_id].figures.items()} == {
            c: _plain(f) for c, f in result.figures.items()
        }, indicator_id
    kept = stored_set(
        db.engine, registry, evaluation.period, collect_overrides(db.plugins)
    )
    assert kept is not None and kept.id is not None  # read from a stored set
    result = evaluation["t.community"]
    return {
        code: (result.figures[code].numerator, result.figures[code].denominator)
        for code in (CITY, BAOTA, YANCHANG)
    }


def _sets(db: vs.Database) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.scalar(sa.select(sa.func.count()).select_from(figure_sets)) or 0
        )


def test_an_import_and_a_delete_are_each_reflected(db_url: str):
    db = vs.open(db_url, plugins=make_plugins(Communities()))
    load_records(db, {"units": SMALL_HIERARCHY})
    # 杨家岭社区 and 七里村社区 of four villages.
    assert _figures(db) == {CITY: (2, 4), BAOTA: (1, 2), YANCHANG: (1, 2)}
    assert _figures(db) == {CITY: (2, 4), BAOTA: (1, 2), YANCHANG: (1, 2)}
    assert _sets(db) == 1  # the second read found the stored set
    # The same ledger again changes no row: the stored set is still current.
    load_records(db, {"units": SMALL_HIERARCHY})
    assert _figures(db) == {CITY: (2, 4), BAOTA: (1, 2), YANCHANG: (1, 2)}
    assert _sets(db) == 1
    township = next(
        line.split(",")[0]
        for line in SMALL_HIERARCHY.splitlines()
        if ",宝塔山街道," in line
    )
    new = township[:-3] + "099"
    load_records(
        db,
        {
            "units": f"code,name,level,parent_code,kind\n{new},新区社区,village,{township},社区\n"
        },
    )
    # A third community in 宝塔区: 3 of 5, 宝塔区 2 of 3.
    assert _figures(db) == {CITY: (3, 5), BAOTA: (2, 3), YANCHANG: (1, 2)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "units.csv"
        path.write_text(f"code\n{new}\n", encoding="utf-8")
        db.delete_file("units", path)
    assert _figures(db) == {CITY: (2, 4), BAOTA: (1, 2), YANCHANG: (1, 2)}
    db.close()


def test_an_override_and_a_plugin_change_are_each_reflected(db_url: str):
    with vs.open(db_url, plugins=make_plugins(Communities())) as db:
        load_records(db, {"units": SMALL_HIERARCHY})
        assert _figures(db) == {CITY: (2, 4), BAOTA: (1, 2), YANCHANG: (1, 2)}
    # The same records and indicator, an override added: 宝塔区 counts none.
    with vs.open(db_url, plugins=make_plugins(LocalKind())) as db:
        assert _figures(db) == {CITY: (1, 4), BAOTA: (0, 2), YANCHANG: (1, 2)}
        evaluation = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
        assert evaluation.figure("t.community", BAOTA).status is Status.NOT_MET
    # Another plugin defines t.community (every village counts): 4 of 4.
    with vs.open(db_url, plugins=make_plugins(EveryVillage())) as db:
        assert _figures(db) == {CITY: (4, 4), BAOTA: (2, 2), YANCHANG: (2, 2)}
    # Back to the first plugin set: its figures again (its set may be reused).
    with vs.open(db_url, plugins=make_plugins(Communities())) as db:
        assert _figures(db) == {CITY: (2, 4), BAOTA: (1, 2), YANCHANG: (1, 2)}
    # Without the plugin the indicator is gone, the built-ins are still stored.
    with vs.open(db_url) as db:
        evaluation = db.evaluate(CITY, "2026Q3", as_of=AS_OF)
        assert "t.community" not in evaluation.results
        assert evaluation.results


@pytest.mark.postgresql
def test_postgresql_plans_the_streamed_reads_for_every_row(pg_url: str):
    """Every streamed read (kept scores, gap lists, facts) reads to its last row,
    so each connection asks PostgreSQL to plan cursors for all rows, not the
    first tenth (the kept scores of a city read 8–9× slower that way); the
    setting leaves the connection's transactions as they were."""
    with vs.open(pg_url, actor="tester") as db:
        load_records(db, {"units": SMALL_HIERARCHY})
        units = db.count("units")
        with db.engine.connect() as conn:
            fraction = conn.exec_driver_sql("SHOW cursor_tuple_fraction").scalar()
            assert float(fraction) == 1.0
            assert conn.connection.dbapi_connection.autocommit is False
        with pytest.raises(RuntimeError), db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM units")
            raise RuntimeError("roll back")
        assert db.count("units") == units > 0


def test_status_is_not_stored_but_read_at_the_target(db_url: str):
    """The store keeps sums only: the same stored sums read under another
    target give another status (2 of 4 meets ≥ 50%, not ≥ 75%)."""
    with vs.open(db_url, plugins=make_plugins(Communities())) as db:
        load_records(db, {"units": SMALL_HIERARCHY})
        period = Period.parse("2026Q3", AS_OF)
        registry = db.indicators()
        kept = figure_set(db.engine, registry, period)
        assert kept.id is not None
        mine = {"t.community": registry["t.community"]}
        plain = evaluate(db.engine, mine, unit=CITY, period=period, stored=kept)
        assert plain.figure("t.community", CITY).status is Status.MET
        stricter = [Override("t.community", CITY, target=Target(">=", 0.75))]
        read = evaluate(
            db.engine, mine, unit=CITY, period=period, overrides=stricter, stored=kept
        )
        figure = read.figure("t.community", CITY)
        assert (figure.numerator, figure.denominator, figure.status) == (
            2,
            4,
            Status.NOT_MET,
        )
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("figures")}
        assert "status" not in columns and {"numerator", "denominator"} <= columns


def test_import_warms_the_dashboards_periods_and_refresh_computes_on_demand(
    tmp_path: Path,
):
    """``vetservice import`` leaves the period a dashboard opens on (2026Q3 on
    2026-11-28), its three comparisons and the year to the as-of date stored;
    ``refresh --period`` adds a
    month and its comparisons, and says which were already current."""
    from click.testing import CliRunner
    from fixtures import FILES

    from vetservice_cli.main import cli

    url = f"sqlite:///{(tmp_path / 'warm.db').as_posix()}"
    runner = CliRunner()
    files = [str(f) for f in FILES]
    done = runner.invoke(
        cli,
        ["--db", url, "--as-of", "2026-11-28", "import", "auto", *files],
        catch_exceptions=False,
    )
    assert done.exit_code == 0, done.output
    with vs.open(url) as db:
        registry = db.indicators()
        overrides = collect_overrides(db.plugins)
        # Warmed as of today in China, the dashboard's default as-of date.
        # (With the year to today once the quarter is over: every day but
        # a quarter's last.)
        for period in report_periods(default_period(today_in_china())):
            assert stored_set(db.engine, registry, period, overrides) is not None
    done = runner.invoke(
        cli,
        ["--db", url, "--as-of", "2026-11-28", "refresh", "--period", "2026-11"],
        catch_exceptions=False,
    )
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    # 2026-11, 2026-10, 2025-11 and the year to 2026-11-28: four sets computed.
    assert [line.split("（")[0] for line in lines] == [
        "2026-11",
        "2026-10",
        "2025-11",
        "2026",
    ]
    assert all("已计算" in line for line in lines)
    again = runner.invoke(
        cli,
        ["--db", url, "--as-of", "2026-11-28", "refresh", "--period", "2026-11"],
        catch_exceptions=False,
    )
    assert [line.endswith("已是最新") for line in again.output.splitlines()] == [
        True
    ] * 4
