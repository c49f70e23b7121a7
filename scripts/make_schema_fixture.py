"""Make ``tests/fixtures/schema_0001.db``: the fixture ledgers in the first released schema.

Pins Alembic revision **0001** (``0001_initial_schema.py``, the schema of the
first release). ``tests/test_migrations.py`` opens a copy of the file with the
current code, which upgrades it, and checks that every row survived.

    python scripts/make_schema_fixture.py

How it is made: the 21 fixture ledgers of ``tests/fixtures/records`` (all but
``gbk_veterans.csv``, a GBK twin of ``veterans.csv``) are imported into a
scratch database with the current code (as of 2026-11-28); an empty file is
brought to revision 0001 with that revision's own migration; then every row of
every table revision 0001 has (the 21 record tables, ``unit_closure`` and
``audit_log``) is copied over, column by column as far as revision 0001 has
the column. The file is left in rollback-journal mode with 1 KB pages and
vacuumed, so it is one small file.

The file is checked in and meant to stay as it is. Remake it only when the
fixture ledgers change, and never to hide a change in how values are stored
(money in fen, enums as English values, lists joined with ``;``): such a
change needs a migration that converts old files, and this file is what
proves it does.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import vetservice as vs

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "tests" / "fixtures" / "records"
TARGET = ROOT / "tests" / "fixtures" / "schema_0001.db"
REVISION = "0001"
TODAY = dt.date(2026, 11, 28)


def fixture_files() -> list[tuple[str, Path]]:
    return [
        (path.stem, path)
        for path in sorted(RECORDS.glob("*.csv"))
        if path.name != "gbk_veterans.csv"
    ]


def at_revision(url: str, revision: str) -> None:
    """Bring an empty database to ``revision`` with the package's migrations."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", "vetservice.store:migrations")
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def copy_rows(source: sa.Engine, target: sa.Engine) -> dict[str, int]:
    """Copy every row of the tables both have, in the target's columns."""
    old, new = sa.MetaData(), sa.MetaData()
    old.reflect(target)
    new.reflect(source)
    copied = {}
    with source.connect() as reading, target.begin() as writing:
        for name, table in old.tables.items():
            if name == "alembic_version" or name not in new.tables:
                continue
            columns = [c.name for c in table.columns if c.name in new.tables[name].c]
            rows = reading.execute(
                sa.select(*(new.tables[name].c[c] for c in columns))
            ).mappings()
            batch = [dict(row) for row in rows]
            if batch:
                writing.execute(table.insert(), batch)
            copied[name] = len(batch)
    return copied


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        scratch = f"sqlite:///{Path(folder, 'scratch.db').as_posix()}"
        with vs.open(scratch, actor="schema-fixture") as db:
            db.import_files(fixture_files(), today=TODAY)
        TARGET.unlink(missing_ok=True)
        url = f"sqlite:///{TARGET.as_posix()}"
        at_revision(url, REVISION)
        source, target = sa.create_engine(scratch), sa.create_engine(url)
        copied = copy_rows(source, target)
        source.dispose()
        target.dispose()
    conn = sqlite3.connect(TARGET, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 1024")  # a quarter of the default: a small file
    conn.execute("VACUUM")
    (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    conn.close()
    assert revision == REVISION, revision
    for name, count in sorted(copied.items()):
        print(f"{name}\t{count}")
    print(
        f"{TARGET.relative_to(ROOT)}: revision {revision}, {TARGET.stat().st_size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
