"""Two processes writing to one database at once.

Real subprocesses run the CLI. They import their modules first and then wait
for a "go" file, so both start their import at the same moment. On SQLite a
writer takes the lock at ``BEGIN IMMEDIATE`` and a second writer waits (busy
timeout, 60 seconds) instead of failing; a lock held longer than that is a
clear Chinese error, exit code 2, and nothing is written.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from fixtures import RECORDS

import vetservice as vs
from vetservice.testing import FIXTURE_TODAY, YJL, id_number

UNITS = RECORDS / "units.csv"
VILLAGE = YJL  # 杨家岭社区
HALF = 2000  # about a second of importing each, so the two surely overlap

# argv: go file, times file, then the CLI's arguments. The busy timeout can be
# shortened through VS_TEST_BUSY_TIMEOUT_MS (milliseconds).
RUN_CLI = """
import os, sys, time
from pathlib import Path
import vetservice.store.database as database
from vetservice_cli.main import cli
if os.environ.get("VS_TEST_BUSY_TIMEOUT_MS"):
    database.BUSY_TIMEOUT_MS = int(os.environ["VS_TEST_BUSY_TIMEOUT_MS"])
go, times = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.002)
started = time.time()
try:
    cli(sys.argv[3:], prog_name="vetservice")
finally:
    times.write_text(f"{started} {time.time()}")
"""


def id_numbers(count: int, start: int = 0) -> list[str]:
    """``count`` distinct valid id numbers (500 per birth date)."""
    numbers = []
    for n in range(start, start + count):
        day = n // 500
        birth = f"1970{1 + day // 28:02d}{1 + day % 28:02d}"
        numbers.append(id_number("610100", birth, n % 500))
    return numbers


def veterans_csv(path: Path, numbers: list[str]) -> Path:
    lines = ["身份证号,姓名,性别,现居村社区代码,退役类别,退役日期"]
    lines += [
        f"{number},退役军人{i},男,{VILLAGE},退役义务兵,1990-12-01"
        for i, number in enumerate(numbers)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(
    tmp_path: Path, name: str, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], Path]:
    times = tmp_path / f"{name}.times"
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, str(tmp_path / "go"), str(times), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return process, times


def go(tmp_path: Path) -> None:
    (tmp_path / "go").touch()


def interval(times: Path) -> tuple[float, float]:
    started, ended = times.read_text().split()
    return float(started), float(ended)


def audit_rows(db: vs.Database) -> list[tuple[str, str | None, int]]:
    audit = vs.store.audit_log
    with vs.store.reading(db.engine) as conn:
        return [
            (r.command, r.file_name, r.added)
            for r in conn.execute(sa.select(audit).order_by(audit.c.id))
        ]


@pytest.fixture
def with_units(db_url: str) -> vs.Database:
    db = vs.open(db_url, actor="tester")
    db.import_file("units", UNITS, today=FIXTURE_TODAY)
    yield db
    db.close()


def test_two_processes_import_into_one_database_at_once(
    with_units: vs.Database, db_url: str, tmp_path: Path
):
    numbers = id_numbers(2 * HALF)
    first = veterans_csv(tmp_path / "first.csv", numbers[:HALF])
    second = veterans_csv(tmp_path / "second.csv", numbers[HALF:])
    runs = [
        start(tmp_path, name, "--db", db_url, "import", "veterans", str(path))
        for name, path in (("first", first), ("second", second))
    ]
    go(tmp_path)
    outputs = [process.communicate(timeout=120) for process, _ in runs]

    for (process, _), (stdout, stderr) in zip(runs, outputs, strict=True):
        assert process.returncode == 0, stderr
        # Nothing on stderr but the dashboard's periods made current.
        lines = stderr.splitlines()
        assert lines and all("（截至 " in line for line in lines), stderr
        assert f"新增 {HALF}" in stdout
    # They ran at the same moment: each started before the other had finished.
    (start1, end1), (start2, end2) = (interval(times) for _, times in runs)
    assert start1 < end2 and start2 < end1

    # No row lost: every id number is there once, with its own name.
    veterans = with_units.records("veterans")
    assert len(veterans) == 2 * HALF
    assert sorted(v.id_number for v in veterans) == sorted(numbers)
    assert {v.id_number: v.name for v in veterans}[numbers[HALF]] == "退役军人0"
    assert sorted(audit_rows(with_units)) == [
        ("import", "first.csv", HALF),
        ("import", "second.csv", HALF),
        ("import", "units.csv", 9),
    ]


def test_two_processes_import_the_same_file_at_once(
    with_units: vs.Database, db_url: str, tmp_path: Path
):
    numbers = id_numbers(HALF)
    same = veterans_csv(tmp_path / "same.csv", numbers)
    runs = [
        start(tmp_path, name, "--db", db_url, "import", "veterans", str(same))
        for name in ("first", "second")
    ]
    go(tmp_path)
    outputs = sorted(
        (process.communicate(timeout=120), process.returncode) for process, _ in runs
    )
    added = f"same.csv：新增 {HALF} 条，更新 0 条，未变 0 条，删除 0 条，跳过 0 行\n"
    unchanged = (
        f"same.csv：新增 0 条，更新 0 条，未变 {HALF} 条，删除 0 条，跳过 0 行\n"
    )
    clash = (
        "错误：另一个命令在同一时刻写入了相同的记录，本次没有写入任何内容；"
        "请重新运行本命令\n"
    )
    stdouts = sorted(stdout for (stdout, _), _ in outputs)
    if db_url.startswith("sqlite"):
        # The second waits for the first's lock, then finds every record there.
        assert [code for _, code in outputs] == [0, 0]
        assert stdouts == [unchanged, added]
    else:
        # PostgreSQL runs both at once: the second to insert meets the first's
        # rows on the unique index and writes nothing (unless it started late).
        assert added in stdouts
        other = next(o for o in outputs if o[0][0] != added)
        (stdout, stderr), code = other
        if code == 0:
            assert stdout == unchanged
        else:
            assert code == 2
            assert stderr.endswith(clash), stderr
    assert sorted(v.id_number for v in with_units.records("veterans")) == sorted(
        numbers
    )


def test_two_processes_create_a_new_file_at_once(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'new.db').as_posix()}"
    runs = [
        start(tmp_path, name, "--db", url, "import", "units", str(UNITS))
        for name in ("first", "second")
    ]
    go(tmp_path)
    outputs = [process.communicate(timeout=120) for process, _ in runs]
    for (process, _), (_, stderr) in zip(runs, outputs, strict=True):
        assert process.returncode == 0, stderr
    with vs.open(url) as db:
        assert db.count("units") == 9
        # One of them added the 9 units, the other found them there.
        assert sorted(added for _, _, added in audit_rows(db)) == [0, 9]


def test_a_lock_held_past_the_busy_timeout_is_a_clear_error(
    sqlite_url: str, tmp_path: Path
):
    with vs.open(sqlite_url) as db:
        db.import_file("units", UNITS, today=FIXTURE_TODAY)
        path = db.engine.url.database
    veterans = veterans_csv(tmp_path / "veterans.csv", id_numbers(10))

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE units SET name = name")
    process, times = start(
        tmp_path,
        "waiting",
        "--db",
        sqlite_url,
        "import",
        "veterans",
        str(veterans),
        env={"VS_TEST_BUSY_TIMEOUT_MS": "1000"},
    )
    go(tmp_path)
    stdout, stderr = process.communicate(timeout=60)
    holder.execute("ROLLBACK")
    holder.close()

    assert process.returncode == 2
    assert stdout == ""
    assert stderr == (
        "错误：数据库正忙：另一个命令正在写入数据库，已等待超过 1 秒，"
        "本次没有写入任何内容；请等那个命令完成后再运行本命令\n"
    )
    started, ended = interval(times)
    assert ended - started >= 1.0  # it did wait for the lock first
    with vs.open(sqlite_url) as db:
        assert db.count("veterans") == 0
        assert audit_rows(db) == [("import", "units.csv", 9)]


def test_opening_and_reading_never_wait_for_a_writer(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
):
    with vs.open(sqlite_url) as db:
        db.import_file("units", UNITS, today=FIXTURE_TODAY)
        path = db.engine.url.database
    monkeypatch.setattr(vs.store.database, "BUSY_TIMEOUT_MS", 3000)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM units")
    try:
        # A wait would end in the "database is busy" error after 3 seconds.
        with vs.open(sqlite_url) as db:
            assert db.count("units") == 9  # the last committed state
            assert db.unit("610602000000").name == "宝塔区"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
