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
_NOT_FINAL_STATES = frozenset({1, 6})


def status_from_receipt(stat: str, message_state: int | None = None) -> MessageStatus | None:
    """The final status a receipt reports, or None for an intermediate one (ENROUTE, ACCEPTD).

    A message_state (the TLV, normative in SMPP 3.4 §5.3.2.35) decides over ``stat`` (the receipt
    text of appendix B, which the spec calls informative): a carrier whose text says DELIVRD and
    whose TLV says UNDELIVERABLE did not deliver. A state SMPP 3.4 does not define leaves it to
    ``stat``.
    """
    if message_state is not None:
        if message_state in _NOT_FINAL_STATES:
            return None
        status = _BY_STATE.get(message_state)
        if status is not None:
            return status
    return _BY_STAT.get(stat.strip().upper())


@dataclass(frozen=True, slots=True)
class Receipt:
    carrier_id: int
    carrier_msg_id: str
    status: MessageStatus
    stat: str  # as the carrier wrote it, e.g. DELIVRD
    err: str
    done_at: datetime
