"""the history of the state ledgers (issue 18)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:00:00.000000

The six state ledgers (服务站 ``stations``, 工作人员 ``staff``, 退役军人
``veterans``, 关爱基金 ``care_funds``, 服务协议 ``service_contracts``,
优抚对象 ``benefit_recipients``) get an optional 生效日期 (``valid_from``)
and a private table of the versions a record had before
(``<kind>_history``: the same columns and ``valid_to``).

Existing rows keep ``valid_from`` empty, which reads "always so": they hold
in every period, as they did before, and a database's history starts with
its first change after the upgrade. No figure changes on upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Each state ledger and its natural key, as of this revision.
LEDGERS = {
    "stations": ["unit_code"],
    "staff": ["person_id", "unit_code", "role"],
    "veterans": ["id_number"],
    "care_funds": ["unit_code"],
    "service_contracts": ["unit_code", "field", "provider"],
    "benefit_recipients": ["id_number", "category", "started_on"],
}


def upgrade() -> None:
    bind = op.get_bind()
    for table, key in LEDGERS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_valid_from"), ["valid_from"])
        # The history has the ledger's columns as they are at this revision.
        current = sa.Table(table, sa.MetaData(), autoload_with=bind)
        history = f"{table}_history"
        op.create_table(
            history,
            *(
                sa.Column(
                    c.name,
                    c.type,
                    nullable=c.nullable,
                    autoincrement=c.name == "id",
                )
                for c in current.columns
            ),
            sa.Column("valid_to", sa.Date(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{history}")),
        )
        with op.batch_alter_table(history, schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f(f"ix_{history}_key"),
                [*key, "valid_from"],
            )
            batch_op.create_index(batch_op.f(f"ix_{history}_valid_to"), ["valid_to"])


def downgrade() -> None:
    for table in LEDGERS:
        op.drop_table(f"{table}_history")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_valid_from"))
            batch_op.drop_column("valid_from")
