"""What the carriers context needs from the outside world."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Protocol

from smscloud.domain.carriers.model import BindState, Carrier, ReportedBind

__all__ = ["BindReports", "BindStatusReader", "CarrierStore", "LeaseManager"]


class CarrierStore(Protocol):
    async def enabled(self) -> list[Carrier]: ...

    async def save(self, carrier: Carrier, *, now: datetime) -> Carrier:
        """Create the carrier, or update the one with the same name; returns it with its id."""
        ...

    async def ensure_route(self, *, prefix: str, carrier_id: int, priority: int = 0) -> None: ...


class LeaseManager(Protocol):
    """Exclusive ownership of a named job for as long as its holder lives (a bind slot)."""

    def hold(self, name: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Wait until the lease `name` is ours; keep it until the block exits."""
        ...


class BindReports(Protocol):
    """Where senders report their binds' state, for the operator's view (status, metrics)."""

    async def report(self, state: BindState, *, now: datetime) -> None: ...


class BindStatusReader(Protocol):
    async def reported(self) -> list[ReportedBind]:
        """Every bind slot's last report (enabled carriers), by carrier name and slot."""
        ...
