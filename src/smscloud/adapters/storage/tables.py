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
    LargeBinary,
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
    "audit_log",
    "auth_token",
    "carrier",
    "carrier_bind",
    "console_session",
    "document",
    "login_challenge",
    "login_failure",
    "mail_outbox",
    "message",
    "message_part",
    "metadata",
    "mo_message",
    "mo_part",
    "operator",
    "qualification",
    "recovery_code",
    "route",
    "signature",
    "template",
    "tenant",
    "tenant_profile",
    "two_step",
    "unmatched_receipt",
    "user_account",
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
    Column("sms_enabled_at", UtcTimestamp(), nullable=True),  # when the account applied for SMS (seed 3)
)

# The account's profile (seed 2.2): who the tenant is and how to reach them.
tenant_profile = Table(
    "tenant_profile",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenant.id"), primary_key=True),
    Column("contact_name", String(64), nullable=False),
    Column("contact_phone", String(32), nullable=False),
    Column("contact_email", String(254), nullable=False),
    Column("address", String(256), nullable=False, server_default=""),
    Column("updated_at", UtcTimestamp(), nullable=False),
)

# People who log in to the console for a tenant.
user_account = Table(
    "user_account",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False, index=True),
    Column("email", String(254), nullable=False, unique=True),  # lower-cased
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("role", String(16), nullable=False),  # owner | member
    Column("status", String(16), nullable=False),  # pending | active | disabled
    Column("language", String(8), nullable=False),  # zh-CN | en
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("activated_at", UtcTimestamp(), nullable=True),
    Column("last_login_at", UtcTimestamp(), nullable=True),
    Column("signup_ip", String(45), nullable=True),  # the client address a sign-up came from
    Index("ix_user_account_signup_ip_created_at", "signup_ip", "created_at"),
)

# The platform's own staff: reviewers and administrators.
operator = Table(
    "operator",
    metadata,
    Column("id", Id, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(64), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("status", String(16), nullable=False),  # active | disabled
    Column("language", String(8), nullable=False),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("last_login_at", UtcTimestamp(), nullable=True),
)

# Console sessions, kept server-side so they can be revoked; the cookie holds a random token
# whose hash is stored here.
console_session = Table(
    "console_session",
    metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Id, ForeignKey("user_account.id"), nullable=True, index=True),
    Column("operator_id", Id, ForeignKey("operator.id"), nullable=True, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("last_seen_at", UtcTimestamp(), nullable=False),
    Column("expires_at", UtcTimestamp(), nullable=False),
    Column("revoked_at", UtcTimestamp(), nullable=True),
    Column("ip", String(64), nullable=False, server_default=""),
    Column("user_agent", String(256), nullable=False, server_default=""),
)

# One-time links sent by e-mail: account activation and password reset.
auth_token = Table(
    "auth_token",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("user_account.id"), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),  # activate | reset
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("expires_at", UtcTimestamp(), nullable=False),
    Column("used_at", UtcTimestamp(), nullable=True),
)

# Two-step verification (domain/identity/two_step.py), one row per person who turned it on: a
# tenant user or an operator. The TOTP secret is encrypted (Fernet) as API SecretKeys are;
# last_step is the newest step whose code was used, so each code works once.
two_step = Table(
    "two_step",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("user_account.id"), nullable=True, unique=True),
    Column("operator_id", Id, ForeignKey("operator.id"), nullable=True, unique=True),
    Column("secret", Text, nullable=False),
    Column("last_step", BigInteger, nullable=True),
    Column("enabled_at", UtcTimestamp(), nullable=False),
)

# One-time recovery codes of two-step verification, hashed (SHA-256: they are random).
recovery_code = Table(
    "recovery_code",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("user_account.id"), nullable=True, index=True),
    Column("operator_id", Id, ForeignKey("operator.id"), nullable=True, index=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("used_at", UtcTimestamp(), nullable=True),
)

# A login whose password was right, waiting for its second step: the browser holds a random
# token (its hash here) for a few minutes and a few attempts; a session opens only after the code.
login_challenge = Table(
    "login_challenge",
    metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Id, ForeignKey("user_account.id"), nullable=True),
    Column("operator_id", Id, ForeignKey("operator.id"), nullable=True),
    Column("ip", String(64), nullable=False),
    Column("user_agent", String(256), nullable=False),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("expires_at", UtcTimestamp(), nullable=False),
    Column("failures", SmallInteger, nullable=False, server_default="0"),
    Column("done_at", UtcTimestamp(), nullable=True),
    Index("ix_login_challenge_expires_at", "expires_at"),
)

# Failed console logins, for throttling (by e-mail and by address).
login_failure = Table(
    "login_failure",
    metadata,
    Column("id", Id, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("at", UtcTimestamp(), nullable=False),
    Index("ix_login_failure_email_at", "email", "at"),
    Index("ix_login_failure_ip_at", "ip", "at"),
)

# Every e-mail the platform sends goes here first; a worker delivers it over SMTP when one is
# configured. Without SMTP it stays, readable by operators in the console.
mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("to_address", String(254), nullable=False),
    Column("subject", String(256), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcTimestamp(), nullable=False),
    Column("next_attempt_at", UtcTimestamp(), nullable=True),  # null: nothing more to do
    Column("attempts", SmallInteger, nullable=False, server_default="0"),
    Column("sent_at", UtcTimestamp(), nullable=True),
    Column("last_error", Text, nullable=False, server_default=""),
    Index("ix_mail_outbox_next_attempt_at", "next_attempt_at"),
)

# Uploaded files: business licences, signature proofs, powers of attorney.
document = Table(
    "document",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False, index=True),
    Column("purpose", String(32), nullable=False),  # licence | sign_proof | commission
    Column("filename", String(256), nullable=False),
    Column("content_type", String(128), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UtcTimestamp(), nullable=False),
)

# Enterprise qualification submissions (seed 2.2); the newest of a tenant is its current one.
qualification = Table(
    "qualification",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tenant_id", Id, ForeignKey("tenant.id"), nullable=False, index=True),
    Column("company_name", String(128), nullable=False),
    Column("credit_code", String(18), nullable=False),  # unified social credit code
    Column("licence_document_id", Id, ForeignKey("document.id"), nullable=False),
    Column("contact_name", String(64), nullable=False),
    Column("contact_phone", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # pending | approved | rejected
    Column("review_reply", Text, nullable=False, server_default=""),
    Column("submitted_at", UtcTimestamp(), nullable=False),
    Column("reviewed_at", UtcTimestamp(), nullable=True),
    Column("reviewed_by", Id, ForeignKey("operator.id"), nullable=True),
    # One submission in review or approved at a time: a second one at the same moment is refused.
    Index(
        "uq_qualification_live",
        "tenant_id",
        unique=True,
        sqlite_where=text("status IN ('pending', 'approved')"),
        postgresql_where=text("status IN ('pending', 'approved')"),
    ),
)

# Who decided what, and when: every review and every administrative change.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True),
    Column("at", UtcTimestamp(), nullable=False),
    Column("actor_kind", String(16), nullable=False),  # operator | user | system
    Column("actor_id", Id, nullable=True),
    Column("action", String(64), nullable=False),  # e.g. qualification.approve
    Column("subject_kind", String(32), nullable=False),
    Column("subject_id", Id, nullable=True),
    Column("tenant_id", Id, nullable=True),
    Column("detail", Text, nullable=False, server_default=""),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_tenant_id_at", "tenant_id", "at"),
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
    Column("app_key_rotated_at", UtcTimestamp(), nullable=True),
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
    Column("proof_document_id", Id, ForeignKey("document.id"), nullable=True),
    Column("commission_document_id", Id, ForeignKey("document.id"), nullable=True),
    Column("qualification_id", Id, ForeignKey("qualification.id"), nullable=True),
    Column("reviewed_at", UtcTimestamp(), nullable=True),
    Column("reviewed_by", Id, ForeignKey("operator.id"), nullable=True),
    Index("ix_signature_tenant_id_name", "tenant_id", "name"),
    Index("ix_signature_status", "status"),
    # One live request per name: a second one submitted at the same moment is refused.
    Index(
        "uq_signature_live_name",
        "tenant_id",
        "name",
        "international",
        unique=True,
        sqlite_where=text("deleted_at IS NULL AND status IN ('pending', 'approved')"),
        postgresql_where=text("deleted_at IS NULL AND status IN ('pending', 'approved')"),
    ),
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
    Column("reviewed_at", UtcTimestamp(), nullable=True),
    Column("reviewed_by", Id, ForeignKey("operator.id"), nullable=True),
    Index("ix_template_status", "status"),
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
    # How the SMSC's receipts write the message ids of its responses (domain/carriers/message_ids.py).
    Column("receipt_ids", String(24), nullable=False, server_default="as-sent"),
)

# What the sender holding each bind slot last reported (docs: smscloud status, /metrics).
carrier_bind = Table(
    "carrier_bind",
    metadata,
    Column("carrier_id", Id, ForeignKey("carrier.id", ondelete="CASCADE"), primary_key=True),
    Column("slot", Integer, primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("bound", Boolean, nullable=False),
    Column("since", UtcTimestamp(), nullable=False),
    Column("seen_at", UtcTimestamp(), nullable=False),
    Column("last_error", String(255), nullable=False, server_default=""),
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
    Index("ix_message_phone_created", "phone", "created_at"),  # by-number pulls, records, replies' matching
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

# Mobile-originated messages (replies) received from carriers, with the message each answers
# (domain/messages/replies.py); a reply that answers none keeps tenant_id NULL and pull_state 0.
mo_message = Table(
    "mo_message",
    metadata,
    Column("id", Id, primary_key=True),
    Column("carrier_id", Id, nullable=False),
    Column("source_addr", String(32), nullable=False),
    Column("destination_addr", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", UtcTimestamp(), nullable=False),
    Column("tenant_id", Id, nullable=True),
    Column("app_id", Id, nullable=True),
    Column("message_id", Id, nullable=True),
    Column("phone", String(32), nullable=False, server_default=""),  # E.164
    Column("country_code", String(8), nullable=False, server_default=""),
    Column("sign_name", String(64), nullable=False, server_default=""),
    Column("extend_code", String(16), nullable=False, server_default=""),
    Column("pull_state", SmallInteger, nullable=False, server_default="0"),  # 0 none, 1 to pull, 2 pulled
    Index("ix_mo_message_received_at", "received_at"),
    Index(
        "ix_mo_message_pull",
        "app_id",
        "id",
        sqlite_where=text("pull_state = 1"),
        postgresql_where=text("pull_state = 1"),
    ),
    Index("ix_mo_message_app_phone", "app_id", "phone", "received_at"),
    Index("ix_mo_message_tenant", "tenant_id", "id"),  # the console's list of a tenant's replies
)

# The parts of concatenated replies (domain/messages/replies.py): kept until the last one missing
# arrives, when the reply is stored in mo_message and the parts marked assembled (kept a day more,
# so that a part the carrier sends again is known as a duplicate); parts whose others never come
# are stored as one reply after REPLY_PARTS_TIMEOUT. Single-part replies never come here.
mo_part = Table(
    "mo_part",
    metadata,
    Column("id", Id, primary_key=True),
    Column("carrier_id", Id, nullable=False),
    Column("source_addr", String(32), nullable=False),
    Column("destination_addr", String(32), nullable=False),
    Column("reference", Integer, nullable=False),  # the concatenation reference (8 or 16 bits)
    Column("total", SmallInteger, nullable=False),
    Column("part_no", SmallInteger, nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", UtcTimestamp(), nullable=False),
    Column("assembled_at", UtcTimestamp(), nullable=True),  # when its reply was stored
    UniqueConstraint(
        "carrier_id", "source_addr", "destination_addr", "reference", "total", "part_no", name="uq_mo_part_key"
    ),
    Index("ix_mo_part_received_at", "received_at"),
)
