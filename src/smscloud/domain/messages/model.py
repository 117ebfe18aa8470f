"""Messages: one row per recipient, from acceptance to a final status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "FINAL_STATUSES",
    "MessageRecord",
    "MessageStatus",
    "MessageTrace",
    "NewMessage",
    "OutboundMessage",
    "Report",
    "can_move",
]


class MessageStatus(StrEnum):
    """The life of a message.

    queued ──claim──► submitting ──submit_sm_resp ok──► submitted ──receipt──► delivered
      ▲                  │  │                               │                   undelivered
      └──transient error─┘  └──permanent error──► failed    │                   expired
                                                rejected    └──no receipt in time──► expired
    """

    QUEUED = "queued"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    EXPIRED = "expired"
    REJECTED = "rejected"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in FINAL_STATUSES

    @property
    def success(self) -> bool:
        return self is MessageStatus.DELIVERED


FINAL_STATUSES = frozenset(
    {
        MessageStatus.DELIVERED,
        MessageStatus.UNDELIVERED,
        MessageStatus.EXPIRED,
        MessageStatus.REJECTED,
        MessageStatus.FAILED,
    }
)

_TRANSITIONS: dict[MessageStatus, frozenset[MessageStatus]] = {
    MessageStatus.QUEUED: frozenset({MessageStatus.SUBMITTING, MessageStatus.EXPIRED, MessageStatus.FAILED}),
    MessageStatus.SUBMITTING: frozenset(
        {MessageStatus.SUBMITTED, MessageStatus.QUEUED, MessageStatus.FAILED, MessageStatus.REJECTED}
    ),
    MessageStatus.SUBMITTED: frozenset(
        {MessageStatus.DELIVERED, MessageStatus.UNDELIVERED, MessageStatus.EXPIRED, MessageStatus.REJECTED}
    ),
}


def can_move(source: MessageStatus, target: MessageStatus) -> bool:
    return target in _TRANSITIONS.get(source, frozenset())


@dataclass(slots=True)
class NewMessage:
    """A message accepted from a customer, about to be stored (and so queued)."""

    serial_no: str
    request_id: str
    tenant_id: int
    app_id: int
    phone: str
    country_code: str
    iso_code: str
    international: bool
    sign_name: str
    template_id: int
    sms_type: int
    content: str
    alphabet: str
    segments: int
    session_context: str
    extend_code: str
    sender_id: str
    carrier_id: int
    created_at: datetime


@dataclass(slots=True)
class OutboundMessage:
    """What a sender needs to submit a claimed message to its carrier."""

    id: int
    serial_no: str
    phone: str
    content: str
    international: bool
    extend_code: str
    sender_id: str
    attempts: int
    alphabet: str = "ucs2"  # as decided at acceptance (segments.Alphabet value)
    segments: int = 1


@dataclass(frozen=True, slots=True)
class Report:
    """A final status as the customer sees it (pull APIs, later callbacks)."""

    serial_no: str
    phone: str
    country_code: str
    status: MessageStatus
    description: str  # the carrier's stat (DELIVRD, UNDELIV, ...) or our error code
    done_at: datetime
    session_context: str
    sign_name: str

    @property
    def subscriber(self) -> str:
        return self.phone[1 + len(self.country_code) :]


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """A sent message as the console's send records show it."""

    id: int
    serial_no: str
    app_id: int
    phone: str
    sign_name: str
    template_id: int | None
    content: str
    segments: int
    status: MessageStatus
    error_code: str
    receipt_stat: str
    receipt_err: str
    created_at: datetime
    submitted_at: datetime | None
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class MessageTrace:
    """A message as an operator traces it for a customer: whose, through which carrier, with the
    ids the carrier gave it (one per part) and how many submits it took."""

    record: MessageRecord
    tenant_id: int
    carrier_id: int
    carrier: str  # its name
    carrier_msg_ids: tuple[str, ...]
    attempts: int
