"""stored scores: each scoring sheet's unit scores, kept with a set of figures (issue 15)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 01:00:00.000000

Adds ``figure_scores``: a unit's score on a scoring sheet (its lines and
items) worked out from a set of stored figures, so that a report ranks the
villages from the store instead of scoring each of them again. A score is
keyed by its set and a digest of the sheet, so a changed sheet is scored
again; it goes with its set.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figure_scores",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["figure_sets.id"],
            name=op.f("fk_figure_scores_set_id_figure_sets"),
        ),
        sa.PrimaryKeyConstraint(
            "set_id", "sheet", "unit_code", name=op.f("pk_figure_scores")
        ),
    )


def downgrade() -> None:
    op.drop_table("figure_scores")
