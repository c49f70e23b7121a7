"""Engines, transactions and the mapping of database errors.

The URL comes from the caller (``--db``), else ``VETSERVICE_DB``, else
``sqlite:///vetservice.db`` in the working folder. SQLite runs in WAL mode
with a busy timeout so a second writer waits instead of failing.
"""

from __future__ import annotations

import contextvars
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from vetservice.domain.identity import mask_error
from vetservice.errors import ConfigurationError, NotFoundError, StorageError
from vetservice.i18n import N_

T = TypeVar("T")

DEFAULT_URL = "sqlite:///vetservice.db"
BUSY_TIMEOUT_MS = 60_000


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``VETSERVICE_DB``, else the default."""
    return url or os.environ.get("VETSERVICE_DB") or DEFAULT_URL


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so that BEGIN is
    # ours (SQLAlchemy docs, "Serializable isolation / Savepoints").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _plan_whole_reads(dbapi_connection: Any, _record: Any) -> None:
    # A streamed read (yield_per) is a server-side cursor, which PostgreSQL
    # plans for its first tenth of rows; the library reads every row of each,
    # and that plan made the kept village scores of a city 8–9× slower.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute("SET cursor_tuple_fraction = 1.0")
    cursor.close()
    dbapi_connection.autocommit = autocommit


def _begin(conn: Connection) -> None:
    # A writer takes the lock at BEGIN, so two importers queue instead of
    # deadlocking on a lock upgrade half way through; readers never wait.
    if conn.get_execution_options().get("vetservice_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_file(url: str | None = None) -> Path | None:
    """The file a SQLite URL names (None: another backend, or in memory)."""
    try:
        parsed = make_url(database_url(url))
    except (SQLAlchemyError, ValueError):
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return None
    if database.startswith("file:"):  # a URI filename: SQLite parses it itself
        return None
    return Path(database)


def create_engine(url: str | None = None, *, create: bool = True) -> Engine:
    """An engine for ``url``. A SQLite file in a folder that does not exist is
    refused; so is a missing SQLite file unless ``create`` (SQLite would
    otherwise make an empty file, and a typo in ``--db`` would look like a
    database without records)."""
    url = database_url(url)
    path = sqlite_file(url)
    if path is not None and not path.parent.is_dir():
        raise ConfigurationError(
            N_(
                "the folder {folder} of the database file does not exist; "
                "create the folder or check the path in --db"
            ),
            folder=str(path.parent),
        )
    if path is not None and not create and not path.exists():
        raise NotFoundError(
            N_(
                "no database at {path}; create it with 'vetservice init' "
                "or by importing records with 'vetservice import'"
            ),
            path=str(path),
        )
    try:
        engine = sa.create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as e:
        raise ConfigurationError(
            N_("cannot use database '{url}': {error}"), url=url, error=e
        ) from e
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _set_sqlite_pragmas)
        sa.event.listen(engine, "begin", _begin)
    elif engine.dialect.name == "postgresql":
        sa.event.listen(engine, "connect", _plan_whole_reads)
    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction: commit on success, roll back on any error."""
    try:
        with engine.begin() as conn:
            yield conn
    except SQLAlchemyError as e:
        raise storage_error(e) from e


def insert_batches(
    conn: Connection,
    table: sa.Table,
    rows: Iterable[Mapping[str, Any]],
    size: int = 5_000,
) -> None:
    """Insert ``rows`` into ``table`` ``size`` at a time, so a generator of
    rows is never held whole."""
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def refresh_statistics(engine: Engine, tables: Iterable[str] | None = None) -> None:
    """Let the query planner see how many rows ``tables`` (or all) now hold.

    Called after imports and the demo. Without statistics both SQLite and
    PostgreSQL pick plans that walk a million veterans to find one quarter's
    visits; SQLite samples (``analysis_limit``) so this stays well under a
    second on a province.
    """
    names = sorted(tables) if tables is not None else None
    with transaction(engine) as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        if names is None:
            conn.exec_driver_sql("ANALYZE")
        else:
            for name in names:
                conn.exec_driver_sql(
                    f"ANALYZE {conn.dialect.identifier_preparer.quote(name)}"
                )


def side_by_side(engine: Engine, tasks: Mapping[str, Callable[[], T]]) -> dict[str, T]:
    """Run independent reads at once, each on its own pooled connection.

    A report's periods (本期, 环比, 同比, 累计) are separate sets of
    statements: SQLite runs each in its own connection without holding
    Python's lock, and PostgreSQL in its own process, so on two cores they
    take little more than the longest one. An in-memory SQLite database is
    one connection per thread, so there they run one after another.
    """
    workers = min(len(tasks), os.cpu_count() or 1)
    if workers <= 1 or engine.url.database in (None, "", ":memory:"):
        return {name: task() for name, task in tasks.items()}
    with ThreadPoolExecutor(workers, thread_name_prefix="vetservice-read") as pool:
        # Each task sees the caller's context (the report's language).
        futures = {
            name: pool.submit(contextvars.copy_context().run, task)
            for name, task in tasks.items()
        }
        return {name: future.result() for name, future in futures.items()}


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads; on SQLite it never waits for a writer."""
    try:
        with engine.connect().execution_options(vetservice_read_only=True) as conn:
            yield conn
    except SQLAlchemyError as e:
        raise storage_error(e) from e


def storage_error(e: SQLAlchemyError) -> StorageError:
    """The error a clerk reads for a failed statement: busy, a clash, or the cause."""
    if _is_busy(e):
        # Another process held the write lock past the busy timeout; the
        # transaction never began, so nothing was written.
        return StorageError(
            N_(
                "the database is busy: another command has been writing to it for "
                "more than {seconds} seconds, and nothing was written; run this "
                "command again when that one has finished"
            ),
            seconds=BUSY_TIMEOUT_MS // 1000,
        )
    if _is_unique_violation(e):
        # The importer looks for existing keys first, so a clash on a unique
        # index means another transaction inserted the same records meanwhile
        # (PostgreSQL: both read before either committed).
        return StorageError(
            N_(
                "another command wrote the same records at the same moment, and "
                "nothing was written; run this command again"
            )
        )
    # The database may quote the value it choked on (a name): masked.
    first_line = mask_error(str(e).splitlines()[0]) if str(e) else ""
    return StorageError(
        N_("database error: {error}"), error=f"{e.__class__.__name__}: {first_line}"
    )


def _is_busy(e: SQLAlchemyError) -> bool:
    orig = getattr(e, "orig", None)
    if not isinstance(orig, sqlite3.OperationalError):
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(orig)


def _is_unique_violation(e: SQLAlchemyError) -> bool:
    if not isinstance(e, IntegrityError):
        return False
    orig = getattr(e, "orig", None)
    # PostgreSQL's unique_violation; SQLite's SQLITE_CONSTRAINT_UNIQUE.
    return getattr(orig, "sqlstate", None) == "23505" or (
        getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_CONSTRAINT_UNIQUE
    )
