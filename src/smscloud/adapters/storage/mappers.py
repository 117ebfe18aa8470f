"""Rows to domain objects: the domain never sees SQLAlchemy, and its classes never subclass it."""

from __future__ import annotations

from typing import Any

from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantStatus
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.messages.model import MessageStatus, Report
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.shared.secrets import SecretBox
from smscloud.domain.signatures.model import DocumentType, Signature, SignPurpose, SignType
from smscloud.domain.templates.model import SmsType, Template

__all__ = ["to_api_key", "to_application", "to_report", "to_signature", "to_template", "to_tenant"]


def to_tenant(row: Any) -> Tenant:
    return Tenant(
        id=row.id,
        name=row.name,
        kind=TenantKind(row.kind),
        status=TenantStatus(row.status),
        timezone=row.timezone,
        created_at=row.created_at,
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
