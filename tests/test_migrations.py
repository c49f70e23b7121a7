"""A database made by the first released schema opens with today's code and keeps every row.

``tests/fixtures/schema_0001.db`` holds the fixture ledgers at Alembic revision
0001 (made by ``scripts/make_schema_fixture.py``). Opening a copy upgrades it to
the newest revision; every record must then equal a fresh import of the same
ledgers. On SQLite ``vs.open`` first keeps a copy beside the file
(``<file>.0001.bak``) that must hold every row of the original; on PostgreSQL
``vs.open`` refuses an old schema and ``vetservice init`` upgrades it.

The tests hold for whatever the newest revision is: while it is 0001 there is
nothing to upgrade and no copy is kept.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from fixtures import FILES, ROWS, SCHEMA_0001

import vetservice as vs
from vetservice.errors import SchemaOutdatedError
from vetservice.store.migrate import alembic_config, current_revision, head_revision
from vetservice.testing import FIXTURE_TODAY

OLD = SCHEMA_0001

# Rows of revision 0001's tables in the fixture file: the 21 kinds (counted by
# hand from the CSVs), the ancestor table (9 units at depths 0–3: 9 + 8 + 6 + 3)
# and one audit row per imported file.
# Kinds added after revision 0001 have no rows in the old file.
OLD_ROWS = {kind: ROWS.get(kind, 0) for kind in vs.domain.KINDS}
PRIVATE_ROWS = {"unit_closure": 26, "audit_log": 21}


def table_rows(path: Path) -> dict[str, int]:
    """Rows per table (alembic_version aside) read with sqlite3, changing nothing."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
            if name != "alembic_version"
        ]
        return {
            n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names
        }
    finally:
        conn.close()


def revision_of(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return str(
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        )
    finally:
        conn.close()


def everything(db: vs.Database) -> dict[str, list[Any]]:
    return {kind: db.records(kind) for kind in vs.KINDS}


@pytest.fixture
def fresh(db: vs.Database) -> vs.Database:
    """The same ledgers imported today, on SQLite and on PostgreSQL."""
    db.import_files([(p.stem, p) for p in FILES], today=FIXTURE_TODAY)
    return db


def test_the_fixture_file_is_the_first_schema():
    assert revision_of(OLD) == "0001"
    assert table_rows(OLD) == {**ROWS, **PRIVATE_ROWS}
    assert OLD.stat().st_size < 200_000


def test_opening_an_old_sqlite_file_upgrades_it_and_keeps_every_row(
    fresh: vs.Database, tmp_path: Path
):
    path = tmp_path / "old.db"
    shutil.copyfile(OLD, path)
    with vs.open(f"sqlite:///{path.as_posix()}") as upgraded:
        assert current_revision(upgraded.engine) == head_revision()
        assert upgraded.counts() == fresh.counts() == OLD_ROWS
        assert everything(upgraded) == everything(fresh)
        # The old audit rows are still there.
        audit = vs.store.audit_log
        with vs.store.reading(upgraded.engine) as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(audit)) == 21
        # Writing works: the same ledgers again change nothing.
        again = upgraded.import_files([(p.stem, p) for p in FILES], today=FIXTURE_TODAY)
        assert sum(f.counts["added"] + f.counts["updated"] for f in again.files) == 0
        assert sum(f.counts["unchanged"] for f in again.files) == sum(OLD_ROWS.values())

    kept = tmp_path / "old.db.0001.bak"
    if head_revision() == "0001":
        assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".bak") == []
        return
    # The copy kept before the upgrade: the old revision and every row of it.
    assert revision_of(kept) == "0001"
    assert table_rows(kept) == {**ROWS, **PRIVATE_ROWS}
    conn = sqlite3.connect(kept)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    # It opens (and upgrades) like the original.
    restored = tmp_path / "restored.db"
    shutil.copyfile(kept, restored)
    with vs.open(f"sqlite:///{restored.as_posix()}") as db:
        assert everything(db) == everything(fresh)


def _copy_rows(source: Path, url: str) -> None:
    """The fixture file's rows into a database at revision 0001 (ids left to it)."""
    reading, writing = (
        sa.create_engine(f"sqlite:///{source.as_posix()}"),
        sa.create_engine(url),
    )
    old, new = sa.MetaData(), sa.MetaData()
    old.reflect(reading)
    new.reflect(writing)
    with reading.connect() as src, writing.begin() as dst:
        for name, table in new.tables.items():
            if name == "alembic_version":
                continue
            columns = [c.name for c in table.columns if c.name != "id"]
            rows = [
                dict(r)
                for r in src.execute(
                    sa.select(*(old.tables[name].c[c] for c in columns))
                ).mappings()
            ]
            dst.execute(table.insert(), rows)
    reading.dispose()
    writing.dispose()


@pytest.fixture
def old_postgresql(pg_url: str) -> Iterator[str]:
    engine = vs.store.create_engine(pg_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    engine.dispose()
    _copy_rows(OLD, pg_url)
    yield pg_url


@pytest.mark.postgresql
def test_init_upgrades_an_old_postgresql_schema_and_keeps_every_row(
    old_postgresql: str, sqlite_url: str
):
    with vs.open(sqlite_url) as fresh:
        fresh.import_files([(p.stem, p) for p in FILES], today=FIXTURE_TODAY)
        expected = everything(fresh)
    if head_revision() != "0001":
        # A shared server is upgraded on purpose, not by whoever opens it first.
        with pytest.raises(SchemaOutdatedError, match="vetservice init"):
            vs.open(old_postgresql)
    with vs.init(old_postgresql) as upgraded:
        assert current_revision(upgraded.engine) == head_revision()
        assert upgraded.counts() == OLD_ROWS
        assert everything(upgraded) == expected
        again = upgraded.import_files([(p.stem, p) for p in FILES], today=FIXTURE_TODAY)
        assert sum(f.counts["unchanged"] for f in again.files) == sum(OLD_ROWS.values())


def _indexes(engine: sa.Engine) -> set[tuple[str, str, tuple[str, ...], bool]]:
    inspector = sa.inspect(engine)
    return {
        (table, i["name"], tuple(i["column_names"]), bool(i["unique"]))
        for table in inspector.get_table_names()
        if table != "alembic_version"
        for i in inspector.get_indexes(table)
    }


def test_the_migrations_create_every_index_the_schema_declares(db: vs.Database):
    """New databases are built by the migrations; they must match the code's tables,
    query indexes (``QUERY_INDEXES``) included, on both backends."""
    declared = {
        (table.name, index.name, tuple(c.name for c in index.columns), index.unique)
        for table in vs.store.metadata.sorted_tables
        for index in table.indexes
    }
    assert _indexes(db.engine) == declared
    names = {name for _table, name, _columns, _unique in declared}
    assert "ix_visits_q_reason_visited_on_id_number" in names


def test_the_head_revision_the_store_knows_is_alembics():
    """A database at HEAD_REVISION opens without Alembic; a new migration
    must move it, or databases would stop being upgraded on open."""
    assert head_revision() == vs.store.schema.HEAD_REVISION
