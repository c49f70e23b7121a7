"""Writing a row of the audit log: the one function every command uses.

Imports, deletes, exports, backups, reveals of personal information and
snapshots all append here, inside the caller's transaction, so that the
actor is decided one way. Reading the log is :mod:`vetservice.audit`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from vetservice.store.schema import audit_log


def actor_name(actor: str | None) -> str:
    """The actor given, else the operating-system user."""
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "unknown"


def write_audit(
    conn: Connection,
    *,
    command: str,
    actor: str | None,
    kind: str | None = None,
    file_name: str | None = None,
    file_sha256: str | None = None,
    added: int = 0,
    updated: int = 0,
    unchanged: int = 0,
    deleted: int = 0,
    skipped: int = 0,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Append a row (inside the caller's transaction); returns its id.

    ``actor`` ``None`` means the operating-system user (:func:`actor_name`);
    ``detail``, when given, is stored as JSON.
    """
    result = conn.execute(
        audit_log.insert().values(
            at=dt.datetime.now(dt.UTC),
            actor=actor_name(actor),
            command=command,
            kind=kind,
            file_name=file_name,
            file_sha256=file_sha256,
            added=added,
            updated=updated,
            unchanged=unchanged,
            deleted=deleted,
            skipped=skipped,
            detail=None
            if detail is None
            else json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        )
    )
    key = result.inserted_primary_key
    assert key is not None  # a single-row insert always has one
    return int(key[0])
