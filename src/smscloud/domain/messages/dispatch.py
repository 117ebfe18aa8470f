"""What happened when a sender submitted a message, and when to try again."""

from __future__ import annotations

from dataclasses import dataclass

from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.messages.receipts import Receipt

__all__ = ["SubmitFailed", "SubmitResult", "SubmitRetry", "Submitted", "retry_delay"]


@dataclass(frozen=True, slots=True)
class Submitted:
    message_id: int
    carrier_msg_ids: tuple[str, ...]  # one per part, in order
    # The final receipt of a single-part message when it came before the submission was stored:
    # both are then stored by one write (the receipt is acknowledged to the carrier after it).
    receipt: Receipt | None = None


@dataclass(frozen=True, slots=True)
class SubmitRetry:
    """A transient failure (throttled, queue full, timeout, link lost): queue it again."""

    message_id: int
    error_code: str
    delay_s: float


@dataclass(frozen=True, slots=True)
class SubmitFailed:
    message_id: int
    error_code: str
    status: MessageStatus = MessageStatus.FAILED  # or REJECTED


SubmitResult = Submitted | SubmitRetry | SubmitFailed


def retry_delay(attempt: int, *, base_s: float, cap_s: float) -> float:
    """Exponential backoff: base, 2·base, 4·base, … capped; `attempt` counts from 1."""
    # 2.0 ** 1023 is the largest power of two a float holds; beyond it every delay is the cap.
    exponent = min(max(0, attempt - 1), 1023)
    return float(min(cap_s, base_s * 2.0**exponent))
