"""Guards on writes: rows an import or delete may not touch, each named.

A guard sees every chunk of good rows after the references are checked and
before they are written, and every row a delete would remove; it names the
rows it refuses as problems, so that the command is rolled back whole and the
clerk reads row, column and reason. Two guards exist: a scope (a county's
clerk writes only the county's subtree) and the periods signed off (审核锁定).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.domain import RecordKind
from vetservice.domain.records import field_name
from vetservice.i18n import N_, Message
from vetservice.imports.results import FileReport, Parsed, Problem
from vetservice.store import TABLES
from vetservice.store.hierarchy import chunks
from vetservice.store.schema import record_to_row, unit_closure
from vetservice.store.scope import _THROUGH, subtree
from vetservice.store.sql import key_condition


class WriteGuard(Protocol):
    """What the importer asks before it writes or removes rows.

    ``refused`` counts the rows refused: any refusal rolls the command back,
    even with ``--skip-bad-rows`` (a row outside the scope is no bad cell).
    """

    refused: int

    def rows(
        self,
        conn: Connection,
        kind: RecordKind,
        chunk: list[Parsed],
        path: str,
        report: FileReport,
    ) -> list[Parsed]:
        """The rows of ``chunk`` that may be written; the others named in ``report``."""
        ...

    def removed(
        self,
        conn: Connection,
        kind: RecordKind,
        rows: Sequence[Mapping[str, Any]],
        numbers: Mapping[tuple[Any, ...], int],
        path: str,
        report: FileReport,
    ) -> None:
        """Name in ``report`` each stored row a delete may not remove."""
        ...


def _key(kind: RecordKind, row: Any) -> tuple[Any, ...]:
    return tuple(row[k] for k in kind.key)


def stored_rows(
    conn: Connection, kind: RecordKind, keys: Iterable[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Mapping[str, Any]]:
    """The stored rows with these keys: one statement per batch of keys."""
    table = TABLES[kind.name]
    found: dict[tuple[Any, ...], Any] = {}
    for batch in chunks(list(keys)):
        for row in conn.execute(
            sa.select(table).where(key_condition(table, kind.key, batch))
        ).mappings():
            found[_key(kind, row)] = row
    return found


def units_of(
    conn: Connection, kind: RecordKind, rows: Sequence[Mapping[str, Any]]
) -> list[str | None]:
    """The unit each row belongs to: its own code for a unit, its
    ``unit_code``, or the unit of the veteran (or recipient) it is about."""
    if kind.name == "units":
        return [row["code"] for row in rows]
    if kind.name not in _THROUGH:
        return [row.get("unit_code") for row in rows]
    column, other, other_column = _THROUGH[kind.name]
    owner = TABLES[other]
    values = {row[column] for row in rows}
    owners: dict[Any, str] = {}
    for batch in chunks(list(values)):
        owners.update(
            conn.execute(
                sa.select(owner.c[other_column], owner.c.unit_code).where(
                    owner.c[other_column].in_(batch)
                )
            ).all()
        )
    return [owners.get(row[column]) for row in rows]


def _unit_column(kind: RecordKind) -> Any:
    """The column a row's unit is read from, as a problem names it."""
    if kind.name == "units":
        return field_name(kind.record, "code")
    if kind.name in _THROUGH:
        return field_name(kind.record, _THROUGH[kind.name][0])
    return field_name(kind.record, "unit_code")


@attrs.define
class ScopeGuard:
    """Rows outside ``scope``'s subtree are refused, old and new alike.

    A row is inside when its unit is in the subtree; an update is inside only
    when the stored row is too (a clerk cannot pull another county's veteran
    in). A new unit is inside when its parent is, so a county can add a
    township and its villages; the scope's own unit keeps its parent.
    """

    scope: str
    allowed: set[str] | None = None  # the subtree's codes, new units added
    refused: int = 0

    def _allowed(self, conn: Connection) -> set[str]:
        if self.allowed is None:
            self.allowed = set(conn.execute(subtree(self.scope)).scalars())
        return self.allowed

    def _outside(self, unit: str | None) -> Message:
        return Message(
            N_("unit {unit} lies outside the scope {scope}; the row cannot be written"),
            {"unit": unit or "—", "scope": self.scope},
        )

    def rows(
        self,
        conn: Connection,
        kind: RecordKind,
        chunk: list[Parsed],
        path: str,
        report: FileReport,
    ) -> list[Parsed]:
        allowed = self._allowed(conn)
        new = [record_to_row(kind, item.record) for item in chunk]
        stored = stored_rows(conn, kind, (_key(kind, row) for row in new))
        bad: dict[int, tuple[Any, Message]] = {}
        if kind.name == "units":
            bad = self._units(kind, chunk, new, stored, allowed)
        else:
            old_rows = [stored.get(_key(kind, row)) for row in new]
            new_units = units_of(conn, kind, new)
            old_units = units_of(conn, kind, [r for r in old_rows if r is not None])
            old_of = iter(old_units)
            for index, unit in enumerate(new_units):
                old = next(old_of) if old_rows[index] is not None else None
                if old_rows[index] is not None and old not in allowed:
                    bad[index] = (
                        _unit_column(kind),
                        Message(
                            N_(
                                "the stored record belongs to unit {unit}, outside the "
                                "scope {scope}; it cannot be changed from here"
                            ),
                            {"unit": old or "—", "scope": self.scope},
                        ),
                    )
                elif unit not in allowed:
                    bad[index] = (_unit_column(kind), self._outside(unit))
        self.refused += len(bad)
        for index, (column, message) in sorted(bad.items()):
            report.problems.append(Problem(path, chunk[index].row, column, message))
        return [item for index, item in enumerate(chunk) if index not in bad]

    def _units(
        self,
        kind: RecordKind,
        chunk: list[Parsed],
        new: list[dict[str, Any]],
        stored: Mapping[tuple[Any, ...], Mapping[str, Any]],
        allowed: set[str],
    ) -> dict[int, tuple[Any, Message]]:
        code_column = field_name(kind.record, "code")
        parent_column = field_name(kind.record, "parent_code")
        bad: dict[int, tuple[Any, Message]] = {}
        waiting: list[int] = []
        for index, row in enumerate(new):
            old = stored.get((row["code"],))
            if old is None:
                waiting.append(index)
            elif row["code"] not in allowed:
                bad[index] = (code_column, self._outside(row["code"]))
            elif row["code"] == self.scope:
                if row["parent_code"] != old["parent_code"]:
                    bad[index] = (
                        parent_column,
                        Message(
                            N_("the unit of the scope {scope} cannot be moved"),
                            {"scope": self.scope},
                        ),
                    )
            elif row["parent_code"] not in allowed:
                bad[index] = (parent_column, self._outside(row["parent_code"]))
        # New units, in any order within the chunk: inside once their parent is.
        progress = True
        while waiting and progress:
            progress = False
            for index in list(waiting):
                if new[index]["parent_code"] in allowed:
                    allowed.add(new[index]["code"])
                    waiting.remove(index)
                    progress = True
        for index in waiting:
            bad[index] = (parent_column, self._outside(new[index]["parent_code"]))
        return bad

    def removed(
        self,
        conn: Connection,
        kind: RecordKind,
        rows: Sequence[Mapping[str, Any]],
        numbers: Mapping[tuple[Any, ...], int],
        path: str,
        report: FileReport,
    ) -> None:
        allowed = self._allowed(conn)
        for row, unit in zip(rows, units_of(conn, kind, rows), strict=True):
            if unit not in allowed or (kind.name == "units" and unit == self.scope):
                self.refused += 1
                report.problems.append(
                    Problem(
                        path,
                        numbers.get(_key(kind, row)),
                        _unit_column(kind),
                        Message(
                            N_(
                                "the record belongs to unit {unit}, outside the scope "
                                "{scope}; it cannot be deleted from here"
                            ),
                            {"unit": unit or "—", "scope": self.scope},
                        ),
                    )
                )


# The date that puts a record in a period, for the kinds that record events;
# the other kinds (units, veterans, stations…) describe the present and are
# not locked by a sign-off (docs/decisions.md, issue 19).
DATED: dict[str, str] = {
    "environment": "checked_on",
    "guidance_visits": "visited_on",
    "activities": "held_on",
    "visits": "visited_on",
    "honors": "delivered_on",
    "hardship": "registered_on",
    "employment": "registered_on",
    "job_fairs": "held_on",
    "care_fund_entries": "date",
    "benefit_payments": "month",
    "home_services": "served_on",
    "petitions": "received_on",
}


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) == 7:  # a month, 2026-11
        return dt.date.fromisoformat(f"{text}-01")
    return dt.date.fromisoformat(text[:10])


@attrs.frozen
class Lock:
    """A unit's period signed off: rows of its subtree dated in it are locked."""

    unit_code: str
    period: str
    start: dt.date
    end: dt.date
    signed_by: str
    signed_at: dt.datetime

    def message(self, deleting: bool) -> Message:
        params = {
            "unit": self.unit_code,
            "period": self.period,
            "actor": self.signed_by,
            "at": self.signed_at.strftime("%Y-%m-%d %H:%M"),
        }
        if deleting:
            return Message(
                N_(
                    "{unit} {period} was signed off by {actor} at {at}; removing the "
                    "record would change its figures"
                ),
                params,
            )
        return Message(
            N_(
                "{unit} {period} was signed off by {actor} at {at}; the row would "
                "change its figures"
            ),
            params,
        )


@attrs.define
class LockGuard:
    """Rows that would change a signed-off period of their unit are refused.

    A row changes a period when it is new or differs from the stored row and
    its date, new or old, lies in the period, and its unit lies under the
    signed-off unit. Rows that are stored unchanged pass: sending the same
    ledger again changes nothing.
    """

    locks: Sequence[Lock]
    refused: int = 0

    def _locks_of(
        self, conn: Connection, units: Iterable[str | None]
    ) -> dict[str, list[Lock]]:
        """For each unit, the locks of the units above it (itself included)."""
        by_unit: dict[str, list[Lock]] = {}
        for lock in self.locks:
            by_unit.setdefault(lock.unit_code, []).append(lock)
        codes = sorted({u for u in units if u is not None})
        found: dict[str, list[Lock]] = {}
        for batch in chunks(codes):
            for descendant, ancestor in conn.execute(
                sa.select(unit_closure.c.descendant, unit_closure.c.ancestor).where(
                    unit_closure.c.descendant.in_(batch),
                    unit_closure.c.ancestor.in_(sorted(by_unit)),
                )
            ).all():
                found.setdefault(descendant, []).extend(by_unit[ancestor])
        return found

    @staticmethod
    def _hit(locks: list[Lock], *days: dt.date | None) -> Lock | None:
        for lock in locks:
            if any(d is not None and lock.start <= d <= lock.end for d in days):
                return lock
        return None

    def rows(
        self,
        conn: Connection,
        kind: RecordKind,
        chunk: list[Parsed],
        path: str,
        report: FileReport,
    ) -> list[Parsed]:
        if kind.versioned and self.locks:
            return self._versions(conn, kind, chunk, path, report)
        column = DATED.get(kind.name)
        if column is None or not self.locks or not chunk:
            return chunk
        new = [record_to_row(kind, item.record) for item in chunk]
        stored = stored_rows(conn, kind, (_key(kind, row) for row in new))
        changing = [
            i
            for i, row in enumerate(new)
            if (old := stored.get(_key(kind, row))) is None
            or any(old[name] != value for name, value in row.items())
        ]
        if not changing:
            return chunk
        units = units_of(conn, kind, [new[i] for i in changing])
        olds = [stored.get(_key(kind, new[i])) for i in changing]
        old_units = units_of(conn, kind, [o for o in olds if o is not None])
        locks_of = self._locks_of(conn, [*units, *old_units])
        old_iter = iter(old_units)
        bad: set[int] = set()
        for i, unit, old in zip(changing, units, olds, strict=True):
            hit = self._hit(locks_of.get(unit or "", []), _day(new[i][column]))
            if hit is None and old is not None:
                hit = self._hit(
                    locks_of.get(next(old_iter) or "", []), _day(old[column])
                )
            elif old is not None:
                next(old_iter)
            if hit is not None:
                bad.add(i)
                self._refuse(report, path, chunk[i].row, kind, column, hit)
        return [item for i, item in enumerate(chunk) if i not in bad]

    def _refuse(
        self,
        report: FileReport,
        path: str,
        row: int | None,
        kind: RecordKind,
        column: str,
        lock: Lock,
    ) -> None:
        self.refused += 1
        report.problems.append(
            Problem(path, row, field_name(kind.record, column), lock.message(False))
        )

    def _versions(
        self,
        conn: Connection,
        kind: RecordKind,
        chunk: list[Parsed],
        path: str,
        report: FileReport,
    ) -> list[Parsed]:
        """A state ledger's row with a 生效日期 on or before a locked period's
        end would change that period's state; a row without one takes effect
        on the import date (a record's first version: always, as before
        ledgers had a history), so it passes."""
        dated = [
            (i, record_to_row(kind, item.record))
            for i, item in enumerate(chunk)
            if item.record.valid_from is not None
        ]
        if not dated:
            return chunk
        stored = stored_rows(conn, kind, (_key(kind, row) for _, row in dated))
        changing = [
            (i, row)
            for i, row in dated
            if (old := stored.get(_key(kind, row))) is None
            or any(old[n] != v for n, v in row.items() if n != "valid_from")
        ]
        units = units_of(conn, kind, [row for _, row in changing])
        locks_of = self._locks_of(conn, units)
        bad: set[int] = set()
        for (i, row), unit in zip(changing, units, strict=True):
            hit = next(
                (
                    lock
                    for lock in locks_of.get(unit or "", [])
                    if row["valid_from"] <= lock.end
                ),
                None,
            )
            if hit is not None:
                bad.add(i)
                self._refuse(report, path, chunk[i].row, kind, "valid_from", hit)
        return [item for i, item in enumerate(chunk) if i not in bad]

    def removed(
        self,
        conn: Connection,
        kind: RecordKind,
        rows: Sequence[Mapping[str, Any]],
        numbers: Mapping[tuple[Any, ...], int],
        path: str,
        report: FileReport,
    ) -> None:
        column = DATED.get(kind.name)
        if column is None or not self.locks or not rows:
            return
        units = units_of(conn, kind, rows)
        locks_of = self._locks_of(conn, units)
        for row, unit in zip(rows, units, strict=True):
            hit = self._hit(locks_of.get(unit or "", []), _day(row[column]))
            if hit is not None:
                self.refused += 1
                report.problems.append(
                    Problem(
                        path,
                        numbers.get(_key(kind, row)),
                        field_name(kind.record, column),
                        hit.message(True),
                    )
                )
