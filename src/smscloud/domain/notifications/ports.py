"""What notifications need from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.notifications.model import Mail, OutgoingMail

__all__ = ["MailQueue", "Outbox"]


class Outbox(Protocol):
    """Where use cases put mail. Durable: once `put` returns, the mail is stored."""

    async def put(self, mail: Mail, *, now: datetime) -> int:
        """Store the mail; returns its id. Delivery (or keeping it) is the outbox's business."""
        ...


class MailQueue(Protocol):
    """The delivery side of the outbox, for the mail worker and the operators' console."""

    async def due(self, *, now: datetime, limit: int) -> list[OutgoingMail]: ...

    async def mark_sent(self, mail_id: int, *, now: datetime) -> None: ...

    async def mark_failed(self, mail_id: int, *, error: str, retry_at: datetime | None) -> None:
        """Record a failed attempt; `retry_at` None gives up."""
        ...

    async def recent(self, *, limit: int, offset: int = 0) -> list[OutgoingMail]:
        """Newest first, for the operators' outbox page."""
        ...
