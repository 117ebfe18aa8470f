"""Delivery receipts: what a carrier reports, and the status it means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smscloud.domain.messages.model import MessageStatus

__all__ = ["Receipt", "status_from_receipt"]

_BY_STAT = {
    "DELIVRD": MessageStatus.DELIVERED,
    "UNDELIV": MessageStatus.UNDELIVERED,
    "EXPIRED": MessageStatus.EXPIRED,
    "REJECTD": MessageStatus.REJECTED,
    "DELETED": MessageStatus.UNDELIVERED,
    "UNKNOWN": MessageStatus.UNDELIVERED,
}
# SMPP 3.4 message_state values: 2 DELIVERED, 3 EXPIRED, 4 DELETED, 5 UNDELIVERABLE,
# 7 UNKNOWN, 8 REJECTED. 1 ENROUTE and 6 ACCEPTED are not final.
_BY_STATE = {
    2: MessageStatus.DELIVERED,
    3: MessageStatus.EXPIRED,
    4: MessageStatus.UNDELIVERED,
    5: MessageStatus.UNDELIVERED,
    7: MessageStatus.UNDELIVERED,
    8: MessageStatus.REJECTED,
}


def status_from_receipt(stat: str, message_state: int | None = None) -> MessageStatus | None:
    """The final status a receipt reports, or None for an intermediate one (ENROUTE, ACCEPTD)."""
    status = _BY_STAT.get(stat.strip().upper())
    if status is None and message_state is not None:
        status = _BY_STATE.get(message_state)
    return status


@dataclass(frozen=True, slots=True)
class Receipt:
    carrier_id: int
    carrier_msg_id: str
    status: MessageStatus
    stat: str  # as the carrier wrote it, e.g. DELIVRD
    err: str
    done_at: datetime
