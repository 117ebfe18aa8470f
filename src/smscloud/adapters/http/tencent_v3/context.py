"""What an action handler gets: the services it may call and facts about the call."""

from __future__ import annotations

from dataclasses import dataclass

from smscloud.domain.accounts.ports import Credentials
from smscloud.domain.messages.phone import PhoneNumberParser
from smscloud.domain.messages.ports import Catalog, DispatchSignal, MessageStore, ReportStore
from smscloud.domain.shared.clock import Clock

__all__ = ["ApiServices", "CallContext"]


@dataclass(frozen=True, slots=True)
class ApiServices:
    credentials: Credentials
    catalog: Catalog
    messages: MessageStore
    signal: DispatchSignal
    reports: ReportStore
    parser: PhoneNumberParser
    clock: Clock


@dataclass(frozen=True, slots=True)
class CallContext:
    services: ApiServices
    tenant_id: int
    request_id: str
    version: str
    timezone: str
