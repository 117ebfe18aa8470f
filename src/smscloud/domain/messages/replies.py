"""Replies (mobile-originated messages): whose they are, and what the customer is shown.

A reply comes from a carrier as an SMS from a handset to our long number (plus the extension
code the message it answers was sent with). It belongs to the application that last sent a
message to that number through that carrier within `REPLY_WINDOW` (Tencent: replies are taken
for about 48 hours after the send); when the long number carries an extension code, a message
sent with that code wins over a later one without. A reply that matches no message is kept, but
no customer sees it.

A reply longer than one SMS comes as several parts (ADR 0010, "Concatenated replies"), each
carrying the same reference, the number of parts and its own place. The parts are kept, durably,
until the last missing one arrives; the reply is then stored once, with the parts' texts joined in
part order (`receive_part` decides, the storage adapter carries it out). Parts whose other parts
never come are stored as one reply with what did arrive, after `REPLY_PARTS_TIMEOUT`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

__all__ = [
    "REPLY_PARTS_TIMEOUT",
    "REPLY_WINDOW",
    "HeldPart",
    "PartDecision",
    "PartOutcome",
    "Reply",
    "ReplyPart",
    "ReplyPartStore",
    "ReplyTarget",
    "UnclaimedReply",
    "extend_code_of",
    "joined_text",
    "missing_parts",
    "phone_candidates",
    "receive_part",
]

REPLY_WINDOW = timedelta(hours=48)

REPLY_PARTS_TIMEOUT = timedelta(hours=24)
"""How long the parts of a long reply wait for the others, counted from the first one held: then
the reply is stored with the parts that came (a partial text rather than none). Handsets send the
parts of one message together and SMSCs retry for hours, not days."""


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


@dataclass(frozen=True, slots=True)
class UnclaimedReply:
    """A reply no message claimed (nobody was sent a message from that carrier within the window,
    or the sender is unknown): kept for the operators, shown to no customer."""

    id: int
    carrier_id: int
    carrier: str  # its name
    source_addr: str
    destination_addr: str
    text: str
    received_at: datetime


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


# Concatenated replies.


@dataclass(frozen=True, slots=True)
class ReplyPart:
    """One part of a concatenated reply, as a carrier delivered it: its text decoded, header gone.

    Parts of one reply share the carrier, both addresses, `reference` and `total` (their *key*);
    `number` is the part's place, 1 to `total`.
    """

    carrier_id: int
    source_addr: str
    destination_addr: str
    reference: int
    total: int
    number: int
    text: str

    def __post_init__(self) -> None:
        if not 1 <= self.number <= self.total:
            raise ValueError(f"part {self.number} of {self.total} is not a place in a concatenated reply")


@dataclass(frozen=True, slots=True)
class HeldPart:
    """A part already kept under a key: waiting for the others, or `assembled` into a stored reply
    (kept a while longer so that the carrier sending it again is recognised as a duplicate)."""

    number: int
    text: str
    received_at: datetime
    assembled: bool = False


class PartOutcome(StrEnum):
    KEPT = "kept"  # held, waiting for the other parts
    DUPLICATE = "duplicate"  # the carrier sent it again: already held, or already in a stored reply
    COMPLETED = "completed"  # the last one missing: the whole reply is stored


@dataclass(frozen=True, slots=True)
class PartDecision:
    """What to do with an arriving part (`receive_part`).

    `restart`: what is held under the key belongs to an earlier reply (the sender's reference came
    round again): store the parts of it still waiting as that reply, then forget them all, before
    keeping this part. `text`: when `outcome` is COMPLETED, the whole reply to store.
    """

    outcome: PartOutcome
    restart: bool = False
    text: str | None = None


def joined_text(parts: Iterable[HeldPart | ReplyPart]) -> str:
    """A reply's text: its parts' texts in part order (gaps, where parts are missing, closed up)."""
    return "".join(part.text for part in sorted(parts, key=lambda part: part.number))


def missing_parts(parts: Iterable[HeldPart | ReplyPart], total: int) -> list[int]:
    """The numbers of the parts that did not come, of `total`."""
    present = {part.number for part in parts}
    return [number for number in range(1, total + 1) if number not in present]


def receive_part(held: Sequence[HeldPart], part: ReplyPart) -> PartDecision:
    """What to do with `part`, given the parts held under its key.

    - A part held (waiting or assembled) with the same number and the same text is the carrier
      delivering it again (its acknowledgement was lost): a duplicate, changing nothing.
    - The same number with another text is a new reply under a reference that came round again:
      whatever is held is an earlier reply's (`restart`).
    - Otherwise the part is kept, and when it was the last one missing the reply is complete.
    """
    same = next((h for h in held if h.number == part.number), None)
    if same is not None and same.text == part.text:
        return PartDecision(PartOutcome.DUPLICATE)
    restart = same is not None
    waiting: list[HeldPart | ReplyPart] = [] if restart else [h for h in held if not h.assembled]
    waiting.append(part)
    if missing_parts(waiting, part.total):
        return PartDecision(PartOutcome.KEPT, restart=restart)
    return PartDecision(PartOutcome.COMPLETED, restart=restart, text=joined_text(waiting))


class ReplyPartStore(Protocol):
    """Where the parts of concatenated replies wait (see `receive_part`)."""

    async def store_reply_part(self, *, part: ReplyPart, now: datetime) -> PartOutcome:
        """Keep `part` durably, storing the whole reply (matched as any reply) in the same
        transaction when it completes one; a duplicate changes nothing. Once this returns, the part
        may be acknowledged to the carrier."""
        ...

    async def flush_reply_parts(self, *, received_before: datetime) -> int:
        """Store as one reply each the parts whose first part arrived before `received_before` and
        whose others never came, and forget assembled parts as old; returns how many replies."""
        ...
