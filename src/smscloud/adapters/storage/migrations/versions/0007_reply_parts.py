"""reply parts: the parts of concatenated replies, kept until the reply is whole

A reply longer than one SMS comes as several deliver_sm; each part is stored here (and only then
acknowledged) until the last one missing arrives, when the reply is stored whole in mo_message.
The unique key is what tells a part the carrier sends again from a new one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Fixed here, as in 0001: UtcTimestamp is integer microseconds on SQLite, timestamptz on PostgreSQL.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "mo_part",
        sa.Column("id", ID, nullable=False),
        sa.Column("carrier_id", ID, nullable=False),
        sa.Column("source_addr", sa.String(length=32), nullable=False),
        sa.Column("destination_addr", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=False),
        sa.Column("total", sa.SmallInteger(), nullable=False),
        sa.Column("part_no", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("assembled_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mo_part"),
        sa.UniqueConstraint(
            "carrier_id", "source_addr", "destination_addr", "reference", "total", "part_no", name="uq_mo_part_key"
        ),
    )
    op.create_index("ix_mo_part_received_at", "mo_part", ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_mo_part_received_at", table_name="mo_part")
    op.drop_table("mo_part")
