"""A consistent copy of a SQLite database while it is in use.

SQLite's online backup API (``sqlite3.Connection.backup``) copies every page
inside one read transaction of the engine's own connection. In WAL mode a
reader never waits for a writer, so the copy is the last committed state even
while an import holds its write transaction; what that import has not
committed yet is not in the copy.

The copy is written to a hidden temporary file beside the target and renamed
into place only after the audit row (command ``backup``, file name, SHA-256
of the copy) is written, so a copy never exists without its audit row.

A PostgreSQL database is copied with ``pg_dump`` (``docs/backup.md``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

import attrs
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from vetservice.errors import ConfigurationError, StorageError
from vetservice.i18n import N_
from vetservice.store.audit_rows import write_audit
from vetservice.store.database import storage_error, transaction
from vetservice.store.files import file_digest


@attrs.frozen
class Backup:
    """A finished backup: where it is, its SHA-256 and its size in bytes."""

    path: Path
    sha256: str
    size: int


def backup(
    engine: Engine,
    path: str | Path,
    *,
    force: bool = False,
    actor: str | None = None,
) -> Backup:
    """Copy the database of ``engine`` to ``path`` and audit it.

    Refuses an existing ``path`` unless ``force``; on PostgreSQL raises
    :class:`~vetservice.errors.ConfigurationError` naming ``pg_dump``.
    """
    target = Path(path)
    if engine.dialect.name != "sqlite":
        raise ConfigurationError(
            N_(
                "'vetservice backup' copies SQLite files; back up a PostgreSQL "
                "database with pg_dump: pg_dump --format=custom --file={file} "
                "'{url}' (see docs/backup.md)"
            ),
            file=str(target),
            url=engine.url.set(drivername="postgresql").render_as_string(
                hide_password=True
            ),
        )
    _check_target(engine, target, force)
    temporary = _temporary_beside(target)
    try:
        copy_sqlite(engine, temporary)
        digest = file_digest(temporary)
        size = temporary.stat().st_size
        if target.exists() and not force:  # made by someone else meanwhile
            _refuse(target)
        # The audit row waits for any writer, like every write; if it cannot
        # be written the copy is thrown away.
        with transaction(engine) as conn:
            write_audit(
                conn,
                command="backup",
                actor=actor,
                file_name=target.name,
                file_sha256=digest,
            )
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return Backup(target, digest, size)


def copy_sqlite(engine: Engine, target: str | Path) -> None:
    """Write a consistent copy of the SQLite database of ``engine`` to ``target``.

    Uses the engine's own DBAPI connection, so it waits for nothing in WAL
    mode. The copy is switched to a rollback journal: one file, complete on
    its own, that can be carried away or opened read-only.
    """
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        destination = sqlite3.connect(str(target), isolation_level=None)
        try:
            # pages=-1: every page in one step, i.e. in one read transaction
            # (a stepped copy restarts whenever another process commits).
            source.backup(destination, pages=-1)
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    except sqlite3.Error as e:
        raise StorageError(
            N_("cannot back up the database to {file}: {error}"),
            file=Path(target).name,
            error=e,
        ) from e
    except SQLAlchemyError as e:
        raise storage_error(e) from e
    finally:
        raw.close()


def _check_target(engine: Engine, target: Path, force: bool) -> None:
    database = engine.url.database
    if (
        database not in (None, "", ":memory:")
        and target.exists()
        and target.resolve() == Path(str(database)).resolve()
    ):
        raise ConfigurationError(
            N_("{file} is the database itself; name another file for the backup"),
            file=target.name,
        )
    if target.is_dir():
        raise ConfigurationError(
            N_("{file} is a folder; name a file for the backup"), file=str(target)
        )
    if target.exists() and not force:
        _refuse(target)
    if not target.parent.is_dir():
        raise ConfigurationError(
            N_("the folder {folder} does not exist"), folder=str(target.parent)
        )


def _refuse(target: Path) -> None:
    raise ConfigurationError(
        N_("{file} already exists; name a new file, or add --force to replace it"),
        file=str(target),
    )


def _temporary_beside(target: Path) -> Path:
    # Same folder, so the final rename is atomic and never crosses a disk.
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as e:
        raise ConfigurationError(
            N_("cannot write in {folder}: {error}"),
            folder=str(target.parent),
            error=e.strerror or e,
        ) from e
    os.close(handle)
    return Path(name)
