"""Writing a file's good rows: insert new keys, update changed rows, count the rest.

Existing rows are fetched by natural key in batches and compared column by
column, so importing the same file again changes nothing. A file is read,
checked and written a chunk of rows at a time inside the command's one
transaction, so its memory stays bounded however long it is: what outlives a
chunk is the keys seen (for the duplicate check) and the problems.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.domain import RecordKind
from vetservice.imports.readers import Sheet
from vetservice.imports.references import check_references
from vetservice.imports.results import FileReport, Parsed
from vetservice.imports.rows import (
    MAX_PROBLEMS,
    ReadingStopped,
    SeenKeys,
    drop_duplicate_keys,
    parse_chunks,
)
from vetservice.imports.versions import write_versions
from vetservice.store import TABLES
from vetservice.store.hierarchy import chunks
from vetservice.store.schema import record_to_row
from vetservice.store.sql import key_condition, write_rows

if TYPE_CHECKING:
    from vetservice.imports.guards import WriteGuard


def upsert(
    conn: Connection,
    kind: RecordKind,
    parsed: list[Parsed],
    report: FileReport,
    today: dt.date,
    previous: dict[tuple[Any, ...], Any] | None = None,
) -> list[Parsed]:
    """Insert new keys, update changed rows; return the rows that changed.

    ``previous``, when given, receives each changed key's row as it was
    before (``None`` for an inserted one), so that a change can be undone.
    A state ledger's changes become versions (:mod:`.versions`).
    """
    table = TABLES[kind.name]
    incoming = {}
    for item in parsed:
        row = record_to_row(kind, item.record)
        incoming[tuple(row[k] for k in kind.key)] = (item, row)
    existing: dict[tuple[Any, ...], Any] = {}
    for batch in chunks(incoming):
        for found in conn.execute(
            sa.select(table).where(key_condition(table, kind.key, batch))
        ).mappings():
            existing[tuple(found[k] for k in kind.key)] = found
    if kind.versioned:
        return write_versions(conn, kind, incoming, existing, today, report, previous)
    inserts, updates, changed = [], [], []
    for key, (item, row) in incoming.items():
        old = existing.get(key)
        if old is None:
            inserts.append(row)
            changed.append(item)
        elif any(old[name] != value for name, value in row.items()):
            updates.append({**row, "_row_id": old["id"]})
            changed.append(item)
        else:
            report.unchanged += 1
            continue
        if previous is not None:
            previous[key] = old
    write_rows(conn, table, inserts, updates)
    report.added += len(inserts)
    report.updated += len(updates)
    return changed


# Rows read so far in a command and the estimated total (None when unknown).
ProgressCallback = Callable[[int, int | None], None]


@attrs.define
class Progress:
    """Counts the rows a command has read and tells the caller after each chunk."""

    callback: ProgressCallback | None = None
    total: int | None = None
    done: int = 0

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.callback is not None:
            self.callback(self.done, self.total)


class Kept(Protocol):
    """Where a kind with an after-import rule keeps a file's rows for it."""

    @property
    def parsed(self) -> list[Parsed]: ...  # every good row

    @property
    def changed(self) -> list[Parsed]: ...  # those inserted or updated

    @property
    def previous(self) -> dict[tuple[Any, ...], Any]: ...  # changed keys' old rows


def import_rows(
    conn: Connection,
    kind: RecordKind,
    sheet: Sheet,
    columns: dict[int, str],
    today: dt.date,
    report: FileReport,
    seen: MutableMapping[tuple[Any, ...], tuple[str, int]],
    *,
    skip_bad_rows: bool,
    kept: Kept | None = None,
    progress: Progress | None = None,
    guards: Sequence[WriteGuard] = (),
) -> int | None:
    """Parse, check and write a sheet's rows chunk by chunk; return how many
    passed every check, or None when reading stopped part way. Rows are kept
    in ``kept`` only when given.

    Without ``skip_bad_rows`` a problem anywhere rolls the whole command back,
    so what a chunk wrote early does not matter. With it, a sheet that breaks
    part way is undone whole (a savepoint), as if it had never been read.
    """
    savepoint = conn.begin_nested() if skip_bad_rows else None
    seen_before, counts = len(seen), report.counts
    limit = None if skip_bad_rows else MAX_PROBLEMS
    read, good = report.rows, 0
    try:
        for chunk in parse_chunks(kind, sheet, columns, today, report, limit):
            if progress is not None:
                progress.advance(report.rows - read)
                read = report.rows
            chunk = drop_duplicate_keys(kind, chunk, seen, sheet.path, report)
            chunk = check_references(conn, kind, chunk, sheet.path, report)
            for guard in guards:  # a scope, the periods signed off
                chunk = guard.rows(conn, kind, chunk, sheet.path, report)
            good += len(chunk)
            previous = kept.previous if kept is not None else None
            changed = upsert(conn, kind, chunk, report, today, previous)
            if kept is not None:
                kept.parsed.extend(chunk)
                kept.changed.extend(changed)
    except BaseException as e:
        if savepoint is not None:
            savepoint.rollback()
            # Forget what the sheet wrote and the keys it took.
            for name, count in counts.items():
                setattr(report, name, count)
            _forget_since(seen, seen_before)
        if isinstance(e, ReadingStopped):
            return None
        raise
    if savepoint is not None:
        savepoint.commit()
    return good


def _forget_since(
    seen: MutableMapping[tuple[Any, ...], tuple[str, int]], count: int
) -> None:
    if isinstance(seen, SeenKeys):
        seen.forget_since(count)
        return
    for key in list(itertools.islice(reversed(list(seen)), len(seen) - count)):
        del seen[key]
