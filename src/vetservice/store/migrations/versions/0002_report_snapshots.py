"""report snapshots; audit log and snapshots append-only

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:00:00.000000

Adds ``report_snapshots`` (报表留痕) and triggers that refuse UPDATE and
DELETE (and, on PostgreSQL, TRUNCATE) on ``audit_log`` and
``report_snapshots``: the library has no call that changes either table, and
the database refuses a hand-written statement too. Removing a row therefore
takes a deliberate ``DROP TRIGGER`` by whoever owns the database.

A later migration that rebuilds one of these tables with
``batch_alter_table`` on SQLite (copy, drop, rename) drops its triggers with
the old table and must create them again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_log", "report_snapshots")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION vetservice_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: rows cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            for action in ("update", "delete"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, "
                    f"'{table} is append-only: rows cannot be changed or deleted'); END"
                )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_append_only "
                f"BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE PROCEDURE vetservice_append_only()"
            )


def _drop_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS vetservice_append_only()")


def upgrade() -> None:
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("unit_name", sa.Text(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=False),
        sa.Column("input_tables", sa.Text(), nullable=False),
        sa.Column("vetservice_version", sa.String(length=32), nullable=False),
        sa.Column("plugins", sa.Text(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshots")),
    )
    with op.batch_alter_table("report_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_snapshots_unit_code_period"),
            ["unit_code", "period"],
            unique=False,
        )
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table("report_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_snapshots_unit_code_period"))

    op.drop_table("report_snapshots")
