"""user accounts remember the client address they signed up from (sign-ups are limited per address)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("signup_ip", sa.String(length=45), nullable=True))
    op.create_index("ix_user_account_signup_ip_created_at", "user_account", ["signup_ip", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_user_account_signup_ip_created_at", table_name="user_account")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("signup_ip")
