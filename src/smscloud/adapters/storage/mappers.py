"""Rows to domain objects: the domain never sees SQLAlchemy, and its classes never subclass it."""

from __future__ import annotations

from typing import Any

from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantProfile, TenantStatus
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.audit.model import Actor, ActorKind, AuditEntry
from smscloud.domain.carriers.model import BindState, ReportedBind
from smscloud.domain.documents.model import Document, DocumentPurpose
from smscloud.domain.identity.model import (
    ConsoleSession,
    Language,
    Operator,
    OperatorStatus,
    User,
    UserRole,
    UserStatus,
)
from smscloud.domain.messages.model import MessageRecord, MessageStatus, Report
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.shared.secrets import SecretBox
from smscloud.domain.signatures.model import DocumentType, Signature, SignPurpose, SignType
from smscloud.domain.templates.model import SmsType, Template

__all__ = [
    "to_api_key",
    "to_application",
    "to_audit_entry",
    "to_console_session",
    "to_document",
    "to_message_record",
    "to_operator",
    "to_qualification",
    "to_report",
    "to_reported_bind",
    "to_signature",
    "to_template",
    "to_tenant",
    "to_tenant_profile",
    "to_user",
]


def to_tenant(row: Any) -> Tenant:
    return Tenant(
        id=row.id,
        name=row.name,
        kind=TenantKind(row.kind),
        status=TenantStatus(row.status),
        timezone=row.timezone,
        created_at=row.created_at,
        sms_enabled_at=row.sms_enabled_at,
    )


def to_tenant_profile(row: Any) -> TenantProfile:
    return TenantProfile(
        tenant_id=row.tenant_id,
        contact_name=row.contact_name,
        contact_phone=row.contact_phone,
        contact_email=row.contact_email,
        address=row.address,
        updated_at=row.updated_at,
    )


def to_api_key(row: Any, box: SecretBox) -> ApiKey:
    return ApiKey(
        id=row.id,
        tenant_id=row.tenant_id,
        secret_id=row.secret_id,
        secret_key=box.open(row.secret_key_enc),
        status=ApiKeyStatus(row.status),
        created_at=row.created_at,
    )


def to_application(row: Any, box: SecretBox) -> Application:
    return Application(
        id=row.id,
        tenant_id=row.tenant_id,
        sdk_app_id=row.sdk_app_id,
        name=row.name,
        app_key=box.open(row.app_key_enc),
        status=AppStatus(row.status),
        created_at=row.created_at,
    )


def to_signature(row: Any) -> Signature:
    return Signature(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        international=bool(row.international),
        sign_type=SignType(row.sign_type),
        document_type=DocumentType(row.document_type),
        sign_purpose=SignPurpose(row.sign_purpose),
        remark=row.remark,
        status=ReviewStatus(row.status),
        review_reply=row.review_reply,
        created_at=row.created_at,
        updated_at=row.updated_at,
        proof_document_id=row.proof_document_id,
        commission_document_id=row.commission_document_id,
        qualification_id=row.qualification_id,
        reviewed_at=row.reviewed_at,
    )


def to_template(row: Any) -> Template:
    return Template(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        content=row.content,
        sms_type=SmsType(row.sms_type),
        international=bool(row.international),
        remark=row.remark,
        status=ReviewStatus(row.status),
        review_reply=row.review_reply,
        created_at=row.created_at,
        updated_at=row.updated_at,
        reviewed_at=row.reviewed_at,
    )


def to_report(row: Any) -> Report:
    return Report(
        serial_no=row.serial_no,
        phone=row.phone,
        country_code=row.country_code,
        status=MessageStatus(row.status),
        description=row.receipt_stat or row.error_code,
        done_at=row.done_at,
        session_context=row.session_context,
        sign_name=row.sign_name,
    )


def to_message_record(row: Any) -> MessageRecord:
    return MessageRecord(
        id=row.id,
        serial_no=row.serial_no,
        app_id=row.app_id,
        phone=row.phone,
        sign_name=row.sign_name,
        template_id=row.template_id,
        content=row.content,
        segments=row.segments,
        status=MessageStatus(row.status),
        error_code=row.error_code,
        receipt_stat=row.receipt_stat,
        receipt_err=row.receipt_err,
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        done_at=row.done_at,
    )


def to_user(row: Any) -> User:
    return User(
        id=row.id,
        tenant_id=row.tenant_id,
        email=row.email,
        role=UserRole(row.role),
        status=UserStatus(row.status),
        language=Language(row.language),
        created_at=row.created_at,
        activated_at=row.activated_at,
        last_login_at=row.last_login_at,
        password_hash=row.password_hash,
    )


def to_operator(row: Any) -> Operator:
    return Operator(
        id=row.id,
        email=row.email,
        name=row.name,
        status=OperatorStatus(row.status),
        language=Language(row.language),
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        password_hash=row.password_hash,
    )


def to_console_session(row: Any) -> ConsoleSession:
    return ConsoleSession(
        id=row.id,
        user_id=row.user_id,
        operator_id=row.operator_id,
        csrf_token=row.csrf_token,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        ip=row.ip,
        user_agent=row.user_agent,
    )


def to_document(row: Any) -> Document:
    """A document's description; its bytes are read apart (`SqlDocumentStore.content`)."""
    return Document(
        id=row.id,
        tenant_id=row.tenant_id,
        purpose=DocumentPurpose(row.purpose),
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        created_at=row.created_at,
    )


def to_qualification(row: Any) -> Qualification:
    return Qualification(
        id=row.id,
        tenant_id=row.tenant_id,
        company_name=row.company_name,
        credit_code=row.credit_code,
        licence_document_id=row.licence_document_id,
        contact_name=row.contact_name,
        contact_phone=row.contact_phone,
        status=ReviewStatus(row.status),
        review_reply=row.review_reply,
        submitted_at=row.submitted_at,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
    )


def to_audit_entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=Actor(ActorKind(row.actor_kind), row.actor_id),
        action=row.action,
        subject_kind=row.subject_kind,
        subject_id=row.subject_id,
        tenant_id=row.tenant_id,
        detail=row.detail,
    )


def to_reported_bind(row: Any) -> ReportedBind:
    """A carrier_bind row joined with its carrier's `name`."""
    return ReportedBind(
        carrier=row.name,
        state=BindState(
            carrier_id=row.carrier_id,
            slot=row.slot,
            holder=row.holder,
            bound=bool(row.bound),
            since=row.since,
            last_error=row.last_error,
        ),
        seen_at=row.seen_at,
    )
