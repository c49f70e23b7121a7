"""Reference checks: every value a row names exists, and nothing names a removed row.

Before writing, each reference of a kind (``RecordKind.references``) is
looked up in batches, one statement per reference; after a delete, every
reference to the kind (and those a kind's rules check after writing, see
``rules.py``) must still resolve.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.domain import KINDS, Level, RecordKind
from vetservice.domain.identity import mask_id_number
from vetservice.domain.records import field_name
from vetservice.i18n import N_, Bilingual, Message
from vetservice.imports.results import FileReport, Parsed, Problem
from vetservice.imports.rules import rules_of
from vetservice.store import TABLES
from vetservice.store.hierarchy import chunks
from vetservice.store.schema import to_db


def missing_message(target: str) -> str:
    """The message for a reference that names no row of ``target``."""
    message = rules_of(target).missing
    if message is None:
        raise KeyError(f"no message for a missing {target} row in imports/rules.py")
    return message


def shown(values: tuple[Any, ...]) -> str:
    """A key as a problem shows it, id numbers masked."""
    return "+".join(
        mask_id_number(v)
        if isinstance(v, str) and len(v) == 18 and v[:17].isdigit()
        else str(v)
        for v in values
    )


def existing(
    conn: Connection,
    target: str,
    columns: Sequence[str],
    wanted: Iterable[tuple[Any, ...]],
    *,
    with_level: bool = False,
) -> dict[tuple[Any, ...], Any]:
    """Which of ``wanted`` exist in ``target``; with each one's level as value
    when ``with_level`` (a reference to a unit of a given level), else None."""
    table = TABLES[target]
    cols = [table.c[c] for c in columns]
    found: dict[tuple[Any, ...], Any] = {}
    level = table.c.level if with_level else sa.null()
    for batch in chunks(wanted):
        condition = (
            cols[0].in_([b[0] for b in batch])
            if len(cols) == 1
            else sa.tuple_(*cols).in_(batch)
        )
        query = sa.select(*cols, level).where(condition)
        for row in conn.execute(query):
            found[tuple(row[: len(cols)])] = row[-1]
    return found


def _either(levels: tuple[Level, ...]) -> Level | Bilingual:
    """One level, or several as 县区或乡镇街道 / county or township."""
    if len(levels) == 1:
        return levels[0]
    return Bilingual(
        "或".join(lv.label for lv in levels),
        " or ".join(lv.display("en") for lv in levels),
    )


def check_references(
    conn: Connection,
    kind: RecordKind,
    parsed: list[Parsed],
    path: str,
    report: FileReport,
) -> list[Parsed]:
    """Name each row whose references name nothing (or a unit of the wrong
    level); return the other rows. One statement per reference and batch."""
    bad_rows: set[int] = set()
    fields = {f.name: f for f in kind.fields}
    for ref in kind.references:
        using: dict[tuple[Any, ...], list[Parsed]] = defaultdict(list)
        for item in parsed:
            if ref.applies_to(item.record):
                key = tuple(
                    to_db(fields[f].type, getattr(item.record, f)) for f in ref.fields
                )
                using[key].append(item)
        if not using:
            continue
        found = existing(
            conn,
            ref.target,
            ref.target_fields,
            using,
            with_level=ref.level is not None,
        )
        for value, items in using.items():
            if value not in found:
                message = Message(missing_message(ref.target), {"value": shown(value)})
            elif ref.levels and found[value] not in {lv.value for lv in ref.levels}:
                message = Message(
                    N_(
                        "unit {value} is at level {actual}, but a {level} unit is needed"
                    ),
                    {
                        "value": value[0],
                        "actual": Level(found[value]),
                        "level": _either(ref.levels),
                    },
                )
            else:
                continue
            for item in items:
                report.problems.append(
                    Problem(
                        path, item.row, field_name(kind.record, ref.fields[0]), message
                    )
                )
                bad_rows.add(item.row)
    return [item for item in parsed if item.row not in bad_rows]


def check_still_named(
    conn: Connection,
    kind: RecordKind,
    removed: list[Any],
    rows: dict[tuple[Any, ...], int],
    path: str,
    report: FileReport,
) -> None:
    """After removing rows, nothing may name a value that no longer resolves."""
    # The references checked before writing, then those a kind's rules check
    # after writing (a unit's parent).
    referrers = [
        (other, ref)
        for other in KINDS.values()
        for ref in other.references
        if ref.target == kind.name
    ] + [
        (other, ref)
        for other in KINDS.values()
        for ref in rules_of(other.name).checked_after_write
        if ref.target == kind.name
    ]
    for other, ref in referrers:
        values = {tuple(row[f] for f in ref.target_fields) for row in removed}
        remaining = existing(conn, kind.name, ref.target_fields, values)
        gone = values - set(remaining)
        if not gone:
            continue
        table = TABLES[other.name]
        cols = [table.c[f] for f in ref.fields]
        for batch in chunks(gone):
            condition = (
                cols[0].in_([b[0] for b in batch])
                if len(cols) == 1
                else sa.tuple_(*cols).in_(batch)
            )
            query = sa.select(*cols, sa.func.count()).where(condition).group_by(*cols)
            if ref.when is not None:
                query = query.where(
                    table.c[ref.when[0]]
                    == to_db(other.field(ref.when[0]).type, ref.when[1])
                )
            for *value, count in conn.execute(query):
                key_row = (
                    rows.get(tuple(value)) if kind.key == ref.target_fields else None
                )
                report.problems.append(
                    Problem(
                        path,
                        key_row,
                        None,
                        Message(
                            N_(
                                "{value} is still named by {count} {kind} rows; delete those first"
                            ),
                            {
                                "value": shown(tuple(value)),
                                "count": count,
                                "kind": other.label,
                            },
                        ),
                    )
                )
