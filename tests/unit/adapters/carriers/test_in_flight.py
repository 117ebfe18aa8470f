"""InFlight: a receipt that overtakes the write of its submission is stored with it, or waits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from smscloud.adapters.carriers.in_flight import InFlight
from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.messages.receipts import Receipt

CARRIER = 7
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def receipt(carrier_msg_id: str, carrier_id: int = CARRIER) -> Receipt:
    return Receipt(carrier_id, carrier_msg_id, MessageStatus.DELIVERED, "DELIVRD", "000", NOW)


async def test_a_receipt_for_an_answered_single_part_is_handed_to_the_write() -> None:
    in_flight = InFlight()
    in_flight.answered(CARRIER, ["a"], single=True)
    early = receipt("a")

    stored = in_flight.hand_over(early)
    assert stored is not None and not stored.done()
    assert in_flight.begin_write(CARRIER, "a") is early
    assert not stored.done()  # acknowledged only once the write has landed
    in_flight.stored(CARRIER, ["a"])
    assert stored.done()


async def test_a_receipt_is_not_handed_over_once_the_write_has_begun() -> None:
    in_flight = InFlight()
    in_flight.answered(CARRIER, ["a"], single=True)
    assert in_flight.begin_write(CARRIER, "a") is None

    assert in_flight.hand_over(receipt("a")) is None
    waiting = asyncio.create_task(in_flight.wait_stored(CARRIER, ["a"]))
    await asyncio.sleep(0)
    assert not waiting.done()  # it waits for the write, then is applied on its own
    in_flight.stored(CARRIER, ["a"])
    await asyncio.wait_for(waiting, 1)


async def test_parts_of_a_long_message_and_unknown_ids_are_never_handed_over() -> None:
    in_flight = InFlight()
    in_flight.answered(CARRIER, ["p1", "p2"])
    assert in_flight.hand_over(receipt("p1")) is None
    assert in_flight.hand_over(receipt("nobody")) is None
    in_flight.answered(CARRIER, ["a"], single=True)
    assert in_flight.hand_over(receipt("a", carrier_id=CARRIER + 1)) is None


async def test_a_second_receipt_for_the_same_id_is_applied_on_its_own() -> None:
    in_flight = InFlight()
    in_flight.answered(CARRIER, ["a"], single=True)
    first, second = receipt("a"), receipt("a")
    assert in_flight.hand_over(first) is not None
    assert in_flight.hand_over(second) is None
    assert in_flight.begin_write(CARRIER, "a") is first


async def test_wait_stored_returns_at_once_for_ids_not_in_flight() -> None:
    in_flight = InFlight()
    await asyncio.wait_for(in_flight.wait_stored(CARRIER, ["x", "y"]), 1)
    in_flight.stored(CARRIER, ["x"])  # storing what was never answered is harmless
