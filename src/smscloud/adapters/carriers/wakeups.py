"""In-process wake-ups for senders: the API calls `wake()` after storing messages.

This is the embedded implementation of the `DispatchSignal` port. Senders also poll the queue
every `dispatch.poll_interval_s`, which is what wakes them when the API runs in another process
(docs/adr/0001-queue.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

__all__ = ["InProcessSignal"]


class InProcessSignal:
    def __init__(self) -> None:
        self._events: dict[int, asyncio.Event] = {}

    def event_for(self, carrier_id: int) -> asyncio.Event:
        event = self._events.get(carrier_id)
        if event is None:
            event = self._events[carrier_id] = asyncio.Event()
        return event

    def wake(self, carrier_ids: Iterable[int]) -> None:
        for carrier_id in carrier_ids:
            self.event_for(carrier_id).set()
