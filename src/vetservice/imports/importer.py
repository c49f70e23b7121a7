"""Import and delete records: all or nothing, every bad row named.

One command is one transaction however many files it reads. Files are taken
in the kinds' dependency order (units first), so a command may bring units
and the records that name them together. Good rows are written even while
bad ones are found, so that later checks see them; if any row was bad and
the caller did not ask to skip bad rows, the transaction is rolled back and
:class:`~vetservice.errors.ImportRejected` lists every problem.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.domain import KINDS, FieldError, Level, RecordKind, Reference
from vetservice.domain import kind as find_kind
from vetservice.domain.records import Unit, field_name
from vetservice.domain.values import (
    birth_date_of,
    id_number_warning,
    mask_id_number,
)
from vetservice.errors import ImportRejected, ValidationError
from vetservice.i18n import N_, Bilingual, Message
from vetservice.imports.readers import RowError, Sheet, read_sheet
from vetservice.store import TABLES, audit_log, refresh_statistics, transaction
from vetservice.store.hierarchy import chunks, refresh_closure
from vetservice.store.schema import record_to_row, to_db


@attrs.frozen
class Problem:
    """A bad row (or file): where it is and why, in the reader's language."""

    file: str
    row: int | None
    column: str | Bilingual | None
    message: Message

    def render(self, lang: str | None = None) -> str:
        where = Message(N_("{file}"), {"file": Path(self.file).name})
        if self.row is not None and self.column:
            where = Message(
                N_("{file}, row {row}, column {column}"),
                {"file": Path(self.file).name, "row": self.row, "column": self.column},
            )
        elif self.row is not None:
            where = Message(
                N_("{file}, row {row}"), {"file": Path(self.file).name, "row": self.row}
            )
        return Message(
            N_("{where}: {reason}"), {"where": where, "reason": self.message}
        ).render(lang)


@attrs.define
class FileReport:
    """What one file did: counts, problems and warnings."""

    kind: str
    path: str
    sha256: str = ""
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    problems: list[Problem] = attrs.Factory(list)
    warnings: list[Problem] = attrs.Factory(list)

    COUNTERS = ("added", "updated", "unchanged", "deleted", "skipped")

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTERS}

    def summary(self) -> Message:
        """One line a clerk reads: the file and what happened to its rows."""
        return Message(
            N_(
                "{file}: {added} added, {updated} updated, {unchanged} unchanged, {deleted} deleted, {skipped} rows skipped"
            ),
            {"file": Path(self.path).name, **self.counts},
        )


@attrs.frozen
class ImportResult:
    files: list[FileReport]

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def warnings(self) -> list[Problem]:
        return [p for f in self.files for p in f.warnings]

    def total(self, counter: str) -> int:
        return sum(getattr(f, counter) for f in self.files)


@attrs.frozen
class _Parsed:
    row: int
    record: Any


class _Rollback(Exception):
    """Raised inside the transaction to undo a command with bad rows."""


# Without --skip-bad-rows nothing is written once a row is bad, so reading on
# after this many problems in one file only makes a longer list: the clerk
# fixes these and imports again. (A 100 MB file of bad rows stops in a second.)
MAX_PROBLEMS = 1000


# The units' parent link, as a reference the delete check follows.
_PARENT = Reference(("parent_code",), "units", ("code",))


# ---------------------------------------------------------------------------
# Headers.


_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))


def normalise_header(header: str) -> str:
    # Spaces, a stray byte order mark and zero-width characters are invisible
    # in Excel, so they never make a header unknown.
    text = "".join(str(header).translate(_INVISIBLE).split()).rstrip("*＊")
    return text.replace("(", "（").replace(")", "）").lower()


def header_aliases(kind: RecordKind) -> dict[str, str]:
    """Every accepted spelling of every header, normalised, to its field name."""
    aliases: dict[str, str] = {}
    for f in kind.fields:
        aliases[normalise_header(f.name)] = f.name
        aliases[normalise_header(f.zh)] = f.name
        short = f.zh.split("（")[0]
        if short != f.zh:
            aliases.setdefault(normalise_header(short), f.name)
    return aliases


def _map_headers(
    kind: RecordKind, sheet: Sheet, report: FileReport
) -> dict[int, str] | None:
    aliases = header_aliases(kind)
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        name = aliases.get(normalise_header(header))
        if name is None:
            unknown.append(header)
        elif name in seen:
            report.problems.append(
                Problem(
                    sheet.path,
                    sheet.header_row,
                    header,
                    Message(
                        N_("column {field} appears twice (also as '{other}')"),
                        {"field": name, "other": seen[name]},
                    ),
                )
            )
        else:
            seen[name] = header
            columns[index] = name
    if unknown and not seen:
        # Nothing matches: another kind's file, a title row above the header,
        # or text in an encoding that came out garbled.
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    N_(
                        "none of the columns ({columns}) is a column of the {kind} file, "
                        "which takes: {allowed}; check that the file is of this kind, "
                        "that the header is its first row and that it is saved as "
                        "CSV UTF-8 or GBK"
                    ),
                    {
                        "columns": "、".join(unknown[:10])
                        + ("…" if len(unknown) > 10 else ""),
                        "kind": kind.label,
                        "allowed": Bilingual(
                            "、".join(f.zh for f in kind.fields),
                            ", ".join(f.name for f in kind.fields),
                        ),
                    },
                ),
            )
        )
        return None
    if unknown:
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    N_("unknown columns: {columns}; the {kind} file takes: {allowed}"),
                    {
                        "columns": "、".join(unknown),
                        "kind": kind.label,
                        "allowed": Bilingual(
                            "、".join(f.zh for f in kind.fields),
                            ", ".join(f.name for f in kind.fields),
                        ),
                    },
                ),
            )
        )
    missing = [f for f in kind.fields if f.required and f.name not in seen]
    if missing:
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    N_("required columns are missing: {columns}"),
                    {
                        "columns": Bilingual(
                            "、".join(f.zh for f in missing),
                            ", ".join(f.name for f in missing),
                        )
                    },
                ),
            )
        )
    return None if report.problems else columns


# ---------------------------------------------------------------------------
# Rows.


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _parse_rows(
    kind: RecordKind,
    sheet: Sheet,
    columns: dict[int, str],
    today: dt.date,
    report: FileReport,
    limit: int | None = None,
) -> list[_Parsed] | None:
    """Parse every row; ``None`` when reading stopped (a broken file, or ``limit`` problems)."""
    fields = {f.name: f for f in kind.fields}
    header_of = {name: sheet.headers[i] for i, name in columns.items()}
    parsed: list[_Parsed] = []
    rows = iter(sheet.rows)
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        except ValidationError as e:
            row = e.row if isinstance(e, RowError) else None
            report.problems.append(Problem(sheet.path, row, None, e.message))
            return None
        if limit is not None and len(report.problems) >= limit:
            report.problems.append(
                Problem(
                    sheet.path,
                    number,
                    None,
                    Message(
                        N_(
                            "more than {count} problems: stopped reading here; fix "
                            "these and import the file again"
                        ),
                        {"count": limit},
                    ),
                )
            )
            return None
        report.rows += 1
        values: dict[str, Any] = {}
        bad = False
        extra = [
            c for i, c in enumerate(cells) if i >= len(sheet.headers) and not _empty(c)
        ]
        if extra:
            report.problems.append(
                Problem(
                    sheet.path,
                    number,
                    None,
                    Message(N_("the row has more cells than the header")),
                )
            )
            bad = True
        for index, name in columns.items():
            field = fields[name]
            cell = cells[index] if index < len(cells) else None
            if _empty(cell):
                if field.required:
                    report.problems.append(
                        Problem(
                            sheet.path,
                            number,
                            header_of[name],
                            Message(N_("required, but empty")),
                        )
                    )
                    bad = True
                continue
            try:
                value = field.type.parse(cell)
            except ValidationError as e:
                report.problems.append(
                    Problem(sheet.path, number, header_of[name], e.message)
                )
                bad = True
                continue
            if isinstance(value, dt.date) and not field.future and value > today:
                report.problems.append(
                    Problem(
                        sheet.path,
                        number,
                        header_of[name],
                        Message(
                            N_("{date} lies in the future"), {"date": value.isoformat()}
                        ),
                    )
                )
                bad = True
                continue
            if field.type.name == "id_number" and birth_date_of(value) > today:
                report.problems.append(
                    Problem(
                        sheet.path,
                        number,
                        header_of[name],
                        Message(
                            N_(
                                "id number '{value}' holds a birth date in the future ({date})"
                            ),
                            {
                                "value": mask_id_number(value),
                                "date": birth_date_of(value).isoformat(),
                            },
                        ),
                    )
                )
                bad = True
                continue
            if field.type.name == "id_number" and (warning := id_number_warning(value)):
                report.warnings.append(
                    Problem(sheet.path, number, header_of[name], warning)
                )
            values[name] = value
        if bad:
            continue
        try:
            record = kind.record(**values)
        except FieldError as e:
            column = header_of.get(e.field) or field_name(kind.record, e.field)
            report.problems.append(Problem(sheet.path, number, column, e.message))
            continue
        except ValidationError as e:
            report.problems.append(Problem(sheet.path, number, None, e.message))
            continue
        parsed.append(_Parsed(number, record))
    return parsed


def _drop_duplicate_keys(
    kind: RecordKind,
    parsed: list[_Parsed],
    seen: dict[tuple[Any, ...], tuple[str, int]],
    path: str,
    report: FileReport,
) -> list[_Parsed]:
    """Keep the first row of each natural key in the command; name the later ones."""
    kept = []
    for item in parsed:
        key = kind.key_of(item.record)
        if key in seen:
            first_file, first_row = seen[key]
            report.problems.append(
                Problem(
                    path,
                    item.row,
                    None,
                    Message(
                        N_("the same {key} as {file} row {row}"),
                        {
                            "key": Bilingual(
                                "+".join(kind.field(k).zh for k in kind.key),
                                "+".join(kind.key),
                            ),
                            "file": Path(first_file).name,
                            "row": first_row,
                        },
                    ),
                )
            )
            continue
        seen[key] = (path, item.row)
        kept.append(item)
    return kept


# ---------------------------------------------------------------------------
# References.

_MISSING = {
    "units": N_("unknown unit code {value}"),
    "veterans": N_("no veteran with id number {value}; import the veteran first"),
    "staff": N_("no staff member with person id {value}; import the staff row first"),
    "care_funds": N_("county {value} has no care fund row; import care_funds first"),
    "benefit_recipients": N_(
        "no benefit recipient with id number and category {value}; import the recipient first"
    ),
}


def _shown(values: tuple[Any, ...]) -> str:
    return "+".join(
        mask_id_number(v)
        if isinstance(v, str) and len(v) == 18 and v[:17].isdigit()
        else str(v)
        for v in values
    )


def _existing(
    conn: Connection,
    target: str,
    columns: Sequence[str],
    wanted: Iterable[tuple[Any, ...]],
    extra: sa.ColumnElement[bool] | None = None,
) -> dict[tuple[Any, ...], Any]:
    """Which of ``wanted`` exist in ``target``, with the units' level as value."""
    table = TABLES[target]
    cols = [table.c[c] for c in columns]
    found: dict[tuple[Any, ...], Any] = {}
    level = table.c.level if target == "units" else sa.null()
    for batch in chunks(wanted):
        condition = (
            cols[0].in_([b[0] for b in batch])
            if len(cols) == 1
            else sa.tuple_(*cols).in_(batch)
        )
        query = sa.select(*cols, level).where(condition)
        if extra is not None:
            query = query.where(extra)
        for row in conn.execute(query):
            found[tuple(row[: len(cols)])] = row[-1]
    return found


def _check_references(
    conn: Connection,
    kind: RecordKind,
    parsed: list[_Parsed],
    path: str,
    report: FileReport,
) -> list[_Parsed]:
    bad_rows: set[int] = set()
    fields = {f.name: f for f in kind.fields}
    for ref in kind.references:
        using: dict[tuple[Any, ...], list[_Parsed]] = defaultdict(list)
        for item in parsed:
            if ref.applies_to(item.record):
                key = tuple(
                    to_db(fields[f].type, getattr(item.record, f)) for f in ref.fields
                )
                using[key].append(item)
        if not using:
            continue
        found = _existing(conn, ref.target, ref.target_fields, using)
        for value, items in using.items():
            if value not in found:
                message = Message(_MISSING[ref.target], {"value": _shown(value)})
            elif ref.level is not None and found[value] != ref.level.value:
                message = Message(
                    N_(
                        "unit {value} is at level {actual}, but a {level} unit is needed"
                    ),
                    {
                        "value": value[0],
                        "actual": Level(found[value]),
                        "level": ref.level,
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


# ---------------------------------------------------------------------------
# Writing.


def _key_condition(
    table: sa.Table, key: Sequence[str], batch: list[tuple[Any, ...]]
) -> sa.ColumnElement[bool]:
    if len(key) == 1:
        return table.c[key[0]].in_([k[0] for k in batch])
    return sa.tuple_(*(table.c[k] for k in key)).in_(batch)


def _upsert(
    conn: Connection,
    kind: RecordKind,
    parsed: list[_Parsed],
    report: FileReport,
    previous: dict[tuple[Any, ...], Any] | None = None,
) -> list[_Parsed]:
    """Insert new keys, update changed rows; return the rows that changed.

    ``previous``, when given, receives each changed key's row as it was
    before (``None`` for an inserted one), so that a change can be undone.
    """
    table = TABLES[kind.name]
    incoming = {}
    for item in parsed:
        row = record_to_row(kind, item.record)
        incoming[tuple(row[k] for k in kind.key)] = (item, row)
    existing: dict[tuple[Any, ...], Any] = {}
    for batch in chunks(incoming):
        for row in conn.execute(
            sa.select(table).where(_key_condition(table, kind.key, batch))
        ).mappings():
            existing[tuple(row[k] for k in kind.key)] = row
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
    if inserts:
        conn.execute(table.insert(), inserts)
    if updates:
        conn.execute(
            table.update().where(table.c.id == sa.bindparam("_row_id")), updates
        )
    report.added += len(inserts)
    report.updated += len(updates)
    return changed


def _expected_parent_level(level: str) -> str | None:
    order = [lv.value for lv in Level]
    index = order.index(level)
    return order[index - 1] if index > 0 else None


def _check_unit_parents(
    conn: Connection,
    codes: list[str],
    rows: dict[str, int],
    path: str,
    report: FileReport,
) -> None:
    """Every written unit (and every child of one) has a parent exactly one level up."""
    units = TABLES["units"]
    parent = units.alias("parent_unit")
    header = field_name(Unit, "parent_code")
    for batch in chunks(codes):
        query = (
            sa.select(units.c.code, units.c.level, units.c.parent_code, parent.c.level)
            .outerjoin(parent, parent.c.code == units.c.parent_code)
            .where(units.c.parent_code.is_not(None))
            .where(sa.or_(units.c.code.in_(batch), units.c.parent_code.in_(batch)))
        )
        for code, level, parent_code, parent_level in conn.execute(query):
            expected = _expected_parent_level(level)
            if parent_level is None:
                message = Message(
                    N_("unknown unit code {value}"), {"value": parent_code}
                )
            elif parent_level != expected:
                message = Message(
                    N_(
                        "parent {parent} is at level {actual}; a {level} unit's parent must be {expected}"
                    ),
                    {
                        "parent": parent_code,
                        "actual": Level(parent_level),
                        "level": Level(level),
                        "expected": Level(expected) if expected else "-",
                    },
                )
            else:
                continue
            report.problems.append(Problem(path, rows.get(code), header, message))


def fund_shortfalls(
    conn: Connection, counties: Iterable[str] | None = None
) -> list[tuple[str, str, dt.date, int]]:
    """Grants after which a care fund's balance on that date is below zero.

    Returns (county, entry_no, date, balance in fen), one statement.
    """
    entries = TABLES["care_fund_entries"]
    signed = sa.case(
        (entries.c.kind == "donation", entries.c.amount), else_=-entries.c.amount
    )
    balance = sa.func.sum(signed).over(
        partition_by=entries.c.unit_code, order_by=entries.c.date, range_=(None, 0)
    )
    inner = sa.select(
        entries.c.unit_code,
        entries.c.entry_no,
        entries.c.date,
        entries.c.kind,
        balance.label("balance"),
    )
    if counties is not None:
        inner = inner.where(entries.c.unit_code.in_(list(counties)))
    sub = inner.subquery()
    query = (
        sa.select(sub.c.unit_code, sub.c.entry_no, sub.c.date, sub.c.balance)
        .where(sub.c.kind == "grant", sub.c.balance < 0)
        .order_by(sub.c.unit_code, sub.c.date, sub.c.entry_no)
    )
    return [tuple(r) for r in conn.execute(query)]  # type: ignore[misc]


def _check_fund_balances(
    conn: Connection,
    counties: set[str],
    rows: dict[tuple[Any, ...], int],
    path: str,
    report: FileReport,
) -> list[tuple[str, str]]:
    """Name each grant that takes its fund below zero; return their keys."""
    shortfalls = fund_shortfalls(conn, counties)
    _shortfall_problems(shortfalls, rows, path, report)
    return [(county, entry_no) for county, entry_no, _date, _balance in shortfalls]


def _shortfall_problems(
    shortfalls: list[tuple[str, str, dt.date, int]],
    rows: dict[tuple[Any, ...], int],
    path: str,
    report: FileReport,
) -> None:
    for county, entry_no, date, balance in shortfalls:
        report.problems.append(
            Problem(
                path,
                rows.get((county, entry_no)),
                KINDS["care_fund_entries"].field("amount").zh,
                Message(
                    N_(
                        "grant {entry} takes the care fund of {county} to {balance} yuan on {date}"
                    ),
                    {
                        "entry": entry_no,
                        "county": county,
                        "balance": f"{balance / 100:.2f}",
                        "date": str(date),
                    },
                ),
            )
        )


# ---------------------------------------------------------------------------
# The commands.


def file_digest(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _audit(
    conn: Connection, command: str, actor: str | None, report: FileReport
) -> None:
    conn.execute(
        audit_log.insert().values(
            at=dt.datetime.now(dt.UTC),
            actor=actor or getpass.getuser(),
            command=command,
            kind=report.kind,
            file_name=Path(report.path).name,
            file_sha256=report.sha256,
            **report.counts,
        )
    )


def order_files(
    files: Iterable[tuple[str, str | Path]],
) -> list[tuple[RecordKind, str]]:
    """Resolve kind names and sort the files into dependency order (units first)."""
    order = list(KINDS)
    resolved = [(find_kind(name), str(path)) for name, path in files]
    return sorted(resolved, key=lambda item: order.index(item[0].name))


# What clerks call a kind besides its name and title ("区划.xlsx").
_ALIASES = {"units": ("区划", "单位")}


def _names_of(kind: RecordKind) -> list[str]:
    """A kind's name, its title and the title's parts ("单位（行政区划）" → 单位, 行政区划)."""
    parts = re.split(r"[（）()、，,]", kind.title)
    return [kind.name, kind.title, *(p for p in parts if len(p) > 1), *_ALIASES.get(kind.name, ())]


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


def import_files(
    engine: Engine,
    files: Iterable[tuple[str, str | Path]],
    *,
    skip_bad_rows: bool = False,
    actor: str | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import ``(kind, path)`` pairs in one transaction.

    Raises :class:`ImportRejected` (nothing written) when any row is bad and
    ``skip_bad_rows`` is false. With ``skip_bad_rows`` the good rows are
    written and the bad ones are listed in the result.
    """
    today = today or dt.date.today()
    reports: list[FileReport] = []
    try:
        with transaction(engine) as conn:
            seen_keys: dict[str, dict[tuple[Any, ...], tuple[str, int]]] = defaultdict(
                dict
            )
            for kind, path in order_files(files):
                report = FileReport(kind.name, path)
                reports.append(report)
                _import_one(
                    conn, kind, path, report, seen_keys[kind.name], today, skip_bad_rows
                )
                report.skipped = len({p.row for p in report.problems})
                _audit(conn, "import", actor, report)
            if not skip_bad_rows and any(r.problems for r in reports):
                raise _Rollback
    except _Rollback:
        raise _rejected(
            reports, N_("{count} problems found; nothing was imported")
        ) from None
    refresh_statistics(engine, _written_tables(reports))
    return ImportResult(reports)


def _written_tables(reports: list[FileReport]) -> set[str]:
    tables = {r.kind for r in reports}
    return tables | {"unit_closure"} if "units" in tables else tables


def _rejected(reports: list[FileReport], msgid: str) -> ImportRejected:
    """The error of a rolled-back command, listing every problem of every file."""
    problems = [p for r in reports for p in r.problems]
    return ImportRejected(msgid, problems, count=len(problems))


def _import_one(
    conn: Connection,
    kind: RecordKind,
    path: str,
    report: FileReport,
    seen: dict[tuple[Any, ...], tuple[str, int]],
    today: dt.date,
    skip_bad_rows: bool,
) -> None:
    try:
        sheet = read_sheet(path)
    except (ValidationError, OSError) as e:
        report.problems.append(Problem(path, None, None, _read_failure(e)))
        return
    try:
        columns = _map_headers(kind, sheet, report)
        if columns is None:
            return
        limit = None if skip_bad_rows else MAX_PROBLEMS
        parsed = _parse_rows(kind, sheet, columns, today, report, limit)
    except (OSError, UnicodeError) as e:
        report.problems.append(Problem(path, None, None, _read_failure(e)))
        return
    finally:
        sheet.close()
    if parsed is None:
        return
    if not report.rows:
        report.problems.append(
            Problem(
                path,
                sheet.header_row,
                None,
                Message(N_("the file has a header but no rows")),
            )
        )
        return
    report.sha256 = file_digest(path)
    parsed = _drop_duplicate_keys(kind, parsed, seen, path, report)
    if kind.name != "units":
        parsed = _check_references(conn, kind, parsed, path, report)
    previous: dict[tuple[Any, ...], Any] = {}
    changed = _upsert(conn, kind, parsed, report, previous)
    if kind.name == "units":
        rows = {item.record.code: item.row for item in parsed}
        codes = [item.record.code for item in changed]
        before = len(report.problems)
        _check_unit_parents(conn, codes, rows, path, report)
        if len(report.problems) > before:
            if skip_bad_rows:
                # A unit whose parent is wrong cannot be kept; drop it and its
                # would-be descendants by failing the file instead.
                raise _Rollback
            # The command is refused; a broken hierarchy (parents in a cycle)
            # has no closure to compute.
            return
        refresh_closure(conn, codes)
    if kind.name == "care_fund_entries":
        rows = {
            (item.record.unit_code, item.record.entry_no): item.row for item in parsed
        }
        counties = {item.record.unit_code for item in parsed}
        _settle_fund(conn, counties, rows, previous, path, report, skip_bad_rows)


def _read_failure(error: ValidationError | OSError | UnicodeError) -> Message:
    if isinstance(error, ValidationError):
        return error.message
    if isinstance(error, OSError):
        reason = error.strerror or error.__class__.__name__
    else:
        reason = error.__class__.__name__
    return Message(N_("cannot read the file: {error}"), {"error": reason})


def _settle_fund(
    conn: Connection,
    counties: set[str],
    rows: dict[tuple[Any, ...], int],
    previous: dict[tuple[Any, ...], Any],
    path: str,
    report: FileReport,
    skip_bad_rows: bool,
) -> None:
    """No grant may take its fund below zero on its date.

    Skipping bad rows, each grant of this file that does is undone (removed
    if it was new, put back as it was if it changed an older row) until none
    does. When an older grant, not one of this file, is left uncovered (the
    file lowered, moved or removed a donation), no row can be skipped to mend
    it and the whole command is refused.
    """
    table = TABLES["care_fund_entries"]
    while skip_bad_rows:
        shortfalls = fund_shortfalls(conn, counties)
        if not shortfalls:
            return
        county, entry_no, _date, _balance = shortfalls[0]
        key = (county, entry_no)
        if key not in previous:
            break
        _shortfall_problems(shortfalls[:1], rows, path, report)
        old = previous.pop(key)
        if old is None:
            conn.execute(
                table.delete().where(
                    table.c.unit_code == county, table.c.entry_no == entry_no
                )
            )
            report.added -= 1
        else:
            values = {k: v for k, v in old.items() if k != "id"}
            conn.execute(table.update().where(table.c.id == old["id"]).values(values))
            report.updated -= 1
    offending = _check_fund_balances(conn, counties, rows, path, report)
    if offending and skip_bad_rows:
        raise _Rollback


def delete_files(
    engine: Engine,
    files: Iterable[tuple[str, str | Path]],
    *,
    actor: str | None = None,
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
                _delete_one(conn, kind, path, report)
                _audit(conn, "delete", actor, report)
            if any(r.problems for r in reports):
                raise _Rollback
    except _Rollback:
        raise _rejected(
            reports, N_("{count} problems found; nothing was deleted")
        ) from None
    return ImportResult(reports)


def _key_columns(
    kind: RecordKind, sheet: Sheet, report: FileReport
) -> dict[int, str] | None:
    aliases = header_aliases(kind)
    columns = {
        i: aliases.get(normalise_header(h)) for i, h in enumerate(sheet.headers) if h
    }
    unknown = [sheet.headers[i] for i, name in columns.items() if name is None]
    missing = [kind.field(k).zh for k in kind.key if k not in columns.values()]
    if unknown or missing:
        report.problems.append(
            Problem(
                sheet.path,
                sheet.header_row,
                None,
                Message(
                    N_("a delete file needs the key columns {key}; unknown: {unknown}"),
                    {
                        "key": "、".join(kind.field(k).zh for k in kind.key),
                        "unknown": "、".join(unknown) or "-",
                    },
                ),
            )
        )
        return None
    return {i: name for i, name in columns.items() if name in kind.key}


def _delete_keys(
    kind: RecordKind, sheet: Sheet, columns: dict[int, str], report: FileReport
) -> dict[tuple[Any, ...], int]:
    """The keys a delete file lists, each with the first row naming it."""
    fields = {f.name: f for f in kind.fields}
    keys: dict[tuple[Any, ...], int] = {}
    for number, cells in sheet.rows:
        values = {}
        for index, name in columns.items():
            cell = cells[index] if index < len(cells) else None
            try:
                if _empty(cell):
                    raise ValidationError(N_("required, but empty"))
                values[name] = to_db(fields[name].type, fields[name].type.parse(cell))
            except ValidationError as e:
                report.problems.append(
                    Problem(sheet.path, number, sheet.headers[index], e.message)
                )
        if len(values) == len(kind.key):
            keys.setdefault(tuple(values[k] for k in kind.key), number)
        if len(report.problems) >= MAX_PROBLEMS:
            break
    return keys


def _delete_one(
    conn: Connection, kind: RecordKind, path: str, report: FileReport
) -> None:
    try:
        sheet = read_sheet(path)
    except (ValidationError, OSError) as e:
        report.problems.append(Problem(path, None, None, _read_failure(e)))
        return
    try:
        columns = _key_columns(kind, sheet, report)
        if columns is None:
            return
        keys = _delete_keys(kind, sheet, columns, report)
    except (ValidationError, OSError, UnicodeError) as e:
        row = e.row if isinstance(e, RowError) else None
        report.problems.append(Problem(path, row, None, _read_failure(e)))
        return
    finally:
        sheet.close()
    report.sha256 = file_digest(path)
    table = TABLES[kind.name]
    found: dict[tuple[Any, ...], Any] = {}
    for batch in chunks(keys):
        for row in conn.execute(
            sa.select(table).where(_key_condition(table, kind.key, batch))
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
                        {"kind": kind.label, "key": _shown(key)},
                    ),
                )
            )
    ids = [row["id"] for row in found.values()]
    for batch in chunks(ids):
        conn.execute(table.delete().where(table.c.id.in_(batch)))
    report.deleted = len(ids)
    _check_still_named(conn, kind, list(found.values()), keys, path, report)
    if kind.name == "units":
        refresh_closure(conn, [row["code"] for row in found.values()])
    if kind.name == "care_fund_entries":
        _check_fund_balances(
            conn, {row["unit_code"] for row in found.values()}, {}, path, report
        )


def _check_still_named(
    conn: Connection,
    kind: RecordKind,
    removed: list[Any],
    rows: dict[tuple[Any, ...], int],
    path: str,
    report: FileReport,
) -> None:
    """After removing rows, nothing may name a value that no longer resolves."""
    referrers = [
        (other, ref)
        for other in KINDS.values()
        for ref in other.references
        if ref.target == kind.name
    ]
    if kind.name == "units":
        referrers.append((kind, _PARENT))
    for other, ref in referrers:
        values = {tuple(row[f] for f in ref.target_fields) for row in removed}
        remaining = _existing(conn, kind.name, ref.target_fields, values)
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
                                "value": _shown(tuple(value)),
                                "count": count,
                                "kind": other.label,
                            },
                        ),
                    )
                )
