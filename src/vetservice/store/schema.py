"""The database schema: one table per record kind, plus private bookkeeping.

Record tables mirror ``docs/records.md`` column for column (the public,
versioned schema plugins query); they are built from the domain's field
contracts so the two cannot drift. Money columns hold integer fen, lists
hold ``;``-joined English values, enums their English value.

Private tables (``unit_closure``, ``audit_log``, ``report_snapshots``,
``figure_sets``, ``figures``, ``figure_gaps``, ``figure_scores``, the
``*_history`` versions of the state ledgers) are not part of the contract.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

from vetservice.domain import KINDS, LabelledEnum, RecordKind
from vetservice.domain.values import EnumType, ListType, ValueType

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The newest migration (tests check it is Alembic's head): a database at it
# opens without loading Alembic, a quarter of a second of every command.
HEAD_REVISION = "0009"


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


metadata = Base.metadata

_SQL_TYPES: dict[str, Any] = {
    "code": sa.String(32),
    "text": sa.Text(),
    "date": sa.Date(),
    "month": sa.String(7),
    "bool": sa.Boolean(),
    "money": sa.BigInteger(),
    "int": sa.Integer(),
    "id_number": sa.String(18),
    "phone": sa.String(32),
    "enum": sa.String(32),
    "list": sa.Text(),
}

# Columns every kind is queried by, besides its key.
_LOOKUP_COLUMNS = ("unit_code", "id_number")


def _record_table(kind: RecordKind) -> sa.Table:
    columns = [sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)]
    for f in kind.fields:
        columns.append(
            sa.Column(f.name, _SQL_TYPES[f.type.name], nullable=not f.required)
        )
    table = sa.Table(kind.name, metadata, *columns)
    sa.Index(None, *(table.c[k] for k in kind.key), unique=True)
    for name in _LOOKUP_COLUMNS:
        if name in table.c and kind.key[0] != name:
            sa.Index(None, table.c[name])
    if kind.versioned:
        # "Is any row dated after E?" reads the index's last entry.
        sa.Index(None, table.c.valid_from)
    return table


TABLES: dict[str, sa.Table] = {name: _record_table(k) for name, k in KINDS.items()}


def _history_table(kind: RecordKind) -> sa.Table:
    """Earlier versions of a state ledger's records (migration 0007): the
    kind's columns and ``valid_to``, the last day a version was in force."""
    columns: list[sa.Column[Any]] = [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)
    ]
    for f in kind.fields:
        columns.append(
            sa.Column(f.name, _SQL_TYPES[f.type.name], nullable=not f.required)
        )
    columns.append(sa.Column("valid_to", sa.Date, nullable=False))
    table = sa.Table(f"{kind.name}_history", metadata, *columns)
    # Named short: PostgreSQL cuts names at 63 characters.
    sa.Index(
        f"ix_{table.name}_key", *(table.c[k] for k in kind.key), table.c.valid_from
    )
    sa.Index(None, table.c.valid_to)
    return table


# 台账的历史: the current version of a record stays in its kind's table, so
# every reader of today's state is unchanged; the versions it replaced are
# here, private, and read only through vetservice.store.history.
HISTORY: dict[str, sa.Table] = {
    name: _history_table(k) for name, k in KINDS.items() if k.versioned
}

# Indexes the indicators' roll-ups need beyond keys and lookups, created by
# migration 0003 and later (benchmarks/results.md gives the gain of each).
# Each one lets a statement start from the period's few rows, or reach a
# veteran's unit from the index alone, instead of visiting a million rows.
QUERY_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    # Every per-veteran record (visits, payments, registrations…) → its unit;
    # and the veterans of each unit in order, without reading their rows.
    "veterans": (("id_number", "unit_code"), ("unit_code", "id_number")),
    # visit.holiday and visit.key_visited: a reason's visits in a period.
    "visits": (("reason", "visited_on", "id_number"),),
}


def query_index_name(table: str, columns: tuple[str, ...]) -> str:
    return f"ix_{table}_q_{'_'.join(columns)}"


for _table, _indexes in QUERY_INDEXES.items():
    for _columns in _indexes:
        sa.Index(
            query_index_name(_table, _columns),
            *(TABLES[_table].c[c] for c in _columns),
        )

# The ancestor table: one row per (ancestor, descendant), the unit itself
# included at depth 0, so a roll-up is one join.
unit_closure = sa.Table(
    "unit_closure",
    metadata,
    sa.Column("ancestor", sa.String(32), primary_key=True),
    sa.Column("descendant", sa.String(32), primary_key=True),
    sa.Column("depth", sa.Integer, nullable=False),
)
sa.Index(
    "ix_unit_closure_descendant", unit_closure.c.descendant, unit_closure.c.ancestor
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("command", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32)),
    sa.Column("file_name", sa.Text),
    sa.Column("file_sha256", sa.String(64)),
    sa.Column("added", sa.Integer, nullable=False, default=0),
    sa.Column("updated", sa.Integer, nullable=False, default=0),
    sa.Column("unchanged", sa.Integer, nullable=False, default=0),
    sa.Column("deleted", sa.Integer, nullable=False, default=0),
    sa.Column("skipped", sa.Integer, nullable=False, default=0),
    sa.Column("detail", sa.Text),
)

# 报表留痕: the figures of a report as written (the JSON report), with the
# digest of the records it was computed from and the versions of the code.
report_snapshots = sa.Table(
    "report_snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("unit_code", sa.String(32), nullable=False),
    sa.Column("unit_name", sa.Text, nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("input_sha256", sa.String(64), nullable=False),
    # JSON: {kind: [rows, sha256]} for every record table.
    sa.Column("input_tables", sa.Text, nullable=False),
    sa.Column("vetservice_version", sa.String(32), nullable=False),
    # JSON: [[plugin name, version or null], ...] as the plugin manager lists them.
    sa.Column("plugins", sa.Text, nullable=False),
    # JSON: the report as vetservice.reports.json_report.report_dict gives it.
    sa.Column("figures", sa.Text, nullable=False),
)
sa.Index(None, report_snapshots.c.unit_code, report_snapshots.c.period)

# The figures store (migration 0004, vetservice.stored): every indicator's
# sums at every unit for one period and as-of date, under the data version
# and the digest of the definitions (plugins, overrides) they were computed
# from. A set whose keys no longer match is never read again.
figure_sets = sa.Table(
    "figure_sets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("data_version", sa.String(64), nullable=False),
    sa.Column("definitions", sa.String(64), nullable=False),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    # JSON: {indicator id: [plugin, hook, error]} of the indicators that failed.
    sa.Column("failures", sa.Text, nullable=False),
)
sa.Index(
    None,
    figure_sets.c.period,
    figure_sets.c.as_of,
    figure_sets.c.data_version,
    figure_sets.c.definitions,
    unique=True,
)
# Rolled-up sums (the unit's subtree) and the unit's own facts' sums (for the
# breakdown by station kind; NULL when the unit has no facts of its own); a
# unit without facts in its subtree has no row.
figures = sa.Table(
    "figures",
    metadata,
    sa.Column("set_id", sa.Integer, sa.ForeignKey("figure_sets.id"), primary_key=True),
    sa.Column("unit_code", sa.String(32), primary_key=True),
    sa.Column("indicator", sa.String(128), primary_key=True),
    sa.Column("numerator", sa.BigInteger, nullable=False),
    sa.Column("denominator", sa.BigInteger, nullable=False),
    sa.Column("own_numerator", sa.BigInteger),
    sa.Column("own_denominator", sa.BigInteger),
)
# The facts falling short of each compliance indicator in a set, personal
# values already masked (JSON, see vetservice.stored.gaps), in the order a
# shortfall list shows them (``seq``).
figure_gaps = sa.Table(
    "figure_gaps",
    metadata,
    sa.Column("set_id", sa.Integer, sa.ForeignKey("figure_sets.id"), primary_key=True),
    sa.Column("indicator", sa.String(128), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("unit_code", sa.String(32), nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
)
# A report reads a set's gaps under one unit (joined from the closure).
sa.Index(None, figure_gaps.c.set_id, figure_gaps.c.unit_code)
# Each unit's score on a scoring sheet (``sheet``: a digest of the sheet),
# worked out from a set's figures (JSON, see vetservice.reports.scores).
figure_scores = sa.Table(
    "figure_scores",
    metadata,
    sa.Column("set_id", sa.Integer, sa.ForeignKey("figure_sets.id"), primary_key=True),
    sa.Column("sheet", sa.String(64), primary_key=True),
    sa.Column("unit_code", sa.String(32), primary_key=True),
    sa.Column("score", sa.Text, nullable=False),
)

# Accounts, 上报 and sign-off (issue 19, migration 0005). Passwords are kept
# only as Argon2 hashes; submissions and sign-offs are appended, never changed.
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # admin, clerk, leader
    sa.Column("scope", sa.String(32)),  # a unit code; None: the whole database
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index(None, users.c.name, unique=True)

# One row per ledger a unit sent in for a period (an import under a scope,
# an upload, a merged county file).
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit_code", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_on", sa.Date, nullable=False),  # the day in China
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("via", sa.String(16), nullable=False),  # import, upload, merge
    sa.Column("file_name", sa.Text),
    sa.Column("file_sha256", sa.String(64)),
    sa.Column("rows", sa.Integer, nullable=False, default=0),
)
sa.Index(None, submissions.c.period, submissions.c.kind, submissions.c.unit_code)

# Which kinds each level sends, how often, and the day of the month after the
# period by which they are due (defaults inserted by migration 0005).
report_schedule = sa.Table(
    "report_schedule",
    metadata,
    sa.Column("kind", sa.String(32), primary_key=True),
    sa.Column("level", sa.String(16), primary_key=True),
    sa.Column("frequency", sa.String(8), nullable=False),  # month, quarter
    sa.Column("deadline_day", sa.Integer, nullable=False),
)

# 审核锁定: each sign-off and reopening of a unit's period, appended; the
# latest row of a (unit, period) says whether it is locked.
sign_offs = sa.Table(
    "sign_offs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit_code", sa.String(32), nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("action", sa.String(8), nullable=False),  # sign, reopen
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
)
sa.Index(None, sign_offs.c.unit_code, sign_offs.c.period)


# ---------------------------------------------------------------------------
# Domain value <-> stored value.


def to_db(value_type: ValueType, value: Any) -> Any:
    if value is None:
        return None
    if value_type.name == "money":
        return int(Decimal(value) * 100)
    if isinstance(value_type, ListType):
        if not value:
            return None
        return ";".join(v.value if isinstance(v, LabelledEnum) else v for v in value)
    if isinstance(value, LabelledEnum):
        return value.value
    return value


def from_db(value_type: ValueType, value: Any) -> Any:
    if value is None:
        return None
    if value_type.name == "money":
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
    if isinstance(value_type, ListType):
        items = str(value).split(";")
        if value_type.enum is not None:
            return tuple(value_type.enum(v) for v in items)
        return tuple(items)
    if isinstance(value_type, EnumType):
        return value_type.enum(value)
    if value_type.name == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if value_type.name == "bool":
        return bool(value)
    return value


def record_to_row(kind: RecordKind, record: Any) -> dict[str, Any]:
    return {f.name: to_db(f.type, getattr(record, f.name)) for f in kind.fields}


def row_to_record(kind: RecordKind, row: Any) -> Any:
    """A stored row as its record, as it was stored.

    The import rules (``__attrs_post_init__``) are not run again: a row was
    accepted under the rules of its day, and a rule added since (a petition's
    dates in order) must not make the database unreadable; ``validate``
    finds such rows with SQL instead.
    """
    mapping = row._mapping if hasattr(row, "_mapping") else row
    record: Any = object.__new__(kind.record)
    for f in kind.fields:
        object.__setattr__(record, f.name, from_db(f.type, mapping[f.name]))
    return record
