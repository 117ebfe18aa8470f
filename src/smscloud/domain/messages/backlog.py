"""What waits in the pipeline, per carrier, and whether its binds are up: what an operator watches."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CarrierBacklog"]


@dataclass(frozen=True, slots=True)
class CarrierBacklog:
    """One carrier's messages that are not final yet, at one moment.

    A healthy pipeline keeps `due` and `oldest_due_s` near zero; a growing `oldest_due_s` means
    the carrier is not being sent to (its binds are down, or it is slower than the traffic), and
    a growing `oldest_submitted_s` that its receipts stopped coming.
    """

    carrier: str
    binds: int  # bind slots configured (0 for a disabled carrier)
    binds_up: int  # of them, bound now by a live sender
    queued: int  # accepted and waiting to be sent, now or after a retry pause
    due: int  # of those, due now
    oldest_due_s: float  # how long the longest-waiting due message has waited (0 with none)
    submitting: int  # claimed by a sender, the carrier's answer not stored yet
    submitted: int  # accepted by the carrier, waiting for the delivery receipt
    oldest_submitted_s: float  # how long the oldest of those has waited for its receipt (0 with none)
