"""two-step verification: TOTP secrets, recovery codes, and logins waiting for their code

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Fixed here, as in 0001: UtcTimestamp is integer microseconds on SQLite, timestamptz on PostgreSQL.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "two_step",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("operator_id", ID, nullable=True),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.Column("enabled_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_two_step_user_id_user_account")),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"], name=op.f("fk_two_step_operator_id_operator")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_two_step")),
        sa.UniqueConstraint("user_id", name=op.f("uq_two_step_user_id")),
        sa.UniqueConstraint("operator_id", name=op.f("uq_two_step_operator_id")),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("operator_id", ID, nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_recovery_code_user_id_user_account")),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"], name=op.f("fk_recovery_code_operator_id_operator")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_code_code_hash")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"], unique=False)
    op.create_index(op.f("ix_recovery_code_operator_id"), "recovery_code", ["operator_id"], unique=False)
    op.create_table(
        "login_challenge",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("operator_id", ID, nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=256), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("failures", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("done_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_login_challenge_user_id_user_account")),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"], name=op.f("fk_login_challenge_operator_id_operator")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_challenge")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_challenge_token_hash")),
    )
    op.create_index(op.f("ix_login_challenge_expires_at"), "login_challenge", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_login_challenge_expires_at"), table_name="login_challenge")
    op.drop_table("login_challenge")
    op.drop_index(op.f("ix_recovery_code_operator_id"), table_name="recovery_code")
    op.drop_index(op.f("ix_recovery_code_user_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    op.drop_table("two_step")
