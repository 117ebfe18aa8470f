"""What a v5 action gets: the services it may call and the verified facts of the call."""

from __future__ import annotations

from dataclasses import dataclass

from smscloud.domain.apps.model import Application
from smscloud.domain.messages.phone import PhoneNumberParser
from smscloud.domain.messages.ports import Catalog, DispatchSignal, MessageStore, ReplyStore, ReportStore
from smscloud.domain.shared.clock import Clock
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.templates.ports import TemplateStore

__all__ = ["V5Call", "V5Services"]


@dataclass(frozen=True, slots=True)
class V5Services:
    catalog: Catalog  # applications (with their current AppKey), cached briefly
    messages: MessageStore
    signal: DispatchSignal
    reports: ReportStore
    parser: PhoneNumberParser
    clock: Clock
    # Free-text sends look for the template that renders the text among the tenant's own.
    templates: TemplateStore
    signatures: SignatureStore
    replies: ReplyStore | None = None  # None: pulling replies (type 1) answers 1030


@dataclass(frozen=True, slots=True)
class V5Call:
    """A call whose `sig` was verified with the AppKey of `app`."""

    services: V5Services
    app: Application
    request_id: str
