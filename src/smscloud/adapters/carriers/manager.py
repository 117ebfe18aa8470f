"""All senders of a process: one per bind slot of every enabled carrier, plus the receipt intake.

With several connector processes (`dispatch.connector_processes`), each one runs a sender for
every slot, but a slot is held by one process at a time (its lease): each process goes for its
own share of the slots at once, and stands by for the others, taking one over only when its
holder has been gone for a while (or never came).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Sequence

import structlog

from smscloud.adapters.carriers.receipt_intake import IntakeStore, ReceiptIntake
from smscloud.adapters.carriers.sender import CarrierSender, SenderPolicy
from smscloud.adapters.carriers.wakeups import InProcessSignal
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.carriers.ports import BindReports, LeaseManager
from smscloud.domain.messages.ports import DispatchQueue
from smscloud.domain.shared.clock import Clock

__all__ = ["CarrierManager", "owns_slot"]

log = structlog.get_logger(__name__)


def owns_slot(carrier_id: int, slot: int, *, process_index: int, process_count: int) -> bool:
    """Whether connector `process_index` of `process_count` goes for this slot first. Slots of
    one carrier go to consecutive processes, and carriers start at different ones."""
    return (carrier_id + slot) % process_count == process_index


class CarrierManager:
    def __init__(
        self,
        *,
        queue: DispatchQueue,
        receipts: IntakeStore,
        leases: LeaseManager,
        signal: InProcessSignal,
        clock: Clock,
        policy: SenderPolicy,
        process_index: int = 0,
        process_count: int = 1,
        standby_delay_s: float = 5.0,
        reports: BindReports | None = None,
    ) -> None:
        self._reports = reports
        self._holder = f"connector {process_index} (pid {os.getpid()} on {socket.gethostname()})"
        self._queue = queue
        self._process_index = process_index
        self._process_count = process_count
        self._standby_delay_s = standby_delay_s
        self._leases = leases
        self._signal = signal
        self._clock = clock
        self._policy = policy
        self.intake = ReceiptIntake(receipts, clock)
        # What runs now, per carrier id: the settings its senders were started with, and their tasks.
        self._running: dict[int, tuple[Carrier, list[CarrierSender], list[asyncio.Task[None]]]] = {}

    @property
    def senders(self) -> list[CarrierSender]:
        return [sender for _, senders, _ in self._running.values() for sender in senders]

    def start(self, carriers: Sequence[Carrier]) -> None:
        """Start the senders of every enabled SMPP carrier (on a manager running none yet)."""
        for carrier in carriers:
            if carrier.enabled and carrier.protocol == "smpp" and carrier.id not in self._running:
                self._start_carrier(carrier)

    async def apply(self, carriers: Sequence[Carrier]) -> None:
        """Bring the running senders in line with `carriers` (every enabled one, as stored now):
        start the new, stop those turned off or gone, and restart those whose settings changed.
        A stopped sender finishes what it sent and queues again what it only claimed."""
        wanted = {c.id: c for c in carriers if c.enabled and c.protocol == "smpp"}
        for carrier_id, (running, _, _) in list(self._running.items()):
            if wanted.get(carrier_id) != running:
                changed = carrier_id in wanted
                log.info("carrier.stopping", carrier=running.name, reason="changed" if changed else "turned off")
                await self._stop_carrier(carrier_id)
        for carrier in wanted.values():
            if carrier.id not in self._running:
                self._start_carrier(carrier)

    def _start_carrier(self, carrier: Carrier) -> None:
        senders: list[CarrierSender] = []
        tasks: list[asyncio.Task[None]] = []
        for slot in range(max(1, carrier.binds)):
            sender = CarrierSender(
                carrier=carrier,
                slot=slot,
                queue=self._queue,
                intake=self.intake,
                leases=self._leases,
                wake=self._signal.event_for(carrier.id),
                clock=self._clock,
                policy=self._policy,
                reports=self._reports,
                holder=self._holder,
            )
            own = owns_slot(carrier.id, slot, process_index=self._process_index, process_count=self._process_count)
            senders.append(sender)
            tasks.append(
                asyncio.create_task(
                    self._supervise(sender, delay_s=0.0 if own else self._standby_delay_s),
                    name=f"sender-{sender.slot}",
                )
            )
        self._running[carrier.id] = (carrier, senders, tasks)
        log.info("carrier.started", carrier=carrier.name, host=carrier.host, port=carrier.port, binds=carrier.binds)

    async def _stop_carrier(self, carrier_id: int) -> None:
        _, _, tasks = self._running.pop(carrier_id)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _supervise(self, sender: CarrierSender, *, delay_s: float) -> None:
        if delay_s:
            await asyncio.sleep(delay_s)  # a standby: the slot's own process goes first
        while True:
            try:
                await sender.run()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sender.crashed", slot=sender.slot)
                await asyncio.sleep(1.0)

    async def stop(self) -> None:
        for carrier_id in list(self._running):
            await self._stop_carrier(carrier_id)
