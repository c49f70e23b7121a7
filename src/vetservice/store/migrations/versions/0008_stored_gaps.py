"""stored gaps: the facts falling short, kept with each set of figures (issue 15)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 13:00:00.000000

Adds ``figure_gaps``: for each set of stored figures, the facts of every
compliance indicator that fall short (personal values already masked), so
that a report lists its gaps from the store instead of running each
indicator's facts again. The sets stored before are deleted: they have no
gaps, and they are only a cache (the next read computes them again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figure_gaps",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["figure_sets.id"],
            name=op.f("fk_figure_gaps_set_id_figure_sets"),
        ),
        sa.PrimaryKeyConstraint(
            "set_id", "indicator", "seq", name=op.f("pk_figure_gaps")
        ),
    )
    op.create_index(
        op.f("ix_figure_gaps_set_id_unit_code"),
        "figure_gaps",
        ["set_id", "unit_code"],
    )
    op.execute(sa.text("DELETE FROM figures"))
    op.execute(sa.text("DELETE FROM figure_sets"))


def downgrade() -> None:
    op.drop_index(op.f("ix_figure_gaps_set_id_unit_code"), table_name="figure_gaps")
    op.drop_table("figure_gaps")
