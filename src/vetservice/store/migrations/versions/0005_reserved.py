"""accounts, submissions and sign-off (issue 19) — reserved

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 21:40:00.000000

Reserved so that work on several issues at once keeps one chain of
revisions; the work it is reserved for fills it in and renames the file.
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
