"""What an action handler gets: the services it may call and facts about the call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from smscloud.adapters.http.tencent_v3.errors import ApiError
from smscloud.domain.accounts.model import Tenant
from smscloud.domain.accounts.ports import Credentials
from smscloud.domain.documents.ports import DocumentStore
from smscloud.domain.messages.phone import PhoneNumberParser
from smscloud.domain.messages.ports import Catalog, DispatchSignal, MessageStore, ReplyStore, ReportStore
from smscloud.domain.qualification.ports import QualificationStore
from smscloud.domain.shared.clock import Clock
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.templates.ports import TemplateStore

__all__ = ["ApiServices", "CallContext", "ContentServices", "enterprise_content"]


@dataclass(frozen=True, slots=True)
class ContentServices:
    """What the signature and template actions need: the stores the console uses too, and
    `changed`, called after every change so that the send path's cached lookups are refreshed."""

    signatures: SignatureStore
    templates: TemplateStore
    documents: DocumentStore
    qualifications: QualificationStore
    changed: Callable[[], None]


@dataclass(frozen=True, slots=True)
class ApiServices:
    credentials: Credentials
    catalog: Catalog
    messages: MessageStore
    signal: DispatchSignal
    reports: ReportStore
    parser: PhoneNumberParser
    clock: Clock
    # None where only sending is served (then the reply pulls, and the signature and template
    # actions, answer UnsupportedOperation, as actions not built do).
    replies: ReplyStore | None = None
    content: ContentServices | None = None


@dataclass(frozen=True, slots=True)
class CallContext:
    services: ApiServices
    tenant_id: int
    request_id: str
    version: str
    timezone: str
    language: str | None = None  # X-TC-Language: "zh-CN" (also when absent) or "en-US"


async def enterprise_content(ctx: CallContext) -> tuple[ContentServices, Tenant]:
    """The content services and the caller's tenant, for the signature and template actions.

    Like Tencent's, they are for enterprise-verified accounts only: a tenant without an approved
    qualification is answered FailedOperation.NotEnterpriseCertification (it uses the console).
    """
    content = ctx.services.content
    if content is None:
        raise ApiError(
            "UnsupportedOperation", "Signature and template actions are not available on this smscloud installation."
        )
    tenant = await ctx.services.credentials.tenant(ctx.tenant_id)
    if tenant is None or await content.qualifications.approved_of(ctx.tenant_id) is None:
        raise ApiError(
            "FailedOperation.NotEnterpriseCertification",
            "Signature and template actions are for enterprise-verified accounts; "
            "have the enterprise qualification approved, or use the console.",
        )
    return content, tenant
