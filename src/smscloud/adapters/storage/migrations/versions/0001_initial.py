"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Fixed here rather than imported from the application, so this migration never changes:
# the same column types as smscloud.adapters.storage.tables (UtcTimestamp is integer
# microseconds on SQLite, timestamptz on PostgreSQL).
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carrier",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("protocol", sa.String(length=16), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.String(length=16), nullable=False),
        sa.Column("password_enc", sa.Text(), nullable=False),
        sa.Column("system_type", sa.String(length=13), server_default="", nullable=False),
        sa.Column("source_addr", sa.String(length=21), server_default="", nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("tps", sa.Integer(), nullable=False),
        sa.Column("binds", sa.Integer(), server_default="1", nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier")),
        sa.UniqueConstraint("name", name=op.f("uq_carrier_name")),
    )
    op.create_table(
        "mo_message",
        sa.Column("id", ID, nullable=False),
        sa.Column("carrier_id", ID, nullable=False),
        sa.Column("source_addr", sa.String(length=32), nullable=False),
        sa.Column("destination_addr", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mo_message")),
    )
    op.create_index("ix_mo_message_received_at", "mo_message", ["received_at"], unique=False)
    op.create_table(
        "tenant",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant")),
    )
    op.create_table(
        "unmatched_receipt",
        sa.Column("id", ID, nullable=False),
        sa.Column("carrier_id", ID, nullable=False),
        sa.Column("carrier_msg_id", sa.String(length=65), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stat", sa.String(length=16), nullable=False),
        sa.Column("err", sa.String(length=16), nullable=False),
        sa.Column("done_at", TS, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unmatched_receipt")),
    )
    op.create_index(
        "ix_unmatched_receipt_carrier_msg_id",
        "unmatched_receipt",
        ["carrier_id", "carrier_msg_id"],
        unique=False,
    )
    op.create_table(
        "api_key",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("secret_id", sa.String(length=64), nullable=False),
        sa.Column("secret_key_enc", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_api_key_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("secret_id", name=op.f("uq_api_key_secret_id")),
    )
    op.create_index(op.f("ix_api_key_tenant_id"), "api_key", ["tenant_id"], unique=False)
    op.create_table(
        "application",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("sdk_app_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("app_key_enc", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_application_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
        sa.UniqueConstraint("sdk_app_id", name=op.f("uq_application_sdk_app_id")),
    )
    op.create_index(op.f("ix_application_tenant_id"), "application", ["tenant_id"], unique=False)
    op.create_table(
        "route",
        sa.Column("id", ID, nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("carrier_id", ID, nullable=False),
        sa.Column("priority", sa.Integer(), server_default="0", nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["carrier_id"], ["carrier.id"], name=op.f("fk_route_carrier_id_carrier")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route")),
        sa.UniqueConstraint("prefix", "carrier_id", name=op.f("uq_route_prefix_carrier_id")),
    )
    op.create_table(
        "signature",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("international", sa.Boolean(), nullable=False),
        sa.Column("sign_type", sa.SmallInteger(), nullable=False),
        sa.Column("document_type", sa.SmallInteger(), nullable=False),
        sa.Column("sign_purpose", sa.SmallInteger(), nullable=False),
        sa.Column("remark", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_reply", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_signature_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature")),
    )
    op.create_index("ix_signature_tenant_id_name", "signature", ["tenant_id", "name"], unique=False)
    op.create_table(
        "template",
        sa.Column("id", ID, nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sms_type", sa.SmallInteger(), nullable=False),
        sa.Column("international", sa.Boolean(), nullable=False),
        sa.Column("remark", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_reply", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_template_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template")),
    )
    op.create_index(op.f("ix_template_tenant_id"), "template", ["tenant_id"], unique=False)
    op.create_table(
        "message",
        sa.Column("id", ID, nullable=False),
        sa.Column("serial_no", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", ID, nullable=False),
        sa.Column("app_id", ID, nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("country_code", sa.String(length=8), nullable=False),
        sa.Column("iso_code", sa.String(length=8), nullable=False),
        sa.Column("international", sa.Boolean(), nullable=False),
        sa.Column("sign_name", sa.String(length=64), nullable=False),
        sa.Column("template_id", ID, nullable=True),
        sa.Column("sms_type", sa.SmallInteger(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("alphabet", sa.String(length=8), nullable=False),
        sa.Column("segments", sa.SmallInteger(), nullable=False),
        sa.Column("session_context", sa.Text(), server_default="", nullable=False),
        sa.Column("extend_code", sa.String(length=16), server_default="", nullable=False),
        sa.Column("sender_id", sa.String(length=32), server_default="", nullable=False),
        sa.Column("carrier_id", ID, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("claim_slot", sa.String(length=64), nullable=True),
        sa.Column("carrier_msg_id", sa.String(length=65), nullable=True),
        sa.Column("error_code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("receipt_stat", sa.String(length=16), server_default="", nullable=False),
        sa.Column("receipt_err", sa.String(length=16), server_default="", nullable=False),
        sa.Column("report_state", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("done_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["app_id"], ["application.id"], name=op.f("fk_message_app_id_application")),
        sa.ForeignKeyConstraint(["carrier_id"], ["carrier.id"], name=op.f("fk_message_carrier_id_carrier")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_message_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
        sa.UniqueConstraint("serial_no", name=op.f("uq_message_serial_no")),
    )
    op.create_index("ix_message_app_phone_created", "message", ["app_id", "phone", "created_at"], unique=False)
    op.create_index(
        "ix_message_awaiting_receipt",
        "message",
        ["submitted_at"],
        unique=False,
        sqlite_where=sa.text("status = 'submitted'"),
        postgresql_where=sa.text("status = 'submitted'"),
    )
    op.create_index(
        "ix_message_carrier_msg_id",
        "message",
        ["carrier_id", "carrier_msg_id"],
        unique=False,
        sqlite_where=sa.text("carrier_msg_id IS NOT NULL"),
        postgresql_where=sa.text("carrier_msg_id IS NOT NULL"),
    )
    op.create_index(
        "ix_message_dispatch",
        "message",
        ["carrier_id", "next_attempt_at", "id"],
        unique=False,
        sqlite_where=sa.text("status = 'queued'"),
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.create_index(
        "ix_message_inflight",
        "message",
        ["carrier_id", "claim_slot"],
        unique=False,
        sqlite_where=sa.text("status = 'submitting'"),
        postgresql_where=sa.text("status = 'submitting'"),
    )
    op.create_index(
        "ix_message_report",
        "message",
        ["app_id", "id"],
        unique=False,
        sqlite_where=sa.text("report_state = 1"),
        postgresql_where=sa.text("report_state = 1"),
    )
    op.create_index("ix_message_tenant_created", "message", ["tenant_id", "created_at"], unique=False)
    op.create_table(
        "message_part",
        sa.Column("id", ID, nullable=False),
        sa.Column("message_id", ID, nullable=False),
        sa.Column("part_no", sa.SmallInteger(), nullable=False),
        sa.Column("carrier_id", ID, nullable=False),
        sa.Column("carrier_msg_id", sa.String(length=65), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("receipt_stat", sa.String(length=16), server_default="", nullable=False),
        sa.Column("receipt_err", sa.String(length=16), server_default="", nullable=False),
        sa.Column("done_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], name=op.f("fk_message_part_message_id_message")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_part")),
        sa.UniqueConstraint("message_id", "part_no", name=op.f("uq_message_part_message_id_part_no")),
    )
    op.create_index("ix_message_part_carrier_msg_id", "message_part", ["carrier_id", "carrier_msg_id"], unique=False)
    op.create_index(op.f("ix_message_part_message_id"), "message_part", ["message_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_message_part_message_id"), table_name="message_part")
    op.drop_index("ix_message_part_carrier_msg_id", table_name="message_part")
    op.drop_table("message_part")
    op.drop_index("ix_message_tenant_created", table_name="message")
    op.drop_index(
        "ix_message_report",
        table_name="message",
        sqlite_where=sa.text("report_state = 1"),
        postgresql_where=sa.text("report_state = 1"),
    )
    op.drop_index(
        "ix_message_inflight",
        table_name="message",
        sqlite_where=sa.text("status = 'submitting'"),
        postgresql_where=sa.text("status = 'submitting'"),
    )
    op.drop_index(
        "ix_message_dispatch",
        table_name="message",
        sqlite_where=sa.text("status = 'queued'"),
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.drop_index(
        "ix_message_carrier_msg_id",
        table_name="message",
        sqlite_where=sa.text("carrier_msg_id IS NOT NULL"),
        postgresql_where=sa.text("carrier_msg_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_message_awaiting_receipt",
        table_name="message",
        sqlite_where=sa.text("status = 'submitted'"),
        postgresql_where=sa.text("status = 'submitted'"),
    )
    op.drop_index("ix_message_app_phone_created", table_name="message")
    op.drop_table("message")
    op.drop_index(op.f("ix_template_tenant_id"), table_name="template")
    op.drop_table("template")
    op.drop_index("ix_signature_tenant_id_name", table_name="signature")
    op.drop_table("signature")
    op.drop_table("route")
    op.drop_index(op.f("ix_application_tenant_id"), table_name="application")
    op.drop_table("application")
    op.drop_index(op.f("ix_api_key_tenant_id"), table_name="api_key")
    op.drop_table("api_key")
    op.drop_index("ix_unmatched_receipt_carrier_msg_id", table_name="unmatched_receipt")
    op.drop_table("unmatched_receipt")
    op.drop_table("tenant")
    op.drop_index("ix_mo_message_received_at", table_name="mo_message")
    op.drop_table("mo_message")
    op.drop_table("carrier")
