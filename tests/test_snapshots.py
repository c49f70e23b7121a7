"""Report snapshots (报表留痕): freeze a report, list snapshots, diff one against now.

Data: the fixture ledgers of ``tests/fixtures/records`` (hierarchy in
``test_report_end_to_end.py``), period 2026 as of 2026-11-28. Holiday visits
(``visit.holiday``, a count placed in the veteran's unit) in 2026: two, both
of 李保国 in 杨家岭社区 (宝塔区) — so 延安市 2, 宝塔区 2, 延长县 0.

Adding one holiday visit to 刘小军 (黑家堡村, 延长县) on 2026-10-01 changes
exactly that indicator: 延安市 2 → 3 and 延长县 0 → 1. No other indicator
reads visits of veterans who are not of key attention (刘小军 is not), and the
visits table goes from 3 to 4 rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fixtures import FILES, RECORDS

import vetservice as vs
from vetservice import snapshots
from vetservice.domain import KINDS
from vetservice.hookspecs import hookimpl
from vetservice.i18n import Bilingual
from vetservice.indicators import Area, Indicator, Kind
from vetservice.reports.json_report import report_dict
from vetservice.store import TABLES
from vetservice.testing import AS_OF, BAOTA, CITY, FIXTURE_TODAY, YANCHANG, make_plugins
from vetservice_cli.main import cli

LIU_XIAOJUN = "610621200105200119"
NEW_VISIT = f"走访日期,身份证号,走访事由\n2026-10-01,{LIU_XIAOJUN},重大节日\n"
EMPTY = hashlib.sha256(b"").hexdigest()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_all(db: vs.Database) -> None:
    db.import_files([(p.stem, p) for p in FILES], today=FIXTURE_TODAY)


def add_visit(db: vs.Database, tmp_path: Path) -> None:
    path = tmp_path / "new_visit.csv"
    path.write_text(NEW_VISIT, encoding="utf-8")
    db.import_file("visits", path, today=FIXTURE_TODAY)


# ---------------------------------------------------------------------------
# The input digest.


def test_the_digest_is_the_documented_text_of_each_row_in_key_order(
    db: vs.Database, tmp_path: Path
):
    units = tmp_path / "units.csv"
    units.write_text(
        "code,name,level,parent_code\n"
        "610600000000,延安市,city,\n"
        "610621000000,延长县,county,610600000000\n"
        "610602000000,宝塔区,county,610600000000\n",
        encoding="utf-8",
    )
    funds = tmp_path / "care_funds.csv"  # the later key first: order is by key
    funds.write_text(
        "unit_code,established_on\n610621000000,\n610602000000,2021-12-01\n",
        encoding="utf-8",
    )
    stations = tmp_path / "stations.csv"
    stations.write_text(
        "unit_code,established_on,dedicated_space,posts,has_organization,"
        "has_posts,has_staff,has_funding,has_support,model\n"
        "610602000000,2019/06/01,是,5,是,是,否,,yes,\n",
        encoding="utf-8",
    )
    db.import_files(
        [("units", units), ("care_funds", funds), ("stations", stations)],
        today=FIXTURE_TODAY,
    )
    found = snapshots.input_digest(db.engine)

    S, N = "\x1f", "\\N"
    assert found.tables["care_funds"] == snapshots.TableDigest(
        2, sha(f"610602000000{S}2021-12-01{S}{N}\n610621000000{S}{N}{S}{N}\n")
    )
    # Booleans 1/0, integers as digits, dates YYYY-MM-DD, NULL as \N.
    assert found.tables["stations"] == snapshots.TableDigest(
        1,
        sha(
            S.join(
                ["610602000000", "2019-06-01", "1", "5", "1", "1", "0", N, "1", N, N]
            )
            + "\n"
        ),
    )
    assert found.tables["units"] == snapshots.TableDigest(
        3,
        sha(
            f"610600000000{S}延安市{S}city{S}{N}{S}{N}\n"
            f"610602000000{S}宝塔区{S}county{S}610600000000{S}{N}\n"
            f"610621000000{S}延长县{S}county{S}610600000000{S}{N}\n"
        ),
    )
    assert found.tables["veterans"] == snapshots.TableDigest(0, EMPTY)
    assert list(found.tables) == list(KINDS)
    total = "".join(f"{k}\t{t.rows}\t{t.sha256}\n" for k, t in found.tables.items())
    assert found.sha256 == sha(total)


def test_earlier_versions_are_part_of_their_kinds_digest(
    db: vs.Database, tmp_path: Path
):
    units = tmp_path / "units.csv"
    units.write_text(
        "code,name,level,parent_code\n610600000000,延安市,city,\n"
        "610602000000,宝塔区,county,610600000000\n",
        encoding="utf-8",
    )
    first, second = tmp_path / "care_funds.csv", tmp_path / "care_funds2.csv"
    first.write_text("unit_code,established_on\n610602000000,\n", encoding="utf-8")
    second.write_text(
        "unit_code,established_on,生效日期\n610602000000,2021-12-01,2026-03-01\n",
        encoding="utf-8",
    )
    db.import_files([("units", units), ("care_funds", first)], today=FIXTURE_TODAY)
    db.import_files([("care_funds", second)], today=FIXTURE_TODAY)
    found = snapshots.input_digest(db.engine)
    S, N = "\x1f", "\\N"
    # The current version, then the one it replaced with its last day.
    assert found.tables["care_funds"] == snapshots.TableDigest(
        1,
        sha(
            f"610602000000{S}2021-12-01{S}2026-03-01\n"
            f"610602000000{S}{N}{S}{N}{S}2026-02-28\n"
        ),
    )


def test_the_same_records_give_the_same_digest_on_sqlite_and_postgresql(
    sqlite_url: str, pg_url: str
):
    digests = []
    for url in (sqlite_url, pg_url):
        with vs.open(url, actor="tester") as db:
            import_all(db)
            digests.append(snapshots.input_digest(db.engine))
    assert digests[0] == digests[1]
    assert digests[0].tables["visits"].rows == 3


def test_the_digest_streams_and_names_the_table_that_changed(
    db: vs.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import_all(db)
    before = snapshots.input_digest(db.engine)
    monkeypatch.setattr(snapshots.digest, "CHUNK_ROWS", 2)  # chunking changes nothing
    assert snapshots.input_digest(db.engine) == before

    # One cell changed: the same rows, another digest, in that table only.
    corrected = tmp_path / "care_funds.csv"
    corrected.write_text(
        "unit_code,established_on\n610602000000,2021-12-02\n", encoding="utf-8"
    )
    db.import_file("care_funds", corrected, today=FIXTURE_TODAY)
    after = snapshots.input_digest(db.engine)
    assert after.sha256 != before.sha256
    changed = [k for k in KINDS if after.tables[k] != before.tables[k]]
    assert changed == ["care_funds"]
    assert after.tables["care_funds"].rows == before.tables["care_funds"].rows == 2


def test_the_digest_never_holds_a_table_in_memory(sqlite_url: str):
    """Twice the rows, the same memory: 60,000 activity rows (about 12 MB of
    text) are hashed in less than half their size, and 120,000 in hardly more."""

    def activities(first: int, count: int) -> list[dict[str, Any]]:
        return [
            {
                "unit_code": "610602001001",
                "held_on": dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
                "type": "study",
                "title": f"学习贯彻退役军人保障法专题活动第{i:06d}次（{'宣讲' * 20}）",
                "participants": 12,
                "tags": None,
            }
            for i in range(first, first + count)
        ]

    def peak_of_digest(db: vs.Database) -> int:
        tracemalloc.start()
        snapshots.input_digest(db.engine)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    with vs.open(sqlite_url, actor="tester") as db:
        db.import_file("units", RECORDS / "units.csv", today=FIXTURE_TODAY)
        rows = activities(0, 60_000)
        text_size = sum(len(r["title"].encode()) + 40 for r in rows)
        with db.engine.begin() as conn:
            conn.execute(TABLES["activities"].insert(), rows)
        del rows
        half = peak_of_digest(db)
        with db.engine.begin() as conn:
            conn.execute(TABLES["activities"].insert(), activities(60_000, 60_000))
        full = peak_of_digest(db)
        assert snapshots.input_digest(db.engine).tables["activities"].rows == 120_000
    assert text_size > 10_000_000
    assert half < text_size / 2
    assert full < half * 1.25


# ---------------------------------------------------------------------------
# Freezing and listing.


def test_freeze_keeps_the_json_report_digest_versions_and_actor(db: vs.Database):
    import_all(db)
    evaluation = db.report(CITY, "2026", as_of=AS_OF)
    frozen = db.freeze(evaluation)

    assert frozen.unit == CITY and frozen.unit_name == "延安市"
    assert (frozen.period, frozen.as_of, frozen.lang) == ("2026", AS_OF, "zh")
    assert frozen.actor == "tester"
    assert frozen.figures == json.loads(json.dumps(report_dict(evaluation, "zh")))
    assert frozen.figures["indicators"][0]["id"] == "env.station_established"
    assert frozen.inputs == snapshots.input_digest(db.engine)
    assert frozen.vetservice_version == vs.__version__
    assert list(frozen.plugins) == [(p.name, p.version) for p in db.plugins.describe()]
    assert ("vetservice.indicators.builtin.activities", None) in frozen.plugins

    # Read back whole; listed without figures; the freeze is in the audit log.
    assert db.snapshot(frozen.id) == frozen
    second = db.freeze(db.report(BAOTA, "2026Q4", as_of=AS_OF))
    listed = db.snapshots()
    assert [(s.id, s.unit, s.period) for s in listed] == [
        (second.id, BAOTA, "2026Q4"),
        (frozen.id, CITY, "2026"),
    ]
    assert all(s.figures is None for s in listed)
    assert [s.id for s in db.snapshots(unit=CITY)] == [frozen.id]
    assert [s.id for s in db.snapshots(period="2026Q4")] == [second.id]
    assert [s.id for s in db.snapshots(limit=1)] == [second.id]
    row = db.audit(command="freeze")[-1]
    assert row.actor == "tester"
    assert dict(row.detail) == {
        "snapshot": frozen.id,
        "unit": CITY,
        "period": "2026",
        "as_of": "2026-11-28",
        "input_sha256": frozen.inputs.sha256,
    }
    with pytest.raises(vs.NotFoundError):
        db.snapshot(frozen.id + 100)


def test_write_reports_freezes_every_report_with_one_digest(
    db: vs.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import_all(db)
    calls = []
    digest = snapshots.input_digest

    def counted(engine: Any) -> snapshots.InputDigest:
        calls.append(1)
        return digest(engine)

    monkeypatch.setattr(snapshots, "input_digest", counted)
    frozen: list[snapshots.Snapshot] = []
    paths = db.write_reports(
        CITY, "2026", ["json"], tmp_path, as_of=AS_OF, each_child=True, frozen=frozen
    )
    assert len(paths) == 3
    assert [s.unit for s in frozen] == [CITY, BAOTA, YANCHANG]
    assert len(calls) == 1
    assert len({s.inputs.sha256 for s in frozen}) == 1
    # The files written hold the frozen figures.
    written = json.loads(Path(paths[1]).read_text(encoding="utf-8"))
    assert written["indicators"] == frozen[1].figures["indicators"]
    # Without `frozen` nothing is kept.
    db.write_reports(CITY, "2026", ["json"], tmp_path, as_of=AS_OF)
    assert len(db.snapshots()) == 3


# ---------------------------------------------------------------------------
# Diffs.


def test_nothing_changed(db: vs.Database):
    import_all(db)
    frozen = db.freeze(db.report(CITY, "2026", as_of=AS_OF))
    diff = db.diff_snapshot(frozen.id)
    assert not diff.changed
    assert diff.changes == ()
    assert not diff.input_changed and not diff.versions_changed
    assert diff.describe("zh")[1:] == [
        f"台账数据：未变化（SHA-256 {frozen.inputs.sha256[:16]}）",
        f"程序版本：未变化（vetservice {vs.__version__}，插件 {len(frozen.plugins)} 个）",
        "指标数据：未变化",
    ]


def test_a_new_visit_changes_two_figures_and_the_visits_table(
    db: vs.Database, tmp_path: Path
):
    import_all(db)
    frozen = db.freeze(db.report(CITY, "2026", as_of=AS_OF))
    add_visit(db, tmp_path)
    diff = db.diff_snapshot(frozen.id)

    assert diff.changed and diff.input_changed and not diff.versions_changed
    assert [(t.kind, t.old.rows, t.new.rows) for t in diff.table_changes] == [
        ("visits", 3, 4)
    ]
    assert [(c.indicator, c.unit, c.fields) for c in diff.changes] == [
        ("visit.holiday", CITY, ("numerator", "value")),
        ("visit.holiday", YANCHANG, ("numerator", "value")),
    ]
    city, yanchang = diff.changes
    assert city.old == {
        "numerator": 2,
        "denominator": None,
        "value": 2,
        "status": "no_target",
    }
    assert city.new == {
        "numerator": 3,
        "denominator": None,
        "value": 3,
        "status": "no_target",
    }
    assert (yanchang.old["value"], yanchang.new["value"]) == (0, 1)
    assert diff.describe("zh")[2:] == [
        "  走访慰问：3 → 4 条",
        f"程序版本：未变化（vetservice {vs.__version__}，插件 {len(frozen.plugins)} 个）",
        "指标数据：2 处变化",
        "  visit.holiday 重大节日走访慰问次数，延安市（610600000000）：分子 2 → 3；数值 2 → 3",
        "  visit.holiday 重大节日走访慰问次数，延长县（610621000000）：分子 0 → 1；数值 0 → 1",
    ]
    assert "records: changed" in diff.describe("en")[1]


def test_a_status_change_is_named(db: vs.Database, tmp_path: Path):
    """visit.key_visited at 延长县: its one key veteran 陈德胜 was visited on
    2026-05-06, 1/1 met. Frozen for 2026Q1 he was not visited yet: 0/1, not met;
    the same quarter recomputed after a visit on 2026-03-01: 1/1, met."""
    import_all(db)
    frozen = db.freeze(db.report(YANCHANG, "2026Q1", as_of=AS_OF))
    path = tmp_path / "visit.csv"
    path.write_text(
        "走访日期,身份证号,走访事由\n2026-03-01,612621195801010093,重大节日\n",
        encoding="utf-8",
    )
    db.import_file("visits", path, today=FIXTURE_TODAY)
    diff = db.diff_snapshot(frozen.id)
    key = [c for c in diff.changes if c.indicator == "visit.key_visited"]
    assert [(c.unit, c.fields) for c in key] == [
        (YANCHANG, ("numerator", "value", "status")),
        ("610621100000", ("numerator", "value", "status")),
    ]
    assert key[0].describe("zh") == (
        "分子 0 → 1；数值 0.0% → 100.0%；状态 未达标 → 达标"
    )


class Villages:
    """A county plugin counting villages (3 in the city, 2 in 宝塔区, 1 in 延长县)."""

    @hookimpl
    def vetservice_register_indicators(self) -> list[Indicator]:
        units = TABLES["units"]
        return [
            Indicator(
                id="test.villages",
                area=Area.ENVIRONMENT,
                kind=Kind.COUNT,
                name=Bilingual("村社区数", "villages"),
                rule=Bilingual("村社区数", "villages"),
                facts=lambda ctx: sa.select(
                    units.c.code.label("unit_code"),
                    sa.literal(1).label("numerator"),
                    sa.literal(0).label("denominator"),
                ).where(units.c.level == "village"),
            )
        ]


def test_a_plugin_gone_is_a_version_change_and_its_figures_are_named(
    db_url: str,
):
    with vs.open(db_url, actor="tester", plugins=make_plugins(Villages())) as db:
        import_all(db)
        frozen = db.freeze(db.evaluate(CITY, "2026", as_of=AS_OF))
        villages = [
            f for f in frozen.figures["indicators"] if f["id"] == "test.villages"
        ]
        assert villages[0]["value"] == 3
    with vs.open(db_url, actor="tester") as db:
        diff = db.diff_snapshot(frozen.id)
    assert diff.versions_changed and not diff.input_changed
    [plugin] = diff.plugin_changes
    assert plugin.name == "test_snapshots.Villages"
    assert (plugin.old_loaded, plugin.new_loaded) == (True, False)
    assert [(c.unit, c.old["value"], c.new) for c in diff.changes] == [
        (CITY, 3, None),
        (BAOTA, 2, None),
        (YANCHANG, 1, None),
    ]
    lines = diff.describe("zh")
    assert "程序版本：已变化" in lines
    assert "  插件 test_snapshots.Villages：无版本号 → 未加载" in lines
    assert (
        "  test.villages 村社区数，延安市（610600000000）：现已不再计算，原为 3"
        in lines
    )


def test_a_new_vetservice_version_is_named(db: vs.Database):
    import_all(db)
    frozen = db.snapshot(db.freeze(db.evaluate(CITY, "2026", as_of=AS_OF)).id)
    now = report_dict(db.evaluate(CITY, "2026", as_of=AS_OF), "zh")
    same = snapshots.compare(frozen, now, inputs=frozen.inputs, plugins=frozen.plugins)
    assert not same.changed
    newer = snapshots.compare(
        frozen,
        now,
        inputs=frozen.inputs,
        plugins=frozen.plugins,
        vetservice_version="9.9.9",
    )
    assert newer.changed and newer.versions_changed and not newer.changes
    assert f"  vetservice {vs.__version__} → 9.9.9" in newer.describe("zh")


# ---------------------------------------------------------------------------
# The command line.


@pytest.fixture
def run(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"

    def _run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)

    _run("import", "--today", "2026-11-28", "auto", *map(str, FILES))
    return _run


def test_cli_report_freeze_snapshots_and_diff(run, tmp_path: Path):
    out = tmp_path / "out"
    written = run(
        "--actor", "李科员", "--as-of", "2026-11-28", "report",
        "--unit", CITY, "--period", "2026", "--format", "json",
        "--out", str(out), "--each-child", "--freeze",
    )  # fmt: skip
    assert written.exit_code == 0
    assert written.output.splitlines()[-3:] == [
        "已留痕，快照 1：延安市（610600000000）2026",
        "已留痕，快照 2：宝塔区（610602000000）2026",
        "已留痕，快照 3：延长县（610621000000）2026",
    ]

    listed = run("snapshots")
    assert listed.exit_code == 0
    header, *rows = listed.output.splitlines()
    assert header.split("\t")[:7] == [
        "序号", "留痕时间", "操作人", "单位代码", "单位", "统计期间", "截至日期"
    ]  # fmt: skip
    assert [r.split("\t")[0] for r in rows] == ["3", "2", "1"]
    assert rows[0].split("\t")[2:7] == [
        "李科员",
        YANCHANG,
        "延长县",
        "2026",
        "2026-11-28",
    ]
    assert run("snapshots", "list", "--unit", BAOTA).output.count("\n") == 2
    as_json = json.loads(run("snapshots", "list", "--format", "json").output)
    assert [s["id"] for s in as_json] == [3, 2, 1]

    same = run("snapshots", "diff", "1")
    assert same.exit_code == 0
    assert same.output.splitlines()[-1] == "指标数据：未变化"

    visit = tmp_path / "visit.csv"
    visit.write_text(NEW_VISIT, encoding="utf-8")
    run("import", "--today", "2026-11-28", "visits", str(visit))
    changed = run("snapshots", "diff", "3")
    assert changed.exit_code == 1
    # 延长县 and its 黑家堡镇, where 刘小军 lives (in 黑家堡村).
    assert changed.output.splitlines()[-3:] == [
        "指标数据：2 处变化",
        "  visit.holiday 重大节日走访慰问次数，延长县（610621000000）：分子 0 → 1；数值 0 → 1",
        "  visit.holiday 重大节日走访慰问次数，黑家堡镇（610621100000）：分子 0 → 1；数值 0 → 1",
    ]
    unchanged_figures = run("snapshots", "diff", "2")  # 宝塔区: only the digest moved
    assert unchanged_figures.exit_code == 1
    assert "指标数据：未变化" in unchanged_figures.output
    assert "台账数据：已变化" in unchanged_figures.output
    as_json = json.loads(run("snapshots", "diff", "1", "--format", "json").output)
    assert as_json["changed"] is True
    assert as_json["tables"] == [{"kind": "visits", "old_rows": 3, "new_rows": 4}]
    assert [c["unit"] for c in as_json["changes"]] == [CITY, YANCHANG]

    missing = run("snapshots", "diff", "99")
    assert missing.exit_code == 2
    assert "没有编号为 99 的报表快照" in missing.stderr
    assert "Traceback" not in missing.stderr
