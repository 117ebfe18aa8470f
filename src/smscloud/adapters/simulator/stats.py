"""Counters the simulator keeps while it runs, and the snapshot `Simulator.stats()` returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Counters", "SimulatorStats"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatorStats:
    """A snapshot of the simulator's counters (all since `start()`)."""

    sessions_opened: int  # TCP connections accepted
    sessions_active: int  # connections open now
    sessions_closed_idle: int  # bound sessions silent for idle_timeout_s: unbound and closed
    binds_accepted: int
    binds_refused: int
    binds_timed_out: int  # connections closed for not binding within bind_timeout_s
    enquire_links_sent: int  # to bound sessions silent for enquire_link_s
    enquire_links_answered: int  # enquire_link_resp received
    submits_received: int  # every submit_sm, whatever the answer
    submits_accepted: int  # answered ESME_ROK with a message_id
    submits_throttled: int  # answered ESME_RTHROTTLED
    submits_refused: int  # answered with any other error status
    receipts_scheduled: int
    receipts_sent: int  # deliver_sm written, retries included
    receipts_acked: int  # deliver_sm_resp ESME_ROK
    receipts_retried: int  # a non-OK deliver_sm_resp, a generic_nack or a timeout
    receipts_refused: int  # deliver_sm_resp ESME_RX_P_APPN or ESME_RX_R_APPN: never sent again
    receipts_dropped: int  # over max_pending_receipts
    receipts_pending: int  # scheduled, waiting for a receiver, or in flight

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(slots=True)
class Counters:
    """The live, mutable counters behind `SimulatorStats` (everything but the gauges)."""

    sessions_opened: int = 0
    sessions_closed_idle: int = 0
    binds_accepted: int = 0
    binds_refused: int = 0
    binds_timed_out: int = 0
    enquire_links_sent: int = 0
    enquire_links_answered: int = 0
    submits_received: int = 0
    submits_accepted: int = 0
    submits_throttled: int = 0
    submits_refused: int = 0
    receipts_scheduled: int = 0
    receipts_sent: int = 0
    receipts_acked: int = 0
    receipts_retried: int = 0
    receipts_refused: int = 0
    receipts_dropped: int = 0

    def snapshot(self, *, sessions_active: int, receipts_pending: int) -> SimulatorStats:
        return SimulatorStats(sessions_active=sessions_active, receipts_pending=receipts_pending, **asdict(self))
