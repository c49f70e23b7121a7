"""`vetservice backup`: a consistent copy of a SQLite database while it is in use.

The fixture ledgers (every kind) are loaded, then copied while another
connection holds an uncommitted write and while an import runs in another
thread. The copy must hold every committed row and none of the uncommitted
ones, pass ``PRAGMA integrity_check``, open as a database of its own (that is
the restore) and leave one audit row with the copy's SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fixtures import ALL_ROWS as FIXTURE_COUNTS
from fixtures import FILES, SEED_RECORDS

import vetservice as vs
from vetservice.errors import ConfigurationError, StorageError
from vetservice.store import backup as backup_module
from vetservice.testing import FIXTURE_TODAY, YJL, id_number
from vetservice_cli.main import cli

VILLAGE = YJL  # 杨家岭社区


def load_fixtures(db: vs.Database) -> None:
    ledgers = [*FILES, *sorted(SEED_RECORDS.glob("*.csv"))]
    db.import_files([(p.stem, p) for p in ledgers], today=FIXTURE_TODAY)


def everything(db: vs.Database) -> dict[str, list[Any]]:
    return {kind: db.records(kind) for kind in vs.KINDS}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def backup_rows(db: vs.Database) -> list[Any]:
    audit = vs.store.audit_log
    with vs.store.reading(db.engine) as conn:
        return list(conn.execute(sa.select(audit).where(audit.c.command == "backup")))


def veterans_csv(path: Path, count: int, start: int = 0) -> Path:
    """``count`` valid veterans living in 杨家岭社区, numbered from ``start``."""
    lines = ["id_number,name,gender,unit_code,category,discharged_on"]
    for n in range(start, start + count):
        # 500 sequence numbers per birth date, so a new day every 500 people.
        day = 1 + n // 500
        number = id_number(
            "610602", f"1970{1 + day // 28:02d}{1 + day % 28:02d}", n % 500
        )
        lines.append(f"{number},退役军人{n},男,{VILLAGE},conscript,1990-12-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def loaded(sqlite_url: str) -> Any:
    db = vs.open(sqlite_url, actor="tester")
    load_fixtures(db)
    yield db
    db.close()


def test_the_fixtures_hold_every_kind(loaded: vs.Database):
    assert loaded.counts() == FIXTURE_COUNTS


def _pausing_after_the_copy(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """An event set once the copy is on disk (before the audit row is written)."""
    copied = threading.Event()
    digest = backup_module.file_digest

    def hashing(path: Path) -> str:
        copied.set()
        return digest(path)

    monkeypatch.setattr(backup_module, "file_digest", hashing)
    return copied


def test_backup_while_another_connection_holds_a_write_transaction(
    loaded: vs.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    before = everything(loaded)
    target = tmp_path / "copy.db"
    copied = _pausing_after_the_copy(monkeypatch)

    writer = sqlite3.connect(loaded.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO units (code, name, level, parent_code, kind) "
        "VALUES ('610602100002', '新村', 'village', '610602100000', 'village')"
    )
    writer.execute("UPDATE veterans SET name = '改名' WHERE name = '李保国'")

    done: list[Any] = []
    thread = threading.Thread(target=lambda: done.append(loaded.backup(target)))
    thread.start()
    # The copy is made while the writer still holds its lock: nothing waits.
    assert copied.wait(timeout=30), "the copy waited for the writer"
    assert not target.exists()  # renamed into place only after the audit row
    writer.execute("COMMIT")
    thread.join(timeout=60)
    writer.close()
    assert done and done[0].path == target

    assert integrity(target) == "ok"
    assert journal_mode(target) == "delete"  # one file, no -wal beside it
    digest = sha256(target)
    assert done[0].sha256 == digest
    assert done[0].size == target.stat().st_size
    [row] = backup_rows(loaded)
    assert (row.file_name, row.file_sha256, row.actor) == ("copy.db", digest, "tester")
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []

    # The source has the writer's rows; the copy is the state before them.
    assert loaded.count("units") == 10
    with vs.open(f"sqlite:///{target.as_posix()}") as restored:
        assert restored.counts() == FIXTURE_COUNTS
        assert everything(restored) == before
        assert restored.records("veterans", name="李保国")


def test_backup_while_an_import_runs_in_another_thread(
    loaded: vs.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from vetservice.imports import importer

    before = everything(loaded)
    veterans = veterans_csv(tmp_path / "veterans.csv", 1200)
    target = tmp_path / "copy.db"

    # The import stops after writing its 1,200 rows, inside its transaction,
    # until the backup has made its copy.
    written, copied = threading.Event(), _pausing_after_the_copy(monkeypatch)
    audit = importer._audit

    def auditing(*args: Any, **kwargs: Any) -> None:
        audit(*args, **kwargs)
        written.set()
        assert copied.wait(timeout=30)

    monkeypatch.setattr(importer, "_audit", auditing)
    results: list[Any] = []
    importing = threading.Thread(
        target=lambda: results.append(
            loaded.import_file("veterans", veterans, today=FIXTURE_TODAY)
        )
    )
    importing.start()
    assert written.wait(timeout=60)
    loaded.backup(target)  # the audit row waits for the import to commit
    importing.join(timeout=60)
    assert results and results[0].files[0].counts["added"] == 1200

    assert [r.file_sha256 for r in backup_rows(loaded)] == [sha256(target)]
    assert integrity(target) == "ok"
    assert loaded.count("veterans") == 5 + 1200
    with vs.open(f"sqlite:///{target.as_posix()}") as restored:
        # None of the uncommitted import, all of the rest.
        assert restored.counts() == FIXTURE_COUNTS
        assert everything(restored) == before


def test_no_backup_is_left_without_its_audit_row(
    loaded: vs.Database,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """A writer holding the lock past the busy timeout: the copy is thrown away."""
    monkeypatch.setattr(vs.store.database, "BUSY_TIMEOUT_MS", 500)
    target = tmp_path / "copy.db"
    writer = sqlite3.connect(loaded.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with vs.open(sqlite_url) as db, pytest.raises(StorageError) as error:
            db.backup(target)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert str(error.value).startswith("数据库正忙")
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
    assert backup_rows(loaded) == []


def test_a_backup_after_the_import_has_every_row(loaded: vs.Database, tmp_path: Path):
    loaded.import_file(
        "veterans", veterans_csv(tmp_path / "veterans.csv", 700), today=FIXTURE_TODAY
    )
    target = tmp_path / "after.db"
    loaded.backup(target)
    assert integrity(target) == "ok"
    with vs.open(f"sqlite:///{target.as_posix()}") as restored:
        assert restored.counts() == {**FIXTURE_COUNTS, "veterans": 705}
        assert everything(restored) == everything(loaded)


def test_restore_by_copying_the_file_back(loaded: vs.Database, tmp_path: Path):
    before = everything(loaded)
    target = tmp_path / "copy.db"
    loaded.backup(target)
    source = Path(loaded.engine.url.database)
    loaded.import_file(
        "veterans", veterans_csv(tmp_path / "veterans.csv", 3), today=FIXTURE_TODAY
    )
    loaded.close()
    # docs/backup.md: stop every program using the database, copy the file back
    # and remove the old -wal and -shm files beside it.
    for extra in ("-wal", "-shm"):
        Path(f"{source}{extra}").unlink(missing_ok=True)
    shutil.copyfile(target, source)
    with vs.open(f"sqlite:///{source.as_posix()}") as restored:
        assert everything(restored) == before


def test_an_existing_file_is_kept_unless_forced(loaded: vs.Database, tmp_path: Path):
    target = tmp_path / "copy.db"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigurationError) as error:
        loaded.backup(target)
    assert (
        str(error.value) == f"{target} 已经存在；请换一个新文件名，或加 --force 覆盖它"
    )
    assert target.read_text(encoding="utf-8") == "keep me"
    assert backup_rows(loaded) == []
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []

    loaded.backup(target, force=True)
    assert integrity(target) == "ok"
    assert len(backup_rows(loaded)) == 1


def test_the_database_itself_is_never_the_target(loaded: vs.Database):
    source = Path(loaded.engine.url.database)
    with pytest.raises(ConfigurationError, match="就是数据库本身"):
        loaded.backup(source, force=True)
    assert loaded.counts() == FIXTURE_COUNTS


def test_a_scoped_database_is_not_backed_up(
    loaded: vs.Database, sqlite_url: str, tmp_path: Path
):
    """A county's user gets the county through export, never the whole city."""
    target = tmp_path / "copy.db"
    county = vs.open(sqlite_url, scope="610602000000")
    with county, pytest.raises(ConfigurationError) as error:
        county.backup(target)
    assert str(error.value) == (
        "备份包含整个数据库，不只是权限范围 610602000000；"
        "只要该范围的台账，请用“vetservice export --scope 610602000000”"
    )
    assert not target.exists()
    assert backup_rows(loaded) == []


def test_a_missing_folder_is_named(loaded: vs.Database, tmp_path: Path):
    with pytest.raises(ConfigurationError, match="不存在"):
        loaded.backup(tmp_path / "no-such-folder" / "copy.db")


def test_postgresql_is_backed_up_with_pg_dump(pg_url: str, tmp_path: Path):
    target = tmp_path / "copy.dump"
    with vs.open(pg_url) as db, pytest.raises(ConfigurationError) as error:
        db.backup(target)
    assert "pg_dump --format=custom" in str(error.value)
    assert "postgresql://" in str(error.value)
    assert not target.exists()

    result = CliRunner().invoke(cli, ["--db", pg_url, "backup", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：“vetservice backup”只复制 SQLite 数据库文件")
    assert "Traceback" not in result.stderr
    assert not target.exists()


@pytest.mark.postgresql
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_the_documented_pg_dump_and_pg_restore_commands(pg_url: str, tmp_path: Path):
    """docs/backup.md's commands, run on two new databases of the test server."""
    server = sa.make_url(pg_url).set(query={})
    names = [f"vs_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        source, restored = (
            server.set(database=name).render_as_string(hide_password=False)
            for name in names
        )

        def libpq(url: str) -> str:
            return (
                sa.make_url(url)
                .set(drivername="postgresql")
                .render_as_string(hide_password=False)
            )

        with vs.open(source) as db:
            load_fixtures(db)
            before = everything(db)
        dump = tmp_path / "vetservice.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dump}", libpq(source)], check=True
        )
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={libpq(restored)}", str(dump)],
            check=True,
        )
        with vs.open(restored) as db:
            assert db.counts() == FIXTURE_COUNTS
            assert everything(db) == before
    finally:
        admin.dispose()
        with sa.create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
            for name in names:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_backup_command(loaded: vs.Database, sqlite_url: str, tmp_path: Path):
    target = tmp_path / "备份.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", sqlite_url, "backup", str(target)])
    assert result.exit_code == 0, result.output
    digest = sha256(target)
    if os.name == "posix":  # veterans' records: readable by the owner only
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert result.stdout == (
        f"备份已写入：{target}（{target.stat().st_size:,} 字节，SHA-256 {digest}）\n"
    )

    again = runner.invoke(cli, ["--db", sqlite_url, "backup", str(target)])
    assert again.exit_code == 2
    assert (
        again.stderr
        == f"错误：{target} 已经存在；请换一个新文件名，或加 --force 覆盖它\n"
    )
    assert sha256(target) == digest

    forced = runner.invoke(cli, ["--db", sqlite_url, "backup", "--force", str(target)])
    assert forced.exit_code == 0, forced.output
    assert [r.file_name for r in backup_rows(loaded)] == ["备份.db", "备份.db"]


def test_the_backup_command_does_not_create_a_missing_database(tmp_path: Path):
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(
        cli,
        ["--db", f"sqlite:///{missing.as_posix()}", "backup", str(tmp_path / "b.db")],
    )
    assert result.exit_code == 2
    assert result.stderr == f"错误：{missing} 处没有数据库\n"
    assert sorted(tmp_path.iterdir()) == []
