"""Use cases of carriers: an operator sets a carrier up, turns it on or off, and routes numbers
to it. Every change is recorded in the audit log with it (one transaction).

Connectors read the carriers again every few seconds and rebind what changed; routes are read
by the API within seconds.
"""

from __future__ import annotations

from dataclasses import replace

from smscloud.domain.audit.model import Actor, AuditNote
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.carriers.ports import CarrierStore
from smscloud.domain.carriers.rules import SIMULATOR_CARRIER, check_carrier, check_prefix
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput, NotFound

__all__ = ["add_route", "remove_route", "save_carrier", "set_carrier_enabled"]


async def save_carrier(*, store: CarrierStore, clock: Clock, carrier: Carrier, actor: Actor) -> Carrier:
    """Create the carrier, or change the one of that name (its password kept when `carrier`'s is
    None-like: empty and the carrier exists)."""
    existing = await store.by_name(carrier.name)
    if existing is not None and not carrier.password:
        carrier = replace(carrier, password=existing.password)
    check_carrier(carrier)
    detail = (
        f"{carrier.host}:{carrier.port} system_id={carrier.system_id}"
        f" window={carrier.window} tps={carrier.tps} binds={carrier.binds}"
    )
    noted = AuditNote(
        actor=actor,
        action="carrier.create" if existing is None else "carrier.update",
        subject_kind="carrier",
        subject_id=None if existing is None else existing.id,  # None: the new carrier's
        tenant_id=None,
        detail=detail,
        at=clock.now(),
    )
    return await store.save(carrier, now=clock.now(), noted=noted)


async def _named(store: CarrierStore, name: str) -> Carrier:
    carrier = await store.by_name(name)
    if carrier is None:
        raise NotFound("carrier", name)
    return carrier


async def set_carrier_enabled(*, store: CarrierStore, clock: Clock, name: str, enabled: bool, actor: Actor) -> Carrier:
    """Turn a carrier on or off: an off carrier's routes take no new messages (a number with no
    other route is refused), its senders stop, and its queued messages wait for it."""
    carrier = await _named(store, name)
    if carrier.name == SIMULATOR_CARRIER:
        raise InvalidInput("name", "the built-in simulator is turned on and off by SMSCLOUD_SIMULATOR__MODE")
    if carrier.enabled is enabled:
        return carrier
    noted = AuditNote(
        actor=actor,
        action="carrier.enable" if enabled else "carrier.disable",
        subject_kind="carrier",
        subject_id=carrier.id,
        tenant_id=None,
        detail="",
        at=clock.now(),
    )
    return await store.set_enabled(carrier.id, enabled, noted=noted)


async def add_route(*, store: CarrierStore, clock: Clock, name: str, prefix: str, priority: int, actor: Actor) -> str:
    """Send numbers starting with `prefix` to the carrier (the longest matching prefix wins, then the
    highest priority); returns the prefix as stored."""
    digits = check_prefix(prefix)
    if not -1000 <= priority <= 1000:
        raise InvalidInput("priority", "must be between -1000 and 1000")
    carrier = await _named(store, name)
    noted = AuditNote(
        actor=actor,
        action="carrier.route",
        subject_kind="carrier",
        subject_id=carrier.id,
        tenant_id=None,
        detail=f"prefix={digits or '(all)'} priority={priority}",
        at=clock.now(),
    )
    await store.set_route(prefix=digits, carrier_id=carrier.id, priority=priority, noted=noted)
    return digits


async def remove_route(*, store: CarrierStore, clock: Clock, name: str, prefix: str, actor: Actor) -> bool:
    """Stop sending numbers of `prefix` to the carrier; False if it had no such route."""
    digits = check_prefix(prefix)
    carrier = await _named(store, name)
    noted = AuditNote(
        actor=actor,
        action="carrier.unroute",
        subject_kind="carrier",
        subject_id=carrier.id,
        tenant_id=None,
        detail=f"prefix={digits or '(all)'}",
        at=clock.now(),
    )
    return await store.remove_route(prefix=digits, carrier_id=carrier.id, noted=noted)
