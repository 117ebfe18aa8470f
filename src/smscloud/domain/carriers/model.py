"""A carrier: an SMSC the platform binds to, with its credentials and limits."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Carrier"]


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
