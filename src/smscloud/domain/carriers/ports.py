"""What the carriers context needs from the outside world."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Protocol

from smscloud.domain.audit.model import AuditNote
from smscloud.domain.carriers.model import BindState, Carrier, CarrierRoute, ReportedBind

__all__ = ["BindReports", "BindStatusReader", "CarrierStore", "LeaseManager"]


class CarrierStore(Protocol):
    async def enabled(self) -> list[Carrier]: ...

    async def all(self) -> list[Carrier]:
        """Every carrier, on or off, oldest first."""
        ...

    async def by_name(self, name: str) -> Carrier | None: ...

    async def save(self, carrier: Carrier, *, now: datetime, noted: AuditNote | None = None) -> Carrier:
        """Create the carrier, or update the one with the same name; returns it with its id.
        `noted` is recorded with it (subject_id None: the carrier's id)."""
        ...

    async def set_enabled(self, carrier_id: int, enabled: bool, *, noted: AuditNote | None = None) -> Carrier: ...

    async def ensure_route(self, *, prefix: str, carrier_id: int, priority: int = 0) -> None:
        """Add the route unless the carrier has one for `prefix` already (as it is)."""
        ...

    async def set_route(self, *, prefix: str, carrier_id: int, priority: int, noted: AuditNote | None = None) -> None:
        """Add the route, or give the carrier's route for `prefix` this priority and turn it on."""
        ...

    async def remove_route(self, *, prefix: str, carrier_id: int, noted: AuditNote | None = None) -> bool:
        """False (and nothing recorded) if the carrier has no route for `prefix`."""
        ...

    async def routes(self) -> list[CarrierRoute]:
        """Every route, by prefix then carrier."""
        ...


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
