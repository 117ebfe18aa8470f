"""Submissions answered by the carrier whose outcome is not yet stored.

A receipt can arrive before the sender has stored its message's carrier id (with a fast
carrier, it usually does). Such a receipt is neither kept aside nor written on its own:

- if the sender has not started writing that submission yet, the receipt is *handed over*: the
  sender stores the submission already final (one row write instead of two), and the receipt
  intake acknowledges the receipt to the carrier once that write has landed;
- if the write is under way, the intake waits for it (milliseconds) and then applies the receipt
  like any other.

Either way a receipt is acknowledged only after it is stored. Only single-part submissions take
a receipt over; a long message's parts are finished by the receipt store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from smscloud.domain.messages.receipts import Receipt

__all__ = ["InFlight"]


class _Answered:
    __slots__ = ("future", "receipt", "single", "writing")

    def __init__(self, single: bool) -> None:
        # Made only when someone waits for the store (a receipt handed over or waiting): with a
        # carrier whose receipts come seconds later, nearly no submission needs one.
        self.future: asyncio.Future[None] | None = None
        self.single = single  # the message's only part: a receipt may be handed over
        self.writing = False  # the sender's write of this outcome has begun
        self.receipt: Receipt | None = None

    def waited_for(self) -> asyncio.Future[None]:
        if self.future is None:
            self.future = asyncio.get_running_loop().create_future()
        return self.future


class InFlight:
    def __init__(self) -> None:
        self._answered: dict[tuple[int, str], _Answered] = {}

    def answered(self, carrier_id: int, carrier_msg_ids: Iterable[str], *, single: bool = False) -> None:
        """The carrier gave these ids; their messages' outcome is about to be stored."""
        for carrier_msg_id in carrier_msg_ids:
            self._answered[(carrier_id, carrier_msg_id)] = _Answered(single)

    def hand_over(self, receipt: Receipt) -> asyncio.Future[None] | None:
        """Give ``receipt`` to the sender that is about to store its submission; returns the future
        that is done once both are stored, or None when the receipt must be applied on its own."""
        entry = self._answered.get((receipt.carrier_id, receipt.carrier_msg_id))
        if entry is None or not entry.single or entry.writing or entry.receipt is not None:
            return None
        entry.receipt = receipt
        return entry.waited_for()

    def begin_write(self, carrier_id: int, carrier_msg_id: str) -> Receipt | None:
        """The sender starts writing this submission's outcome: the receipt handed over, if any.
        From now on receipts for it wait for the write (`wait_stored`) instead."""
        entry = self._answered.get((carrier_id, carrier_msg_id))
        if entry is None:
            return None
        entry.writing = True
        return entry.receipt

    def stored(self, carrier_id: int, carrier_msg_ids: Iterable[str]) -> None:
        """Their outcome is stored (or will not be, in this process): release any waiting receipt."""
        for carrier_msg_id in carrier_msg_ids:
            entry = self._answered.pop((carrier_id, carrier_msg_id), None)
            if entry is not None and entry.future is not None and not entry.future.done():
                entry.future.set_result(None)

    async def wait_stored(self, carrier_id: int, carrier_msg_ids: Iterable[str]) -> None:
        """Return once none of these ids awaits its store."""
        pending = [
            entry.waited_for()
            for carrier_msg_id in carrier_msg_ids
            if (entry := self._answered.get((carrier_id, carrier_msg_id))) is not None
        ]
        if pending:
            await asyncio.wait(pending)  # (does not cancel them if the waiter is cancelled)
