"""Writing a state ledger's rows as versions (台账的历史, docs/records.md).

A record of a state ledger (a station, a veteran…) may change its values
over time; each change is a new version from its 生效日期 (``valid_from``),
and the version it replaces is kept in ``<kind>_history`` until the day
before. For a matched record:

- values unchanged from the version in force on the 生效日期: nothing changes;
- a 生效日期 equal to a version's: that version is corrected in place;
- a later one: the current version is kept in the history, the row becomes
  the current version;
- an earlier one: the row goes into the history between its neighbours.

No 生效日期 on a change means the import date; on a record's first version
it means "always so", so that loading a ledger for the first time does not
empty the past periods. Statements are per chunk of rows, never per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.domain import RecordKind
from vetservice.imports.results import FileReport, Parsed
from vetservice.store import TABLES
from vetservice.store.hierarchy import chunks
from vetservice.store.schema import HISTORY
from vetservice.store.sql import key_condition, write_rows

# Not the record's values: a version differs from another by the rest.
_BOOKKEEPING = frozenset({"id", "valid_from", "valid_to"})

Key = tuple[Any, ...]
_DAY = dt.timedelta(days=1)


@attrs.define
class _Version:
    row: dict[str, Any]
    changed: bool = False  # written back: new, or its values or valid_to changed


def _same(a: dict[str, Any], b: Any) -> bool:
    return all(a[name] == b[name] for name in a if name not in _BOOKKEEPING)


def _begins(version: _Version) -> dt.date:
    start = version.row["valid_from"]
    return dt.date.min if start is None else start


def write_versions(
    conn: Connection,
    kind: RecordKind,
    incoming: dict[Key, tuple[Parsed, dict[str, Any]]],
    existing: dict[Key, Any],
    today: dt.date,
    report: FileReport,
    previous: dict[Key, Any] | None,
) -> list[Parsed]:
    """Write ``incoming`` rows of a versioned kind; return the rows that changed
    anything. ``existing`` holds the current versions of the keys found."""
    table, history = TABLES[kind.name], HISTORY[kind.name]
    inserts, updates, kept, changed = [], [], [], []
    back_dated: dict[Key, tuple[Parsed, dict[str, Any]]] = {}
    for key, (item, row) in incoming.items():
        current = existing.get(key)
        if current is None:
            inserts.append(row)
        else:
            start = row["valid_from"] or today
            if current["valid_from"] is not None and start < current["valid_from"]:
                back_dated[key] = (item, {**row, "valid_from": start})
                continue
            if _same(row, current):
                report.unchanged += 1
                continue
            if start != current["valid_from"]:
                # The current version ends the day before the new one.
                old = {k: v for k, v in current.items() if k != "id"}
                kept.append({**old, "valid_to": start - _DAY})
            updates.append({**row, "valid_from": start, "_row_id": current["id"]})
        changed.append(item)
        if previous is not None:
            previous[key] = current
    write_rows(conn, table, inserts, updates)
    write_rows(conn, history, kept, [])
    report.added += len(inserts)
    report.updated += len(updates)
    changed += _write_back_dated(conn, kind, back_dated, existing, report, previous)
    return changed


def _write_back_dated(
    conn: Connection,
    kind: RecordKind,
    rows: dict[Key, tuple[Parsed, dict[str, Any]]],
    existing: dict[Key, Any],
    report: FileReport,
    previous: dict[Key, Any] | None,
) -> list[Parsed]:
    """Rows dated before their record's current version: each corrects an
    earlier version or goes between two; the neighbours' ``valid_to`` follow."""
    history = HISTORY[kind.name]
    earlier = _history_of(conn, kind, rows)
    inserts, updates, changed = [], [], []
    for key, (item, row) in rows.items():
        versions = sorted(earlier.get(key, []), key=_begins)
        at = next(
            (v for v in versions if v.row["valid_from"] == row["valid_from"]), None
        )
        if at is not None:  # a correction of that version
            if _same(row, at.row):
                report.unchanged += 1
                continue
            at.row.update({k: v for k, v in row.items() if k not in _BOOKKEEPING})
            at.changed = True
        else:
            before = [v for v in versions if _begins(v) < row["valid_from"]]
            if before and _same(row, before[-1].row):
                report.unchanged += 1
                continue
            after = [*(v for v in versions if _begins(v) > row["valid_from"])]
            following = after[0].row if after else existing[key]
            new = _Version({**row, "valid_to": following["valid_from"] - _DAY}, True)
            if before:
                before[-1].row["valid_to"] = row["valid_from"] - _DAY
                before[-1].changed = True
            versions.append(new)
        report.updated += 1
        changed.append(item)
        if previous is not None:
            previous[key] = existing[key]
        for version in versions:
            if not version.changed:
                continue
            if "id" in version.row:
                updates.append({**version.row, "_row_id": version.row["id"]})
            else:
                inserts.append(version.row)
    write_rows(conn, history, inserts, updates)
    return changed


def _history_of(
    conn: Connection, kind: RecordKind, keys: Iterable[Key]
) -> dict[Key, list[_Version]]:
    """The earlier versions of the records with these keys, one statement a batch."""
    history = HISTORY[kind.name]
    found: dict[Key, list[_Version]] = {}
    for batch in chunks(list(keys)):
        for row in conn.execute(
            sa.select(history).where(key_condition(history, kind.key, batch))
        ).mappings():
            found.setdefault(tuple(row[k] for k in kind.key), []).append(
                _Version(dict(row))
            )
    return found
