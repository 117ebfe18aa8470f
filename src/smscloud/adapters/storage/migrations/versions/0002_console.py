"""console: accounts, operators, sessions, mail, documents, qualification, audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Fixed here, as in 0001, so this migration never changes with the application's types.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", ID, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", ID, nullable=True),
        sa.Column("tenant_id", ID, nullable=True),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_tenant_id_at", "audit_log", ["tenant_id", "at"], unique=False)
    op.create_table(
        "login_failure",
        sa.Column("id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index("ix_login_failure_email_at", "login_failure", ["email", "at"], unique=False)
    op.create_index("ix_login_failure_ip_at", "login_failure", ["ip", "at"], unique=False)
    op.create_table(
        "mail_outbox",
        sa.Column("id", ID, nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=256), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index("ix_mail_outbox_next_attempt_at", "mail_outbox", ["next_attempt_at"], unique=False)
    op.create_table(
        "operator",
        sa.Column("id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_login_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator")),
        sa.UniqueConstraint("email", name=op.f("uq_operator_email")),
    )
    op.create_table(
        "document",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=256), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_document_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    op.create_index(op.f("ix_document_tenant_id"), "document", ["tenant_id"], unique=False)
    op.create_table(
        "tenant_profile",
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("contact_name", sa.String(length=64), nullable=False),
        sa.Column("contact_phone", sa.String(length=32), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=256), server_default="", nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_tenant_profile_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_tenant_profile")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("activated_at", TS, nullable=True),
        sa.Column("last_login_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_user_account_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_index(op.f("ix_user_account_tenant_id"), "user_account", ["tenant_id"], unique=False)
    op.create_table(
        "auth_token",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_auth_token_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_token_token_hash")),
    )
    op.create_index(op.f("ix_auth_token_user_id"), "auth_token", ["user_id"], unique=False)
    op.create_table(
        "console_session",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("operator_id", ID, nullable=True),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("ip", sa.String(length=64), server_default="", nullable=False),
        sa.Column("user_agent", sa.String(length=256), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"], name=op.f("fk_console_session_operator_id_operator")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_console_session_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_session_token_hash")),
    )
    op.create_index(op.f("ix_console_session_operator_id"), "console_session", ["operator_id"], unique=False)
    op.create_index(op.f("ix_console_session_user_id"), "console_session", ["user_id"], unique=False)
    op.create_table(
        "qualification",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("company_name", sa.String(length=128), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("licence_document_id", ID, nullable=False),
        sa.Column("contact_name", sa.String(length=64), nullable=False),
        sa.Column("contact_phone", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_reply", sa.Text(), server_default="", nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("reviewed_by", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["licence_document_id"], ["document.id"], name=op.f("fk_qualification_licence_document_id_document")
        ),
        sa.ForeignKeyConstraint(["reviewed_by"], ["operator.id"], name=op.f("fk_qualification_reviewed_by_operator")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_qualification_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification")),
    )
    op.create_index(op.f("ix_qualification_tenant_id"), "qualification", ["tenant_id"], unique=False)
    # Batch mode: SQLite cannot add foreign keys to an existing table, so it copies it.
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("app_key_rotated_at", TS, nullable=True))
    with op.batch_alter_table("signature") as batch:
        batch.add_column(sa.Column("proof_document_id", ID, nullable=True))
        batch.add_column(sa.Column("commission_document_id", ID, nullable=True))
        batch.add_column(sa.Column("qualification_id", ID, nullable=True))
        batch.add_column(sa.Column("reviewed_at", TS, nullable=True))
        batch.add_column(sa.Column("reviewed_by", ID, nullable=True))
        batch.create_index("ix_signature_status", ["status"], unique=False)
        batch.create_foreign_key(
            op.f("fk_signature_qualification_id_qualification"), "qualification", ["qualification_id"], ["id"]
        )
        batch.create_foreign_key(op.f("fk_signature_reviewed_by_operator"), "operator", ["reviewed_by"], ["id"])
        batch.create_foreign_key(
            op.f("fk_signature_commission_document_id_document"), "document", ["commission_document_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_signature_proof_document_id_document"), "document", ["proof_document_id"], ["id"]
        )
    with op.batch_alter_table("template") as batch:
        batch.add_column(sa.Column("reviewed_at", TS, nullable=True))
        batch.add_column(sa.Column("reviewed_by", ID, nullable=True))
        batch.create_index("ix_template_status", ["status"], unique=False)
        batch.create_foreign_key(op.f("fk_template_reviewed_by_operator"), "operator", ["reviewed_by"], ["id"])
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(sa.Column("sms_enabled_at", TS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenant") as batch:
        batch.drop_column("sms_enabled_at")
    with op.batch_alter_table("template") as batch:
        batch.drop_constraint(op.f("fk_template_reviewed_by_operator"), type_="foreignkey")
        batch.drop_index("ix_template_status")
        batch.drop_column("reviewed_by")
        batch.drop_column("reviewed_at")
    with op.batch_alter_table("signature") as batch:
        batch.drop_constraint(op.f("fk_signature_proof_document_id_document"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_signature_commission_document_id_document"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_signature_reviewed_by_operator"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_signature_qualification_id_qualification"), type_="foreignkey")
        batch.drop_index("ix_signature_status")
        for column in ("reviewed_by", "reviewed_at", "qualification_id", "commission_document_id", "proof_document_id"):
            batch.drop_column(column)
    with op.batch_alter_table("application") as batch:
        batch.drop_column("app_key_rotated_at")
    op.drop_index(op.f("ix_qualification_tenant_id"), table_name="qualification")
    op.drop_table("qualification")
    op.drop_index(op.f("ix_console_session_user_id"), table_name="console_session")
    op.drop_index(op.f("ix_console_session_operator_id"), table_name="console_session")
    op.drop_table("console_session")
    op.drop_index(op.f("ix_auth_token_user_id"), table_name="auth_token")
    op.drop_table("auth_token")
    op.drop_index(op.f("ix_user_account_tenant_id"), table_name="user_account")
    op.drop_table("user_account")
    op.drop_table("tenant_profile")
    op.drop_index(op.f("ix_document_tenant_id"), table_name="document")
    op.drop_table("document")
    op.drop_table("operator")
    op.drop_index("ix_mail_outbox_next_attempt_at", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_index("ix_login_failure_ip_at", table_name="login_failure")
    op.drop_index("ix_login_failure_email_at", table_name="login_failure")
    op.drop_table("login_failure")
    op.drop_index("ix_audit_log_tenant_id_at", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
