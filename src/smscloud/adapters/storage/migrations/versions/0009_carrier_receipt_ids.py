"""carrier.receipt_ids: how a carrier's receipts write the message ids of its responses

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carrier") as batch:
        batch.add_column(sa.Column("receipt_ids", sa.String(24), nullable=False, server_default="as-sent"))


def downgrade() -> None:
    with op.batch_alter_table("carrier") as batch:
        batch.drop_column("receipt_ids")
