"""figures store: every indicator at every unit, per period and as-of date

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 21:40:00.000000

Adds ``figure_sets`` (one row per period, as-of date, data version and
digest of the definitions) and ``figures`` (numerator and denominator of
each indicator at each unit, rolled up and of the unit's own facts), which
:mod:`vetservice.stored` fills and reads. Both are private and hold nothing
that cannot be computed again from the records: dropping them loses only
time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figure_sets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("data_version", sa.String(length=64), nullable=False),
        sa.Column("definitions", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("failures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_sets")),
    )
    op.create_index(
        op.f("ix_figure_sets_period_as_of_data_version_definitions"),
        "figure_sets",
        ["period", "as_of", "data_version", "definitions"],
        unique=True,
    )
    op.create_table(
        "figures",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("indicator", sa.String(length=128), nullable=False),
        sa.Column("numerator", sa.BigInteger(), nullable=False),
        sa.Column("denominator", sa.BigInteger(), nullable=False),
        sa.Column("own_numerator", sa.BigInteger(), nullable=True),
        sa.Column("own_denominator", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["figure_sets.id"],
            name=op.f("fk_figures_set_id_figure_sets"),
        ),
        sa.PrimaryKeyConstraint(
            "set_id", "unit_code", "indicator", name=op.f("pk_figures")
        ),
    )


def downgrade() -> None:
    op.drop_table("figures")
    op.drop_index(
        op.f("ix_figure_sets_period_as_of_data_version_definitions"),
        table_name="figure_sets",
    )
    op.drop_table("figure_sets")
