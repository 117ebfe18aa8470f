"""The schema, as SQLAlchemy Core tables shared by SQLite and PostgreSQL.

Migrations in `migrations/versions` create exactly this; a test compares the two on both
databases. The message table is also the dispatch queue (docs/adr/0001-queue.md): a row in
status `queued` with `next_attempt_at <= now` is work for the sender of its carrier.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from smscloud.adapters.storage.types import UtcTimestamp

__all__ = [
    "api_key",
    "application",
    "carrier",
    "message",
    "message_part",
    "metadata",
    "mo_message",
    "route",
    "signature",
    "template",
    "tenant",
    "unmatched_receipt",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite makes "INTEGER PRIMARY KEY" the rowid; BigInteger alone would not autoincrement there.
Id = BigInteger().with_variant(Integer(), "sqlite")

tenant = Table(
    "tenant",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(128), nullable=False),
    Column("kind", String(16), nullable=False),  # individual | enterprise
    Column("status", String(16), nullable=False),  # active | suspended
    Column("timezone", String(64), nullable=False),
    Column("created_at", UtcTimestamp(), nullable=False),
)

api_key = Table(
    "api_key",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False, index=True),
    Column("secret_id", String(64), nullable=False, unique=True),
    Column("secret_key_enc", Text, nullable=False),  # Fernet token
    Column("status", String(16), nullable=False),  # active | disabled
    Column("created_at", UtcTimestamp(), nullable=False),
)

application = Table(
    "application",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False, index=True),
    Column("sdk_app_id", String(32), nullable=False, unique=True),
    Column("name", String(128), nullable=False),
    Column("app_key_enc", Text, nullable=False),  # Fernet token
    Column("status", String(16), nullable=False),  # active | disabled
    Column("created_at", UtcTimestamp(), nullable=False),
)

signature = Table(
    "signature",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("international", Boolean, nullable=False),
    Column("sign_type", SmallInteger, nullable=False),
    Column("document_type", SmallInteger, nullable=False),
    Column("sign_purpose", SmallInteger, nullable=False),
    Column("remark", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),  # pending | approved | rejected
    Column("review_reply", Text, nullable=False, server_default=""),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("updated_at", UtcTimestamp(), nullable=False),
    Column("deleted_at", UtcTimestamp(), nullable=True),
    Index("ix_signature_tenant_id_name", "tenant_id", "name"),
)

template = Table(
    "template",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False, index=True),
    Column("name", String(128), nullable=False),
    Column("content", Text, nullable=False),
    Column("sms_type", SmallInteger, nullable=False),  # 1 marketing, 2 notification, 3 verification code
    Column("international", Boolean, nullable=False),
    Column("remark", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("review_reply", Text, nullable=False, server_default=""),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("updated_at", UtcTimestamp(), nullable=False),
    Column("deleted_at", UtcTimestamp(), nullable=True),
)

carrier = Table(
    "carrier",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("protocol", String(16), nullable=False),  # smpp
    Column("host", String(255), nullable=False),
    Column("port", Integer, nullable=False),
    Column("system_id", String(16), nullable=False),
    Column("password_enc", Text, nullable=False),  # Fernet token
    Column("system_type", String(13), nullable=False, server_default=""),
    Column("source_addr", String(21), nullable=False, server_default=""),
    Column("window", Integer, nullable=False),
    Column("tps", Integer, nullable=False),  # 0: no cap
    Column("binds", Integer, nullable=False, server_default="1"),
    Column("enabled", Boolean, nullable=False),
    Column("created_at", UtcTimestamp(), nullable=False),
)

route = Table(
    "route",
    metadata,
    Column("id", Id, primary_key=True),
    # Digits an E.164 number (without "+") must start with; "" matches every number.
    Column("prefix", String(16), nullable=False),
    Column("carrier_id", Id, ForeignKey("carrier.id"), nullable=False),
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("enabled", Boolean, nullable=False),
    UniqueConstraint("prefix", "carrier_id"),
)

message = Table(
    "message",
    metadata,
    Column("id", Id, primary_key=True),
    Column("serial_no", String(64), nullable=False, unique=True),
    Column("request_id", String(64), nullable=False),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False),
    Column("app_id", Id, ForeignKey("application.id"), nullable=False),
    Column("phone", String(32), nullable=False),  # E.164
    Column("country_code", String(8), nullable=False),
    Column("iso_code", String(8), nullable=False),
    Column("international", Boolean, nullable=False),
    Column("sign_name", String(64), nullable=False),
    Column("template_id", Id, nullable=True),
    Column("sms_type", SmallInteger, nullable=False),
    Column("content", Text, nullable=False),  # as the handset shows it, signature included
    Column("alphabet", String(8), nullable=False),  # gsm7 | ucs2
    Column("segments", SmallInteger, nullable=False),  # billable parts (Fee)
    Column("session_context", Text, nullable=False, server_default=""),
    Column("extend_code", String(16), nullable=False, server_default=""),
    Column("sender_id", String(32), nullable=False, server_default=""),
    Column("carrier_id", Id, ForeignKey("carrier.id"), nullable=False),
    # queued -> submitting -> submitted -> delivered | undelivered | expired | rejected | failed
    Column("status", String(16), nullable=False),
    Column("attempts", SmallInteger, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcTimestamp(), nullable=False),
    Column("claim_slot", String(64), nullable=True),  # which sender holds it while submitting
    Column("carrier_msg_id", String(65), nullable=True),  # single-part messages; see message_part
    Column("error_code", String(64), nullable=False, server_default=""),
    Column("receipt_stat", String(16), nullable=False, server_default=""),
    Column("receipt_err", String(16), nullable=False, server_default=""),
    Column("report_state", SmallInteger, nullable=False, server_default="0"),  # 0 none, 1 to pull, 2 pulled
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("submitted_at", UtcTimestamp(), nullable=True),
    Column("done_at", UtcTimestamp(), nullable=True),  # when the handset got it, or the final failure
    Index(
        "ix_message_dispatch",
        "carrier_id",
        "next_attempt_at",
        "id",  # the claim's ORDER BY next_attempt_at, id reads the index in order, sorting nothing
        sqlite_where=text("status = 'queued'"),
        postgresql_where=text("status = 'queued'"),
    ),
    Index(
        "ix_message_inflight",
        "carrier_id",
        "claim_slot",
        sqlite_where=text("status = 'submitting'"),
        postgresql_where=text("status = 'submitting'"),
    ),
    Index(
        "ix_message_awaiting_receipt",
        "submitted_at",
        sqlite_where=text("status = 'submitted'"),
        postgresql_where=text("status = 'submitted'"),
    ),
    Index(
        "ix_message_report",
        "app_id",
        "id",
        sqlite_where=text("report_state = 1"),
        postgresql_where=text("report_state = 1"),
    ),
    Index(
        "ix_message_carrier_msg_id",
        "carrier_id",
        "carrier_msg_id",
        sqlite_where=text("carrier_msg_id IS NOT NULL"),
        postgresql_where=text("carrier_msg_id IS NOT NULL"),
    ),
    Index("ix_message_app_phone_created", "app_id", "phone", "created_at"),
    Index("ix_message_tenant_created", "tenant_id", "created_at"),
)

# The parts of a long message, each with its own carrier id and receipt. Single-part messages
# (nearly all) keep their carrier id on the message row and have no rows here.
message_part = Table(
    "message_part",
    metadata,
    Column("id", Id, primary_key=True),
    Column("message_id", Id, ForeignKey("message.id"), nullable=False, index=True),
    Column("part_no", SmallInteger, nullable=False),
    Column("carrier_id", Id, nullable=False),
    Column("carrier_msg_id", String(65), nullable=False),
    Column("status", String(16), nullable=False),  # submitted | delivered | undelivered | ...
    Column("receipt_stat", String(16), nullable=False, server_default=""),
    Column("receipt_err", String(16), nullable=False, server_default=""),
    Column("done_at", UtcTimestamp(), nullable=True),
    Index("ix_message_part_carrier_msg_id", "carrier_id", "carrier_msg_id"),
    UniqueConstraint("message_id", "part_no"),
)

# Receipts stored (and so acknowledged to the carrier) before their message's carrier id was
# known: a receipt can overtake its submit_sm_resp's database write. Matched later, then deleted.
unmatched_receipt = Table(
    "unmatched_receipt",
    metadata,
    Column("id", Id, primary_key=True),
    Column("carrier_id", Id, nullable=False),
    Column("carrier_msg_id", String(65), nullable=False),
    Column("status", String(16), nullable=False),  # the final status the receipt reports
    Column("stat", String(16), nullable=False),
    Column("err", String(16), nullable=False),
    Column("done_at", UtcTimestamp(), nullable=False),
    Column("received_at", UtcTimestamp(), nullable=False),
    Column("attempts", SmallInteger, nullable=False, server_default="0"),
    Index("ix_unmatched_receipt_carrier_msg_id", "carrier_id", "carrier_msg_id"),
)

# Mobile-originated messages (replies) received from carriers.
mo_message = Table(
    "mo_message",
    metadata,
    Column("id", Id, primary_key=True),
    Column("carrier_id", Id, nullable=False),
    Column("source_addr", String(32), nullable=False),
    Column("destination_addr", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", UtcTimestamp(), nullable=False),
    Index("ix_mo_message_received_at", "received_at"),
)
