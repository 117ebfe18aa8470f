"""CarrierSender against the fake SMSC over loopback TCP, with an in-memory queue and stores."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import struct
from collections import deque
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from structlog.testing import capture_logs

from smscloud.adapters.carriers.receipt_intake import ReceiptIntake
from smscloud.adapters.carriers.sender import CarrierSender, SenderPolicy
from smscloud.adapters.carriers.smpp_client import SmppClient
from smscloud.domain.carriers.message_ids import ReceiptIds
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.messages.dispatch import SubmitResult, Submitted
from smscloud.domain.messages.model import OutboundMessage
from smscloud.domain.messages.receipts import Receipt
from smscloud.domain.messages.replies import PartOutcome, ReplyPart
from smscloud.domain.shared.clock import FixedClock
from smscloud.protocols.smpp import CommandId, Pdu, SubmitSm, concat_info, parse_udh
from tests.support.carrier_settings import carrier_settings
from tests.support.fake_smsc import FakeSmsc, eventually

NOW = datetime(2026, 1, 1, tzinfo=UTC)
HEADER = struct.Struct(">IIII")


class Queue:
    """A DispatchQueue that hands out the messages it was given and keeps what is recorded."""

    def __init__(self, messages: Sequence[OutboundMessage]) -> None:
        self.waiting = deque(messages)
        self.recorded: list[SubmitResult] = []

    async def claim(self, *, carrier_id: int, slot: str, limit: int, now: datetime) -> list[OutboundMessage]:
        return [self.waiting.popleft() for _ in range(min(limit, len(self.waiting)))]

    async def record(self, results: Sequence[SubmitResult], *, carrier_id: int, now: datetime) -> None:
        self.recorded.extend(results)

    async def release_slot(self, *, carrier_id: int, slot: str, now: datetime) -> int:
        return 0


class Receipts:
    async def apply(self, receipts: Sequence[Receipt], *, now: datetime) -> None:
        pass

    async def store_reply(
        self, *, carrier_id: int, source_addr: str, destination_addr: str, text: str, now: datetime
    ) -> None:
        pass

    async def store_reply_part(self, *, part: ReplyPart, now: datetime) -> PartOutcome:
        return PartOutcome.KEPT

    async def flush_reply_parts(self, *, received_before: datetime) -> int:
        return 0

    async def rematch(self, *, now: datetime) -> int:
        return 0

    async def expire_unanswered(self, *, submitted_before: datetime, now: datetime) -> int:
        return 0


class Leases:
    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        yield


def carrier(smsc: FakeSmsc) -> Carrier:
    return carrier_settings(
        id=1, name="fake", host="127.0.0.1", port=smsc.port, system_id="esme1", password="secret", tps=0, binds=1
    )


def outbound(message_id: int, *, long: bool = False) -> OutboundMessage:
    return OutboundMessage(
        id=message_id,
        serial_no=f"s{message_id}",
        phone="+8613800000001",
        content="x" * 200 if long else "hello",
        international=False,
        extend_code="",
        sender_id="",
        attempts=1,
        alphabet="gsm7",
        segments=2 if long else 1,
    )


@pytest.fixture
async def smsc() -> AsyncIterator[FakeSmsc]:
    async with FakeSmsc() as fake:
        yield fake


@contextlib.asynccontextmanager
async def sending(
    smsc: FakeSmsc, queue: Queue, slot: int = 0, *, receipt_ids: ReceiptIds = ReceiptIds.AS_SENT
) -> AsyncIterator[CarrierSender]:
    """A sender of the fake SMSC's carrier, running until the block exits."""
    sender = CarrierSender(
        carrier=replace(carrier(smsc), receipt_ids=receipt_ids),
        slot=slot,
        queue=queue,
        intake=ReceiptIntake(Receipts(), FixedClock(NOW)),
        leases=Leases(),
        wake=asyncio.Event(),
        clock=FixedClock(NOW),
        policy=SenderPolicy(poll_interval_s=0.01),
        client_factory=functools.partial(SmppClient, response_timeout_s=0.3, reconnect_backoff=(0.01, 0.05)),
    )
    task = asyncio.create_task(sender.run())
    try:
        yield sender
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_an_accepted_submit_with_an_unreadable_response_is_recorded_as_submitted_not_retried(
    smsc: FakeSmsc,
) -> None:
    async def accepted_unreadably(pdu: SubmitSm) -> Pdu | None:
        body = b"A" * 70  # a message_id without its NUL
        smsc.session.write_raw(HEADER.pack(16 + len(body), CommandId.SUBMIT_SM_RESP, 0, pdu.sequence_number) + body)
        return None

    smsc.on_submit = accepted_unreadably
    queue = Queue([outbound(7)])
    with capture_logs() as logs:
        async with sending(smsc, queue):
            await eventually(lambda: bool(queue.recorded))
            await asyncio.sleep(0.4)  # past the response timeout: nothing more may happen
    (result,) = queue.recorded
    # Submitted (the SMSC has it: sending it again would deliver it twice), under an id that no
    # receipt will carry, so the message expires after the receipt timeout.
    assert isinstance(result, Submitted)
    assert result.message_id == 7
    (carrier_msg_id,) = result.carrier_msg_ids
    assert carrier_msg_id.startswith("unreadable:")
    assert len(smsc.submits) == 1
    assert any(entry["event"] == "sender.response_unreadable" for entry in logs)


async def test_the_carriers_ids_are_recorded_in_the_form_its_receipts_are_matched_in(smsc: FakeSmsc) -> None:
    async def hex_ids(pdu: SubmitSm) -> Pdu | None:
        return pdu.response(message_id="00000A20")

    smsc.on_submit = hex_ids
    queue = Queue([outbound(7)])
    async with sending(smsc, queue, receipt_ids=ReceiptIds.HEX_THEN_DECIMAL):
        await eventually(lambda: bool(queue.recorded))
    (result,) = queue.recorded
    assert isinstance(result, Submitted)
    assert result.carrier_msg_ids == ("2592",)  # as a receipt saying id:2592 will be read


def references(submits: Sequence[SubmitSm]) -> list[int]:
    found: list[int] = []
    for pdu in submits:
        info = concat_info(parse_udh(pdu.short_message)[0])
        assert info is not None
        if info.sequence == 1:
            found.append(info.reference)
    return found


async def test_each_sender_starts_its_concatenation_references_at_random_and_wraps_at_256(
    smsc: FakeSmsc, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts: Iterator[int] = iter([17, 255])
    monkeypatch.setattr("smscloud.adapters.carriers.sender.random.randrange", lambda stop: next(starts))
    first, second = Queue([outbound(1, long=True), outbound(2, long=True)]), Queue([])
    with capture_logs():
        async with sending(smsc, first, slot=0):
            await eventually(lambda: len(first.recorded) == 2)
        assert references(smsc.submits) == [17, 18]
        smsc.submits.clear()
        second.waiting.extend([outbound(3, long=True), outbound(4, long=True)])
        async with sending(smsc, second, slot=1):
            await eventually(lambda: len(second.recorded) == 2)
    assert references(smsc.submits) == [255, 0]
