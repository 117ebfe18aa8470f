"""Replies (mobile-originated messages): whose they are, and what the customer is shown.

A reply comes from a carrier as an SMS from a handset to our long number (plus the extension
code the message it answers was sent with). It belongs to the application that last sent a
message to that number through that carrier within `REPLY_WINDOW` (Tencent: replies are taken
for about 48 hours after the send); when the long number carries an extension code, a message
sent with that code wins over a later one without. A reply that matches no message is kept, but
no customer sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["REPLY_WINDOW", "Reply", "ReplyTarget", "extend_code_of", "phone_candidates"]

REPLY_WINDOW = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """The sent message a reply answers: whose it is and what it was sent with."""

    message_id: int
    tenant_id: int
    app_id: int
    phone: str  # E.164
    country_code: str
    sign_name: str
    extend_code: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply as the customer sees it (pull APIs)."""

    id: int
    app_id: int
    phone: str  # E.164
    country_code: str
    sign_name: str
    extend_code: str
    text: str
    received_at: datetime

    @property
    def subscriber(self) -> str:
        return self.phone[1 + len(self.country_code) :]


def phone_candidates(source_addr: str) -> list[str]:
    """The E.164 forms a reply's source address may stand for.

    Carriers send the handset's number in international form (with or without "+") or, in
    mainland China, as the 11-digit national number.
    """
    digits = "".join(c for c in source_addr if c.isascii() and c.isdigit())
    if not digits:
        return []
    if digits.startswith("00"):
        digits = digits[2:]
    candidates = [f"+{digits}"]
    if len(digits) == 11 and digits.startswith("1"):
        candidates.append(f"+86{digits}")
    return candidates


def extend_code_of(destination_addr: str, long_number: str) -> str:
    """The extension code a reply was sent to: what follows our long number in its destination."""
    if long_number and destination_addr.startswith(long_number):
        return destination_addr[len(long_number) :]
    return ""
