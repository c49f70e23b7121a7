"""Rules per kind: what the importer does for a kind beyond the generic steps.

The generic steps (``importer.py``) read, align, parse, check references and
write any kind the same way. A kind that needs more says so in :data:`RULES`
at the end of this module, keyed by kind name:

- units: a unit's parent is checked after writing (it may be in the same
  file) and must be one level up; the ancestor table is refreshed;
- care fund entries: no grant may take its fund below zero on its date;
- receptions: each petition number in a row's list names a petition, and
  a petition so named is not deleted;
- every kind other kinds name: the message when a name resolves to nothing.

The rules need SQL, so they live here rather than with the kinds in
``domain/records.py`` (the domain knows no database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from vetservice.domain import KINDS, Level, Reference
from vetservice.domain.records import Unit, field_name
from vetservice.i18n import N_, Message
from vetservice.imports.results import FileReport, Parsed, Problem, Rollback
from vetservice.store import TABLES
from vetservice.store.hierarchy import chunks, refresh_closure
from vetservice.store.schema import record_to_row


@attrs.frozen
class Written:
    """A file's rows just written, for a kind's ``after_import`` rule."""

    conn: Connection
    path: str
    report: FileReport
    parsed: list[Parsed]  # every good row of the file
    changed: list[Parsed]  # those inserted or updated
    # Each changed key's row as it was before (None when inserted), to undo it.
    previous: dict[tuple[Any, ...], Any]
    skip_bad_rows: bool


@attrs.frozen
class Removed:
    """A delete file's rows just removed, for a kind's ``after_delete`` rule."""

    conn: Connection
    path: str
    report: FileReport
    rows: list[Any]  # the removed rows, as they were


@attrs.frozen
class KindRules:
    """One kind's rules. Problems go to the file's report; a rule raises
    :class:`~vetservice.imports.results.Rollback` to undo the whole command."""

    # The message when a reference names no row of this kind ({value}).
    missing: str | None = None
    # What clerks call the kind in a file name, besides its name and title.
    aliases: tuple[str, ...] = ()
    # References of the kind that after_import checks instead of the generic
    # check before writing; a delete still refuses to break them.
    checked_after_write: tuple[Reference, ...] = ()
    after_import: Callable[[Written], None] | None = None
    after_delete: Callable[[Removed], None] | None = None
    # Tables the rules change besides the kind's own (statistics refreshed).
    also_writes: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# Units: the hierarchy.

# The units' parent link, as a reference the delete check follows.
PARENT = Reference(("parent_code",), "units", ("code",))


def _expected_parent_level(level: str) -> str | None:
    order = [lv.value for lv in Level]
    index = order.index(level)
    return order[index - 1] if index > 0 else None


def check_unit_parents(
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


def _units_written(step: Written) -> None:
    rows = {item.record.code: item.row for item in step.parsed}
    codes = [item.record.code for item in step.changed]
    before = len(step.report.problems)
    check_unit_parents(step.conn, codes, rows, step.path, step.report)
    if len(step.report.problems) > before:
        if step.skip_bad_rows:
            # A unit whose parent is wrong cannot be kept; drop it and its
            # would-be descendants by failing the file instead.
            raise Rollback
        # The command is refused; a broken hierarchy (parents in a cycle)
        # has no closure to compute.
        return
    refresh_closure(step.conn, codes)


def _units_removed(step: Removed) -> None:
    refresh_closure(step.conn, [row["code"] for row in step.rows])


# ---------------------------------------------------------------------------
# Care fund entries: the balance.


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
    return [tuple(r) for r in conn.execute(query)]


def check_fund_balances(
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


def settle_fund(
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
    offending = check_fund_balances(conn, counties, rows, path, report)
    if offending and skip_bad_rows:
        raise Rollback


def _fund_entries_written(step: Written) -> None:
    rows = {
        (item.record.unit_code, item.record.entry_no): item.row for item in step.parsed
    }
    counties = {item.record.unit_code for item in step.parsed}
    settle_fund(
        step.conn,
        counties,
        rows,
        step.previous,
        step.path,
        step.report,
        step.skip_bad_rows,
    )


def _fund_entries_removed(step: Removed) -> None:
    check_fund_balances(
        step.conn, {row["unit_code"] for row in step.rows}, {}, step.path, step.report
    )


# ---------------------------------------------------------------------------
# Receptions: the petitions a reception names.

# The list column of receptions that names petitions (a reference names one
# value; this is a list, so it is checked here, item by item).
CASE_LIST = "case_nos"


def _unknown_cases(conn: Connection, wanted: set[str]) -> set[str]:
    """Those of ``wanted`` that name no petition, one statement a chunk."""
    petitions = TABLES["petitions"]
    found: set[str] = set()
    for batch in chunks(sorted(wanted)):
        found.update(
            conn.execute(
                sa.select(petitions.c.case_no).where(petitions.c.case_no.in_(batch))
            ).scalars()
        )
    return wanted - found


def _undo(
    conn: Connection, kind: str, old: Any, key: tuple[Any, ...], report: FileReport
) -> None:
    """Put back a row as it was before this file (remove it if it was new)."""
    table = TABLES[kind]
    if old is None:
        names = KINDS[kind].key
        conn.execute(
            table.delete().where(
                *(table.c[n] == v for n, v in zip(names, key, strict=True))
            )
        )
        report.added -= 1
    else:
        values = {k: v for k, v in old.items() if k != "id"}
        conn.execute(table.update().where(table.c.id == old["id"]).values(values))
        report.updated -= 1
    report.skipped += 1


def _receptions_written(step: Written) -> None:
    kind = KINDS["receptions"]
    wanted = {c for item in step.changed for c in item.record.case_nos or ()}
    unknown = _unknown_cases(step.conn, wanted) if wanted else set()
    if not unknown:
        return
    header = field_name(kind.record, CASE_LIST)
    for item in step.changed:
        missing = [c for c in item.record.case_nos or () if c in unknown]
        if not missing:
            continue
        step.report.problems.append(
            Problem(
                step.path,
                item.row,
                header,
                Message(
                    N_("no petition with number {value}; import the petition first"),
                    {"value": "、".join(missing)},
                ),
            )
        )
        if step.skip_bad_rows:
            row = record_to_row(kind, item.record)
            key = tuple(row[k] for k in kind.key)
            _undo(
                step.conn, "receptions", step.previous.pop(key, None), key, step.report
            )


def _petitions_removed(step: Removed) -> None:
    """A petition a reception names may not be deleted (its list is not a reference)."""
    receptions = TABLES["receptions"]
    gone = {row["case_no"] for row in step.rows}
    # ';A;B;' contains ';A;': the stored list with a separator at each end.
    listed = sa.literal(";") + receptions.c[CASE_LIST] + sa.literal(";")
    named: dict[str, int] = {}
    for batch in chunks(sorted(gone)):
        query = sa.select(receptions.c[CASE_LIST]).where(
            sa.or_(*(listed.contains(f";{case};", autoescape=True) for case in batch))
        )
        for cases in step.conn.execute(query).scalars():
            for case in str(cases).split(";"):
                if case in gone:
                    named[case] = named.get(case, 0) + 1
    for case, count in sorted(named.items()):
        step.report.problems.append(
            Problem(
                step.path,
                None,
                None,
                Message(
                    N_(
                        "{value} is still named by {count} {kind} rows; delete those first"
                    ),
                    {"value": case, "count": count, "kind": KINDS["receptions"].label},
                ),
            )
        )


# ---------------------------------------------------------------------------
# The rules, by kind name.

RULES: dict[str, KindRules] = {
    "units": KindRules(
        missing=N_("unknown unit code {value}"),
        aliases=("区划", "单位"),
        checked_after_write=(PARENT,),
        after_import=_units_written,
        after_delete=_units_removed,
        also_writes=("unit_closure",),
    ),
    "veterans": KindRules(
        missing=N_("no veteran with id number {value}; import the veteran first"),
    ),
    "staff": KindRules(
        missing=N_(
            "no staff member with person id {value}; import the staff row first"
        ),
    ),
    "care_funds": KindRules(
        missing=N_("county {value} has no care fund row; import care_funds first"),
    ),
    "care_fund_entries": KindRules(
        after_import=_fund_entries_written,
        after_delete=_fund_entries_removed,
    ),
    "petitions": KindRules(
        missing=N_("no petition with number {value}; import the petition first"),
        after_delete=_petitions_removed,
    ),
    "receptions": KindRules(
        aliases=("接访", "接访下访"), after_import=_receptions_written
    ),
    "secretary_checks": KindRules(aliases=("书记过问",)),
    "case_plans": KindRules(aliases=("一人一事",)),
    "fund_recommendations": KindRules(aliases=("关爱基金推荐", "推荐关爱基金")),
    "benefit_recipients": KindRules(
        missing=N_(
            "no benefit recipient with id number and category {value}; import the recipient first"
        ),
    ),
}

_NONE = KindRules()


def rules_of(kind: str) -> KindRules:
    """The rules of the kind called ``kind`` (none beyond the generic steps if absent)."""
    return RULES.get(kind, _NONE)
