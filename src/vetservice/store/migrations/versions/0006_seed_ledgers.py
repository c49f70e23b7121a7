"""the rest of the seed's ledgers (issue 18)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 22:00:00.000000

Four new record kinds, each a table with its natural key: 书记过问检查
(``secretary_checks``), 领导接访下访 (``receptions``), 一人一事工作方案
(``case_plans``) and 推荐省市关爱基金 (``fund_recommendations``); and two
optional columns: a veteran's 户编号 (``veterans.household_id``, one glory
plaque per household) and a hardship case's 困难程度
(``hardship.severity``). Existing rows keep them empty: a veteran without
户编号 is a household alone, an empty 困难程度 reads as ordinary.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _id() -> list[sa.Column[int]]:
    return [sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)]


def _key(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{table}_{'_'.join(columns)}"), columns, unique=True
        )


def upgrade() -> None:
    op.create_table(
        "secretary_checks",
        *_id(),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("secretary", sa.Text(), nullable=False),
        sa.Column("form", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secretary_checks")),
    )
    _key("secretary_checks", ["unit_code", "checked_on", "secretary"])

    op.create_table(
        "receptions",
        *_id(),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("leader", sa.Text(), nullable=False),
        sa.Column("post", sa.Text(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("case_nos", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receptions")),
    )
    _key("receptions", ["unit_code", "held_on", "kind", "leader"])

    op.create_table(
        "case_plans",
        *_id(),
        sa.Column("case_no", sa.Text(), nullable=False),
        sa.Column("drafted_on", sa.Date(), nullable=False),
        sa.Column("leader", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_plans")),
    )
    _key("case_plans", ["case_no", "drafted_on"])

    op.create_table(
        "fund_recommendations",
        *_id(),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("recommended_on", sa.Date(), nullable=False),
        sa.Column("fund_level", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("publicized_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_recommendations")),
    )
    _key("fund_recommendations", ["id_number", "recommended_on"])
    with op.batch_alter_table("fund_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fund_recommendations_unit_code"), ["unit_code"]
        )

    with op.batch_alter_table("veterans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("household_id", sa.Text(), nullable=True))
    with op.batch_alter_table("hardship", schema=None) as batch_op:
        batch_op.add_column(sa.Column("severity", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hardship", schema=None) as batch_op:
        batch_op.drop_column("severity")
    with op.batch_alter_table("veterans", schema=None) as batch_op:
        batch_op.drop_column("household_id")
    for table in (
        "fund_recommendations",
        "case_plans",
        "receptions",
        "secretary_checks",
    ):
        op.drop_table(table)
