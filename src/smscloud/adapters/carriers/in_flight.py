"""Submissions answered by the carrier whose outcome is not yet stored.

A receipt can arrive before the sender has stored its message's carrier id (with a fast
carrier, it usually does). Rather than keep such a receipt aside and match it later, the receipt
intake waits for that store, which takes milliseconds: the receipt is then applied like any
other, and acknowledged to the carrier once it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

__all__ = ["InFlight"]


class InFlight:
    def __init__(self) -> None:
        self._waiting: dict[tuple[int, str], asyncio.Future[None]] = {}

    def answered(self, carrier_id: int, carrier_msg_ids: Iterable[str]) -> None:
        """The carrier gave these ids; their messages' outcome is about to be stored."""
        loop = asyncio.get_running_loop()
        for carrier_msg_id in carrier_msg_ids:
            self._waiting[(carrier_id, carrier_msg_id)] = loop.create_future()

    def stored(self, carrier_id: int, carrier_msg_ids: Iterable[str]) -> None:
        """Their outcome is stored (or will not be, in this process): release any waiting receipt."""
        for carrier_msg_id in carrier_msg_ids:
            future = self._waiting.pop((carrier_id, carrier_msg_id), None)
            if future is not None and not future.done():
                future.set_result(None)

    async def wait_stored(self, carrier_id: int, carrier_msg_ids: Iterable[str]) -> None:
        """Return once none of these ids awaits its store."""
        pending = [
            future
            for carrier_msg_id in carrier_msg_ids
            if (future := self._waiting.get((carrier_id, carrier_msg_id))) is not None
        ]
        if pending:
            await asyncio.wait(pending)  # (does not cancel them if the waiter is cancelled)
