"""Import and delete records: all or nothing, every bad row named.

One command is one transaction however many files it reads. Files are taken
in the kinds' dependency order (units first), so a command may bring units
and the records that name them together. Good rows are written even while
bad ones are found, so that later checks see them; if any row was bad and
the caller did not ask to skip bad rows, the transaction is rolled back and
:class:`~vetservice.errors.ImportRejected` lists every problem.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.domain import KINDS, RecordKind
from vetservice.domain import kind as find_kind
from vetservice.errors import ImportRejected, ValidationError
from vetservice.i18n import N_, Message
from vetservice.imports.guards import WriteGuard
from vetservice.imports.headers import header_matcher, key_columns, map_headers
from vetservice.imports.readers import RowError, Sheet, SkippedSheet, read_sheets
from vetservice.imports.references import check_still_named, shown
from vetservice.imports.results import (
    FileReport,
    ImportResult,
    Parsed,
    Problem,
    Rollback,
)
from vetservice.imports.rows import SeenKeys, delete_keys, estimate_rows
from vetservice.imports.rules import Removed, Written, rules_of
from vetservice.imports.writing import Progress, ProgressCallback, import_rows
from vetservice.store import TABLES, refresh_statistics, transaction
from vetservice.store.audit_rows import write_audit
from vetservice.store.files import file_digest
from vetservice.store.hierarchy import chunks
from vetservice.store.schema import HISTORY
from vetservice.store.sql import key_condition

# ---------------------------------------------------------------------------
# Which kind each file holds, and in which order.


def order_files(
    files: Iterable[tuple[str, str | Path]],
) -> list[tuple[RecordKind, str]]:
    """Resolve kind names and sort the files into dependency order (units first)."""
    order = list(KINDS)
    resolved = [(find_kind(name), str(path)) for name, path in files]
    return sorted(resolved, key=lambda item: order.index(item[0].name))


def _names_of(kind: RecordKind) -> list[str]:
    """A kind's name, its title and the title's parts ("单位（行政区划）" → 单位, 行政区划)."""
    parts = re.split(r"[（）()、，,]", kind.title)
    # Besides, what clerks call it ("区划.xlsx": rules.py).
    aliases = rules_of(kind.name).aliases
    return [kind.name, kind.title, *(p for p in parts if len(p) > 1), *aliases]


def guess_kind(path: str | Path) -> str:
    """The kind a file holds, from its name: ``veterans.xlsx``, ``退役军人台账.csv``."""
    stem = Path(path).stem.lower()
    # The longest name found wins: "困难退役军人家庭台账" is hardship, not veterans.
    found = [
        (len(name), kind.name)
        for kind in KINDS.values()
        for name in _names_of(kind)
        if name in stem
    ]
    if found:
        return max(found)[1]
    raise ValidationError(
        N_("cannot tell the record kind of {file} from its name; name the kind"),
        file=Path(path).name,
    )


# ---------------------------------------------------------------------------
# Import.


class _DryRun(Exception):
    """Raised at the end of a dry run to roll back what it wrote."""


def import_files(
    engine: Engine,
    files: Iterable[tuple[str, str | Path]],
    *,
    skip_bad_rows: bool = False,
    actor: str | None = None,
    today: dt.date | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    guards: Sequence[WriteGuard] = (),
    on_written: Callable[[Connection, list[FileReport]], None] | None = None,
) -> ImportResult:
    """Import ``(kind, path)`` pairs in one transaction.

    Every sheet of a workbook is read (``sheet`` names the only one to
    read). Raises :class:`ImportRejected` (nothing written) when any row is
    bad and ``skip_bad_rows`` is false. With ``skip_bad_rows`` the good rows
    are written and the bad ones are listed in the result. A ``dry_run``
    does all of it and rolls back: the counts say what would be added,
    updated and left unchanged, and nothing (no audit row either) is written.
    ``progress``, when given, is called after each chunk of rows with the
    rows read so far and their estimated total (None when unknown).
    ``guards`` refuse rows outside a scope or in a signed-off period: any
    refusal rolls everything back, ``skip_bad_rows`` or not. ``on_written``
    is called inside the transaction once everything is written (a
    submission is recorded there), never on a dry run or a rollback.
    """
    today = today or dt.date.today()
    reports: list[FileReport] = []
    try:
        with transaction(engine) as conn:
            seen_keys: dict[str, SeenKeys] = defaultdict(_SheetKeys)
            ordered = order_files(files)
            estimates = [estimate_rows(path) for _, path in ordered]
            total = None if None in estimates else sum(n or 0 for n in estimates)
            tracker = Progress(progress, total)
            for kind, path in ordered:
                report = FileReport(kind.name, path, dry_run=dry_run)
                reports.append(report)
                _import_one(
                    conn,
                    kind,
                    path,
                    report,
                    seen_keys[kind.name],
                    today,
                    skip_bad_rows,
                    sheet,
                    tracker,
                    guards,
                )
                report.skipped = len({(p.sheet, p.row) for p in report.problems})
                if not dry_run:
                    _audit(conn, "import", actor, report)
            refused = any(g.refused for g in guards)
            if refused or (not skip_bad_rows and any(r.problems for r in reports)):
                raise Rollback
            if dry_run:
                raise _DryRun
            if on_written is not None:
                on_written(conn, reports)
    except Rollback:
        raise _rejected(
            reports, N_("{count} problems found; nothing was imported")
        ) from None
    except _DryRun:
        return ImportResult(reports, dry_run=True)
    refresh_statistics(engine, _written_tables(reports))
    return ImportResult(reports)


def _written_tables(reports: list[FileReport]) -> set[str]:
    tables = {r.kind for r in reports}
    return tables | {t for name in tables for t in rules_of(name).also_writes}


@attrs.define
class _Written:
    """What the sheets of one file wrote, for the kind's after-import rule."""

    parsed: list[Parsed] = attrs.Factory(list)
    changed: list[Parsed] = attrs.Factory(list)
    previous: dict[tuple[Any, ...], Any] = attrs.Factory(dict)
    header_only: list[tuple[str | None, int]] = attrs.Factory(list)  # sheet, row
    good: int = 0  # rows that passed every check (parsed is kept only for a rule)


def _import_one(
    conn: Connection,
    kind: RecordKind,
    path: str,
    report: FileReport,
    seen: SeenKeys,
    today: dt.date,
    skip_bad_rows: bool,
    only: str | None,
    progress: Progress,
    guards: Sequence[WriteGuard] = (),
) -> None:
    written = _Written()
    try:
        for sheet in read_sheets(path, header_matcher(kind), only=only):
            if isinstance(sheet, SkippedSheet):
                report.notes.append(sheet.note)
                continue
            if isinstance(seen, _SheetKeys):
                seen.sheet = sheet.name
            with _on_sheet(report, sheet.name):
                _import_sheet(
                    conn,
                    kind,
                    sheet,
                    report,
                    seen,
                    today,
                    skip_bad_rows,
                    written,
                    progress,
                    guards,
                )
    except (ValidationError, OSError) as e:
        line = e.row if isinstance(e, RowError) else None
        report.problems.append(Problem(path, line, None, _read_failure(e)))
        return
    if report.problems and not written.good:
        return
    if not report.rows:
        report.problems.append(_no_rows(path, written.header_only))
        return
    for name, _ in written.header_only:
        # A 社区 with nobody in it yet: said, not an error.
        report.notes.append(
            Message(N_("sheet {sheet} has a header but no rows"), {"sheet": name})
        )
    report.sha256 = file_digest(path)
    rules = rules_of(kind.name)
    if rules.after_import is not None:
        start = len(report.problems)
        rules.after_import(
            Written(
                conn,
                path,
                report,
                written.parsed,
                written.changed,
                written.previous,
                skip_bad_rows,
            )
        )
        _name_sheets_by_row(report, start, written.parsed)


def _import_sheet(
    conn: Connection,
    kind: RecordKind,
    sheet: Sheet,
    report: FileReport,
    seen: SeenKeys,
    today: dt.date,
    skip_bad_rows: bool,
    written: _Written,
    progress: Progress,
    guards: Sequence[WriteGuard] = (),
) -> None:
    """One sheet's rows parsed, checked and written a chunk at a time
    (``writing.import_rows``); its problems to ``report``."""
    rows_before, kept_before = report.rows, len(written.parsed)
    # Only a kind with an after-import rule keeps its rows for the rule.
    kept = written if rules_of(kind.name).after_import is not None else None
    try:
        columns = map_headers(kind, sheet, report)
        if columns is None:
            return
        good = import_rows(
            conn,
            kind,
            sheet,
            columns,
            today,
            report,
            seen,
            skip_bad_rows=skip_bad_rows,
            kept=kept,
            progress=progress,
            guards=guards,
        )
    except (OSError, UnicodeError) as e:
        report.problems.append(Problem(sheet.path, None, None, _read_failure(e)))
        return
    finally:
        sheet.close()
        report.notes.extend(_sheet_notes(sheet))
        if sheet.name is not None:
            # The rule's problems name a row; the sheet is told by the record.
            written.parsed[kept_before:] = [
                attrs.evolve(p, sheet=sheet.name) for p in written.parsed[kept_before:]
            ]
    if good is None:
        return
    written.good += good
    if report.rows == rows_before:
        written.header_only.append((sheet.name, sheet.header_row))
        return
    if sheet.name is not None:
        report.sheets.append(sheet.name)


def _no_rows(path: str, header_only: list[tuple[str | None, int]]) -> Problem:
    """The problem of a file without a single row to import."""
    if len(header_only) == 1:
        sheet, row = header_only[0]
        return Problem(
            path, row, None, Message(N_("the file has a header but no rows")), sheet
        )
    return Problem(
        path, None, None, Message(N_("the workbook holds no rows to import"))
    )


def _sheet_notes(sheet: Sheet) -> list[Message]:
    if sheet.name is None:
        return list(sheet.notes)
    return [
        Message(N_("sheet {sheet}: {note}"), {"sheet": sheet.name, "note": note})
        for note in sheet.notes
    ]


class _SheetKeys(SeenKeys):
    """The keys a command has taken; where one was first taken on a sheet of
    a workbook, the later row's message names the sheet with the file."""

    sheet: str | None = None

    def __setitem__(self, key: tuple[Any, ...], value: tuple[str, int]) -> None:
        path, row = value
        if self.sheet is not None:
            # Shown as the file's name (a sheet's name holds no slash in Excel).
            path = Message(
                N_("{file}, sheet {sheet}"),
                {"file": Path(path).name, "sheet": self.sheet.replace("/", "／")},
            ).render()
        super().__setitem__(key, (path, row))


@contextlib.contextmanager
def _on_sheet(report: FileReport, sheet: str | None) -> Iterator[None]:
    """Name the sheet in every problem and warning found while reading it."""
    problems, warnings = len(report.problems), len(report.warnings)
    try:
        yield
    finally:
        if sheet is not None:
            for found, start in (
                (report.problems, problems),
                (report.warnings, warnings),
            ):
                found[start:] = [
                    p if p.sheet is not None else attrs.evolve(p, sheet=sheet)
                    for p in found[start:]
                ]


def _name_sheets_by_row(report: FileReport, start: int, parsed: list[Parsed]) -> None:
    """Problems an after-import rule found name a row; the sheet is the one
    holding a record at that row, when only one sheet does."""
    sheets_of: dict[int, set[str | None]] = defaultdict(set)
    for item in parsed:
        sheets_of[item.row].add(item.sheet)
    report.problems[start:] = [
        attrs.evolve(p, sheet=next(iter(sheets_of[p.row])))
        if p.sheet is None and p.row is not None and len(sheets_of.get(p.row, ())) == 1
        else p
        for p in report.problems[start:]
    ]


# ---------------------------------------------------------------------------
# Delete.


def delete_files(
    engine: Engine,
    files: Iterable[tuple[str, str | Path]],
    *,
    actor: str | None = None,
    guards: Sequence[WriteGuard] = (),
) -> ImportResult:
    """Remove the records whose keys the files list, in one transaction.

    A key that does not exist, or a record that others still name (a veteran
    with visits, a unit with children), is a problem and nothing is removed.
    """
    reports: list[FileReport] = []
    try:
        with transaction(engine) as conn:
            for kind, path in reversed(order_files(files)):
                report = FileReport(kind.name, path)
                reports.append(report)
                _delete_one(conn, kind, path, report, guards)
                _audit(conn, "delete", actor, report)
            if any(r.problems for r in reports):
                raise Rollback
    except Rollback:
        raise _rejected(
            reports, N_("{count} problems found; nothing was deleted")
        ) from None
    return ImportResult(reports)


def _delete_keys(
    kind: RecordKind, path: str, report: FileReport
) -> dict[tuple[Any, ...], int]:
    """The keys every sheet of a delete file lists, each with its first row."""
    keys: dict[tuple[Any, ...], int] = {}
    for sheet in read_sheets(path, header_matcher(kind)):
        if isinstance(sheet, SkippedSheet):
            report.notes.append(sheet.note)
            continue
        with _on_sheet(report, sheet.name):
            try:
                columns = key_columns(kind, sheet, report)
                if columns is not None:
                    for key, row in delete_keys(kind, sheet, columns, report).items():
                        keys.setdefault(key, row)
            finally:
                sheet.close()
                report.notes.extend(_sheet_notes(sheet))
    return keys


def _delete_one(
    conn: Connection,
    kind: RecordKind,
    path: str,
    report: FileReport,
    guards: Sequence[WriteGuard] = (),
) -> None:
    try:
        keys = _delete_keys(kind, path, report)
    except (ValidationError, OSError, UnicodeError) as e:
        line = e.row if isinstance(e, RowError) else None
        report.problems.append(Problem(path, line, None, _read_failure(e)))
        return
    if report.problems:
        return
    report.sha256 = file_digest(path)
    table = TABLES[kind.name]
    found: dict[tuple[Any, ...], Any] = {}
    for batch in chunks(keys):
        for row in conn.execute(
            sa.select(table).where(key_condition(table, kind.key, batch))
        ).mappings():
            found[tuple(row[k] for k in kind.key)] = row
    for key, number in keys.items():
        if key not in found:
            report.problems.append(
                Problem(
                    path,
                    number,
                    None,
                    Message(
                        N_("no {kind} record with key {key}"),
                        {"kind": kind.label, "key": shown(key)},
                    ),
                )
            )
    numbers = {key: keys[key] for key in found}
    for guard in guards:  # a scope, the periods signed off
        guard.removed(conn, kind, list(found.values()), numbers, path, report)
    ids = [row["id"] for row in found.values()]
    for batch in chunks(ids):
        conn.execute(table.delete().where(table.c.id.in_(batch)))
    if kind.versioned:  # a record removed is removed with its past
        history = HISTORY[kind.name]
        for key_batch in chunks(list(found)):
            conn.execute(
                history.delete().where(key_condition(history, kind.key, key_batch))
            )
    report.deleted = len(ids)
    removed = list(found.values())
    check_still_named(conn, kind, removed, keys, path, report)
    rules = rules_of(kind.name)
    if rules.after_delete is not None:
        rules.after_delete(Removed(conn, path, report, removed))


# ---------------------------------------------------------------------------
# Both commands.


def _audit(
    conn: Connection, command: str, actor: str | None, report: FileReport
) -> None:
    write_audit(
        conn,
        command=command,
        actor=actor,
        kind=report.kind,
        file_name=Path(report.path).name,
        file_sha256=report.sha256,
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        deleted=report.deleted,
        skipped=report.skipped,
    )


def _rejected(reports: list[FileReport], msgid: str) -> ImportRejected:
    """The error of a rolled-back command, listing every problem of every file."""
    problems = [p for r in reports for p in r.problems]
    return ImportRejected(msgid, problems, count=len(problems))


def _read_failure(error: ValidationError | OSError | UnicodeError) -> Message:
    if isinstance(error, ValidationError):
        return error.message
    if isinstance(error, OSError):
        reason = error.strerror or error.__class__.__name__
    else:
        reason = error.__class__.__name__
    return Message(N_("cannot read the file: {error}"), {"error": reason})
