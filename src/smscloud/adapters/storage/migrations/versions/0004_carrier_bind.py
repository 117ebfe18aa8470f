"""what the sender holding each carrier bind slot last reported (bound or not, why, by whom)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The column types of smscloud.adapters.storage.tables, frozen here (as in 0001).
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "carrier_bind",
        sa.Column("carrier_id", ID, nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("bound", sa.Boolean(), nullable=False),
        sa.Column("since", TS, nullable=False),
        sa.Column("seen_at", TS, nullable=False),
        sa.Column("last_error", sa.String(length=255), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carrier.id"], name=op.f("fk_carrier_bind_carrier_id_carrier"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("carrier_id", "slot", name=op.f("pk_carrier_bind")),
    )


def downgrade() -> None:
    op.drop_table("carrier_bind")
