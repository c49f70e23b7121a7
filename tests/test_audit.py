"""The audit log: every import, delete, reveal of personal information and
snapshot leaves a row; ``db.audit()`` and ``vetservice audit`` read it back,
newest first, filtered; nothing can change or remove a row.

Data: the fixture ledgers of ``tests/fixtures/records`` (see
``test_report_end_to_end.py`` for the hierarchy). The holiday visits of 2026
are two, both of 李保国 (612601196503120031, 杨家岭社区): 2026-02-12 and
2026-07-30 — so ``explain visit.holiday`` at the city has two rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner
from fixtures import FILES, RECORDS

import vetservice as vs
from vetservice import audit
from vetservice.calendar.periods import CHINA
from vetservice.store import audit_rows
from vetservice.store.migrate import alembic_config, current_revision, head_revision
from vetservice.testing import AS_OF, CITY, FIXTURE_TODAY
from vetservice_cli.main import cli

LI_BAOGUO = "612601196503120031"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def today_in_china() -> dt.date:
    return dt.datetime.now(CHINA).date()


@pytest.fixture
def loaded(db: vs.Database) -> vs.Database:
    """Units, staff, veterans and visits imported by 'tester', one command."""
    kinds = ("units", "staff", "veterans", "visits")
    db.import_files([(k, RECORDS / f"{k}.csv") for k in kinds], today=FIXTURE_TODAY)
    return db


def test_imports_and_deletes_leave_rows_with_digest_and_counts(
    loaded: vs.Database, tmp_path: Path
):
    rows = loaded.audit()
    # One row per file, newest first: the importer writes them in dependency order.
    assert [(r.command, r.kind) for r in rows] == [
        ("import", "visits"),
        ("import", "veterans"),
        ("import", "staff"),
        ("import", "units"),
    ]
    units = rows[-1]
    assert units.actor == "tester"
    assert units.file_name == "units.csv"
    assert units.file_sha256 == sha256(RECORDS / "units.csv")
    assert (units.added, units.updated, units.unchanged) == (9, 0, 0)
    assert rows[0].added == 3  # three visits
    assert rows[0].at.tzinfo is not None

    # The same file again: nothing added, nine unchanged.
    loaded.import_file("units", RECORDS / "units.csv", today=FIXTURE_TODAY)
    again = loaded.audit(limit=1)[0]
    assert (again.command, again.added, again.unchanged) == ("import", 0, 9)

    # Deleting one visit by its key.
    keys = tmp_path / "visits.csv"
    keys.write_text(
        "走访日期,身份证号,走访事由\n2026-05-06,612621195801010093,生病住院\n",
        encoding="utf-8",
    )
    loaded.delete_file("visits", keys)
    deleted = loaded.audit(limit=1)[0]
    assert (deleted.command, deleted.kind, deleted.deleted) == ("delete", "visits", 1)
    assert deleted.file_sha256 == sha256(keys)


def test_the_actor_is_the_os_user_when_none_is_given(
    db_url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("LOGNAME", "clerk_wang")  # getpass.getuser() reads it first
    with vs.open(db_url) as db:
        db.import_file("units", RECORDS / "units.csv", today=FIXTURE_TODAY)
        db.explain("visit.holiday", CITY, "2026", as_of=AS_OF, show_pii=True)
        assert [r.actor for r in db.audit()] == ["clerk_wang", "clerk_wang"]


def test_explain_with_show_pii_leaves_a_row_saying_what_was_revealed(
    loaded: vs.Database,
):
    before = len(loaded.audit())
    masked = loaded.explain("visit.holiday", CITY, "2026", as_of=AS_OF)
    assert LI_BAOGUO not in {r["id_number"] for r in masked.rows}
    assert len(loaded.audit()) == before  # masked output is not a reveal

    shown = loaded.explain("visit.holiday", CITY, "2026", as_of=AS_OF, show_pii=True)
    assert {r["id_number"] for r in shown.rows} == {LI_BAOGUO}
    row = loaded.audit(limit=1)[0]
    assert row.command == "show_pii explain"
    assert row.actor == "tester"
    assert dict(row.detail) == {
        "indicator": "visit.holiday",
        "unit": CITY,
        "period": "2026",
        "as_of": "2026-11-28",
        "columns": ["id_number"],
        "rows": 2,
    }


def test_trace_score_with_show_pii_leaves_a_row(db: vs.Database):
    db.import_files([(p.stem, p) for p in FILES], today=FIXTURE_TODAY)
    scoring = db.score("village_annual", CITY, "2026", as_of=AS_OF)
    village = "610602100001"  # 李渠村
    masked = db.trace_score(scoring, village)
    assert db.audit(command="show_pii") == []
    traces = db.trace_score(scoring, village, show_pii=True)
    [row] = db.audit(command="show_pii")
    assert row.command == "show_pii trace_score"
    assert row.detail["sheet"] == "village_annual"
    assert row.detail["unit"] == village
    assert row.detail["period"] == "2026"
    # As many rows as the traces hold (the same facts masked or not).
    assert row.detail["rows"] == sum(len(t.rows) for t in traces)
    assert row.detail["rows"] == sum(len(t.rows) for t in masked)


def test_a_failed_reveal_is_not_returned_without_its_row(
    loaded: vs.Database, monkeypatch: pytest.MonkeyPatch
):
    def broken(*args: object, **kwargs: object) -> int:
        raise vs.StorageError("database error: {error}", error="disk full")

    monkeypatch.setattr(audit, "reveal", broken)
    with pytest.raises(vs.StorageError):
        loaded.explain("visit.holiday", CITY, "2026", as_of=AS_OF, show_pii=True)


def test_filters(loaded: vs.Database):
    loaded.explain("visit.holiday", CITY, "2026", as_of=AS_OF, show_pii=True)
    other = vs.Database(loaded.engine, actor="auditor_zhao", plugins=loaded.plugins)
    other.explain("visit.holiday", CITY, "2026", as_of=AS_OF, show_pii=True)

    assert [r.command for r in loaded.audit(actor="auditor_zhao")] == [
        "show_pii explain"
    ]
    assert len(loaded.audit(actor="tester")) == 5
    # A command's first word matches its kinds; a whole command matches itself.
    assert len(loaded.audit(command="show_pii")) == 2
    assert len(loaded.audit(command="show_pii explain")) == 2
    assert len(loaded.audit(command="show_pi")) == 0
    assert len(loaded.audit(command="import")) == 4
    # Kinds by English or Chinese name.
    assert [r.file_name for r in loaded.audit(kind="veterans")] == ["veterans.csv"]
    assert [r.file_name for r in loaded.audit(kind="退役军人")] == ["veterans.csv"]
    # Days in China, both ends included.
    today = today_in_china()
    day = dt.timedelta(days=1)
    assert len(loaded.audit(since=today, until=today)) == 6
    assert loaded.audit(since=today + day) == []
    assert loaded.audit(until=today - day) == []
    assert [r.actor for r in loaded.audit(limit=1)] == ["auditor_zhao"]
    with pytest.raises(vs.ConfigurationError):
        loaded.audit(since=today, until=today - day)
    with pytest.raises(vs.ValidationError):
        loaded.audit(kind="no_such_kind")


def test_newest_first_by_time(loaded: vs.Database):
    rows = loaded.audit()
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)


def test_the_library_offers_no_way_to_change_the_log(loaded: vs.Database):
    # The only audit call of the database reads; the module only appends and reads.
    assert [n for n in dir(vs.Database) if "audit" in n] == ["audit"]
    functions = {
        n
        for n, f in vars(audit).items()
        if callable(f)
        and getattr(f, "__module__", None) == audit.__name__
        and not n.startswith("_")
    }
    assert functions == {"AuditEntry", "entries", "record", "reveal"}
    # Every row goes through the store's one writer, which only appends.
    writers = {
        n
        for n, f in vars(audit_rows).items()
        if callable(f) and getattr(f, "__module__", None) == audit_rows.__name__
    }
    assert writers == {"actor_name", "write_audit"}
    assert audit.actor_name is audit_rows.actor_name
    entry = loaded.audit(limit=1)[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entry.actor = "someone else"  # type: ignore[misc]


@pytest.mark.parametrize("table", ["audit_log", "report_snapshots"])
def test_the_database_refuses_to_change_or_delete_rows(db: vs.Database, table: str):
    db.import_file("units", RECORDS / "units.csv", today=FIXTURE_TODAY)
    if table == "report_snapshots":
        db.freeze(db.evaluate(CITY, "2026", as_of=AS_OF, indicators=["visit.holiday"]))
    count = sa.text(f"SELECT count(*) FROM {table}")
    with db.engine.connect() as conn:
        before = conn.scalar(count)
    assert before >= 1
    statements = [f"UPDATE {table} SET actor = 'someone else'", f"DELETE FROM {table}"]
    if db.engine.dialect.name == "postgresql":
        statements.append(f"TRUNCATE {table}")
    for statement in statements:
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            db.engine.begin() as conn,
        ):
            conn.exec_driver_sql(statement)
    with db.engine.connect() as conn:
        assert conn.scalar(count) == before
        assert (
            conn.scalar(sa.text(f"SELECT count(*) FROM {table} WHERE actor = 'tester'"))
            == before
        )


def test_a_0001_database_is_upgraded_to_an_append_only_log(db_url: str):
    """Revision 0001 had neither the snapshots table nor the triggers."""
    engine = vs.store.create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:
        conn.execute(
            vs.store.audit_log.insert().values(
                at=dt.datetime.now(dt.UTC), actor="old", command="import"
            )
        )
        conn.exec_driver_sql("UPDATE audit_log SET actor = 'old hand'")  # still allowed
    engine.dispose()

    db = vs.init(db_url)  # vetservice init: upgrades any backend
    assert current_revision(db.engine) == head_revision()
    assert [r.actor for r in db.audit()] == ["old hand"]
    with (
        pytest.raises(sa.exc.DBAPIError, match="append-only"),
        db.engine.begin() as conn,
    ):
        conn.exec_driver_sql("DELETE FROM audit_log")
    assert db.snapshots() == []
    db.close()


# ---------------------------------------------------------------------------
# The command line.


@pytest.fixture
def run(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"

    def _run(*args: str) -> object:
        return CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)

    return _run


def test_cli_show_pii_always_leaves_a_row(run):
    for kind in ("units", "staff", "veterans", "visits"):
        assert (
            run(
                "--actor",
                "李科员",
                "import",
                "--today",
                "2026-11-28",
                kind,
                str(RECORDS / f"{kind}.csv"),
            ).exit_code
            == 0
        )
    plain = run(
        "--as-of",
        "2026-11-28",
        "explain",
        "visit.holiday",
        "--unit",
        CITY,
        "--period",
        "2026",
    )
    assert LI_BAOGUO not in plain.output
    shown = run(
        "--actor",
        "李科员",
        "--as-of",
        "2026-11-28",
        "--show-pii",
        "explain",
        "visit.holiday",
        "--unit",
        CITY,
        "--period",
        "2026",
    )
    assert LI_BAOGUO in shown.output
    listed = run("audit", "--command", "show_pii", "--format", "json")
    assert listed.exit_code == 0
    [row] = json.loads(listed.output)
    assert row["actor"] == "李科员"
    assert row["command"] == "show_pii explain"
    assert row["detail"]["rows"] == 2
    assert row["detail"]["indicator"] == "visit.holiday"


def test_cli_audit_lists_newest_first_under_chinese_headers(run):
    run("--actor", "李科员", "import", "units", str(RECORDS / "units.csv"))
    run("--actor", "王科员", "import", "units", str(RECORDS / "units.csv"))
    table = run("audit")
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].split("\t")[:5] == ["序号", "时间", "操作人", "命令", "台账种类"]
    assert lines[0].split("\t")[-6:] == ["新增", "更新", "未变", "删除", "跳过", "详情"]
    first, second = (line.split("\t") for line in lines[1:])
    assert first[2:5] == ["王科员", "import", "单位（行政区划）"]
    assert first[7:9] == ["0", "0"] and first[9] == "9"  # added, updated, unchanged
    assert second[2] == "李科员" and second[7] == "9"
    assert first[6] == sha256(RECORDS / "units.csv")

    csv_text = run("audit", "--actor", "李科员", "--format", "csv").output
    assert csv_text.splitlines()[0].startswith("序号,时间,操作人,命令,台账种类,文件,")
    assert len(csv_text.splitlines()) == 2

    assert run("audit", "--limit", "1", "--format", "json").output.count('"id"') == 1
    today = today_in_china()
    assert (
        run(
            "audit", "--since", (today + dt.timedelta(days=1)).isoformat()
        ).output.splitlines()[1:]
        == []
    )
    english = run("--lang", "en", "audit", "--limit", "1")
    assert english.output.splitlines()[0].startswith("No.\tTime\tActor\tCommand")


def test_cli_audit_bad_input_exits_2(run):
    run("import", "units", str(RECORDS / "units.csv"))
    bad_day = run("audit", "--since", "2026-13-01")
    assert bad_day.exit_code == 2
    reversed_days = run("audit", "--since", "2026-11-02", "--until", "2026-11-01")
    assert reversed_days.exit_code == 2
    assert "结束日期 2026-11-01 早于开始日期 2026-11-02" in reversed_days.stderr
    unknown = run("audit", "--kind", "no_such_kind")
    assert unknown.exit_code == 2 and "Traceback" not in unknown.stderr
