"""A carrier: an SMSC the platform binds to, with its credentials and limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from smscloud.domain.carriers.message_ids import ReceiptIds

__all__ = [
    "BIND_REPORT_INTERVAL",
    "BIND_REPORT_STALE_AFTER",
    "BindState",
    "Carrier",
    "CarrierRoute",
    "ReportedBind",
]

BIND_REPORT_INTERVAL = timedelta(seconds=10)
"""How often a sender reports its bind's state even when nothing changed."""

BIND_REPORT_STALE_AFTER = 3 * BIND_REPORT_INTERVAL
"""A report older than this is from a process that is gone: its bind counts as down."""


@dataclass(frozen=True, slots=True)
class Carrier:
    id: int
    name: str
    protocol: str  # "smpp"
    host: str
    port: int
    system_id: str
    password: str
    system_type: str
    source_addr: str
    window: int  # submit_sm awaiting their response, per bind
    tps: int  # submits per second per carrier; 0 means no cap
    binds: int
    enabled: bool
    receipt_ids: ReceiptIds = ReceiptIds.AS_SENT  # how its receipts write the ids of its responses


@dataclass(frozen=True, slots=True)
class CarrierRoute:
    """Numbers whose E.164 digits start with `prefix` ("" for all) go to `carrier`."""

    prefix: str
    carrier: str
    priority: int
    enabled: bool


@dataclass(frozen=True, slots=True)
class BindState:
    """What the sender holding one of a carrier's bind slots last said about its SMPP bind."""

    carrier_id: int
    slot: int  # 0 … carrier.binds − 1
    holder: str  # which process holds the slot (connector index, pid, host)
    bound: bool
    since: datetime  # when `bound` became what it is
    last_error: str  # why the last connect or bind failed, or the link was lost ("" if none)


@dataclass(frozen=True, slots=True)
class ReportedBind:
    """A bind's last report, as read back: `up` only if it said bound and is not stale."""

    carrier: str
    state: BindState
    seen_at: datetime

    def live(self, now: datetime) -> bool:
        """The report is recent enough that its sender is still running."""
        return now - self.seen_at <= BIND_REPORT_STALE_AFTER

    def up(self, now: datetime) -> bool:
        return self.state.bound and self.live(now)
