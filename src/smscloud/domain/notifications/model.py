"""E-mail as the domain sees it: a message to one address, kept in an outbox until delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Mail", "MailState", "OutgoingMail"]


@dataclass(frozen=True, slots=True)
class Mail:
    to_address: str
    subject: str
    body: str  # plain text


class MailState(StrEnum):
    WAITING = "waiting"  # due for (another) delivery attempt
    KEPT = "kept"  # no SMTP server configured: stays in the outbox for operators to read
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    id: int
    to_address: str
    subject: str
    body: str
    state: MailState
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str
