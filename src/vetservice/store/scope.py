"""A scope: one unit's subtree, and which rows of each record kind lie inside it.

Every kind reaches a unit: directly (``unit_code``), through the veteran it
is about (``id_number``), or through the benefit recipient it pays. The same
predicate limits the library's reads, writes a county's export and becomes
PostgreSQL row-level security policies, so the three can never disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from vetservice.domain import KINDS
from vetservice.errors import StorageError
from vetservice.i18n import N_
from vetservice.store.database import create_engine, transaction
from vetservice.store.hierarchy import refresh_closure
from vetservice.store.schema import HISTORY, TABLES, unit_closure

# Kinds that reach their unit through another kind: kind → (its column, the
# other kind, that kind's column).
_THROUGH = {
    "visits": ("id_number", "veterans", "id_number"),
    "social_insurance": ("id_number", "veterans", "id_number"),
    "hardship": ("id_number", "veterans", "id_number"),
    "employment": ("id_number", "veterans", "id_number"),
    "placements": ("id_number", "veterans", "id_number"),
    "home_services": ("id_number", "veterans", "id_number"),
    "benefit_payments": ("id_number", "benefit_recipients", "id_number"),
    # A petition's case plan belongs to the petition's unit.
    "case_plans": ("case_no", "petitions", "case_no"),
}


def subtree(scope: str) -> sa.Select[Any]:
    """The codes of ``scope`` and every unit below it."""
    return sa.select(unit_closure.c.descendant).where(unit_closure.c.ancestor == scope)


def in_scope(
    kind: str, scope: str, table: sa.Table | None = None
) -> sa.ColumnElement[bool]:
    """Whether a row of ``kind``'s table (or of ``table``, its earlier
    versions) belongs to ``scope``'s subtree."""
    table = TABLES[kind] if table is None else table
    if kind == "units":
        return table.c.code.in_(subtree(scope))
    if kind in _THROUGH:
        column, other, other_column = _THROUGH[kind]
        owner = TABLES[other]
        return table.c[column].in_(
            sa.select(owner.c[other_column]).where(
                owner.c.unit_code.in_(subtree(scope))
            )
        )
    return table.c.unit_code.in_(subtree(scope))


def within(code: str, scope: str) -> sa.Select[Any]:
    """A query returning a row when unit ``code`` lies in ``scope``'s subtree."""
    return sa.select(unit_closure.c.descendant).where(
        unit_closure.c.ancestor == scope, unit_closure.c.descendant == code
    )


def export_subtree(source: Engine, path: str | Path, scope: str) -> dict[str, int]:
    """Write a new SQLite database at ``path`` holding only ``scope``'s subtree.

    This is what a county receives: whoever holds a SQLite file can read all
    of it, so the file must not contain anything outside the county. Rows are
    streamed kind by kind; the private tables (audit log) are not copied, the
    ancestor table is rebuilt from the copied units. The state ledgers'
    earlier versions go with them. Returns rows per kind (current versions).
    """
    path = Path(path)
    if path.exists():
        raise StorageError(
            N_("{path} already exists; choose a new file"), path=str(path)
        )
    target = create_engine(f"sqlite:///{path.as_posix()}")
    counts: dict[str, int] = {}
    try:
        # Here, not at the top: Alembic loads only when a schema is made.
        from vetservice.store.migrate import ensure_schema

        ensure_schema(target)
        with source.connect() as reader, transaction(target) as writer:
            for name in KINDS:  # units first: the order of the records contract
                table = TABLES[name]
                rows = reader.execution_options(stream_results=True).execute(
                    sa.select(table).where(in_scope(name, scope))
                )
                counts[name] = 0
                for chunk in rows.mappings().partitions(5000):
                    writer.execute(table.insert(), [dict(row) for row in chunk])
                    counts[name] += len(chunk)
            for name, history in HISTORY.items():
                rows = reader.execution_options(stream_results=True).execute(
                    sa.select(history).where(in_scope(name, scope, history))
                )
                for chunk in rows.mappings().partitions(5000):
                    writer.execute(history.insert(), [dict(row) for row in chunk])
            refresh_closure(writer)
    except BaseException:
        target.dispose()
        path.unlink(missing_ok=True)
        raise
    target.dispose()
    return counts


def _quoted(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def grant_postgres_scope(conn: Connection, role: str, scope: str) -> list[str]:
    """Hold a PostgreSQL role to ``scope``'s subtree by row-level security.

    Creates the role (LOGIN, no password: set one with ALTER ROLE) if needed,
    grants it SELECT on the record tables, the ancestor table and the
    schema's revision (so ``vetservice`` itself runs as the role), enables
    row-level security on every record table and gives the role one policy
    per table built from :func:`in_scope`. The owner (the account vetservice
    itself runs as) is not affected. Returns the statements run, for the log.
    """
    if conn.dialect.name != "postgresql":
        raise StorageError(N_("row-level security needs PostgreSQL"))
    quoted = _quoted(conn, role)
    policy = _quoted(conn, f"scope_{role}")
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{role.replace(chr(39), chr(39) * 2)}') THEN CREATE ROLE {quoted} LOGIN; "
        f"END IF; END $$",
        f"GRANT USAGE ON SCHEMA {_quoted(conn, schema)} TO {quoted}",
        f"GRANT SELECT ON {_quoted(conn, unit_closure.name)} TO {quoted}",
        # vetservice checks the schema's revision on open.
        f"GRANT SELECT ON {_quoted(conn, 'alembic_version')} TO {quoted}",
        # report.completeness and report.timeliness read the 上报 schedule and
        # submissions (units, kinds, dates; a submission by a unit above the
        # scope counts for the scope too, so they are not cut to it).
        f"GRANT SELECT ON {_quoted(conn, 'report_schedule')} TO {quoted}",
        f"GRANT SELECT ON {_quoted(conn, 'submissions')} TO {quoted}",
        # A report names who signed its period off and who reopened it.
        f"GRANT SELECT ON {_quoted(conn, 'sign_offs')} TO {quoted}",
    ]
    ledgers = [(name, TABLES[name]) for name in KINDS]
    for name, table_object in [*ledgers, *HISTORY.items()]:
        table = _quoted(conn, table_object.name)
        predicate = in_scope(name, scope, table_object).compile(
            dialect=conn.dialect, compile_kwargs={"literal_binds": True}
        )
        statements += [
            f"GRANT SELECT ON {table} TO {quoted}",
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS {policy} ON {table}",
            f"CREATE POLICY {policy} ON {table} FOR SELECT TO {quoted} USING ({predicate})",
        ]
    for statement in statements:
        conn.exec_driver_sql(statement)
    return statements
