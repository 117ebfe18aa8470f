"""replies: whose they are (tenant, application, the message they answer) and whether pulled

A reply is matched, when it is stored, to the last message sent to its number; finding that
message needs the message table indexed by number first, so the (app, number, time) index is
replaced by a (number, time) one: the by-number pulls and the console's records filter by
number still use it, and the message table keeps the same number of indexes to update.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("mo_message") as batch:
        batch.add_column(sa.Column("tenant_id", ID, nullable=True))
        batch.add_column(sa.Column("app_id", ID, nullable=True))
        batch.add_column(sa.Column("message_id", ID, nullable=True))
        batch.add_column(sa.Column("phone", sa.String(length=32), server_default="", nullable=False))
        batch.add_column(sa.Column("country_code", sa.String(length=8), server_default="", nullable=False))
        batch.add_column(sa.Column("sign_name", sa.String(length=64), server_default="", nullable=False))
        batch.add_column(sa.Column("extend_code", sa.String(length=16), server_default="", nullable=False))
        batch.add_column(sa.Column("pull_state", sa.SmallInteger(), server_default="0", nullable=False))
    op.create_index(
        "ix_mo_message_pull",
        "mo_message",
        ["app_id", "id"],
        unique=False,
        sqlite_where=sa.text("pull_state = 1"),
        postgresql_where=sa.text("pull_state = 1"),
    )
    op.create_index("ix_mo_message_app_phone", "mo_message", ["app_id", "phone", "received_at"], unique=False)
    op.create_index("ix_mo_message_tenant", "mo_message", ["tenant_id", "id"], unique=False)
    op.drop_index("ix_message_app_phone_created", table_name="message")
    op.create_index("ix_message_phone_created", "message", ["phone", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_message_phone_created", table_name="message")
    op.create_index("ix_message_app_phone_created", "message", ["app_id", "phone", "created_at"], unique=False)
    op.drop_index("ix_mo_message_tenant", table_name="mo_message")
    op.drop_index("ix_mo_message_app_phone", table_name="mo_message")
    op.drop_index("ix_mo_message_pull", table_name="mo_message")
    with op.batch_alter_table("mo_message") as batch:
        for column in ("pull_state", "extend_code", "sign_name", "country_code", "phone", "message_id", "app_id"):
            batch.drop_column(column)
        batch.drop_column("tenant_id")
