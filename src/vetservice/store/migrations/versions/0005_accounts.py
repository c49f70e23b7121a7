"""accounts, 上报 submissions, the reporting schedule and period sign-offs

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 21:40:00.000000

Adds four private tables (issue 19): ``users`` (name, role, scope and an
Argon2 hash, never a password), ``submissions`` (which unit sent which
ledger for which period, when, by whom), ``report_schedule`` (which kinds
each level sends, monthly or quarterly, and the deadline day in the month
after the period; filled with the defaults below) and ``sign_offs`` (each
sign-off and reopening of a unit's period). ``submissions`` and
``sign_offs`` are append-only like the audit log: triggers refuse UPDATE and
DELETE, so a reopening is a new row, never an erased sign-off.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

APPEND_ONLY = ("submissions", "sign_offs")

# The schedule a new database starts with (docs/decisions.md, issue 19):
# counties send the money and petition ledgers monthly, townships their
# visits and home services; the quarterly ledgers follow. Deadline: the 5th
# (monthly) or the 10th (quarterly) of the month after the period.
DEFAULT_SCHEDULE = [
    ("petitions", "county", "month", 5),
    ("benefit_payments", "county", "month", 5),
    ("employment", "county", "quarter", 10),
    ("job_fairs", "county", "quarter", 10),
    ("hardship", "county", "quarter", 10),
    ("care_fund_entries", "county", "quarter", 10),
    ("visits", "township", "month", 5),
    ("home_services", "township", "month", 5),
    ("activities", "township", "quarter", 10),
    ("guidance_visits", "township", "quarter", 10),
]


def _triggers(create: bool) -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            for action in ("update", "delete"):
                if create:
                    op.execute(
                        f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} "
                        f"ON {table} BEGIN SELECT RAISE(ABORT, "
                        f"'{table} is append-only: rows cannot be changed or deleted'); END"
                    )
                else:
                    op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
        elif dialect == "postgresql":
            if create:
                # vetservice_append_only() is migration 0002's function.
                op.execute(
                    f"CREATE TRIGGER {table}_append_only "
                    f"BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE PROCEDURE vetservice_append_only()"
                )
            else:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index(op.f("ix_users_name"), "users", ["name"], unique=True)
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
    )
    op.create_index(
        op.f("ix_submissions_period_kind_unit_code"),
        "submissions",
        ["period", "kind", "unit_code"],
    )
    schedule = op.create_table(
        "report_schedule",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("deadline_day", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "level", name=op.f("pk_report_schedule")),
    )
    op.bulk_insert(
        schedule,
        [
            {"kind": k, "level": lv, "frequency": f, "deadline_day": d}
            for k, lv, f, d in DEFAULT_SCHEDULE
        ],
    )
    op.create_table(
        "sign_offs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_offs")),
    )
    op.create_index(
        op.f("ix_sign_offs_unit_code_period"), "sign_offs", ["unit_code", "period"]
    )
    _triggers(create=True)


def downgrade() -> None:
    _triggers(create=False)
    op.drop_index(op.f("ix_sign_offs_unit_code_period"), table_name="sign_offs")
    op.drop_table("sign_offs")
    op.drop_table("report_schedule")
    op.drop_index(
        op.f("ix_submissions_period_kind_unit_code"), table_name="submissions"
    )
    op.drop_table("submissions")
    op.drop_index(op.f("ix_users_name"), table_name="users")
    op.drop_table("users")
