"""What the messages context needs from the outside world: lookups, storage, the queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from smscloud.domain.accounts.model import Tenant
from smscloud.domain.apps.model import Application
from smscloud.domain.messages.backlog import CarrierBacklog
from smscloud.domain.messages.dispatch import SubmitResult
from smscloud.domain.messages.model import (
    MessageRecord,
    MessageStatus,
    MessageTrace,
    NewMessage,
    OutboundMessage,
    Report,
)
from smscloud.domain.messages.receipts import Receipt
from smscloud.domain.messages.replies import Reply, UnclaimedReply
from smscloud.domain.messages.routing import Route
from smscloud.domain.signatures.model import Signature
from smscloud.domain.templates.model import Template

__all__ = [
    "BacklogReader",
    "Catalog",
    "DispatchQueue",
    "DispatchSignal",
    "MessageHistory",
    "MessageStore",
    "ReceiptStore",
    "ReplyStore",
    "ReportStore",
]


class BacklogReader(Protocol):
    async def per_carrier(self, *, now: datetime) -> list[CarrierBacklog]:
        """Every carrier with what waits for it (zeros included)."""
        ...


class Catalog(Protocol):
    """Read-mostly lookups on the send path; implementations may cache for a few seconds."""

    async def tenant(self, tenant_id: int) -> Tenant | None: ...

    async def application(self, sdk_app_id: str) -> Application | None: ...

    async def template(self, template_id: int) -> Template | None: ...

    async def signature(self, tenant_id: int, name: str, international: bool) -> Signature | None: ...

    async def routes(self) -> Sequence[Route]: ...


class MessageStore(Protocol):
    async def add(self, messages: Sequence[NewMessage]) -> None:
        """Store accepted messages durably: once this returns they are queued and will be sent."""
        ...


class DispatchSignal(Protocol):
    def wake(self, carrier_ids: Iterable[int]) -> None:
        """Tell the senders of these carriers that work is waiting (a hint; they also poll)."""
        ...


class DispatchQueue(Protocol):
    """The message table seen as the queue of each carrier's senders."""

    async def claim(self, *, carrier_id: int, slot: str, limit: int, now: datetime) -> list[OutboundMessage]:
        """Move up to `limit` due queued messages to submitting, held by `slot`."""
        ...

    async def record(self, results: Sequence[SubmitResult], *, carrier_id: int, now: datetime) -> None:
        """Store what submitting did: submitted (with carrier ids), queued again, or failed."""
        ...

    async def release_slot(self, *, carrier_id: int, slot: str, now: datetime) -> int:
        """Queue again whatever `slot` left in submitting (its previous holder died)."""
        ...


class ReceiptStore(Protocol):
    async def apply(self, receipts: Sequence[Receipt], *, now: datetime) -> None:
        """Store receipts durably (matched to their messages, or kept to match later)."""
        ...

    async def store_reply(
        self, *, carrier_id: int, source_addr: str, destination_addr: str, text: str, now: datetime
    ) -> None: ...

    async def rematch(self, *, now: datetime) -> int:
        """Apply stored receipts whose message has since got its carrier id; returns how many."""
        ...

    async def expire_unanswered(self, *, submitted_before: datetime, now: datetime) -> int:
        """Submitted messages still without a receipt become expired; returns how many."""
        ...


class ReportStore(Protocol):
    async def pull(self, *, app_id: int, limit: int) -> list[Report]:
        """Final statuses not yet pulled, oldest first; each is returned only once."""
        ...

    async def for_phone(
        self, *, app_id: int, phone: str, begin: datetime, end: datetime | None, limit: int, offset: int
    ) -> list[Report]: ...


class ReplyStore(Protocol):
    async def pull(self, *, app_id: int, limit: int) -> list[Reply]:
        """Replies not yet pulled, oldest first; each is returned only once."""
        ...

    async def for_phone(
        self, *, app_id: int, phone: str, begin: datetime, end: datetime | None, limit: int, offset: int
    ) -> list[Reply]: ...

    async def of_tenant(self, *, tenant_id: int, phone: str | None, limit: int, offset: int = 0) -> list[Reply]:
        """The replies to the tenant's messages, newest first (the console's list)."""
        ...

    async def unclaimed(self, *, limit: int, offset: int = 0) -> list[UnclaimedReply]:
        """The replies no message claimed, newest first (operators only)."""
        ...


class MessageHistory(Protocol):
    """The send records of a tenant, newest first (the console's 发送记录)."""

    async def records(
        self,
        *,
        tenant_id: int,
        phone: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        status: MessageStatus | None = None,
        limit: int,
        offset: int = 0,
    ) -> list[MessageRecord]: ...

    async def record(self, *, tenant_id: int, serial_no: str) -> MessageRecord | None: ...

    async def trace(
        self,
        *,
        phone: str | None = None,
        serial_no: str | None = None,
        tenant_id: int | None = None,
        carrier_msg_id: str | None = None,
        limit: int,
    ) -> list[MessageTrace]:
        """The operators' search across tenants, newest first: the messages matching every filter
        given. At least one filter must be given (callers check); each is served by an index."""
        ...
