"""What the console's pages get: the use cases and stores they call, and the console's options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from smscloud.domain.accounts.ports import AccountStore
from smscloud.domain.apps.ports import AppStore
from smscloud.domain.audit.ports import AuditLog
from smscloud.domain.carriers.ports import BindStatusReader, CarrierStore
from smscloud.domain.documents.ports import DocumentStore
from smscloud.domain.identity.ports import OperatorStore, UserStore
from smscloud.domain.identity.service import Identity
from smscloud.domain.messages.phone import PhoneNumberParser
from smscloud.domain.messages.ports import (
    BacklogReader,
    Catalog,
    DispatchSignal,
    MessageHistory,
    MessageStore,
    ReplyStore,
)
from smscloud.domain.notifications.ports import MailQueue, Outbox
from smscloud.domain.qualification.ports import QualificationStore
from smscloud.domain.reviews.service import Reviews
from smscloud.domain.shared.clock import Clock
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.templates.ports import TemplateStore

__all__ = ["ConsoleOptions", "ConsoleServices"]


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class ConsoleServices:
    identity: Identity
    reviews: Reviews
    users: UserStore
    operators: OperatorStore
    accounts: AccountStore
    apps: AppStore
    signatures: SignatureStore
    templates: TemplateStore
    documents: DocumentStore
    qualifications: QualificationStore
    audit: AuditLog
    mail: MailQueue
    notifications: Outbox  # where use cases put the mail they send
    history: MessageHistory
    replies: ReplyStore
    # What the operators' carriers page shows.
    backlog: BacklogReader
    binds: BindStatusReader
    carriers: CarrierStore
    # The send path, for "send a test message".
    catalog: Catalog
    messages: MessageStore
    signal: DispatchSignal
    parser: PhoneNumberParser
    clock: Clock
    # Called after a change the send path caches (keys, applications, signatures, templates).
    changed: Callable[[], None] = field(default=_nothing)


@dataclass(frozen=True, slots=True)
class ConsoleOptions:
    default_language: str = "zh-CN"
    secure_cookies: bool = False
    max_upload_bytes: int = 5 * 1024 * 1024
    # Where the Tencent API is, shown next to the credentials (host:port, as SDKs take it).
    api_endpoint: str = "127.0.0.1:8080"
    # Whether mail leaves the machine; without SMTP the pages say where to find the mail.
    smtp_configured: bool = False
    # The console's address as mail links give it (settings.console_url).
    console_url: str = "http://127.0.0.1:8080"
    # Every operator page leads to the two-step setup until the operator has turned it on.
    operators_need_two_step: bool = False
