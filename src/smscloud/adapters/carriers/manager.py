"""All senders of a process: one per bind slot of every enabled carrier, plus the receipt intake."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import structlog

from smscloud.adapters.carriers.receipt_intake import ReceiptIntake
from smscloud.adapters.carriers.sender import CarrierSender, SenderPolicy
from smscloud.adapters.carriers.wakeups import InProcessSignal
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.carriers.ports import LeaseManager
from smscloud.domain.messages.ports import DispatchQueue, ReceiptStore
from smscloud.domain.shared.clock import Clock

__all__ = ["CarrierManager"]

log = structlog.get_logger(__name__)


class CarrierManager:
    def __init__(
        self,
        *,
        queue: DispatchQueue,
        receipts: ReceiptStore,
        leases: LeaseManager,
        signal: InProcessSignal,
        clock: Clock,
        policy: SenderPolicy,
    ) -> None:
        self._queue = queue
        self._leases = leases
        self._signal = signal
        self._clock = clock
        self._policy = policy
        self.intake = ReceiptIntake(receipts, clock)
        self.senders: list[CarrierSender] = []
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, carriers: Sequence[Carrier]) -> None:
        for carrier in carriers:
            if not carrier.enabled or carrier.protocol != "smpp":
                continue
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
                )
                self.senders.append(sender)
                self._tasks.append(asyncio.create_task(self._supervise(sender), name=f"sender-{sender.slot}"))
            log.info(
                "carrier.started",
                carrier=carrier.name,
                host=carrier.host,
                port=carrier.port,
                binds=carrier.binds,
            )

    async def _supervise(self, sender: CarrierSender) -> None:
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
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
